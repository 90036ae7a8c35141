// `npm run bench [-- --scale 100k|1m] [--only connections,user,world] [--runs N]`
//
// Three parts, each writing its own section of bench/RESULTS.md (the text around the
// sections is kept, so the notes and the other scale's figures stay):
// - connections: requests/s and latency, the way clients connect. With keep-alive (as the
//   SDKs and boto3 connect) for the emulator against a bare node:http server (the floor);
//   with one request per connection for the emulator against moto_server, on every
//   operation both answer (moto's development server does not serve keep-alive load well).
// - user: a boto3 script of 1,000 mixed calls (bench/user-row.py), wall time, against each.
// - world: a generated world of about 100k findings (1 account × 10,000 resources) or 1M
//   (100 accounts × 1,000 resources in one organization): first scan, state written,
//   start-up from it, RSS, ListFindings with a 3-field filter and a sort, every computed
//   aggregation, and the write after one CreateFilter.
// Runs are repeated (--runs, default 3 for connections and user) and reported as ranges.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '100k' },
    only: { type: 'string', default: 'connections,user,world' },
    runs: { type: 'string', default: '3' },
  },
});
const SCALES = {
  '100k': { accounts: 1, resources: 10_000 },
  '1m': { accounts: 100, resources: 1_000 },
} as const;
if (!(args.scale in SCALES)) throw new Error(`--scale is 100k or 1m, not ${args.scale}`);
const SCALE = args.scale as keyof typeof SCALES;
const PARTS = new Set(args.only.split(','));
const RUNS = Math.max(1, Number(args.runs));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROOT = new URL('..', import.meta.url).pathname;
const RESULTS = `${ROOT}bench/RESULTS.md`;

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
const authFor = (account = '123456789012') =>
  `AWS4-HMAC-SHA256 Credential=${account}/20260101/us-east-1/inspector2/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`;

type Connection = 'keep-alive' | 'one per request';

function send(url: string, path: string, body: string, authorization: string, agent: Agent | false, method = 'POST'): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method,
      agent,
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

interface Load {
  path: string;
  body: string;
  method?: string;
  authorization?: string;
  clients?: number;
  connection?: Connection;
}

async function load(
  target: Target,
  { path, body, method = 'POST', authorization = authFor(), clients = CLIENTS, connection = 'one per request' }: Load,
): Promise<Measure> {
  const agent = connection === 'keep-alive' ? new Agent({ keepAlive: true, maxSockets: clients }) : false;
  const one = () => send(target.url, path, body, authorization, agent, method);
  // A refused call would measure the error path: the bench says so rather than hide it.
  // A second of the same load first, not measured: every server gets its JIT warmed up alike.
  const warmUntil = performance.now() + 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < warmUntil) await one().catch(() => undefined);
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const result = await one().catch(() => ({ status: 0, ms: 0 }));
        if (result.status !== 200) errors++;
        else latencies.push(result.ms);
      }
    }),
  );
  if (agent) agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { rps: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), errors, rss: rssMb(target.process.pid!) };
}

