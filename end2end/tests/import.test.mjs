// "⋮" > "Importar CSV": upload a Brazilian-Excel file (Windows-1252, `;`),
// check and change the column mapping, import, watch the progress, read the
// summary (also after a reload), download the error report, and find the
// imported contact with "created by import" on its timeline. A large file
// shows its live progress and can be cancelled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

const FILE = [
  'Nome;Celular;E-mail;Apelido;Cidade',
  'Joana Importada da Silva;(11) 91234-0001;joana@importada.com.br;Jo;São Paulo',
  'Otávio Importado;11 91234-0002;;Tavinho;Campinas',
  'Telefone Errado;123;;;Santos',
  'Úrsula Importada;+55 21 91234-0003;ursula@importada.com.br;;Niterói',
].join('\r\n') + '\r\n';

test('import a CSV: upload, mapping, progress, summary, error report', async () => {
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);
  await page.getByRole('button', { name: 'Mais opções' }).click();
  await page.getByRole('menuitem', { name: 'Importar CSV' }).click();
  await page.waitForURL(/\/contacts\/import$/);
  await page.getByRole('heading', { name: 'Importar contatos' }).waitFor();
  await page.waitForSelector('html[data-hydrated="true"]');

  await page.getByLabel('Arquivo CSV').setInputFiles({
    name: 'clientes-excel.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(FILE, 'latin1'),
  });
  await page.getByRole('button', { name: 'Enviar arquivo' }).click();
  await page.waitForURL(/\/contacts\/import\/\d+$/);
  await page.getByRole('heading', { name: 'Associe as colunas' }).waitFor();
  const facts = await page.locator('.import-page__file').innerText();
  assert.match(facts, /clientes-excel\.csv/);
  assert.match(facts, /Windows-1252/);
  assert.match(facts, /Linhas: 4/);

  // The guesses, decoded from Windows-1252; a change by the user.
  assert.equal(await page.getByLabel('Nome', { exact: true }).inputValue(), 'name');
  assert.equal(await page.getByLabel('Celular').inputValue(), 'phone');
  assert.equal(await page.getByLabel('E-mail').inputValue(), 'email');
  assert.equal(await page.getByLabel('Cidade').inputValue(), 'ignore');
  assert.match(await page.locator('.mapping').innerText(), /São Paulo/);
  await page.getByLabel('Cidade').selectOption('address');
  await page.getByLabel('Apelido').selectOption('notes');
  await page.getByLabel('Ignorar a linha (manter o contato como está)').check();
  await page.getByRole('button', { name: 'Importar', exact: true }).click();

  // The summary (the import is small: it may finish before any progress shows).
  await page.getByTestId('created').waitFor({ timeout: 30_000 });
  const figures = async () => ({
    created: await page.getByTestId('created').locator('dd').innerText(),
    failed: await page.getByTestId('failed').locator('dd').innerText(),
  });
  assert.deepEqual(await figures(), { created: '3', failed: '1' });
  assert.match(await page.locator('.import-progress__status').innerText(), /Concluída/);

  // A reload lands on the same summary.
  await page.reload();
  await page.getByTestId('created').waitFor();
  assert.deepEqual(await figures(), { created: '3', failed: '1' });
  await page.waitForSelector('html[data-hydrated="true"]');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Baixar relatório de erros (CSV)' }).click(),
  ]);
  const report = readFileSync(await download.path(), 'utf8');
  const lines = report.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Linha;Motivo;Nome;Celular;E-mail;Apelido;Cidade');
  assert.equal(lines.length, 2, report);
  assert.match(lines[1], /^4;"Celular: ""123"" não parece um telefone/);
  assert.match(lines[1], /;Telefone Errado;123;;;Santos$/);

  // The contact, with its mapped columns and its origin on the timeline.
  await openHydrated(page, `${agenda.base}/contacts?q=joana importada`);
  await page.getByRole('cell', { name: 'Joana Importada da Silva', exact: true }).click();
  await page.getByRole('link', { name: 'Ver contato' }).click();
  await page.getByRole('heading', { name: 'Joana Importada da Silva' }).waitFor();
  // The timeline loads behind the page.
  await page.getByText(/Contato criado pela importação de/).waitFor();
  const body = await page.locator('main').innerText();
  assert.match(body, /São Paulo/);
  assert.match(body, /Contato criado pela importação de “clientes-excel\.csv” por/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a large import shows its progress live and can be cancelled', async () => {
  const rows = ['Nome;Telefone'];
  for (let i = 0; i < 400_000; i++) rows.push(`Pessoa Em Lote ${i};11 9${String(20_000_000 + i)}`);
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts/import`);
  await page.getByLabel('Arquivo CSV').setInputFiles({
    name: 'lote.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(rows.join('\n') + '\n', 'utf8'),
  });
  await page.getByRole('button', { name: 'Enviar arquivo' }).click();
  await page.getByRole('heading', { name: 'Associe as colunas' }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Importar', exact: true }).click();

  // Live figures: rows done of the total, then they grow.
  await page.locator('.import-progress__bar').waitFor();
  assert.match(await page.locator('.import-progress__rows').innerText(), /linhas de 400\.000/);
  const done = async () => Number((await page.getByTestId('rows-done').innerText()).replace(/\./g, ''));
  const first = await done();
  await page.waitForFunction(
    (before) => Number(document.querySelector('[data-testid="rows-done"]')?.innerText.replace(/\./g, '')) > before,
    first,
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: 'Cancelar importação' }).click();
  await page.getByTestId('created').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('.import-progress__status').innerText(), /Cancelada/);
  const created = Number((await page.getByTestId('created').locator('dd').innerText()).replace(/\./g, ''));
  assert.ok(created > 0 && created < 400_000, `created ${created}`);
  // IMPORT_BATCH (app/src/import_export/import.rs) rows per transaction.
  assert.equal(created % 2500, 0, 'whole batches only');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
