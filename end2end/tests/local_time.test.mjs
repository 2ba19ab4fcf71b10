// Times in the viewer's zone, the company's zone setting, and icons drawn
// as inline SVG (never emoji or font glyphs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

/** "25/11/2026 09:30": how the app writes an instant in `zone`. */
function shown(rfc3339, zone) {
  const parts = new Intl.DateTimeFormat('pt-BR', {
    timeZone: zone, day: '2-digit', month: '2-digit', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(rfc3339));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

/** Every `<time>` of the page: [datetime, text]. */
const times = (page) => page.locator('time[datetime]').evaluateAll(
  (nodes) => nodes.map((n) => [n.getAttribute('datetime'), n.textContent.trim()]),
);

test('the timeline shows times in the browser\'s zone, and the server learns it', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '1' });
  const url = `${agenda.base}/contacts/${contacts[0].id}`;
  const page = await agenda.newPage({ timezoneId: 'America/Manaus' });

  // First visit: the server knows only the company's zone (Brasília); the
  // browser rewrites the times in its own once it takes the page over.
  await openHydrated(page, url);
  await page.locator('time[datetime]').first().waitFor();
  await page.waitForFunction(() => document.cookie.includes('agenda_tz=America/Manaus'));
  let found = await times(page);
  assert.ok(found.length > 0);
  for (const [at, text] of found) assert.equal(text, shown(at, 'America/Manaus'), at);
  assert.ok(!(await page.locator('main').textContent()).includes('UTC'), 'no UTC clock on the page');

  // Next page: the server renders it in the zone the browser reported.
  const html = await (await page.request.get(url)).text();
  const first = html.match(/<time datetime="([^"]+)"[^>]*>([^<]+)<\/time>/);
  assert.ok(first, 'the server rendered a time');
  assert.equal(first[2], shown(first[1], 'America/Manaus'));
  await page.context().close();
});

test('an admin sets the company\'s zone under Configurações > Empresa', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('link', { name: 'Empresa' }).click();
  await page.getByRole('heading', { name: 'Empresa', level: 1 }).waitFor();
  const field = page.getByLabel('Fuso horário da empresa', { exact: true });
  assert.equal(await field.inputValue(), 'America/Sao_Paulo');

  await field.fill('Marte/Olimpo');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await page.getByRole('alert').filter({ hasText: 'Fuso horário desconhecido' }).waitFor();

  await field.fill('America/Manaus');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await page.getByRole('status').filter({ hasText: 'Fuso horário salvo: America/Manaus.' }).waitFor();
  const me = await agenda.api('auth/me');
  assert.equal(me.time_zone, 'America/Manaus');

  // The export's header names it.
  const response = await page.request.get(`${agenda.base}/contacts/export.csv`);
  const header = (await response.text()).split('\r\n')[0];
  assert.ok(header.includes('Criado em (America/Manaus)'), header);
  await agenda.api('company/time_zone', { time_zone: 'America/Sao_Paulo' });
  await page.context().close();
});

test('icons are inline SVG, never emoji or font glyphs', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '1' });
  const id = contacts[0].id;
  const page = await agenda.newPage();
  // Symbols and pictographs that only some systems' fonts draw.
  const glyphs = /[\u00d7\u2190-\u22ff\u2300-\u23ff\u25a0-\u27bf\u2900-\u2bff\u{1f000}-\u{1faff}]/u;
  const check = async (where) => {
    const offenders = await page.locator('button, a, [aria-hidden="true"], .icon-button').evaluateAll(
      (nodes, source) => {
        const re = new RegExp(source, 'u');
        return nodes
          .filter((n) => [...n.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && re.test(c.textContent)))
          .map((n) => n.outerHTML.slice(0, 120));
      },
      glyphs.source,
    );
    assert.deepEqual(offenders, [], where);
  };

  await openHydrated(page, `${agenda.base}/contacts`);
  await check('list');
  assert.ok(await page.locator('.search-box svg.icon').count() === 1, 'the search icon is an SVG');
  await openHydrated(page, `${agenda.base}/contacts?contact=${id}`);
  await page.getByRole('dialog').waitFor();
  await check('panel');
  assert.ok(await page.getByRole('dialog').locator('button svg.icon').count() >= 2, 'close and history are SVG');
  for (const path of [`/contacts/${id}`, '/settings/fields', '/conversations', '/settings/company']) {
    await openHydrated(page, `${agenda.base}${path}`);
    await check(path);
  }
  await page.context().close();
});