async function startEmulator(env: Record<string, string> = {}, timeoutMs?: number): Promise<Target & { startupMs: number }> {
  const port = await freePort();
  // Its errors are shown (a large world's server that dies says why).
  const child = spawn(process.execPath, [`${ROOT}dist/cli.js`], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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

async function stop(target: Target | undefined): Promise<void> {
  if (!target || target.process.exitCode !== null) return;
  const exited = new Promise((resolve) => target.process.once('exit', resolve));
  target.process.kill('SIGTERM');
  await exited;
}

async function call(target: Target, path: string, body: unknown, account?: string): Promise<unknown> {
  const response = await fetch(`${target.url}${path}`, { method: 'POST', headers: { authorization: authFor(account) }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : {};
}

// ---- formatting

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const range = (values: number[], digits = 0) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return fmt(low, digits) === fmt(high, digits) ? fmt(low, digits) : `${fmt(low, digits)}–${fmt(high, digits)}`;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const machine = () =>
  `node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}) · ${new Date().toISOString().slice(0, 10)}`;

/** Replaces (or appends) the section `name` of bench/RESULTS.md, between its markers. */
function writeSection(name: string, lines: string[]): void {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const block = `${begin}\n${lines.join('\n')}\n${end}`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? `${text.slice(0, from)}${block}${text.slice(to + end.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, next);
  console.log(lines.join('\n'));
}

// ---- part 1: connections

/** The operations moto_server's inspector2 also answers, read-only so that a repeated call stays the same call. */
const SHARED: { name: string; path: string; body: string; account?: string }[] = [
  { name: 'BatchGetAccountStatus', path: '/status/batch/get', body: '{"accountIds":["222222222222"]}' },
  { name: 'ListFilters', path: '/filters/list', body: '{}' },
  { name: 'ListFindings', path: '/findings/list', body: '{"maxResults":10}' },
  { name: 'ListMembers', path: '/members/list', body: '{}' },
  // Asked by the organization's management account, as AWS requires.
  { name: 'ListDelegatedAdminAccounts', path: '/delegatedadminaccounts/list', body: '{}', account: '111111111111' },
];
/** The default world's organization: the management account names the delegated administrator, whose view the cases ask for. */
const MANAGEMENT = '111111111111';
const ADMIN = '222222222222';

async function connections(): Promise<void> {
  const keepAlive = new Map<string, Measure[]>();
  const perRequest = new Map<string, Measure[]>();
  const add = (into: Map<string, Measure[]>, key: string, m: Measure) => into.set(key, [...(into.get(key) ?? []), m]);
  for (let run = 0; run < RUNS; run++) {
    const emulator = await startEmulator();
    const moto = await startMoto();
    const floor = await startFloor();
    for (const target of [emulator, moto]) {
      if (!target) continue;
      await call(target, '/delegatedadminaccounts/enable', { delegatedAdminAccountId: ADMIN }, MANAGEMENT);
      await call(target, '/enable', { accountIds: [ADMIN], resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }, ADMIN);
    }
    for (const target of [emulator, floor])
      add(
        keepAlive,
        `BatchGetAccountStatus|${target.name}`,
        await load(target, { path: '/status/batch/get', body: SHARED[0]!.body, authorization: authFor(ADMIN), connection: 'keep-alive' }),
      );
    add(
      keepAlive,
      'ListFilters|inspector2-local',
      await load(emulator, { path: '/filters/list', body: '{}', authorization: authFor(ADMIN), connection: 'keep-alive' }),
    );
    for (const operation of SHARED)
      for (const target of [emulator, moto])
        if (target)
          add(perRequest, `${operation.name}|${target.name}`, await load(target, { ...operation, authorization: authFor(operation.account ?? ADMIN) }));
    await Promise.all([stop(emulator), stop(moto), stop(floor)]);
  }
  const lines = [
    '## Connections',
    '',
    `${machine()} · ${CLIENTS} clients in parallel, ${SECONDS} s per case, ${RUNS} runs: ranges are min–max over the runs, ratios from the medians.`,
    '',
    '### Keep-alive (as the SDKs and boto3 connect): the emulator against a bare node:http server',
    '',
    '| operation | server | requests/s | p50 ms | p99 ms | RSS MB | errors | of the floor |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const floorRps = median((keepAlive.get('BatchGetAccountStatus|node:http floor') ?? []).map((m) => m.rps));
  for (const [key, measures] of keepAlive) {
    const [operation, server] = key.split('|') as [string, string];
    const share = operation === 'BatchGetAccountStatus' ? `${fmt((median(measures.map((m) => m.rps)) / floorRps) * 100, 0)} %` : '–';
    lines.push(
      `| ${operation} | ${server} | ${range(measures.map((m) => m.rps))} | ${range(
        measures.map((m) => m.p50),
        2,
      )} | ${range(
        measures.map((m) => m.p99),
        2,
      )} | ${range(measures.map((m) => m.rss))} | ${measures.reduce((n, m) => n + m.errors, 0)} | ${share} |`,
    );
  }
  lines.push(
    '',
    '### One request per connection: the emulator against moto_server, every operation both answer',
    '',
    '| operation | server | requests/s | p50 ms | p99 ms | RSS MB | errors | vs moto |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const operation of SHARED) {
    const base = perRequest.get(`${operation.name}|moto_server`);
    for (const server of ['inspector2-local', 'moto_server']) {
      const measures = perRequest.get(`${operation.name}|${server}`);
      if (!measures) continue;
      const ratio = base ? `${fmt(median(measures.map((m) => m.rps)) / median(base.map((m) => m.rps)), 1)}×` : '–';
      lines.push(
        `| ${operation.name} | ${server} | ${range(measures.map((m) => m.rps))} | ${range(
          measures.map((m) => m.p50),
          2,
        )} | ${range(
          measures.map((m) => m.p99),
          2,
        )} | ${range(measures.map((m) => m.rss))} | ${measures.reduce((n, m) => n + m.errors, 0)} | ${ratio} |`,
      );
    }
  }
  if (!perRequest.has('BatchGetAccountStatus|moto_server')) lines.push('', 'moto_server is not installed: its rows are missing.');
  writeSection('connections', lines);
}

// ---- part 2: the user-level row

interface UserRow {
  calls: number;
  seconds: number;
  errors: Record<string, number>;
}

function userRow(target: Target): Promise<UserRow> {
  return new Promise((resolve, reject) => {
    execFile('python3', [`${ROOT}bench/user-row.py`, target.url, '1000'], { env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } }, (error, stdout) => {
      if (error) reject(new Error(`bench/user-row.py: ${error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as UserRow);
    });
  });
}

