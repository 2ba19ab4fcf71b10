// The contact list ("Contatos > Contatos"): server rendering, hydration,
// search as you type, paging, the channels menu, the language switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startAgenda, openHydrated, fold } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

const rows = (page) => page.locator('tbody tr');

test('the list shows the demo contacts with the product columns', async () => {
  const page = await agenda.newPage();
  await page.goto(`${agenda.base}/contacts`);
  await assert.doesNotReject(page.getByRole('heading', { name: 'Contatos', level: 1 }).waitFor());
  const headers = await page.locator('thead th').allTextContents();
  assert.deepEqual(headers, ['Nome', 'Iniciar conversa via', 'ID do contato', 'Contato']);
  assert.equal(await rows(page).count(), 50);
  assert.ok(await page.getByRole('link', { name: 'Conversas' }).isVisible());
  await page.context().close();
});

test('typing in "Buscar contato" filters the list without reloading the page', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '200' });
  const target = contacts.find((c) => /[^\x00-\x7f]/.test(c.name)) ?? contacts[0];
  const firstWord = target.name.split(' ')[0];
  const query = fold(firstWord).toUpperCase(); // no accents, other case

  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('searchbox', { name: /Buscar contato/ }).fill(query);
  await page.waitForURL((url) => url.searchParams.get('q') === query);
  await page.waitForFunction(
    (word) => {
      const names = [...document.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent);
      const fold = (t) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      return names.length > 0 && names.every((n) => fold(n).includes(word));
    },
    fold(firstWord),
  );
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full reload');
  assert.ok(await page.getByText(target.name).first().isVisible());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a phone typed as shown finds its contact, and the URL can be shared', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '200' });
  const target = contacts.find((c) => c.phone);
  const url = `${agenda.base}/contacts?q=${encodeURIComponent(target.phone)}`;
  // The server-rendered page alone (no WASM) already carries the search.
  const page = await agenda.newPage();
  await page.route('**/pkg/*.wasm', (route) => route.abort());
  await page.goto(url);
  assert.equal(await page.getByRole('searchbox').inputValue(), target.phone, 'before hydration');
  await page.context().close();
  // And once hydrated, the result and the box stay as shared.
  const hydrated = await agenda.newPage();
  await openHydrated(hydrated, url);
  const ids = await hydrated.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.contactId));
  assert.ok(ids.includes(String(target.id)), `${target.phone} finds contact ${target.id}`);
  assert.equal(await hydrated.getByRole('searchbox').inputValue(), target.phone, 'after hydration');
  await hydrated.context().close();
});

test('"Carregar mais" appends the next page', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  const firstIds = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.contactId));
  await page.getByRole('button', { name: 'Carregar mais' }).click();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 100);
  const allIds = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.dataset.contactId));
  assert.deepEqual(allIds.slice(0, 50), firstIds);
  assert.equal(new Set(allIds).size, 100, 'no duplicates across pages');
  await page.context().close();
});

test('"Iniciar conversa via" lists the channels the contact allows', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '50' });
  const withPhone = contacts.findIndex((c) => c.channels.includes('whatsapp'));
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  const row = rows(page).nth(withPhone);
  await row.getByRole('button', { name: /Iniciar conversa via/ }).click();
  const menu = row.getByRole('menu');
  await menu.waitFor();
  const items = await menu.getByRole('menuitem').allTextContents();
  assert.deepEqual(items.slice(0, 3), ['WhatsApp', 'SMS', 'Ligação']);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  // A click anywhere else closes it too.
  await row.getByRole('button', { name: /Iniciar conversa via/ }).click();
  await menu.waitFor();
  await page.getByRole('heading', { name: 'Contatos', level: 1 }).click();
  await menu.waitFor({ state: 'detached' });
  await page.context().close();
});

test('the language switch turns the UI to English and is remembered', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
  assert.ok(await page.getByRole('columnheader', { name: 'Start conversation via' }).isVisible());
  await page.reload();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.context().close();
});

test('the sidebar navigates to "Atendimentos > Conversas" and back', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.getByRole('link', { name: 'Conversas' }).click();
  await page.getByRole('heading', { name: 'Conversas', level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/conversations');
  await page.goBack();
  await page.getByRole('heading', { name: 'Contatos', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'client-side navigation');
  await page.context().close();
});

test('the app is installable: manifest and icons', async () => {
  const page = await agenda.newPage();
  await page.goto(`${agenda.base}/contacts`);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await fetch(new URL(href, agenda.base))).json();
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
  await page.context().close();
});

test('README screenshot of the running app', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  const dir = resolve(import.meta.dirname, '..', '..', 'docs');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, 'screenshot.png') });
  await page.context().close();
});
