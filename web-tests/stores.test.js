// The web client against two server nodes on PostgreSQL + Redis: alice on node 1, bob on node 2.
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, psql, redisDeletePrefix, startProxy, startServer } from './harness.js';
import { run } from './scenario.js';

const id = randomUUID().replaceAll('-', '').slice(0, 12);
const schema = `web_${id}`;
const prefix = `pagenow-web-${id}:`;
const stores = {
  DATABASE_URL: `jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${schema}`,
  DATABASE_USER: 'postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: prefix,
};

let node1;
let node2;
let proxy;
let browser;

before(async () => {
  psql(`CREATE SCHEMA ${schema}`);
  const launching = launchBrowser();
  node1 = await startServer(stores); // migrates the empty schema
  psql(`SET search_path = ${schema};
    INSERT INTO user_table (user_id, email, first_name, last_name, share_mode) VALUES
      ('alice', 'alice@example.com', 'Alice', 'Kim', 'default_all'),
      ('bob', 'bob@example.com', 'Bob', 'Lee', 'default_all'),
      ('carol', 'carol@example.com', 'Carol', 'Park', 'default_all');
    INSERT INTO friendship_table (user_id1, user_id2, requested_at, accepted_at) VALUES
      ('alice', 'bob', now(), now()), ('alice', 'carol', now(), now()), ('bob', 'carol', now(), now());`);
  node2 = await startServer({ ...stores, DATABASE_MIGRATE: 'false' });
  proxy = await startProxy(node2.port);
  browser = await launching;
});

after(async () => {
  await browser?.close();
  proxy?.close();
  await Promise.all([node1?.stop(), node2?.stop()]);
  psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  redisDeletePrefix(prefix);
});

test('PostgreSQL + Redis, two nodes: alice on node 1, bob on node 2', async (t) => {
  await run(t, browser, {
    aliceBase: node1.base,
    bobBase: proxy.base,
    cutBob: () => proxy.cut(),
    restoreBob: () => proxy.restore(),
  });
});

test('the server logged no error', () => {
  for (const node of [node1, node2]) {
    assert.deepEqual(node.output().split('\n').filter((line) => line.includes('level=ERROR')), []);
  }
});