async function user(): Promise<void> {
  const rows = new Map<string, UserRow[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const start of [() => startEmulator(), startMoto]) {
      const target = await start();
      if (!target) continue;
      rows.set(target.name, [...(rows.get(target.name) ?? []), await userRow(target)]);
      await stop(target);
    }
  }
  const lines = [
    '## A boto3 script of 1,000 mixed calls',
    '',
    `${machine()} · bench/user-row.py: one boto3 client (connections kept alive), create/list/tag/delete filters, account status, findings, members; ${RUNS} runs, each against a fresh server.`,
    '',
    '| server | wall time s | calls/s | calls that raised |',
    '|---|---|---|---|',
  ];
  for (const [server, results] of rows) {
    const raised = Object.entries(results[0]!.errors)
      .map(([what, n]) => `${what} ×${n}`)
      .join(', ');
    lines.push(
      `| ${server} | ${range(
        results.map((r) => r.seconds),
        2,
      )} | ${range(results.map((r) => r.calls / r.seconds))} | ${raised || 'none'} |`,
    );
  }
  const emulatorTime = median((rows.get('inspector2-local') ?? []).map((r) => r.seconds));
  const motoTime = median((rows.get('moto_server') ?? []).map((r) => r.seconds));
  if (Number.isFinite(motoTime)) lines.push('', `The same script takes ${fmt(motoTime / emulatorTime, 1)}× as long against moto_server (medians).`);
  writeSection('user', lines);
}

// ---- part 3: the world at scale

const AGGREGATION_TYPES = [
  'FINDING_TYPE',
  'PACKAGE',
  'TITLE',
  'REPOSITORY',
  'AMI',
  'AWS_EC2_INSTANCE',
  'AWS_ECR_CONTAINER',
  'IMAGE_LAYER',
  'ACCOUNT',
  'AWS_LAMBDA_FUNCTION',
  'LAMBDA_LAYER',
  'CODE_REPOSITORY',
] as const;

interface Health {
  persistence: { pending: boolean; writes: number; lastWriteMs: number };
}

