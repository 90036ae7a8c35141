// `npm run bench`: this emulator, moto_server and a bare node:http server (the floor) on
// loopback, driven by the same request pattern — C clients in parallel, each sending one
// request after another on a new connection (moto_server's development server does not
// serve keep-alive load well, so neither side gets it) — for D seconds per case. Prints
// and writes bench/RESULTS.md: requests/s, p50/p99 latency, RSS, and ratios.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROOT = new URL('..', import.meta.url).pathname;

interface Target {
  name: string;
  url: string;
  process: ChildProcess;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** A SigV4-shaped header: the emulator (not strict) and moto_server read account, region and service from it. */
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/inspector2/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

function send(url: string, path: string, body: string, authorization: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', authorization, 'x-amz-date': '20260101T000000Z', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rss: number;
}

async function load(target: Target, path: string, body: string, authorization = AUTHORIZATION, clients = CLIENTS): Promise<Measure> {
  // A second of the same load first, not measured: every server gets its JIT warmed up alike.
  const warmUntil = performance.now() + 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < warmUntil) await send(target.url, path, body, authorization).catch(() => undefined);
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const result = await send(target.url, path, body, authorization).catch(() => ({ status: 0, ms: 0 }));
        if (result.status !== 200) errors++;
        else latencies.push(result.ms);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { rps: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), errors, rss: rssMb(target.process.pid!) };
}

async function startEmulator(env: Record<string, string> = {}, timeoutMs?: number): Promise<Target & { startupMs: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [`${ROOT}dist/cli.js`], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'error', ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const startupMs = await waitFor(`${url}/_inspector2/health`, timeoutMs);
  return { name: 'inspector2-local', url, process: child, startupMs };
}

async function startMoto(): Promise<Target | undefined> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const failed = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(true));
    setTimeout(() => resolve(false), 200);
  });
  if (failed) return undefined;
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/`);
  return { name: 'moto_server', url, process: child };
}

async function startFloor(): Promise<Target> {
  const port = await freePort();
  const code = `require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end('{"accounts":[]}')})}).listen(${port},'127.0.0.1')`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  return { name: 'node:http floor', url, process: child };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const lines: string[] = [];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};

const emulator = await startEmulator();
const moto = await startMoto();
const floor = await startFloor();
say('# Benchmark results');
say();
say(`${new Date().toISOString()} · ${CLIENTS} clients in parallel, one request per connection, ${SECONDS} s per case · node ${process.version} · 2 cores`);
if (!moto) say('\nmoto_server is not installed: its column is empty.');
say();
say('| case | server | requests/s | p50 ms | p99 ms | RSS MB | errors | vs moto | vs floor |');
say('|---|---|---|---|---|---|---|---|---|');

const cases: { name: string; path: string; body: string; targets: (Target | undefined)[] }[] = [
  { name: 'BatchGetAccountStatus', path: '/status/batch/get', body: '{}', targets: [emulator, moto, floor] },
  { name: 'ListFilters', path: '/filters/list', body: '{}', targets: [emulator, moto] },
];
for (const c of cases) {
  const results = new Map<string, Measure>();
  for (const target of c.targets) if (target) results.set(target.name, await load(target, c.path, c.body));
  const base = results.get('moto_server');
  const bottom = results.get('node:http floor');
  for (const [name, m] of results) {
    say(
      `| ${c.name} | ${name} | ${fmt(m.rps, 0)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)} | ${fmt(m.rss, 0)} | ${m.errors} | ${base ? `${fmt(m.rps / base.rps, 2)}×` : '–'} | ${bottom ? `${fmt((m.rps / bottom.rps) * 100, 0)} %` : '–'} |`,
    );
  }
}

// ListFindings over a generated world (the emulator only: moto has no findings), kept
// with PERSISTENCE=1 so that the start-up from its saved state is measured too.
emulator.process.kill();
const RESOURCES = process.env.BENCH_RESOURCES ?? '10000';
const world = `${ROOT}bench/world.json`;
const dataDir = `${ROOT}bench/data`;
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(`${ROOT}bench`, { recursive: true });
await new Promise<void>((resolve, reject) => {
  const generate = spawn(process.execPath, [`${ROOT}dist/cli.js`, 'generate', '--accounts', '1', '--resources', RESOURCES, '--seed', '3', '--out', world], {
    stdio: 'ignore',
  });
  generate.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generate exited ${code}`))));
});
const persisted = { INSPECTOR2_SEED: world, PERSISTENCE: '1', DATA_DIR: dataDir };
let big = await startEmulator(persisted);
const account = (JSON.parse(readFileSync(world, 'utf8')) as { accounts: { accountId: string }[] }).accounts[0]!.accountId;
const auth = AUTHORIZATION.replace('123456789012', account);
const enable = await fetch(`${big.url}/enable`, {
  method: 'POST',
  headers: { authorization: auth },
  body: JSON.stringify({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }),
});
if (!enable.ok) throw new Error(`enable: ${enable.status}`);
const scanStarted = performance.now();
const first = await fetch(`${big.url}/findings/list`, { method: 'POST', headers: { authorization: auth }, body: '{"maxResults":1}' });
const scanMs = performance.now() - scanStarted;
await first.text();
const statistics = await fetch(`${big.url}/findings/aggregation/list`, {
  method: 'POST',
  headers: { authorization: auth },
  body: '{"aggregationType":"ACCOUNT"}',
});
const total =
  ((await statistics.json()) as { responses: { accountAggregation: { severityCounts: { all: number } } }[] }).responses[0]?.accountAggregation.severityCounts
    .all ?? 0;
