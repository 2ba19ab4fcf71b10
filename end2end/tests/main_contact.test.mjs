// Main contact: link "Maria 2" to "Maria 1" through the picker on the
// contact page, see the link on both pages and in the list, then merge
// them from the main's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

test('link Maria 2 to Maria 1 with the picker, see it on both pages, merge them', async () => {
  const tag = Date.now().toString().slice(-6);
  const maria1 = await agenda.apiJson('contacts/create', {
    form: { name: `Maria Principal ${tag}`, phones: ['11 91234-0001'], address: 'Rua A, 1' },
  });
  const maria2 = await agenda.apiJson('contacts/create', {
    form: { name: `Maria Segunda ${tag}`, phones: ['11 91234-0002'], address: 'Rua B, 2', notes: 'Prefere WhatsApp' },
  });
  await agenda.api('timeline/comment', { contact_id: String(maria2.id), text: 'Comentário da Maria 2' });

  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts/${maria2.id}`);
  const field = page.getByTestId('main-contact-field');
  assert.equal((await field.textContent()).includes('Nenhum'), true);
  // Pencil → "Selecionar" → search as you type → pick → "Salvar".
  await field.getByRole('button', { name: 'Alterar contato principal' }).click();
  await field.getByRole('button', { name: 'Selecionar' }).click();
  await field.getByRole('searchbox', { name: 'Buscar por nome ou número' }).fill(`Principal ${tag}`);
  await field.getByRole('option').getByRole('button', { name: new RegExp(`Maria Principal ${tag}`) }).click();
  await field.getByRole('button', { name: 'Salvar' }).click();
  await field.getByRole('link', { name: maria1.name }).waitFor();
  await page.getByText(`Vinculado ao contato principal: ${maria1.name}`).waitFor();

  // The main's page lists it, clickable.
  await field.getByRole('link', { name: maria1.name }).click();
  await page.waitForURL(`${agenda.base}/contacts/${maria1.id}`);
  const linked = page.getByTestId('linked-contacts');
  await linked.getByRole('link', { name: maria2.name }).waitFor();
  await page.getByText(`Vinculado ao contato principal: ${maria2.name}`).waitFor();

  // The list shows the link, and Maria 2's number finds Maria 1 too.
  await openHydrated(page, `${agenda.base}/contacts?q=${encodeURIComponent('91234-0002')}`);
  const names = await page.locator('tbody tr .contact-table__link').allTextContents();
  assert.deepEqual(names.sort(), [maria1.name, maria2.name].sort());
  assert.ok((await page.getByTestId('row-main-contact').textContent()).includes(maria1.name));

  // Merge from the main's page: choose Maria 2's address.
  await openHydrated(page, `${agenda.base}/contacts/${maria1.id}`);
  await page.getByTestId('linked-contacts').getByRole('button', { name: 'Mesclar' }).click();
  const dialog = page.getByRole('dialog', { name: 'Mesclar contatos' });
  await dialog.locator('tr[data-field="address"]').waitFor();
  await dialog.locator('tr[data-field="address"] input[type="radio"]').nth(1).check();
  await dialog.getByRole('button', { name: 'Mesclar' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The details now show the chosen address and Maria 2's notes (the merge
  // entry on the timeline lists Maria 2's data too).
  await page.locator('.contact-info').getByText('Rua B, 2').waitFor();
  await page.locator('.contact-info').getByText('Prefere WhatsApp').waitFor();
  assert.equal(await page.getByTestId('linked-contacts').count(), 0, 'nothing linked any more');
  await page.getByText(`Contato mesclado com ${maria2.name}`).waitFor();
  await page.getByText('Comentário da Maria 2').waitFor();
  // Maria 2 is gone.
  const { contacts } = await agenda.api('contacts/list', { q: `Segunda ${tag}` });
  assert.deepEqual(contacts.map((c) => c.id), [], 'Maria 2 no longer exists');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
