// Limits on what a caller on loopback (or a crafted file) can make the emulator do: scenario
// files only from the scenarios folder, regular and size-capped, with errors that quote
// nothing from them; request bodies counted while they stream in and cut at the limit;
// clock moves that keep every date valid and recurring schedules that catch up a bounded
// number of runs; a bounded number of fault rules, a batch applied whole or not at all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateCisScanConfigurationCommand, EnableCommand, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SCENARIO_FILE_BYTES } from '../../src/control/scenario-files.js';
import { MAX_FAULT_RULES } from '../../src/faults.js';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, startTestServer } from '../helpers.js';

const folders: string[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<RunningServer> {
  const started = await startTestServer(options);
  servers.push(started);
  return started;
}

const SECRET_KEY = 'aws_secret_access_key';
const SECRET_VALUE = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';

describe('scenario files', () => {
  let root: string;
  let scenarios: string;
  let emulator: RunningServer;
  const load = (file: unknown) => control(emulator.url, 'POST', '/_inspector2/scenario', { file });
  /** A refusal: 400, and a message that quotes no secret, no file content and no absolute path. */
  const refused = async (file: string, reason: RegExp) => {
    const answer = await load(file);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    const message: string = answer.body.message;
    expect(message).toMatch(reason);
    for (const leak of [SECRET_KEY, SECRET_VALUE, 'root:', '$6$', root, tmpdir()]) expect(message).not.toContain(leak);
    return message;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'inspector2-limits-'));
    folders.push(root);
    scenarios = join(root, 'scenarios');
    mkdirSync(join(scenarios, 'sub'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'secret.json'), JSON.stringify({ [SECRET_KEY]: SECRET_VALUE }));
    writeFileSync(join(root, 'outside', 'world.json'), JSON.stringify({ organizations: [], accounts: [] }));
    writeFileSync(
      join(scenarios, 'sub', 'good.json'),
      JSON.stringify({
        organizations: [
          {
            id: 'o-limits00001',
            managementAccountId: '740000000001',
            accounts: [{ id: '740000000001', name: 'management' }],
          },
        ],
        accounts: [],
      }),
    );
    emulator = await server({ scenariosDir: scenarios });
  });

  it('loads a good scenario file named relative to the folder', async () => {
    const answer = await load('sub/good.json');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      loaded: 'sub/good.json',
      organizations: 1,
    });
    expect((await control(emulator.url, 'GET', '/_inspector2/organizations')).body.map((o: { id: string }) => o.id)).toEqual(['o-limits00001']);
    // ./ and a symbolic link that stays inside the folder are fine.
    symlinkSync(join(scenarios, 'sub', 'good.json'), join(scenarios, 'alias.json'));
    expect((await load('./alias.json')).status).toBe(200);
  });

  it('refuses an absolute path, even to a good scenario outside the folder', async () => {
    await refused(join(root, 'outside', 'world.json'), /not an absolute path/);
    await refused(join(root, 'outside', 'secret.json'), /not an absolute path/);
    await refused('/etc/passwd', /not an absolute path/);
  });

  it("refuses '..' anywhere in the name", async () => {
    await refused('../outside/world.json', /must not leave the scenarios folder/);
    await refused('sub/../../outside/secret.json', /must not leave the scenarios folder/);
  });

  it('refuses a symbolic link that leads outside the folder (a file or a folder)', async () => {
    symlinkSync(join(root, 'outside', 'secret.json'), join(scenarios, 'link.json'));
    symlinkSync(join(root, 'outside'), join(scenarios, 'elsewhere'));
    await refused('link.json', /leads outside the scenarios folder/);
    await refused('elsewhere/world.json', /leads outside the scenarios folder/);
    if (existsSync('/dev/zero')) {
      symlinkSync('/dev/zero', join(scenarios, 'zero.json'));
      await refused('zero.json', /leads outside the scenarios folder/);
    }
    if (existsSync('/proc/self/environ')) {
      symlinkSync('/proc/self/environ', join(scenarios, 'environ.json'));
      await refused('environ.json', /leads outside the scenarios folder/);
    }
  });

  it('refuses a FIFO at once, without reading it (nothing hangs)', async (context) => {
    const fifo = join(scenarios, 'pipe.json');
    if (spawnSync('mkfifo', [fifo]).status !== 0) context.skip();
    await refused('pipe.json', /is not a regular file/);
    // The server still answers.
    expect((await control(emulator.url, 'GET', '/_inspector2/health')).status).toBe(200);
  });

  it('refuses a device and a directory as not regular files', async (context) => {
    await refused('sub', /is not a regular file/);
    if (!existsSync('/dev/zero') || !statSync('/dev/zero').isCharacterDevice()) context.skip();
    // A folder of devices as the scenarios folder: /dev/zero is inside it, and still refused before a byte is read.
    const devices = await server({ scenariosDir: '/dev' });
    const answer = await control(devices.url, 'POST', '/_inspector2/scenario', {
      file: 'zero',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/is not a regular file/);
    if (existsSync('/dev/stdin')) {
      const stdin = await control(devices.url, 'POST', '/_inspector2/scenario', { file: 'stdin' });
      expect(stdin.status).toBe(400);
      expect(stdin.body.message).not.toContain('/proc');
    }
  });

  it('names the path inside a bad scenario file, never its values or its unknown member names', async () => {
    writeFileSync(
      join(scenarios, 'leaky.json'),
      JSON.stringify({
        organizations: [],
        accounts: [],
        [SECRET_KEY]: SECRET_VALUE,
      }),
    );
    expect(await refused('leaky.json', /1 member\(s\) the schema does not know/)).toContain('(top level)');

    writeFileSync(
      join(scenarios, 'values.json'),
      JSON.stringify({
        organizations: [
          {
            id: SECRET_VALUE,
            managementAccountId: SECRET_VALUE,
            accounts: [{ id: SECRET_VALUE, name: 'x' }],
          },
        ],
      }),
    );
    const values = await refused('values.json', /organizations\.0\.id: must be an organization id/);
    expect(values).toContain('organizations.0.accounts.0.id');

    const tagged = {
      accounts: [
        {
          accountId: '740000000002',
          region: 'us-east-1',
          ec2Instances: [
            {
              instanceId: 'i-0aaaabbbbcccc0001',
              amiId: 'ami-0abcdef1234567890',
              platform: 'AMAZON_LINUX_2',
              packages: [],
              tags: { [SECRET_KEY.repeat(10)]: 'v' },
            },
          ],
        },
      ],
    };
    writeFileSync(join(scenarios, 'tags.json'), JSON.stringify(tagged));
    expect(await refused('tags.json', /tags\.\*/)).toContain('accounts.0.ec2Instances.0.tags.*');
  });

  it('says a file is not JSON without quoting it', async () => {
    writeFileSync(join(scenarios, 'shadow.json'), `root:$6$saltsalt$${SECRET_VALUE}:19000:0:99999:7:::\n`);
    await refused('shadow.json', /not valid JSON/);
    writeFileSync(join(scenarios, 'cut.json'), `{"${SECRET_KEY}": "${SECRET_VALUE}`);
    await refused('cut.json', /not valid JSON/);
  });

  it(`refuses a file larger than ${MAX_SCENARIO_FILE_BYTES} bytes before reading it`, async () => {
    const big = join(scenarios, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_SCENARIO_FILE_BYTES + 1);
    await refused('big.json', /larger than the limit/);
  });

  it('refuses a missing file and a name that is not a string, naming the requested name only', async () => {
    expect(await refused('missing.json', /no such file/)).toContain('"missing.json"');
    expect((await load(42)).status).toBe(400);
    expect((await load('')).status).toBe(400);
  });

  it('keeps a start-up seed file usable from anywhere, with a short reason when it is not JSON', async () => {
    await server({ seed: join(root, 'outside', 'world.json') });
    const bad = join(root, 'outside', 'bad-seed.json');
    writeFileSync(bad, `{"${SECRET_KEY}": ${SECRET_VALUE}}`);
    const error = await startTestServer({ seed: bad }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/not valid JSON/);
    expect(error?.message).not.toContain(SECRET_VALUE);
  });
});

