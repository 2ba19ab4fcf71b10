// "Organizações e grupos" (admins) and the list's filters by them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

test('an admin creates, renames and deletes an organization and a group', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('link', { name: 'Organizações e grupos' }).click();
  await page.getByRole('heading', { name: 'Organizações e grupos', level: 1 }).waitFor();
  const organizations = page.getByRole('region', { name: 'Organizações' });
  const groups = page.getByRole('region', { name: 'Grupos' });

  await organizations.getByLabel('Nova organização').fill('Padaria Pão Quente');
  await organizations.getByRole('button', { name: 'Criar' }).click();
  const entry = organizations.getByRole('listitem').filter({ hasText: 'Padaria Pão Quente' });
  await entry.waitFor();
  assert.match(await entry.textContent(), /0 contatos/);

  // The same name again, in other case and without accents, is refused in place.
  await organizations.getByLabel('Nova organização').fill('PADARIA PAO QUENTE');
  await organizations.getByRole('button', { name: 'Criar' }).click();
  await organizations.getByText('Já existe uma organização com este nome.').waitFor();

  const id = await entry.getAttribute('data-entry-id');
  const byId = organizations.locator(`li[data-entry-id="${id}"]`);
  await byId.getByRole('button', { name: 'Renomear' }).click();
  await byId.getByRole('textbox').fill('Padaria Pão Quentinho');
  await byId.getByRole('button', { name: 'Salvar' }).click();
  const renamed = organizations.getByRole('listitem').filter({ hasText: 'Padaria Pão Quentinho' });
  await renamed.waitFor();

  await renamed.getByRole('button', { name: 'Excluir' }).click();
  const dialog = renamed.getByRole('alertdialog');
  assert.match(await dialog.textContent(), /Padaria Pão Quentinho/);
  await dialog.getByRole('button', { name: 'Excluir' }).click();
  await renamed.waitFor({ state: 'detached' });

  await groups.getByLabel('Novo grupo').fill('Clientes de sábado');
  await groups.getByRole('button', { name: 'Criar' }).click();
  await groups.getByRole('listitem').filter({ hasText: 'Clientes de sábado' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the list filters by organization and group, and the URL keeps the filter', async () => {
  const { groups } = await agenda.api('contacts/directory');
  const group = groups[0];
  const expected = await agenda.api('contacts/list', { group: String(group.id), limit: '200' });
  assert.ok(expected.contacts.length > 0, 'the demo group has members');

  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByLabel('Grupo', { exact: true }).selectOption({ label: group.name });
  await page.waitForURL((url) => url.searchParams.get('group') === String(group.id));
  const firstIds = expected.contacts.slice(0, 50).map((c) => String(c.id));
  await page.waitForFunction(
    (ids) => [...document.querySelectorAll('tbody tr')].map((tr) => tr.dataset.contactId).join() === ids.join(),
    firstIds,
  );
  // Reload: the filter and its result stay.
  await openHydrated(page, page.url());
  assert.equal(await page.getByLabel('Grupo', { exact: true }).inputValue(), String(group.id));
  const ids = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.contactId));
  assert.deepEqual(ids, firstIds);
  // Back to all groups.
  await page.getByLabel('Grupo', { exact: true }).selectOption({ label: 'Todos os grupos' });
  await page.waitForURL((url) => url.searchParams.get('group') === null);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 50);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
