// Conversations and the timeline: start a WhatsApp conversation from the
// list's "Iniciar conversa via", send a message, see it on the contact page
// ("Conversas" and "Linha do tempo"), comment, then open the conversation
// from "Atendimentos > Conversas" and find the same timeline in its chat
// details. And: Facebook is offered only after the customer wrote there;
// the open chat shows the customer's next message and a close made
// elsewhere without a reload, and the list shows a new conversation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAgenda, openHydrated } from './harness.mjs';

let agenda;
before(async () => { agenda = await startAgenda(); });
after(async () => { await agenda?.stop(); });

const ADMIN = 'Administrador Demo';

test('a WhatsApp conversation from the list, on the contact page and in the conversations module', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '50' });
  // A contact who can be reached on WhatsApp and never talked with the
  // company yet (the demo gave a third of them conversations).
  let index = -1;
  for (const [i, c] of contacts.entries()) {
    if (!c.channels.includes('whatsapp')) continue;
    const { total } = await agenda.api('conversations/of_contact', { contact_id: String(c.id) });
    if (total === 0) { index = i; break; }
  }
  assert.ok(index >= 0, 'a contact without conversations on the first page');
  const contact = contacts[index];
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts`);

  // Start it from the row's dropdown: the chat opens.
  const row = page.locator('tbody tr').nth(index);
  await row.getByRole('button', { name: /Iniciar conversa via/ }).click();
  await row.getByRole('menuitem', { name: 'WhatsApp' }).click();
  await page.waitForURL(/\/conversations\/\d+$/);
  const conversationUrl = page.url();
  await page.getByRole('heading', { name: contact.name, level: 1 }).waitFor();
  assert.equal(await page.getByTestId('conversation-status').textContent(), 'Aberta');

  // Send a message.
  const text = `Olá ${contact.name}, tudo bem? (${Date.now()})`;
  await page.getByRole('textbox', { name: 'Digite uma mensagem…' }).fill(text);
  await page.getByRole('button', { name: 'Enviar' }).click();
  await page.locator('.chat-message--out', { hasText: text }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Digite uma mensagem…' }).inputValue(), '');
  // The chat details already show the start on the timeline.
  const details = page.locator('.chat-details');
  await details.getByText(`Conversa iniciada via WhatsApp por ${ADMIN}`).waitFor();

  // The contact page: "Conversas" lists it with the message; the timeline has it.
  await openHydrated(page, `${agenda.base}/contacts/${contact.id}`);
  await page.getByRole('tab', { name: 'Conversas' }).click();
  const listed = page.locator('.conversation-row', { hasText: text });
  await listed.waitFor();
  assert.ok(await listed.getByRole('link', { name: 'Abrir conversa' }).isVisible());
  await page.getByRole('tab', { name: 'Linha do tempo' }).click();
  await page.getByText(`Conversa iniciada via WhatsApp por ${ADMIN}`).waitFor();

  // A comment on the timeline.
  const comment = `Cliente pediu retorno amanhã (${Date.now()})`;
  await page.getByRole('textbox', { name: 'Escreva um comentário…' }).fill(comment);
  await page.getByRole('button', { name: 'Comentar' }).click();
  await page.locator('.timeline__event[data-kind="comment"]', { hasText: comment }).waitFor();

  // The conversations module lists it; opening it shows the same timeline.
  await openHydrated(page, `${agenda.base}/conversations`);
  const inModule = page.locator('.conversation-row', { hasText: contact.name });
  await inModule.first().waitFor();
  await inModule.first().getByRole('link', { name: 'Abrir conversa' }).click();
  await page.waitForURL(conversationUrl);
  await page.locator('.chat-message--out', { hasText: text }).waitFor();
  const timeline = page.locator('.chat-details .timeline');
  await timeline.locator('.timeline__event[data-kind="comment"]', { hasText: comment }).waitFor();
  await timeline.getByText(`Conversa iniciada via WhatsApp por ${ADMIN}`).waitFor();
  assert.ok(await page.locator('.chat-details').getByText(contact.name).first().isVisible(), 'the contact is in the details');

  // Closing it is recorded there too, and the composer gives way.
  await page.getByRole('button', { name: 'Encerrar conversa' }).click();
  await page.getByTestId('conversation-status').filter({ hasText: 'Encerrada' }).waitFor();
  await timeline.getByText(`Conversa encerrada (WhatsApp) por ${ADMIN}`).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Digite uma mensagem…' }).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Facebook is offered only after the customer wrote through it; the open chat follows the conversation', async () => {
  const page = await agenda.newPage();
  // An admin makes the inbound token on Configurações > Canais.
  await openHydrated(page, `${agenda.base}/settings/channels`);
  await page.getByRole('button', { name: 'Gerar novo token' }).click();
  const token = (await page.getByTestId('inbound-token').textContent()).trim();
  assert.ok(token.length > 20, token);

  // A contact with a phone offers no Facebook.
  const { contacts } = await agenda.api('contacts/list', { limit: '50' });
  const contact = contacts.find((c) => c.channels.includes('whatsapp'));
  assert.ok(!contact.channels.includes('facebook'));
  const name = `Cliente do Facebook ${Date.now()}`;
  const receivedFrom = `fb.${Date.now()}`;
  const response = await fetch(`${agenda.base}/api/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'facebook', from: receivedFrom, name, text: 'Vi o anúncio, tem em azul?' }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const received = await response.json();

  // The new contact's page offers Facebook and shows how it began.
  await openHydrated(page, `${agenda.base}/contacts/${received.contact_id}`);
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.getByRole('button', { name: /Iniciar conversa via/ }).click();
  const items = await page.getByRole('menu').getByRole('menuitem').allTextContents();
  assert.deepEqual(items, ['Facebook']);
  await page.keyboard.press('Escape');
  await page.getByText('Contato criado pela primeira mensagem via Facebook').waitFor();
  await page.getByText('O cliente iniciou uma conversa via Facebook').waitFor();
  // Starting it opens the customer's conversation with their message.
  await page.getByRole('button', { name: /Iniciar conversa via/ }).click();
  await page.getByRole('menuitem', { name: 'Facebook' }).click();
  await page.waitForURL(`${agenda.base}/conversations/${received.conversation_id}`);
  await page.locator('.chat-message--in', { hasText: 'Vi o anúncio, tem em azul?' }).waitFor();

  // The open chat shows the customer's next message without a reload, and
  // the agent's reply once, though the next polls return it too.
  const next = await fetch(`${agenda.base}/api/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'facebook', from: receivedFrom, text: 'E em verde?' }),
  });
  assert.equal(next.status, 200, await next.clone().text());
  await page.locator('.chat-message--in', { hasText: 'E em verde?' }).waitFor({ timeout: 10_000 });
  await page.getByRole('textbox', { name: 'Digite uma mensagem…' }).fill('Temos nas duas cores!');
  await page.getByRole('button', { name: 'Enviar' }).click();
  const reply = page.locator('.chat-message--out', { hasText: 'Temos nas duas cores!' });
  await reply.waitFor();
  await page.waitForTimeout(7_000); // two polls
  assert.equal(await reply.count(), 1);
  assert.deepEqual(
    await page.locator('.chat-message__body').allTextContents(),
    ['Vi o anúncio, tem em azul?', 'E em verde?', 'Temos nas duas cores!'],
  );
  // Closed from elsewhere (another tab, another agent): the status follows.
  await agenda.api('conversations/close', { id: String(received.conversation_id) });
  await page.getByTestId('conversation-status').filter({ hasText: 'Encerrada' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('textbox', { name: 'Digite uma mensagem…' }).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the side panel shows the contact\'s timeline behind its icon', async () => {
  const { contacts } = await agenda.api('contacts/list', { limit: '5' });
  const contact = contacts[0];
  await agenda.api('timeline/comment', { contact_id: String(contact.id), text: 'Anotado pelo painel' });
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts?contact=${contact.id}`);
  const panel = page.locator('.contact-panel');
  await panel.getByRole('button', { name: 'Ver linha do tempo' }).click();
  await panel.locator('.timeline__event[data-kind="comment"]', { hasText: 'Anotado pelo painel' }).waitFor();
  await panel.getByRole('button', { name: 'Ver dados do contato' }).click();
  await panel.locator('.timeline').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a customer who writes shows up on the conversations list without a reload', async () => {
  const token = await agenda.api('inbound/rotate');
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/conversations`);
  const name = `Cliente de sábado ${Date.now()}`;
  const response = await fetch(`${agenda.base}/api/inbound`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'whatsapp', from: `+55 11 9${String(Date.now()).slice(-8)}`, name, text: 'Vocês abrem no sábado?' }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const row = page.locator('.conversation-row').first();
  await row.filter({ hasText: name }).waitFor({ timeout: 20_000 });
  assert.ok((await row.textContent()).includes('Vocês abrem no sábado?'), 'the preview is the message');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the regular demo customer\'s "Conversas" tab shows 50, then the rest with "Carregar mais"', async () => {
  const { contacts } = await agenda.api('contacts/list', { q: 'Helena Vasconcelos' });
  const id = contacts[0].id;
  const page = await agenda.newPage();
  await openHydrated(page, `${agenda.base}/contacts/${id}`);
  await page.getByRole('tab', { name: 'Conversas' }).click();
  const panel = page.getByRole('tabpanel');
  const rows = panel.locator('.conversation-row');
  await panel.getByText('50 de 62 conversas').waitFor();
  assert.equal(await rows.count(), 50);
  const newest = await rows.first().getAttribute('data-conversation');
  await panel.getByRole('button', { name: 'Carregar mais' }).click();
  await panel.getByText('62 de 62 conversas').waitFor();
  assert.equal(await rows.count(), 62);
  assert.equal(await rows.first().getAttribute('data-conversation'), newest, 'the first rows stayed');
  assert.equal(await panel.getByRole('button', { name: 'Carregar mais' }).count(), 0, 'nothing more');
  const ids = await rows.evaluateAll((els) => els.map((el) => Number(el.dataset.conversation)));
  assert.equal(new Set(ids).size, 62, 'each conversation once');
  assert.ok(ids.every((v, i) => i === 0 || ids[i - 1] > v), 'newest first');

  // The oldest conversation opens, with its messages.
  const oldest = rows.last();
  const conversation = await oldest.getAttribute('data-conversation');
  await oldest.getByRole('link').click();
  await page.waitForURL(`${agenda.base}/conversations/${conversation}`);
  await page.getByText('Vocês entregam no sábado?', { exact: false }).first().waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
