// One contact's life in the browser: the side panel from the list, adding a
// contact through "Mostrar mais" (an invalid CPF is refused in place), editing
// it, its page ("Ver contato") and deleting it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

const panel = (page) => page.getByRole('dialog');

test('clicking a row opens the side panel; Esc closes it and the URL follows', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  const row = page.locator('tbody tr').nth(3);
  const id = await row.getAttribute('data-contact-id');
  const name = (await row.locator('.contact-table__link').textContent()).trim();
  await row.locator('td.contact-table__id').click();
  await panel(page).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('contact'), id);
  // The panel opens at once and loads the contact behind it.
  await assert.doesNotReject(panel(page).getByText(name).first().waitFor(), `panel shows ${name}`);
  const view = panel(page).getByRole('link', { name: 'Ver contato' });
  assert.equal(await view.getAttribute('href'), `/contacts/${id}`);

  // Reload keeps the panel open (the URL carries it)...
  await openHydrated(page, page.url());
  await assert.doesNotReject(panel(page).getByText(name).first().waitFor(), 'still open after reload');
  // ...and Esc closes it, dropping it from the URL.
  await page.keyboard.press('Escape');
  await panel(page).waitFor({ state: 'detached' });
  assert.equal(new URL(page.url()).searchParams.get('contact'), null);
  // Back brings it again.
  await page.goBack();
  await panel(page).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('add a contact with "Mostrar mais", fix an invalid CPF, edit it, open its page, delete it', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('button', { name: 'Adicionar contato' }).click();
  const form = panel(page);
  await form.getByRole('heading', { name: 'Adicionar contato' }).waitFor();

  await form.getByLabel('Nome', { exact: true }).fill('Iracema Tupinambá');
  await form.getByLabel('Telefone', { exact: true }).fill('(21) 99876-1234');
  await form.getByLabel('E-mail', { exact: true }).fill('iracema@exemplo.com.br');
  await form.getByLabel('Endereço').fill('Rua das Laranjeiras, 100 - Rio de Janeiro/RJ');
  // The rest hides behind "Mostrar mais".
  assert.equal(await form.getByLabel('CPF/CNPJ').count(), 0);
  await form.getByRole('button', { name: 'Mostrar mais' }).click();
  await form.getByLabel('CPF/CNPJ').fill('123.456.789-00');
  await form.getByRole('button', { name: 'Adicionar', exact: true }).click();
  const cpfError = form.locator('#contact-document-error');
  await assert.doesNotReject(
    page.waitForFunction(() => document.querySelector('#contact-document-error')?.textContent.includes('CPF')),
  );
  assert.match(await cpfError.textContent(), /CPF/);
  assert.equal(new URL(page.url()).searchParams.get('new'), '1', 'still on the form');

  await form.getByLabel('CPF/CNPJ').fill('529.982.247-25');
  // An organization and a group created beforehand.
  const organization = form.getByLabel('Organização');
  const orgName = (await organization.locator('option').nth(1).textContent()).trim();
  await organization.selectOption({ label: orgName });
  const firstGroup = form.getByRole('group', { name: 'Grupos' }).getByRole('checkbox').first();
  const groupName = (await firstGroup.locator('xpath=..').textContent()).trim();
  await firstGroup.check();
  await form.getByRole('button', { name: 'Adicionar', exact: true }).click();
  // Saved: the panel shows the new contact.
  await page.waitForURL((url) => url.searchParams.get('contact') !== null);
  const id = new URL(page.url()).searchParams.get('contact');
  await panel(page).getByText('529.982.247-25').waitFor();
  assert.ok(await panel(page).getByText('(21) 99876-1234').isVisible());
  assert.ok(await panel(page).getByText(orgName).isVisible(), 'organization shown');
  assert.ok(await panel(page).getByText(groupName).isVisible(), 'group shown');

  // Edit: rename.
  await panel(page).getByRole('button', { name: 'Editar' }).click();
  const edit = panel(page);
  await edit.getByRole('heading', { name: 'Editar contato' }).waitFor();
  assert.equal(await edit.getByLabel('Nome', { exact: true }).inputValue(), 'Iracema Tupinambá');
  await edit.getByLabel('Nome', { exact: true }).fill('Iracema Tupinambá Souza');
  await edit.getByRole('button', { name: 'Salvar' }).click();
  await page.waitForURL((url) => url.searchParams.get('contact') === id);
  await panel(page).getByRole('heading', { name: 'Iracema Tupinambá Souza' }).waitFor();

  // The list finds it without accents.
  await page.keyboard.press('Escape');
  await page.getByRole('searchbox', { name: /Buscar contato/ }).fill('iracema tupinamba');
  await page.waitForFunction(
    (id) => [...document.querySelectorAll('tbody tr')].some((tr) => tr.dataset.contactId === id),
    id,
  );

  // Its page.
  await page.locator(`tbody tr[data-contact-id="${id}"] td.contact-table__id`).click();
  await panel(page).getByRole('link', { name: 'Ver contato' }).click();
  await page.waitForURL(`${agenda.base}/contacts/${id}`);
  await page.getByRole('heading', { name: 'Iracema Tupinambá Souza', level: 1 }).waitFor();
  assert.ok(await page.getByRole('tab', { name: 'Linha do tempo' }).isVisible());
  assert.ok(await page.getByText('iracema@exemplo.com.br').isVisible());
  await page.getByRole('tab', { name: 'Conversas' }).click();
  await page.getByText('Nenhuma conversa').waitFor();

  // Delete, with confirmation.
  await page.getByRole('button', { name: 'Excluir', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByRole('button', { name: 'Cancelar' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Excluir', exact: true }).click();
  await dialog.getByRole('button', { name: 'Excluir contato' }).click();
  await page.waitForURL(`${agenda.base}/contacts`);
  const after = await agenda.api('contacts/list', { q: 'Iracema' });
  assert.deepEqual(after.contacts, [], 'deleted');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('in the English UI, a refused phone is explained in English (the browser\'s check and the server\'s)', async () => {
  const page = await agenda.newPage();
  await page.context().addCookies([{ name: 'agenda_locale', value: 'en', url: agenda.base }]);
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('button', { name: 'Add contact' }).click();
  const form = panel(page);
  await form.getByRole('heading', { name: 'Add contact' }).waitFor();
  await form.getByLabel('Name', { exact: true }).fill('Ana English');
  const phone = form.getByLabel('Phone', { exact: true });
  const error = form.locator('#contact-phones-0-error');
  // Refused by the shared rules, in the browser.
  await phone.fill('12');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('#contact-phones-0-error')?.textContent.includes('does not look like a phone'));
  // Right shape, but no such number: refused by the server's phone metadata.
  await phone.fill('(11) 1234-5678');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('#contact-phones-0-error')?.textContent.includes('is not a valid phone number'));
  assert.equal((await error.textContent()).trim(), '"(11) 1234-5678" is not a valid phone number.');
  assert.equal(new URL(page.url()).searchParams.get('new'), '1', 'still on the form');
  await page.context().close();
});

test('a phone that already exists warns and links to its contact', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '50' });
  const existing = contacts.find((c) => c.phone);
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts?new=1`);
  const form = panel(page);
  await form.getByLabel('Nome', { exact: true }).fill('Outra Pessoa');
  // Typed in another format than shown.
  await form.getByLabel('Telefone', { exact: true }).fill(existing.phone_e164);
  await form.getByLabel('E-mail', { exact: true }).focus();
  const warning = form.getByRole('status');
  await warning.waitFor();
  assert.ok((await warning.textContent()).includes(existing.name));
  assert.equal(
    await warning.getByRole('link').first().getAttribute('href'),
    `/contacts?contact=${existing.id}`,
  );
  await page.context().close();
});

test('a photo is uploaded on the contact page, replaces the initials, and can be removed', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '5' });
  const target = contacts[2];
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360606060f80f0001040100' +
      '5fe5c34b0000000049454e44ae426082',
    'hex',
  );
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts/${target.id}`);
  const header = page.locator('.contact-header');
  assert.equal(await header.locator('img.avatar').count(), 0, 'initials first');

  // Not an image: refused in the browser, with the reason.
  await header.locator('input[type=file]').setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('oi') });
  await header.getByText('A foto deve ser uma imagem JPEG, PNG ou WebP.').waitFor();

  await header.locator('input[type=file]').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: png });
  const img = header.locator('img.avatar');
  await img.waitFor();
  assert.match(await img.getAttribute('src'), new RegExp(`^/contacts/${target.id}/photo\\?v=`));
  await page.waitForFunction(() => document.querySelector('.contact-header img.avatar')?.naturalWidth === 1);
  assert.equal(await header.getByRole('alert').count(), 0, 'the earlier error is gone');

  // It stays after a reload, and shows in the list's side panel too.
  await openHydrated(page, `${agenda.base}/contacts?contact=${target.id}`);
  await panel(page).locator('img.avatar').waitFor();

  await openHydrated(page, `${agenda.base}/contacts/${target.id}`);
  await header.getByRole('button', { name: 'Remover foto' }).click();
  await img.waitFor({ state: 'detached' });
  assert.ok(await header.locator('span.avatar').isVisible(), 'initials again');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('saving a form someone else changed meanwhile is refused, saying who and when', async () => {
  const page = await agenda.newPage({ timezoneId: 'America/Sao_Paulo' });
  await openHydrated(page, `${agenda.base}/contacts`);
  const row = page.locator('tbody tr').nth(5);
  const id = await row.getAttribute('data-contact-id');
  await row.locator('td.contact-table__id').click();
  await panel(page).getByRole('button', { name: 'Editar' }).click();
  const edit = panel(page);
  await edit.getByRole('heading', { name: 'Editar contato' }).waitFor();

  // Meanwhile another user saves the same contact.
  const current = await agenda.api('contacts/get', { id });
  const saved = await agenda.apiJson('contacts/update', {
    id: Number(id),
    form: { name: `${current.name} Atualizado`, phones: current.phones.map((p) => p.display), emails: current.emails },
    version: current.version,
  });
  assert.equal(saved.version, current.version + 1);

  await edit.getByLabel('Nome', { exact: true }).fill('Nome que não deve sobrescrever');
  await edit.getByRole('button', { name: 'Salvar' }).click();
  const message = edit.getByText(/Este contato foi alterado por .+ às \d\d:\d\d/);
  await message.waitFor();
  // The time is the viewer's (São Paulo, UTC-3), not UTC.
  const at = new Date(saved.updated_at);
  const local = at.toLocaleTimeString('pt-BR', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit' });
  assert.ok((await message.textContent()).includes(local), `${await message.textContent()} shows ${local}`);
  assert.equal(await edit.getByLabel('Nome', { exact: true }).inputValue(), 'Nome que não deve sobrescrever', 'the typed text stays');
  const stored = await agenda.api('contacts/get', { id });
  assert.equal(stored.name, `${current.name} Atualizado`, 'the other save is kept');

  // "Recarregar" brings the current version.
  await edit.getByRole('button', { name: 'Recarregar' }).click();
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForFunction((name) => {
    const dialog = document.querySelector('[role="dialog"]');
    return dialog && (dialog.textContent.includes(name) || [...dialog.querySelectorAll('input')].some((i) => i.value === name));
  }, `${current.name} Atualizado`);
  await page.context().close();
});
