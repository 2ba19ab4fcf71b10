// Accounts in the browser: sign up, log in (with the demo login shown),
// log out, invitations, and an agent who cannot open admin pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated, DEMO } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

test('a new company signs up and lands on its own, empty contact list', async () => {
  const page = await agenda.newPage({ as: null });
  await openHydrated(page, `${agenda.base}/signup`);
  await page.getByLabel('Nome da empresa').fill('Floricultura Ipê');
  await page.getByLabel('Seu nome').fill('Iara Campos');
  await page.getByLabel('E-mail').fill('iara@ipe.example');
  await page.getByLabel('Senha').fill('curta');
  await page.getByRole('button', { name: 'Criar conta' }).click();
  await page.getByText('A senha precisa de pelo menos 8 caracteres.').waitFor();
  await page.getByLabel('Senha').fill('flores-do-ipe-2026');
  await page.getByRole('button', { name: 'Criar conta' }).click();
  await page.waitForURL(`${agenda.base}/contacts`);
  await page.getByRole('heading', { name: 'Contatos', level: 1 }).waitFor();
  assert.ok(await page.getByText('Floricultura Ipê').isVisible(), 'company in the top bar');
  assert.equal(await page.locator('tbody tr').count(), 0, 'no demo contacts in a new company');
  await page.context().close();
});

