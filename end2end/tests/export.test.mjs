// "⋮" > "Exportar CSV": the download holds exactly the list as searched, in
// the Brazilian Excel flavor (BOM, `;`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAgenda, openHydrated, fold } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

test('export the searched list from the "⋮" menu', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts?q=silva`);
  await page.waitForSelector('tbody tr');
  await page.getByRole('button', { name: 'Mais opções' }).click();
  const item = page.getByRole('menuitem', { name: 'Exportar CSV (Excel)' });
  assert.match(await item.getAttribute('href'), /^\/contacts\/export\.csv\?q=silva&format=excel$/);
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  assert.match(download.suggestedFilename(), /^contatos-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFFID;Nome;Telefones'), text.slice(0, 60));
  const lines = text.trim().split('\r\n').slice(1);
  assert.ok(lines.length > 0, 'some Silvas in the demo data');
  for (const line of lines) assert.match(fold(line), /silva/, line);
  // Escape closes the menu.
  await page.getByRole('button', { name: 'Mais opções' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('menu').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