interface Streamed {
  status: number;
  body: string;
  /** Bytes the client had written when the answer arrived. */
  sentBeforeAnswer: number;
}

/** POSTs `total` bytes chunked (no Content-Length) and stops writing as soon as an answer arrives. */
function sendChunked(url: string, path: string, headers: Record<string, string>, total: number): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'transfer-encoding': 'chunked' },
    });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (data: string) => (body += data));
      response.on('end', () => {
        resolve({ status: response.statusCode!, body, sentBeforeAnswer });
        request.destroy();
      });
    });
    // Writing after the server answered and closed fails: only an error before the answer counts.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!answered) request.end();
    };
    pump();
  });
}

const MiB = 1024 * 1024;
const SIGNED = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=111122223333/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
  'x-amz-date': '20250101T000000Z',
});

describe('request bodies', () => {
  let emulator: RunningServer;
  beforeAll(async () => {
    emulator = await server({ maxSnapshotBytes: MiB });
  });

  it('cuts a chunked inspector2 request at 10 MB with 413, before the client has sent it all', async () => {
    const answer = await sendChunked(emulator.url, '/findings/list', { 'content-type': 'application/json', ...SIGNED('inspector2') }, 50 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toMatch(/larger than the limit of 10485760 bytes/);
    expect(answer.sentBeforeAnswer).toBeLessThan(50 * MiB);
  });

  it('cuts a chunked IAM (query protocol) request at 10 MB with 413', async () => {
    const answer = await sendChunked(emulator.url, '/', { 'content-type': 'application/x-www-form-urlencoded', ...SIGNED('iam') }, 50 * MiB);
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('RequestEntityTooLargeException');
    expect(answer.sentBeforeAnswer).toBeLessThan(50 * MiB);
  });

  it('refuses a declared Content-Length over the limit before reading anything', async () => {
    const response = await fetch(`${emulator.url}/findings/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...SIGNED('inspector2') },
      body: new Uint8Array(11 * MiB),
    });
    expect(response.status).toBe(413);
  });

  it('cuts a chunked snapshot import at INSPECTOR2_MAX_SNAPSHOT_BYTES with a 413 JSON message', async () => {
    const answer = await sendChunked(emulator.url, '/_inspector2/snapshot', { 'content-type': 'application/json' }, 50 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      message: `The request body is larger than the limit of ${MiB} bytes.`,
    });
    expect(answer.sentBeforeAnswer).toBeLessThan(50 * MiB);
  });

  it('cuts any other chunked control-plane body at 64 MiB with a 413 JSON message', async () => {
    const answer = await sendChunked(emulator.url, '/_inspector2/clock', { 'content-type': 'application/json' }, 160 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).message).toMatch(/larger than the limit of 67108864 bytes/);
    expect(answer.sentBeforeAnswer).toBeLessThan(160 * MiB);
    // And the server goes on answering.
    expect((await control(emulator.url, 'GET', '/_inspector2/health')).status).toBe(200);
  });
});

describe('clock moves', () => {
  let emulator: RunningServer;
  const move = (body: unknown) => control(emulator.url, 'POST', '/_inspector2/clock', body);
  const stillAnswers = async () => {
    const health = await control(emulator.url, 'GET', '/_inspector2/health');
    expect(health.status).toBe(200);
    const inspector = inspectorClient(emulator.url, {
      accountId: '750000000001',
    });
    await inspector.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect((await inspector.send(new ListFindingsCommand({}))).$metadata.httpStatusCode).toBe(200);
  };
  beforeAll(async () => {
    emulator = await server({ clockStart: new Date('2025-01-01T00:00:00Z') });
  });

  it('refuses a move that would leave the years 1970 to 9999, and the server keeps answering', async () => {
    for (const body of [
      { advance: 1e16 },
      { advance: 1e300 },
      { advance: '99999999999999999999d' },
      { advance: '3654d' },
      { set: 1e13 },
      { set: '+275760-09-13T00:00:00.000Z' },
      { set: '2130-01-01T00:00:00Z' },
    ]) {
      const answer = await move(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await control(emulator.url, 'GET', '/_inspector2/clock')).body.now).toMatch(/^2025-01-01T/);
    await stillAnswers();
  });

  it('takes an advance of 10 years; a daily CIS schedule catches up a bounded number of runs', async () => {
    const inspector = inspectorClient(emulator.url, {
      accountId: '750000000002',
    });
    await inspector.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    const { scanConfigurationArn } = await inspector.send(
      new CreateCisScanConfigurationCommand({
        scanName: 'nightly',
        securityLevel: 'LEVEL_1',
        schedule: {
          daily: { startTime: { timeOfDay: '02:00', timezone: 'UTC' } },
        },
        targets: {
          accountIds: ['SELF'],
          targetResourceTags: { CisTarget: ['yes'] },
        },
      }),
    );
    const answer = await move({ advance: '3653d' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const scans = emulator.emulator.world
      .allAccountRegions()
      .flatMap((state) => [...state.cis.scans.values()])
      .filter((scan) => scan.configurationArn === scanConfigurationArn);
    // 3,653 runs were missed: the first and those of the last 31 days ran, not all of them.
    expect(scans.length).toBeGreaterThanOrEqual(1);
    expect(scans.length).toBeLessThanOrEqual(33);
    // The next run is after now, and the clock can still go on.
    expect((await move({ advance: '1d' })).status).toBe(200);
    await stillAnswers();
  });
});

describe('fault rules', () => {
  let emulator: RunningServer;
  const rule = (n: number) => ({
    id: `r-${n}`,
    operation: 'ListFindings',
    fault: 'ThrottlingException',
  });
  const rules = async () => (await control(emulator.url, 'GET', '/_inspector2/faults')).body.rules as unknown[];
  beforeAll(async () => {
    emulator = await server();
  });

  it(`refuses more than ${MAX_FAULT_RULES} rules, in one batch or added one by one`, async () => {
    const tooMany = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: Array.from({ length: MAX_FAULT_RULES + 1 }, (_, n) => rule(n)),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain(`at most ${MAX_FAULT_RULES}`);
    expect(await rules()).toHaveLength(0);
    // 20,000 rules are refused at once too.
    const huge = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: Array.from({ length: 20_000 }, (_, n) => rule(n)),
    });
    expect(huge.status).toBe(400);

    const full = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: Array.from({ length: MAX_FAULT_RULES }, (_, n) => rule(n)),
    });
    expect(full.status).toBe(201);
    const oneMore = await control(emulator.url, 'POST', '/_inspector2/faults', {
      operation: 'ListFindings',
      fault: 'drop',
    });
    expect(oneMore.status).toBe(400);
    expect(await rules()).toHaveLength(MAX_FAULT_RULES);
    expect((await control(emulator.url, 'DELETE', '/_inspector2/faults')).status).toBe(200);
  });

  it('applies a batch whole or not at all: one bad rule, or a clashing id, adds none', async () => {
    expect((await control(emulator.url, 'POST', '/_inspector2/faults', rule(1))).status).toBe(201);
    const bad = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: [rule(2), { operation: 'ListFindings', fault: 'Nope' }, rule(3)],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('rules.1.fault');
    const clash = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: [rule(4), rule(1)],
    });
    expect(clash.status).toBe(400);
    const twice = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: [rule(5), rule(5)],
    });
    expect(twice.status).toBe(400);
    expect(((await rules()) as { id: string }[]).map((r) => r.id)).toEqual(['r-1']);
    // Generated ids never take a given one.
    const mixed = await control(emulator.url, 'POST', '/_inspector2/faults', {
      rules: [{ fault: 'drop' }, { id: 'fault-1', fault: 'drop' }],
    });
    expect(mixed.status).toBe(201);
    expect(mixed.body.rules.map((r: { id: string }) => r.id)).toEqual(['fault-2', 'fault-1']);
  });
});
