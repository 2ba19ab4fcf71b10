// Custom fields in the browser: an admin creates a CPF field on
// "Campos personalizados"; an agent enters an invalid CPF in the contact form
// (the message shows under the field), fixes it, saves, sees it on the
// contact page, and filters the list by it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

const panel = (page) => page.getByRole('dialog');

test('create a CPF field, fill it in a contact, see it on its page, filter the list by it', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/settings/fields`);
  await page.getByRole('heading', { name: 'Campos personalizados', level: 1 }).waitFor();
  await page.getByLabel('Nome do campo').fill('CPF do titular');
  await page.getByLabel('Tipo').selectOption({ label: 'CPF' });
  await page.getByLabel('Texto de ajuda').fill('Só números ou com pontuação');
  await page.getByRole('button', { name: 'Criar campo' }).click();
  const row = page.locator('li.custom-field[data-field-key="cpf_do_titular"]');
  await row.waitFor();
  assert.match(await row.textContent(), /CPF do titular/);

  // A second field: the arrows reorder them.
  await page.getByLabel('Nome do campo').fill('Plano');
  await page.getByLabel('Tipo').selectOption({ label: 'Seleção única' });
  await page.getByLabel('Opções (uma por linha)').fill('Ouro\nPrata');
  await page.getByRole('button', { name: 'Criar campo' }).click();
  await page.locator('li.custom-field[data-field-key="plano"]').waitFor();
  await page.locator('li.custom-field[data-field-key="plano"]').getByRole('button', { name: 'Mover para cima' }).click();
  await page.waitForFunction(() =>
    document.querySelector('li.custom-field')?.getAttribute('data-field-key') === 'plano');

  // The contact form: custom fields sit under "Mostrar mais" (not required).
  await openHydrated(page, `${agenda.base}/contacts?new=1`);
  const form = panel(page);
  await form.getByLabel('Nome', { exact: true }).fill('Moacir Tupã');
  await form.getByRole('button', { name: 'Mostrar mais' }).click();
  const cpf = form.getByLabel('CPF do titular');
  await cpf.fill('123.456.789-00');
  await form.getByRole('button', { name: 'Adicionar', exact: true }).click();
  await page.waitForFunction(() =>
    document.querySelector('#contact-custom-cpf_do_titular-error')?.textContent.includes('CPF inválido'));
  assert.equal(new URL(page.url()).searchParams.get('new'), '1', 'still on the form');

  await cpf.fill('529.982.247-25');
  await form.getByLabel('Plano').selectOption({ label: 'Prata' });
  await form.getByRole('button', { name: 'Adicionar', exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('contact') !== null);
  const id = new URL(page.url()).searchParams.get('contact');
  await panel(page).getByText('529.982.247-25').waitFor();
  assert.ok(await panel(page).getByText('Prata').isVisible(), 'the select value shows in the panel');

  // The contact page shows it with its label.
  await openHydrated(page, `${agenda.base}/contacts/${id}`);
  const value = page.locator('.contact-info__row[data-field="cpf_do_titular"]');
  await value.waitFor();
  assert.equal((await value.locator('dt').textContent()).trim(), 'CPF do titular');
  assert.equal((await value.locator('dd').textContent()).trim(), '529.982.247-25');

  // Filter the list by the field; the URL carries the filter.
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByLabel('Campo personalizado').selectOption({ label: 'CPF do titular' });
  await page.getByLabel('Valor', { exact: true }).fill('52998224725');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await page.waitForURL((url) => url.searchParams.get('field') !== null);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  assert.match(await page.locator('tbody tr').first().textContent(), /Moacir Tupã/);
  // "Limpar filtro" drops it; back brings the filter and its inputs again.
  await page.getByRole('button', { name: 'Limpar filtro' }).click();
  await page.waitForURL((url) => url.searchParams.get('field') === null);
  assert.equal(await page.getByLabel('Campo personalizado').inputValue(), '');
  await page.goBack();
  await page.waitForURL((url) => url.searchParams.get('field') !== null);
  await page.waitForFunction(() => document.querySelector('#filter-field-value')?.value === '52998224725');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  // The search box finds it by the CPF too.
  await openHydrated(page, `${agenda.base}/contacts?q=529.982.247-25`);
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  assert.match(await page.locator('tbody tr').first().textContent(), /Moacir Tupã/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('agents cannot open the custom fields settings', async () => {
  const email = `agente.${Date.now()}@agenda.example`;
  const invite = await agenda.api('agents/invite', { role: 'agent' });
  const token = invite.path.split('/').pop();
  const password = 'senha-do-agente-123';
  const accepted = await fetch(`${agenda.base}/api/invites/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, name: 'Agente', email, password }),
  });
  assert.equal(accepted.status, 200, await accepted.text());
  const page = await agenda.newPage({ as: { email, password } });
  await openHydrated(page, `${agenda.base}/settings/fields`);
  await page.getByText('Acesso restrito a administradores.').waitFor();
  assert.equal(await page.getByLabel('Nome do campo').count(), 0);
  await page.context().close();
});
