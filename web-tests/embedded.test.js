// The web client against the server jar on its embedded default (development mode, in memory).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, startProxy, startServer } from './harness.js';
import { run } from './scenario.js';

let server;
let proxy;
let browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  proxy = await startProxy(server.port);
});

after(async () => {
  await browser?.close();
  proxy?.close();
  await server?.stop();
});

test('embedded default: alice and bob in two browser contexts', async (t) => {
  await run(t, browser, {
    aliceBase: server.base,
    bobBase: proxy.base,
    cutBob: () => proxy.cut(),
    restoreBob: () => proxy.restore(),
  });
});

test('the server logged no error', () => {
  for (const node of [server]) {
    assert.deepEqual(node.output().split('\n').filter((line) => line.includes('level=ERROR')), []);
  }
});
