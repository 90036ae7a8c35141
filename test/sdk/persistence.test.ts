// Persistence (PERSISTENCE=1, DATA_DIR): the state survives a restart — findings, filters,
// enablement, and transitions still pending — and a SIGKILL in the middle of a stream of
// writes never leaves a corrupt file nor loses what was acknowledged before the last
// completed write. Also the control plane's snapshot export/import and scenario loading.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchGetAccountStatusCommand,
  CreateFilterCommand,
  EnableCommand,
  ListCoverageCommand,
  ListFiltersCommand,
  ListFindingsCommand,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { readSaved, STATE_DIR } from '../../src/storage/persistence.js';
import { encodeSnapshot, takeSnapshot } from '../../src/world/platform/snapshot.js';
import type { SavedFilter } from '../../src/world/findings/filters.js';
import type { SavedState } from '../../src/world/platform/state.js';
import { control, inspectorClient, listAllFindings, startTestServer, useTempDirs } from '../helpers.js';

const low = { severity: [{ comparison: 'EQUALS' as const, value: 'LOW' }] };
const tempDir = useTempDirs('inspector2-persist-');

function persistent(dataDir: string, options: object = {}): Promise<RunningServer> {
  return startServer({ port: 0, persistence: true, dataDir, logLevel: 'silent', ...options });
}

async function accountStatus(client: Inspector2Client): Promise<string | undefined> {
  return (await client.send(new BatchGetAccountStatusCommand({}))).accounts![0]!.state!.status;
}

describe('persistence across a restart', () => {
  it('keeps findings, suppression rules, enablement and resumes pending transitions', async () => {
    const dataDir = tempDir();
    const options = { transitionMs: 60_000, manualClock: true };
    let server = await persistent(dataDir, options);
    let enabled = inspectorClient(server.url, { accountId: '710000000001' });
    let pending = inspectorClient(server.url, { accountId: '710000000002' });
    await enabled.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    await enabled.send(
      new CreateFilterCommand({
        name: 'quiet-ec2',
        action: 'SUPPRESS',
        filterCriteria: { resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }] },
      }),
    );
    const findingsBefore = await listAllFindings(enabled);
    const coverageBefore = (await enabled.send(new ListCoverageCommand({}))).coveredResources;
    expect(findingsBefore.length).toBeGreaterThan(5);
    expect(findingsBefore.some((f) => f.status === 'SUPPRESSED')).toBe(true);
    await pending.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect(await accountStatus(pending)).toBe('ENABLING');
    await server.close();

    server = await persistent(dataDir, options);
    enabled = inspectorClient(server.url, { accountId: '710000000001' });
    pending = inspectorClient(server.url, { accountId: '710000000002' });
    expect(await listAllFindings(enabled)).toEqual(findingsBefore);
    expect((await enabled.send(new ListCoverageCommand({}))).coveredResources).toEqual(coverageBefore);
    expect((await enabled.send(new ListFiltersCommand({}))).filters!.map((f) => [f.name, f.action])).toEqual([['quiet-ec2', 'SUPPRESS']]);
    expect(await accountStatus(enabled)).toBe('ENABLED');
    // The transition scheduled before the restart completes when the clock passes it.
    expect(await accountStatus(pending)).toBe('ENABLING');
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    expect(await accountStatus(pending)).toBe('ENABLED');
    expect((await pending.send(new ListFindingsCommand({}))).findings!.length).toBeGreaterThan(0);
    await server.close();
  });

  it('coalesces writes: a burst of 100 changes costs a few file writes, and all are saved', async () => {
    const dataDir = tempDir();
    const server = await persistent(dataDir);
    const client = inspectorClient(server.url, { accountId: '710000000003' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await Promise.all(Array.from({ length: 100 }, (_, i) => client.send(new CreateFilterCommand({ name: `burst-${i}`, action: 'NONE', filterCriteria: low }))));
    await server.emulator.persistence!.flush();
    const writes = server.emulator.persistence!.writes;
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(30);
    const saved = readSaved(dataDir)!.snapshot;
    expect(filterNames(saved.state, '710000000003')).toHaveLength(100);
    await server.close();
  });

  it("writes only what changed: one CreateFilter rewrites that account-region's filters and the manifest", async () => {
    const dataDir = tempDir();
    const server = await persistent(dataDir);
    const client = inspectorClient(server.url, { accountId: '710000000005' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await listAllFindings(client);
    const persistence = server.emulator.persistence!;
    await persistence.flush();
    const files = readdirSync(join(dataDir, STATE_DIR));
    expect(files).toContain('manifest.json');
    expect(files.some((f) => f.startsWith('710000000005.us-east-1.findings.'))).toBe(true);
    const writes = persistence.writes;
    await client.send(new CreateFilterCommand({ name: 'one-change', action: 'NONE', filterCriteria: low }));
    await persistence.flush();
    expect(persistence.writes).toBe(writes + 1);
    // The filters part and the manifest; the findings, inventory and the rest are kept as they were.
    expect(persistence.lastWriteFiles).toBe(2);
    const after = readdirSync(join(dataDir, STATE_DIR));
    expect(after.filter((f) => f.startsWith('710000000005.us-east-1.filters.'))).toHaveLength(1);
    expect(after.filter((f) => f.startsWith('710000000005.us-east-1.findings.'))).toEqual(
      files.filter((f) => f.startsWith('710000000005.us-east-1.findings.')),
    );
    expect(filterNames(readSaved(dataDir)!.snapshot.state, '710000000005')).toEqual(['one-change']);
    await server.close();
  });

  it("reads an earlier version's single state.json, then keeps the state as a folder", async () => {
    const dataDir = tempDir();
    const first = await startTestServer();
    const client = inspectorClient(first.url, { accountId: '710000000006' });
    await client.send(new CreateFilterCommand({ name: 'from-legacy', action: 'NONE', filterCriteria: low }));
    writeFileSync(join(dataDir, 'state.json'), encodeSnapshot(takeSnapshot(first.emulator.world)));
    await first.close();
    const server = await persistent(dataDir);
    expect((await inspectorClient(server.url, { accountId: '710000000006' }).send(new ListFiltersCommand({}))).filters!.map((f) => f.name)).toEqual([
      'from-legacy',
    ]);
    await server.emulator.persistence!.flush();
    expect(existsSync(join(dataDir, 'state.json'))).toBe(false);
    expect(filterNames(readSaved(dataDir)!.snapshot.state, '710000000006')).toEqual(['from-legacy']);
    await server.close();
  });

  it('without PERSISTENCE the state is in memory only', async () => {
    const dataDir = tempDir();
    const server = await startServer({ port: 0, dataDir, logLevel: 'silent' });
    await inspectorClient(server.url, { accountId: '710000000004' }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await server.close();
    expect(existsSync(join(dataDir, STATE_DIR))).toBe(false);
  });
});

/** The names of an account's filters in a decoded snapshot's state. */
function filterNames(state: SavedState, accountId: string): string[] {
  return Object.entries(state.accountRegions)
    .filter(([key]) => key.startsWith(`${accountId}/`))
    .flatMap(([, fields]) => [...(fields.filters as Map<string, SavedFilter>).values()].map((f) => f.name));
}

async function allFilterNames(client: Inspector2Client): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListFiltersCommand({ maxResults: 100, nextToken }));
    names.push(...page.filters!.map((f) => f.name!));
    nextToken = page.nextToken;
  } while (nextToken);
  return names.sort();
}