async function world(): Promise<void> {
  const { accounts, resources } = SCALES[SCALE];
  const out = `${ROOT}bench/world-${SCALE}.json`;
  const dataDir = `${ROOT}bench/data-${SCALE}`;
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(`${ROOT}bench`, { recursive: true });
  const generateStarted = performance.now();
  await new Promise<void>((resolve, reject) => {
    const args = ['generate', '--accounts', String(accounts), '--resources', String(resources), '--seed', '3', '--out', out];
    const generate = spawn(process.execPath, ['--max-old-space-size=8192', `${ROOT}dist/cli.js`, ...args], { stdio: 'ignore' });
    generate.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generate exited ${code}`))));
  });
  const generateMs = performance.now() - generateStarted;
  const seed = JSON.parse(readFileSync(out, 'utf8')) as { accounts: { accountId: string }[]; organizations: { managementAccountId: string }[] };
  const members = [...new Set(seed.accounts.map((a) => a.accountId))];
  const persisted = { INSPECTOR2_SEED: out, PERSISTENCE: '1', DATA_DIR: dataDir, NODE_OPTIONS: '--max-old-space-size=8192' };
  let server = await startEmulator(persisted, 600_000);
  const startupDefault = server.startupMs;

  // One account enables itself; an organization's delegated administrator (the second account)
  // associates and enables the others, and its queries then cover all of them.
  let viewer = members[0]!;
  if (members.length > 1) {
    const management = seed.organizations[0]!.managementAccountId;
    viewer = members.find((id) => id !== management)!;
    await call(server, '/delegatedadminaccounts/enable', { delegatedAdminAccountId: viewer }, management);
    for (const member of members) if (member !== viewer) await call(server, '/members/associate', { accountId: member }, viewer);
    for (let i = 0; i < members.length; i += 100)
      await call(server, '/enable', { accountIds: members.slice(i, i + 100), resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }, viewer);
  } else await call(server, '/enable', { resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }, viewer);

  // The first request after Enable runs the scans that are due (the world settles before answering).
  const scanStarted = performance.now();
  await call(server, '/findings/list', { maxResults: 1 }, viewer);
  const scanMs = performance.now() - scanStarted;
  const scanRss = rssMb(server.process.pid!);
  const totals = (await call(server, '/findings/aggregation/list', { aggregationType: 'ACCOUNT', maxResults: 100 }, viewer)) as {
    responses: { accountAggregation: { severityCounts: { all: number } } }[];
  };
  const total = totals.responses.reduce((n, r) => n + r.accountAggregation.severityCounts.all, 0);

  const idle = async () => {
    for (;;) {
      const health = (await (await fetch(`${server.url}/_inspector2/health`)).json()) as Health;
      if (!health.persistence.pending && health.persistence.writes > 0) return health.persistence;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const firstSave = await idle();
  const stateMb = readdirSync(`${dataDir}/state`).reduce((total, name) => total + statSync(`${dataDir}/state/${name}`).size, 0) / 1e6;

  // Every aggregation, computed (answers are kept per findings revision: the first is the cold one).
  const aggregationMs: [string, number][] = [];
  for (const type of AGGREGATION_TYPES) {
    const started = performance.now();
    await call(server, '/findings/aggregation/list', { aggregationType: type, maxResults: 25 }, viewer).catch(() => undefined);
    aggregationMs.push([type, performance.now() - started]);
  }
  const query = JSON.stringify({
    maxResults: 25,
    filterCriteria: {
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
      resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }],
      fixAvailable: [{ comparison: 'EQUALS', value: 'YES' }],
    },
    sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' },
  });
  const auth = authFor(viewer);
  const alone = await load(server, { path: '/findings/list', body: query, authorization: auth, clients: 1, connection: 'keep-alive' });
  const many = await load(server, { path: '/findings/list', body: query, authorization: auth, connection: 'keep-alive' });

  // Persistence after one small change.
  await call(
    server,
    '/filters/create',
    { name: 'bench-one-change', action: 'NONE', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'LOW' }] } },
    viewer,
  );
  const writesBefore = firstSave.writes;
  let afterChange = await idle();
  while (afterChange.writes === writesBefore) afterChange = await idle();

  await stop(server);
  server = await startEmulator(persisted, 600_000);
  const restartMs = server.startupMs;
  const restored = (await call(server, '/findings/aggregation/list', { aggregationType: 'ACCOUNT', maxResults: 100 }, viewer)) as typeof totals;
  const restoredTotal = restored.responses.reduce((n, r) => n + r.accountAggregation.severityCounts.all, 0);
  const restartRss = rssMb(server.process.pid!);
  await stop(server);

  const slowest = aggregationMs.reduce((a, b) => (b[1] > a[1] ? b : a));
  const lines = [
    `## The ${SCALE} world`,
    '',
    `${machine()} · generated: ${accounts} account${accounts > 1 ? 's' : ''} × ${resources} resources (${fmt(generateMs / 1000, 1)} s to generate), ${total} findings${members.length > 1 ? ', seen by the delegated administrator' : ''}.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| first scan | ${fmt(scanMs / 1000, 1)} s |`,
    `| RSS after the scan | ${fmt(scanRss, 0)} MB |`,
    `| first state write | ${fmt(firstSave.lastWriteMs / 1000, 1)} s (${fmt(stateMb, 0)} MB) |`,
    `| write after one CreateFilter | ${fmt(afterChange.lastWriteMs, 0)} ms |`,
    `| start-up from the persisted state | ${fmt(restartMs / 1000, 1)} s (${restoredTotal} findings restored) |`,
    `| RSS after that start-up | ${fmt(restartRss, 0)} MB |`,
    `| start-up before the world was enabled | ${fmt(startupDefault / 1000, 1)} s |`,
    `| ListFindings (3-field filter, severity sort), 1 client | p50 ${fmt(alone.p50, 1)} ms, p99 ${fmt(alone.p99, 1)} ms (${fmt(alone.rps, 0)}/s) |`,
    `| the same, ${CLIENTS} clients | p50 ${fmt(many.p50, 1)} ms, p99 ${fmt(many.p99, 1)} ms (${fmt(many.rps, 0)}/s) |`,
    `| computed aggregations, slowest | ${slowest[0]} ${fmt(slowest[1], 0)} ms |`,
    `| computed aggregations, each | ${aggregationMs.map(([type, ms]) => `${type} ${fmt(ms, 0)}`).join(' · ')} ms |`,
  ];
  writeSection(`world-${SCALE}`, lines);
}

if (PARTS.has('connections')) await connections();
if (PARTS.has('user')) await user();
if (PARTS.has('world')) await world();
