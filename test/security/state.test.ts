// Snapshots and the saved state are hostile input too: an imported document is checked
// whole against the declared state before anything is replaced, and persistence failures
// are loud (health, exit code) rather than silent.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFilterCommand, EnableCommand, ListFiltersCommand, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startServer } from '../../src/server.js';
import { STATE_DIR } from '../../src/storage/persistence.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../../src/world/platform/snapshot.js';
import { control, inspectorClient, startTestServer } from '../helpers.js';

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'inspector2-security-'));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A well-formed empty snapshot, with `change` applied to its parsed form. */
function snapshot(change: (document: Record<string, any>) => void = () => {}): string {
  const document: Record<string, any> = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    savedAt: '2026-12-01T00:00:00.000Z',
    clock: { manual: false, base: 0 },
    catalog: [],
    scheduler: { seq: 0, queue: [] },
    events: [],
    state: { global: {}, accounts: {}, accountRegions: {} },
    shapes: [],
  };
  change(document);
  return JSON.stringify(document);
}

async function importSnapshot(url: string, text: string): Promise<{ status: number; message: string }> {
  const response = await fetch(`${url}/_inspector2/snapshot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  return { status: response.status, message: ((await response.json()) as { message?: string }).message ?? '' };
}

describe('snapshot import', () => {
  it('refuses documents that once broke every later request, and leaves the state as it was', async () => {
    const server = await startTestServer();
    const client = inspectorClient(server.url, { accountId: '710000000101' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await client.send(new CreateFilterCommand({ name: 'kept', action: 'NONE', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }] } }));
    const attacks: [string, string][] = [
      // A member that is a method of the world, not state.
      [snapshot((d) => (d.state = { settle: 0 })), 'state'],
      [snapshot((d) => (d.state.global = { accountRegion: 1 })), 'no such state'],
      [snapshot((d) => (d.catalog = [null])), 'catalog.0'],
      [snapshot((d) => (d.clock.base = 1e16)), 'clock'],
      [
        snapshot((d) => (d.state.global.organizations = { organizations: [{ id: 'o-exampleorg01', managementAccountId: 'x', accounts: [] }], regional: [] })),
        'organizations',
      ],
      [snapshot((d) => (d.state.accountRegions = { '710000000101/us-east-1': { enablement: { scanTypes: 7 } } })), 'enablement'],
      [snapshot((d) => (d.state.accountRegions = { 'not/a/key': {} })), 'accountRegions'],
      [
        snapshot(
          (d) =>
            (d.scheduler.queue = [
              { at: 0, seq: 0, task: { kind: 'complete-transition', accountId: '710000000101', region: 'us-east-1', scanType: 'NOPE', dueAt: 0 } },
            ]),
        ),
        'scanType',
      ],
      [snapshot((d) => (d.scheduler.queue = [{ at: 0, seq: 0, task: { kind: 'no-such-kind' } }])), 'no such task kind'],
      // A member named __proto__ (JSON.parse keeps it as an own member; reviving must not set a prototype with it).
      [
        snapshot(
          (d) => (d.state.accountRegions = { '710000000101/us-east-1': { filters: { $map: [['arn', { criteria: { PROTO: { polluted: true } } }]] } } }),
        ).replace('PROTO', '__proto__'),
        'prototype',
      ],
    ];
    for (const [text, where] of attacks) {
      const answer = await importSnapshot(server.url, text);
      expect(answer.status, text).toBe(400);
      expect(answer.message, text).toContain(where);
    }
    // Everything still answers, with the state from before.
    expect((await control(server.url, 'GET', '/_inspector2/health')).status).toBe(200);
    expect((await client.send(new ListFiltersCommand({}))).filters!.map((f) => f.name)).toEqual(['kept']);
    expect((await client.send(new ListFindingsCommand({}))).$metadata.httpStatusCode).toBe(200);
    await server.close();
  });

  it('does not echo the values a document holds', async () => {
    const server = await startTestServer();
    const secret = 'SECRET-VALUE-0123456789';
    const role = {
      roleName: 'r',
      roleId: 'AROA1',
      arn: 'arn:aws:iam::710000000104:role/r',
      path: '/',
      createDate: { $date: 0 },
      description: '',
      assumeRolePolicyDocument: '{}',
      maxSessionDuration: secret,
      attachedPolicies: [],
    };
    const bad = await importSnapshot(
      server.url,
      snapshot((d) => (d.state.accounts = { '710000000104': { roles: { $map: [['r', role]] } } })),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('maxSessionDuration');
    expect(bad.message).not.toContain(secret);
    await server.close();
  });

  it('takes back what it exported', async () => {
    const source = await startTestServer();
    const client = inspectorClient(source.url, { accountId: '710000000102' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR'] }));
    await client.send(new CreateFilterCommand({ name: 'carried', action: 'SUPPRESS', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'LOW' }] } }));
    const exported = await (await fetch(`${source.url}/_inspector2/snapshot`)).text();
    const target = await startTestServer({ seed: false });
    expect((await importSnapshot(target.url, exported)).status).toBe(200);
    const again = inspectorClient(target.url, { accountId: '710000000102' });
    expect((await again.send(new ListFiltersCommand({}))).filters!.map((f) => f.name)).toEqual(['carried']);
    const findings = async (c: typeof client) => (await c.send(new ListFindingsCommand({ maxResults: 100 }))).findings!.map((f) => f.findingArn).sort();
    expect(await findings(again)).toEqual(await findings(client));
    await source.close();
    await target.close();
  });
});

describe('persistence failures', () => {
  it('refuses to start on a DATA_DIR it cannot write, saying which and what to do', async () => {
    const file = join(tempFolder(), 'a-file');
    writeFileSync(file, 'not a folder');
    await expect(startServer({ port: 0, logLevel: 'silent', persistence: true, dataDir: join(file, 'data') })).rejects.toThrow(
      /DATA_DIR .*a-file\/data is not a folder this process can write/,
    );
  });

  it('exits with code 2 and one line naming the file when the saved state is corrupt', () => {
    const dataDir = tempFolder();
    mkdirSync(join(dataDir, STATE_DIR));
    writeFileSync(join(dataDir, STATE_DIR, 'manifest.json'), '{"format": "inspector2-local/state", "version": 1, "parts": ');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts'], {
      env: { ...process.env, PERSISTENCE: '1', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(dataDir, STATE_DIR, 'manifest.json'));
    expect(lines[0]).toContain('move it away');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a manifest whose file names would leave the state folder, or name another part', async () => {
    const dataDir = tempFolder();
    mkdirSync(join(dataDir, STATE_DIR));
    const manifest = (platform: string, parts: Record<string, string> = {}) =>
      writeFileSync(
        join(dataDir, STATE_DIR, 'manifest.json'),
        JSON.stringify({ format: 'inspector2-local/state', version: 1, generation: 1, savedAt: '', parts: { platform, ...parts } }),
      );
    manifest('../../../etc/passwd');
    await expect(startServer({ port: 0, logLevel: 'silent', persistence: true, dataDir })).rejects.toThrow(
      /manifest\.json cannot be read back \(not a state manifest: parts\.platform/,
    );
    manifest('platform.1.json', { '111122223333/eu-west-1/filters': '111122223333.eu-west-1.findings.1.json' });
    await expect(startServer({ port: 0, logLevel: 'silent', persistence: true, dataDir })).rejects.toThrow(
      /names 111122223333\.eu-west-1\.findings\.1\.json for/,
    );
  });

  it('keeps a change whose write failed pending, shows why in health, and writes it once it can', async () => {
    const dataDir = tempFolder();
    const server = await startServer({ port: 0, logLevel: 'silent', persistence: true, dataDir });
    const client = inspectorClient(server.url, { accountId: '710000000103' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await vi.waitFor(async () => expect((await control(server.url, 'GET', '/_inspector2/health')).body.persistence.pending).toBe(false), { timeout: 10_000 });
    // The state file's place taken by a folder: the rename that ends a write fails.
    // The manifest names the files of the latest save: its rename ends every write.
    const stateFile = join(dataDir, STATE_DIR, 'manifest.json');
    rmSync(stateFile);
    mkdirSync(stateFile);
    await client.send(
      new CreateFilterCommand({ name: 'pending-one', action: 'NONE', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }] } }),
    );
    await vi.waitFor(
      async () => {
        const health = (await control(server.url, 'GET', '/_inspector2/health')).body.persistence;
        expect(health.lastError?.message).toBeTruthy();
        expect(health.pending).toBe(true);
      },
      { timeout: 10_000 },
    );
    rmSync(stateFile, { recursive: true });
    await vi.waitFor(
      async () => {
        const health = (await control(server.url, 'GET', '/_inspector2/health')).body.persistence;
        expect(health.lastError).toBeNull();
        expect(health.pending).toBe(false);
      },
      { timeout: 20_000 },
    );
    const files = readdirSync(join(dataDir, STATE_DIR)).filter((name) => name.includes('.filters.'));
    expect(files.some((name) => readFileSync(join(dataDir, STATE_DIR, name), 'utf8').includes('pending-one'))).toBe(true);
    await server.close();
  });
});
