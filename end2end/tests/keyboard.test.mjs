// The list by keyboard alone: "/" focuses "Buscar contato", Tab reaches the
// rows, Enter opens the panel, Esc closes it and gives the focus back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { id: el?.id ?? '', tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', dialog: !!el?.closest('[role="dialog"]') };
});

test('"/" focuses the search, Enter opens a contact, Esc closes it', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '1' });
  const first = contacts[0].name;
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);

  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('/');
  assert.equal((await focused(page)).id, 'contact-search', '"/" puts the cursor in "Buscar contato"');
  // In a text field "/" is just a character.
  await page.keyboard.type('a/b');
  assert.equal(await page.locator('#contact-search').inputValue(), 'a/b');
  await page.locator('#contact-search').fill('');
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('q'));
  await page.locator('tbody tr').first().waitFor();

  // Tab from the search box to the first row's name.
  let reached = false;
  for (let i = 0; i < 15 && !reached; i += 1) {
    await page.keyboard.press('Tab');
    reached = (await focused(page)).text === first;
  }
  assert.ok(reached, `Tab reaches ${first}`);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: first });
  await dialog.waitFor();
  await page.waitForFunction(() => !!document.activeElement?.closest('[role="dialog"]'));
  assert.ok((await focused(page)).dialog, 'the focus moves into the panel');

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await focused(page)).text, first, 'Esc gives the focus back to the row');
  assert.ok(!new URL(page.url()).searchParams.get('contact'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
