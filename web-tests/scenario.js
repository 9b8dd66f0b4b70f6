// The flow both suites run: alice and bob, each in their own browser context, on the bases given
// (bob's through a proxy that can cut his sockets).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { person, ROOT, SCREENSHOTS, signIn, until } from './harness.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = path.join(ROOT, 'docs/img');
if (SCREENSHOTS) mkdirSync(SHOTS, { recursive: true });

const friendRow = (who, userId) => who.page.locator(`.friend[data-user="${userId}"]`);
const conversationButton = (who, name) => who.page.locator('.conversation', { hasText: name });

/** axe-core over the page as it is now: no serious or critical violation. */
async function accessible(who, where) {
  // Evaluated by the test, not added as a script tag, which the page's CSP rightly refuses.
  await who.page.evaluate(AXE_SOURCE);
  const result = await who.page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [],
    `accessibility on ${who.name}'s ${where}`);
}

export async function run(t, browser, { aliceBase, bobBase, cutBob, restoreBob }) {
  const alice = await person(browser, 'alice');
  const bob = await person(browser, 'bob');
  // While bob is cut off, the browser notes each failed connection in the console: those, and
  // only those, are allowed, and only in that window.
  const cutNoise = /^WebSocket connection to .* failed|net::ERR_(CONNECTION_CLOSED|CONNECTION_RESET|CONNECTION_REFUSED|EMPTY_RESPONSE)/;

  await t.test('the sign-in page is accessible', async () => {
    await bob.page.goto(bobBase);
    await bob.page.getByRole('button', { name: 'Sign in as bob' }).waitFor();
    await accessible(bob, 'sign-in page');
  });

  await signIn(alice, aliceBase);
  await signIn(bob, bobBase);

  await t.test('a hostile title and a javascript: URL render as text, never as markup or a link', async () => {
    // The server shares a page that is not http(s) as no page, so the javascript: URL is checked
    // where it is shown as typed (alice's own box) and must reach no one as a link.
    await alice.page.getByLabel('URL', { exact: true }).fill('javascript:alert(1)');
    await alice.page.getByLabel('Title', { exact: true }).fill('a javascript: link');
    await alice.page.getByRole('button', { name: 'Share page' }).click();
    await alice.page.locator('#my-page-now').getByText('a javascript: link', { exact: true }).waitFor();
    assert.equal(await alice.page.locator('#my-page-now a').count(), 0, 'a javascript: URL is not linked');
    await alice.page.getByLabel('URL', { exact: true }).fill('https://example.com/x');
    await alice.page.getByLabel('Title', { exact: true }).fill('<img src=x onerror=alert(1)>');
    await alice.page.getByRole('button', { name: 'Share page' }).click();
    const row = friendRow(bob, 'alice');
    await row.getByText('<img src=x onerror=alert(1)>', { exact: true }).waitFor();
    assert.equal(await row.locator('img').count(), 0, 'the title made no element');
    assert.equal(await row.locator('.domain').textContent(), 'example.com');
    assert.equal(await bob.page.locator('a[href^="javascript"]').count(), 0);
    assert.equal(await alice.page.locator('#my-page-now img').count(), 0);
  });

  await t.test('alice sets her page: bob sees its title, linked, and its registrable domain', async () => {
    await alice.page.getByLabel('URL', { exact: true }).fill('https://news.bbc.co.uk/sport/football');
    await alice.page.getByLabel('Title', { exact: true }).fill('Football - BBC Sport');
    await alice.page.keyboard.press('Enter');
    const link = friendRow(bob, 'alice').getByRole('link', { name: 'Football - BBC Sport' });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), 'https://news.bbc.co.uk/sport/football');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    await friendRow(bob, 'alice').locator('.domain', { hasText: 'bbc.co.uk' }).waitFor();
    assert.equal(await friendRow(bob, 'alice').getAttribute('data-online'), 'true');
    await bob.page.getByLabel('URL', { exact: true }).fill('https://en.wikipedia.org/wiki/Presence_information');
    await bob.page.getByLabel('Title', { exact: true }).fill('Presence information - Wikipedia');
    await bob.page.getByRole('button', { name: 'Share page' }).click();
    await friendRow(alice, 'bob').getByRole('link', { name: 'Presence information - Wikipedia' }).waitFor();
    // carol is on a page too, on a phone-sized window: two friends' pages in bob's list.
    const carol = await person(browser, 'carol', { width: 390, height: 760 });
    await signIn(carol, aliceBase);
    await carol.page.getByLabel('URL', { exact: true }).fill('https://alice.github.io/recipes/pancakes');
    await carol.page.getByLabel('Title', { exact: true }).fill('Fluffy pancakes');
    await carol.page.getByRole('button', { name: 'Share page' }).click();
    await friendRow(bob, 'carol').locator('.domain', { hasText: 'alice.github.io' }).waitFor();
    assert.deepEqual(carol.problems, { errors: [], dialogs: [] });
    if (SCREENSHOTS) await bob.page.screenshot({ path: path.join(SHOTS, 'friends.png') });
  });

  await t.test('alice sends, bob sees it live with an unread count, opens it, alice sees "seen"', async () => {
    await friendRow(alice, 'bob').getByRole('button', { name: /^Message/ }).click();
    await alice.page.getByLabel('Message', { exact: true }).fill('Hi Bob, are you reading the match report?');
    await alice.page.keyboard.press('Enter');
    await alice.page.locator('.message.mine[data-message-id]', { hasText: 'match report' }).waitFor();
    await alice.page.getByLabel('Message', { exact: true }).fill('<script>alert(1)</script>');
    await alice.page.getByRole('button', { name: 'Send' }).click();
    const unread = conversationButton(bob, 'alice').locator('.unread');
    await until('bob\'s unread count of 2', async () => (await unread.textContent()) === '2');
    await conversationButton(bob, 'alice').click();
    await bob.page.locator('.message.theirs', { hasText: 'match report' }).waitFor();
    await bob.page.locator('.message.theirs .content', { hasText: '<script>alert(1)</script>' }).waitFor();
    await until('bob\'s unread count gone', async () => (await conversationButton(bob, 'alice').locator('.unread').count()) === 0);
    await alice.page.locator('#receipt:not([hidden])', { hasText: 'Seen' }).waitFor();
    await bob.page.getByLabel('Message', { exact: true }).fill('Yes! What a finish.');
    await bob.page.keyboard.press('Enter');
    await alice.page.locator('.message.theirs', { hasText: 'What a finish' }).waitFor();
    await alice.page.locator('#receipt').waitFor({ state: 'hidden' });
    await alice.page.getByLabel('Message', { exact: true }).fill('See you at the game tonight');
    await alice.page.keyboard.press('Enter');
    await alice.page.locator('#receipt:not([hidden])', { hasText: 'Seen' }).waitFor();
    if (SCREENSHOTS) await alice.page.screenshot({ path: path.join(SHOTS, 'chat.png') });
  });

  await t.test('bob\'s sockets are cut while alice sends: he reconnects and shows every message once', async () => {
    const errorsBefore = bob.problems.errors.length;
    await cutBob();
    await bob.page.locator('#connection[data-state="offline"]').waitFor();
    const sent = ['while you were away 1', 'while you were away 2', 'while you were away 3'];
    for (const text of sent) {
      await alice.page.getByLabel('Message', { exact: true }).fill(text);
      await alice.page.keyboard.press('Enter');
      await alice.page.locator('.message.mine[data-message-id]', { hasText: text }).waitFor();
    }
    await restoreBob();
    await bob.page.locator('#connection[data-state="online"]').waitFor({ timeout: 40000 });
    const whileCut = bob.problems.errors.splice(errorsBefore);
    assert.deepEqual(whileCut.filter((text) => !cutNoise.test(text)), [], 'console errors while cut off');
    for (const text of sent) {
      await bob.page.locator('.message.theirs', { hasText: text }).waitFor();
    }
    // After the catch-up, one live message proves the socket is back; then count.
    await alice.page.getByLabel('Message', { exact: true }).fill('and one after');
    await alice.page.keyboard.press('Enter');
    await bob.page.locator('.message.theirs', { hasText: 'and one after' }).waitFor();
    const bobs = await bob.page.locator('.message .content').allTextContents();
    const alices = await alice.page.locator('.message .content').allTextContents();
    assert.deepEqual(bobs, alices, 'both show the same messages in the same order');
    assert.equal(new Set(bobs).size, bobs.length, 'every message exactly once');
    assert.equal(bobs.length, 8);
  });

  await t.test('a new group; history loads older pages on scroll-up, each message once', async () => {
    await alice.page.getByText('New group conversation').click();
    await alice.page.getByRole('checkbox', { name: 'Bob Lee' }).check();
    await alice.page.getByRole('checkbox', { name: 'Carol Park' }).check();
    await alice.page.getByLabel('Group title').fill('Weekend plans');
    await alice.page.getByRole('button', { name: 'Create group' }).click();
    await alice.page.locator('#chat-title', { hasText: 'Weekend plans' }).waitFor();
    await alice.page.getByLabel('Message', { exact: true }).fill('Who is in for Saturday?');
    await alice.page.keyboard.press('Enter');
    const id = await conversationButton(alice, 'Weekend plans').getAttribute('data-conversation');
    // 35 more sent straight over a socket of alice's own, so the group holds more than a page (30).
    await alice.page.evaluate(async ({ conversationId, count }) => {
      const token = sessionStorage.getItem('pagenow.token');
      const ws = new WebSocket(`ws://${location.host}/chat?Authorization=${encodeURIComponent(token)}`);
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      let stored = 0;
      const all = new Promise((resolve) => {
        ws.onmessage = (event) => {
          const data = JSON.parse(event.data);
          if (data.type === 'new-message' && data.tempMessageId?.startsWith('bulk-') && ++stored === count) resolve();
        };
      });
      for (let i = 1; i <= count; i++) {
        ws.send(JSON.stringify({ action: 'send-message', tempMessageId: `bulk-${i}`, conversationId, content: `plan ${i}` }));
      }
      await all;
      ws.close();
    }, { conversationId: id, count: 35 });
    const unread = conversationButton(bob, 'Weekend plans').locator('.unread');
    await until('bob\'s unread count of 36', async () => (await unread.textContent()) === '36');
    await conversationButton(bob, 'Weekend plans').click();
    await bob.page.locator('.message', { hasText: 'plan 35' }).waitFor();
    assert.equal(await bob.page.locator('.message').count(), 30, 'the newest page');
    await bob.page.locator('#history').evaluate((history) => { history.scrollTop = 0; });
    await bob.page.locator('#history-state', { hasText: 'Start of the conversation' }).waitFor();
    const texts = await bob.page.locator('.message .content').allTextContents();
    // Sent within the same milliseconds, so compared as a set: each exactly once, none missing.
    const expected = ['Who is in for Saturday?', ...Array.from({ length: 35 }, (_, i) => `plan ${i + 1}`)];
    assert.equal(texts.length, expected.length);
    assert.deepEqual([...texts].sort(), [...expected].sort());
    assert.equal(texts[0], 'Who is in for Saturday?');
    assert.equal(await bob.page.locator('.message.theirs .sender', { hasText: 'Alice Kim' }).count(), 36);
  });

  await t.test('a phone-sized window shows the chat without sideways scrolling', async () => {
    await bob.page.setViewportSize({ width: 390, height: 760 });
    await bob.page.getByRole('button', { name: 'Back' }).waitFor();
    assert.ok(await bob.page.evaluate(() => document.documentElement.scrollWidth <= 390));
    await accessible(bob, 'chat on a phone');
    await bob.page.getByRole('button', { name: 'Back' }).click();
    await friendRow(bob, 'alice').waitFor();
    await bob.page.setViewportSize({ width: 1100, height: 720 });
    await accessible(bob, 'friends and conversations');
  });

  await t.test('alice closes her tab: bob sees her offline, "active just now"', async () => {
    await alice.page.close();
    const row = friendRow(bob, 'alice');
    await until('alice offline for bob', async () => (await row.getAttribute('data-online')) === 'false');
    await row.getByText('active just now').waitFor();
    assert.equal(await row.locator('a').count(), 0);
  });

  await t.test('no dialog opened and no console error', () => {
    for (const who of [alice, bob]) {
      assert.deepEqual(who.problems.dialogs, [], `${who.name}: dialogs`);
      assert.deepEqual(who.problems.errors, [], `${who.name}: console errors`);
    }
  });

  await alice.context.close();
  await bob.context.close();
}
