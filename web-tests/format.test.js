// The client's pure helpers, without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeAgo, backoff, displayName, safeHref } from '../adapter-javalin/src/main/resources/web/format.js';

test('only http and https URLs become links', () => {
  assert.equal(safeHref('https://news.bbc.co.uk/x'), 'https://news.bbc.co.uk/x');
  assert.equal(safeHref('http://example.com'), 'http://example.com/');
  for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>',
    'vbscript:x', 'file:///etc/passwd', '//evil.example/x', '/relative', '', null, undefined, 42]) {
    assert.equal(safeHref(url), null, String(url));
  }
});

test('"active N minutes ago" from lastSeenAt', () => {
  const now = Date.parse('2026-11-23T10:15:30.000Z');
  assert.equal(activeAgo('2026-11-23T10:15:00.000Z', now), 'active just now');
  assert.equal(activeAgo('2026-11-23T10:14:30.000Z', now), 'active 1 minute ago');
  assert.equal(activeAgo('2026-11-23T10:10:00.000Z', now), 'active 5 minutes ago');
  assert.equal(activeAgo('2026-11-23T08:15:30.000Z', now), 'active 2 hours ago');
  assert.equal(activeAgo('2026-11-21T10:15:30.000Z', now), 'active 2 days ago');
  assert.equal(activeAgo(null, now), 'offline');
  assert.equal(activeAgo('not a time', now), 'offline');
});

test('reconnect backoff doubles from 1 s to 30 s with jitter over its upper half', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map((attempt) => backoff(attempt, () => 1)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.deepEqual([0, 5].map((attempt) => backoff(attempt, () => 0)), [500, 15000]);
});

test('a name from the user directory, else the user id', () => {
  assert.equal(displayName({ first_name: 'Alice', last_name: 'Kim' }, 'alice'), 'Alice Kim');
  assert.equal(displayName({ first_name: '', last_name: '' }, 'alice'), 'alice');
  assert.equal(displayName(undefined, 'bob'), 'bob');
});
