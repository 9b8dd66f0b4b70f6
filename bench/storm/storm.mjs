// A second, independent client for the connect storm: Node's own WebSocket (undici), nothing
// shared with the Java load generator. It asks the server's development endpoint for one token per
// user (not timed), then opens the sockets with at most --concurrency connects in flight, each
// started as soon as one finishes, and reports connects per second, connect latency (from the
// moment the connect is started to the open event) and, with --pid, the server's CPU time per
// connect from /proc over the storm.
//
//   node --experimental-websocket bench/storm/storm.mjs --port=PORT [--sockets=3000]
//        [--users=3000] [--concurrency=100] [--pid=SERVER_PID] [--path=chat] [--host=127.0.0.1]
//        [--hold-ms=1000] [--frames=0] [--frame='{"action":"heartbeat"}']
//
// With --pid it also reads the server's resident memory (VmRSS) before and after the storm, and
// with --frames=N each open socket then sends N text frames (--frame, default a heartbeat), and
// the server's CPU over that phase is reported per frame sent (an echo server answers each, so
// its CPU then covers a frame in and a frame out).
//
// Node's WebSocket offers permessage-deflate in every handshake, as browsers do (and it cannot be
// told not to): whether it is used is the server's choice, reported as extensions_negotiated.
// Prints one JSON line; exits non-zero when any socket did not open.
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'];
}));
const port = Number(args.port);
if (!port) {
  console.error('usage: storm.mjs --port=PORT [--sockets=N] [--users=N] [--concurrency=N] [--pid=PID]');
  process.exit(2);
}
const host = args.host ?? '127.0.0.1';
const sockets = Number(args.sockets ?? 3000);
const users = Number(args.users ?? sockets);
const concurrency = Number(args.concurrency ?? 100);
const path = args.path ?? 'chat';
const pid = args.pid ? Number(args.pid) : null;
const holdMs = Number(args['hold-ms'] ?? 1000);
const frames = Number(args.frames ?? 0);
const frame = args.frame ?? '{"action":"heartbeat"}';

function residentBytes(p) {
  const line = readFileSync(`/proc/${p}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.replace(/\D/g, '')) * 1024;
}

/** utime + stime of a process, in seconds (USER_HZ 100). */
function cpuSeconds(p) {
  const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function bounded(n, limit, work) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) {
      const i = next++;
      await work(i);
    }
  });
  await Promise.all(runners);
}

const tokens = new Array(users);
await bounded(users, 16, async (u) => {
  const response = await fetch(`http://${host}:${port}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: `storm-${u}` }),
  });
  if (response.status !== 200) {
    throw new Error(`POST /dev/token answered ${response.status}`);
  }
  tokens[u] = (await response.json()).token;
});

const open = [];
let received = 0;
const latencies = [];
const failures = {};
let extensions = null;
const rss0 = pid ? residentBytes(pid) : null;
const serverCpu0 = pid ? cpuSeconds(pid) : null;
const selfCpu0 = process.cpuUsage();
const start = process.hrtime.bigint();
await bounded(sockets, concurrency, (i) => new Promise((resolve) => {
  const began = process.hrtime.bigint();
  const url = `ws://${host}:${port}/${path}?Authorization=${encodeURIComponent(tokens[i % users])}`;
  const ws = new WebSocket(url);
  ws.onmessage = () => {
    received += 1;
  };
  ws.onopen = () => {
    latencies.push(Number(process.hrtime.bigint() - began) / 1e6);
    extensions ??= ws.extensions;
    open.push(ws);
    resolve();
  };
  ws.onerror = (e) => {
    const why = String(e.message ?? e.type);
    failures[why] = (failures[why] ?? 0) + 1;
    resolve();
  };
}));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const serverCpu = pid ? cpuSeconds(pid) - serverCpu0 : null;
const self = process.cpuUsage(selfCpu0);

await new Promise((resolve) => setTimeout(resolve, holdMs));
const rss1 = pid ? residentBytes(pid) : null;
let frameFigures = null;
if (frames > 0) {
  const cpu0 = pid ? cpuSeconds(pid) : null;
  const received0 = received;
  for (let k = 0; k < frames; k++) {
    for (const ws of open) {
      ws.send(frame);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  const sent = frames * open.length;
  frameFigures = {
    sent,
    received: received - received0,
    server_cpu_us_per_frame: pid ? Math.round((cpuSeconds(pid) - cpu0) * 1e6 / Math.max(1, sent) * 10) / 10 : null,
  };
}
const stillOpen = open.filter((ws) => ws.readyState === WebSocket.OPEN).length;
for (const ws of open) {
  ws.close(1000, 'storm done');
}

latencies.sort((a, b) => a - b);
const at = (q) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 100) / 100 : null);
const result = {
  client: `node ${process.version} WebSocket`,
  sockets,
  users,
  concurrency,
  opened: open.length,
  still_open_after_hold: stillOpen,
  failed: failures,
  extensions_negotiated: extensions,
  seconds: Math.round(seconds * 100) / 100,
  connects_per_s: Math.round(open.length / seconds),
  latency_ms: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
  server_cpu_ms_per_connect: serverCpu == null ? null : Math.round(serverCpu * 1e3 / Math.max(1, open.length) * 100) / 100,
  server_cores: serverCpu == null ? null : Math.round(serverCpu / seconds * 100) / 100,
  server_rss_per_socket_bytes: pid ? Math.round((rss1 - rss0) / Math.max(1, open.length)) : null,
  frames: frameFigures,
  client_cores: Math.round((self.user + self.system) / 1e6 / seconds * 100) / 100,
  load_average: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
};
console.log(JSON.stringify(result));
setTimeout(() => process.exit(open.length === sockets ? 0 : 1), 200);