interface Cli {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

async function startCli(dataDir: string): Promise<Cli> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0'], {
    env: { ...process.env, PERSISTENCE: '1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'listening on' line:\n${log}`)), 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${log}`)));
  });
  return { child, url };
}

describe('a SIGKILL during a stream of writes', () => {
  it('never corrupts the state file nor loses what was acknowledged before the last completed write (20 of 20 runs)', async () => {
    const dataDir = tempDir();
    // A seeded sequence of kill delays, so that a failure repeats.
    let seed = 20261129;
    const nextDelay = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 150 + (seed % 450);
    };
    const acknowledgedByRun: { accountId: string; acknowledged: { name: string; at: number }[]; restored?: string[] }[] = [];
    let checkedAcknowledged = 0;
    let cli = await startCli(dataDir);
    for (let run = 0; run < 20; run++) {
      const accountId = `7200000000${String(run).padStart(2, '0')}`;
      const client = inspectorClient(cli.url, { accountId, maxAttempts: 1 });
      const acknowledged: { name: string; at: number }[] = [];
      let killed = false;
      // Four writers in parallel, until the process dies under them.
      const writer = async (w: number) => {
        for (let n = 0; !killed; n++) {
          const name = `run${run}-w${w}-n${n}`;
          try {
            await client.send(new CreateFilterCommand({ name, action: 'NONE', filterCriteria: low }));
            acknowledged.push({ name, at: Date.now() });
          } catch {
            return; // the connection died with the process
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      // The kill falls in the stream: after a write that began once the stream had started (a
      // loaded machine may be slow to serve it, or to write), then a seeded delay.
      await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThan(0), { timeout: 20_000, interval: 10 });
      const firstAcknowledged = acknowledged[0]!.at;
      await vi.waitFor(
        async () => {
          const written = (await control(cli.url, 'GET', '/_inspector2/health')).body.persistence.lastWriteAt as string | null;
          expect(written === null ? 0 : Date.parse(written)).toBeGreaterThan(firstAcknowledged);
        },
        { timeout: 20_000, interval: 10 },
      );
      await new Promise((resolve) => setTimeout(resolve, nextDelay()));
      killed = true;
      cli.child.kill('SIGKILL');
      await once(cli.child, 'close');
      await Promise.all(writers);
      acknowledgedByRun.push({ accountId, acknowledged });

      // The file is whole, and holds every filter acknowledged before its write started.
      const saved = readSaved(dataDir)!.snapshot;
      const savedAt = Date.parse(saved.savedAt);
      const inFile = new Set(filterNames(saved.state, accountId));
      const mustHave = acknowledged.filter((a) => a.at < savedAt).map((a) => a.name);
      expect(acknowledged.length, `run ${run}: the stream of writes ran`).toBeGreaterThan(0);
      checkedAcknowledged += mustHave.length;
      expect(
        mustHave.filter((name) => !inFile.has(name)),
        `run ${run}: acknowledged before ${saved.savedAt} but lost`,
      ).toEqual([]);
      // What earlier runs left survived every kill since.
      for (const earlier of acknowledgedByRun.slice(0, -1)) {
        expect(filterNames(saved.state, earlier.accountId).sort(), `run ${run}: account ${earlier.accountId}`).toEqual(earlier.restored);
      }

      // The restarted server answers from that file.
      cli = await startCli(dataDir);
      const restored = await allFilterNames(inspectorClient(cli.url, { accountId }));
      expect(restored).toEqual([...inFile].sort());
      acknowledgedByRun.at(-1)!.restored = restored;
    }
    cli.child.kill('SIGTERM');
    await once(cli.child, 'close');
    // The kills fell in the middle of the streams, after writes had completed.
    expect(checkedAcknowledged).toBeGreaterThan(20);
  }, 300_000);
});

describe('snapshots and scenarios through the control plane', () => {
  it('exports the state and imports it into another server, which then answers the same', async () => {
    const source = await startTestServer();
    const client = inspectorClient(source.url, { accountId: '710000000005' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR'] }));
    await client.send(new CreateFilterCommand({ name: 'exported-rule', action: 'SUPPRESS', filterCriteria: low }));
    const findings = await listAllFindings(client);
    const exported = await fetch(`${source.url}/_inspector2/snapshot`);
    expect(exported.headers.get('content-type')).toContain('application/json');
    const snapshot = await exported.text();
    await source.close();

    const target = await startTestServer();
    const imported = await fetch(`${target.url}/_inspector2/snapshot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: snapshot });
    expect(imported.status).toBe(200);
    const copy = inspectorClient(target.url, { accountId: '710000000005' });
    expect(await listAllFindings(copy)).toEqual(findings);
    expect((await copy.send(new ListFiltersCommand({}))).filters!.map((f) => f.name)).toEqual(['exported-rule']);
    await target.close();
  });

  it('refuses a document that is not a snapshot with a 400 saying why, and keeps the state', async () => {
    const server = await startTestServer();
    const client = inspectorClient(server.url, { accountId: '710000000006' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    for (const [body, message] of [
      ['{"format": "something-else"}', '"format" must be "inspector2-local/world-snapshot"'],
      ['{not json', 'not a world snapshot'],
      ['{"format": "inspector2-local/world-snapshot", "version": 99}', 'snapshot version 99 is not supported'],
    ] as const) {
      const response = await fetch(`${server.url}/_inspector2/snapshot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    }
    expect(await accountStatus(client)).toBe('ENABLED');
    await server.close();
  });

  it('replaces the world by a scenario posted inline or named by a file, and names what is wrong in a bad one', async () => {
    const scenariosDir = tempDir();
    const server = await startTestServer({ scenariosDir });
    const scenario = {
      organizations: [
        {
          id: 'o-scenario0001',
          managementAccountId: '730000000001',
          accounts: [
            { id: '730000000001', name: 'management' },
            { id: '730000000002', name: 'workload' },
          ],
        },
      ],
      accounts: [
        {
          accountId: '730000000002',
          region: 'us-east-1',
          ec2Instances: [{ instanceId: 'i-0aaaabbbbcccc0001', amiId: 'ami-0abcdef1234567890', platform: 'AMAZON_LINUX_2', packages: [] }],
        },
      ],
    };
    const loaded = await control(server.url, 'POST', '/_inspector2/scenario', scenario);
    expect(loaded.status, JSON.stringify(loaded.body)).toBe(200);
    expect(loaded.body).toMatchObject({ organizations: 1, accountRegions: 1 });
    const organizations = await control(server.url, 'GET', '/_inspector2/organizations');
    expect(organizations.body.map((o: { id: string }) => o.id)).toEqual(['o-scenario0001']);
    const workload = inspectorClient(server.url, { accountId: '730000000002' });
    await workload.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    const coverage = (await workload.send(new ListCoverageCommand({}))).coveredResources!;
    expect(new Set(coverage.map((r) => r.resourceId))).toEqual(new Set(['i-0aaaabbbbcccc0001']));

    // A file is named relative to the scenarios folder (INSPECTOR2_SCENARIOS_DIR).
    writeFileSync(join(scenariosDir, 'scenario.json'), JSON.stringify({ organizations: [], accounts: [] }));
    const fromFile = await control(server.url, 'POST', '/_inspector2/scenario', { file: 'scenario.json' });
    expect(fromFile.body).toMatchObject({ loaded: 'scenario.json', organizations: 0 });
    expect((await control(server.url, 'GET', '/_inspector2/organizations')).body).toEqual([]);

    const bad = await control(server.url, 'POST', '/_inspector2/scenario', { organizations: [{ id: 'not-an-org' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('organizations.0.id');
    await server.close();
  });
});