const query = JSON.stringify({
  maxResults: 25,
  filterCriteria: {
    findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }],
    fixAvailable: [{ comparison: 'EQUALS', value: 'YES' }],
  },
  sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' },
});
const aggregationQuery = JSON.stringify({ aggregationType: 'PACKAGE', maxResults: 25 });
// The scan's changes are being saved: measure the queries once the state is on disk.
const idle = async () => {
  for (;;) {
    const health = (await (await fetch(`${big.url}/_inspector2/health`)).json()) as { persistence: { pending: boolean; writes: number; lastWriteMs: number } };
    if (!health.persistence.pending && health.persistence.writes > 0) return health.persistence;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const saved = await idle();
// Aggregation answers are kept per findings revision: time the first one, computed.
const coldStarted = performance.now();
await (await fetch(`${big.url}/findings/aggregation/list`, { method: 'POST', headers: { authorization: auth }, body: aggregationQuery })).text();
const coldAggregationMs = performance.now() - coldStarted;
const findings = await load(big, '/findings/list', query, auth);
const findingsAlone = await load(big, '/findings/list', query, auth, 1);
const aggregations = await load(big, '/findings/aggregation/list', aggregationQuery, auth);
const aggregationsAlone = await load(big, '/findings/aggregation/list', aggregationQuery, auth, 1);
const row = (name: string, clients: number, m: Measure) =>
  say(
    `| ${name}, ${clients} client${clients > 1 ? 's' : ''} | inspector2-local | ${fmt(m.rps, 0)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)} | ${fmt(m.rss, 0)} | ${m.errors} | – | – |`,
  );
row(`ListFindings (3-field filter, severity sort) over ${total} ACTIVE findings`, CLIENTS, findings);
row('the same', 1, findingsAlone);
row('ListFindingAggregations (PACKAGE) over the same (answer cached per findings revision)', CLIENTS, aggregations);
row('the same', 1, aggregationsAlone);

// A clean stop writes the state; the next start restores it.
big.process.kill('SIGTERM');
await new Promise((resolve) => big.process.once('exit', resolve));
const stateMb = statSync(`${dataDir}/state.json`).size / 1e6;
big = await startEmulator(persisted, 120_000);
const restored = await fetch(`${big.url}/findings/aggregation/list`, {
  method: 'POST',
  headers: { authorization: auth },
  body: '{"aggregationType":"ACCOUNT"}',
});
const restoredTotal =
  ((await restored.json()) as { responses: { accountAggregation: { severityCounts: { all: number } } }[] }).responses[0]?.accountAggregation.severityCounts
    .all ?? 0;
const restoredRss = rssMb(big.process.pid!);
say();
say(
  `Start-up to healthy: ${fmt(emulator.startupMs, 0)} ms (default world); ${fmt(big.startupMs, 0)} ms from the persisted state of the generated world (${RESOURCES} resources, ${restoredTotal} ACTIVE findings restored, state file ${fmt(stateMb, 0)} MB, RSS ${fmt(restoredRss, 0)} MB after start-up). The world's first scan took ${fmt(scanMs, 0)} ms; writing its state took ${fmt(saved.lastWriteMs, 0)} ms; the first (computed) PACKAGE aggregation took ${fmt(coldAggregationMs, 0)} ms.`,
);
say();
say(
  'Targets (issue 8): ≥ 10× moto_server on the operations both answer; ≥ 50 % of the floor on BatchGetAccountStatus; ListFindings p50 ≤ 20 ms and p99 ≤ 50 ms at 100k findings; start-up ≤ 1 s (default world) and ≤ 5 s (persisted 100k findings); RSS ≤ 600 MB at 100k findings.',
);

big.process.kill();
moto?.process.kill();
floor.process.kill();
const notes = existsSync(`${ROOT}bench/NOTES.md`) ? `\n${readFileSync(`${ROOT}bench/NOTES.md`, 'utf8')}` : '';
writeFileSync(`${ROOT}bench/RESULTS.md`, `${lines.join('\n')}\n${notes}`);