test('an anonymous visitor is sent to login, sees the demo login, and comes back', async () => {
  const page = await agenda.newPage({ as: null });
  await page.goto(`${agenda.base}/contacts?q=ana`);
  await page.waitForURL(/\/login\?next=/);
  await page.waitForSelector('html[data-hydrated="true"]');
  assert.equal(await page.locator('.demo-login__email').textContent(), DEMO.email);
  assert.equal(await page.locator('.demo-login__password').textContent(), DEMO.password);
  await page.getByLabel('E-mail').fill(DEMO.email);
  await page.getByLabel('Senha').fill('not the password');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByText('E-mail ou senha incorretos.').waitFor();
  await page.getByLabel('Senha').fill(DEMO.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(`${agenda.base}/contacts?q=ana`);
  await page.getByRole('heading', { name: 'Contatos', level: 1 }).waitFor();
  assert.equal(await page.getByRole('searchbox').inputValue(), 'ana');
  await page.context().close();
});

test('a login past its limit says how long to wait, in Portuguese and in English', async () => {
  const email = 'ninguem@limite.example';
  // Five wrong passwords from this machine's address (the browser's too).
  for (let n = 0; n < 5; n += 1) {
    const response = await fetch(`${agenda.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password: `tentativa ${n}` }),
    });
    assert.equal(response.status, 422);
  }
  const page = await agenda.newPage({ as: null });
  await openHydrated(page, `${agenda.base}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill('mais uma tentativa');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByText('Muitas tentativas de login com este e-mail. Tente novamente em 15 min.').waitFor();
  await page.context().addCookies([{ name: 'agenda_locale', value: 'en', url: agenda.base }]);
  await openHydrated(page, `${agenda.base}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('one more try');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Too many sign-in attempts with this e-mail. Try again in 15 min.').waitFor();
  await page.context().close();
});

test('a "next" that the browser would read as another site is not followed', async () => {
  const page = await agenda.newPage({ as: null });
  // %09 is a tab: the browser drops it, and "/\t/example.org" becomes
  // "//example.org", another site.
  await openHydrated(page, `${agenda.base}/login?next=/%09/example.org`);
  await page.getByLabel('E-mail').fill(DEMO.email);
  await page.getByLabel('Senha').fill(DEMO.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(`${agenda.base}/contacts`);
  await page.context().close();
});

test('"Sair" ends the session', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('button', { name: 'Sair' }).click();
  await page.waitForURL(`${agenda.base}/login`);
  await page.goto(`${agenda.base}/contacts`);
  await page.waitForURL(/\/login\?next=%2Fcontacts/);
  await page.context().close();
});

test('an admin invites an agent, who joins and cannot open admin pages', async () => {
  const admin = await agenda.newPage();
  await openHydrated(admin, `${agenda.base}/settings/agents`);
  await admin.getByRole('heading', { name: 'Agentes', level: 1 }).waitFor();
  assert.ok(await admin.getByRole('cell', { name: DEMO.email }).isVisible());
  await admin.getByRole('button', { name: 'Convidar agente' }).click();
  const link = await admin.getByRole('textbox', { name: 'Link' }).inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/invite\/[0-9a-f]{64}$/);
  await admin.context().close();

  const agent = await agenda.newPage({ as: null });
  await openHydrated(agent, link);
  await agent.getByText('Demonstração Agenda Ltda').waitFor();
  await agent.getByLabel('Seu nome').fill('Caio Agente');
  await agent.getByLabel('E-mail').fill('caio@demo.example');
  await agent.getByLabel('Senha').fill('caio-atende-bem');
  await agent.getByRole('button', { name: 'Aceitar convite' }).click();
  await agent.waitForURL(`${agenda.base}/contacts`);
  await agent.waitForSelector('html[data-hydrated="true"]');
  assert.equal(await agent.locator('tbody tr').count(), 50, 'the agent works with the company contacts');
  assert.equal(await agent.getByRole('link', { name: 'Agentes' }).count(), 0, 'no admin link for agents');
  // Export and import are admin actions until an admin allows agents.
  await agent.getByRole('button', { name: 'Mais opções' }).click();
  await agent.getByText('Importar e exportar contatos são ações de administradores.', { exact: false }).waitFor();
  assert.equal(await agent.getByRole('menuitem').count(), 0, 'no import or export for the agent');
  await agent.goto(`${agenda.base}/contacts/import`);
  await agent.getByText('Somente administradores podem importar contatos.', { exact: false }).waitFor();
  assert.equal(await agent.locator('input[type="file"]').count(), 0);
  await agent.goto(`${agenda.base}/settings/agents`);
  await agent.getByText('Acesso restrito a administradores.').waitFor();
  assert.equal(await agent.locator('.member-table').count(), 0);

  const again = await agenda.newPage();
  await openHydrated(again, `${agenda.base}/settings/agents`);
  await again.getByRole('heading', { name: 'Permissões dos agentes' }).waitFor();
  const exportBox = again.getByRole('checkbox', { name: 'Agentes podem exportar contatos (CSV)' });
  assert.equal(await exportBox.isChecked(), false, 'off by default');
  await exportBox.check();
  await again.getByText('Permissões salvas.').waitFor();
  await openHydrated(again, `${agenda.base}/settings/agents`);
  assert.equal(await again.getByRole('checkbox', { name: 'Agentes podem exportar contatos (CSV)' }).isChecked(), true, 'saved');
  await again.context().close();

  await openHydrated(agent, `${agenda.base}/contacts`);
  await agent.getByRole('button', { name: 'Mais opções' }).click();
  await agent.getByRole('menuitem', { name: 'Exportar CSV (Excel)' }).waitFor();
  assert.equal(await agent.getByRole('menuitem', { name: 'Importar CSV' }).count(), 0, 'import is still not allowed');
  await agent.context().close();
});

test('an admin revokes a pending invitation and its link stops working', async () => {
  const admin = await agenda.newPage();
  await openHydrated(admin, `${agenda.base}/settings/agents`);
  await admin.getByRole('heading', { name: 'Convites pendentes' }).waitFor();
  const rows = admin.locator('.pending-table tbody tr');
  const before = await rows.count();
  await admin.getByLabel('Papel').selectOption('admin');
  await admin.getByRole('button', { name: 'Convidar agente' }).click();
  const link = await admin.getByRole('textbox', { name: 'Link' }).inputValue();
  await admin.waitForFunction((n) => document.querySelectorAll('.pending-table tbody tr').length === n, before + 1);
  const row = rows.filter({ hasText: 'Administrador' }).first();
  await row.getByRole('button', { name: 'Revogar' }).click();
  await admin.waitForFunction((n) => document.querySelectorAll('.pending-table tbody tr').length === n, before);
  await admin.context().close();

  const visitor = await agenda.newPage({ as: null });
  await openHydrated(visitor, link);
  await visitor.getByText('Este convite não é válido', { exact: false }).waitFor();
  assert.equal(await visitor.getByRole('button', { name: 'Aceitar convite' }).count(), 0);
  await visitor.context().close();
});
