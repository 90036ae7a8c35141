// Findings over time, as AWS keeps them: closed findings deleted after 3 days (resource gone
// or no longer eligible) or 30 days (remediated); a remediated finding reopening under its
// ARN within 7 days, a new finding (new ARN) after; deactivation deleting the scan settings
// at once and the findings 24 hours later; and deletions due across a restart. Through the
// SDK v3 and boto3, with a manual clock, 60 s transitions and 30 s scans, and explicit moves.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateFilterCommand,
  DisableCommand,
  EnableCommand,
  GetConfigurationCommand,
  GetEncryptionKeyCommand,
  ListFiltersCommand,
  ListFindingsCommand,
  ListTagsForResourceCommand,
  UpdateConfigurationCommand,
  UpdateEncryptionKeyCommand,
  type Finding,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startServer } from '../../src/server.js';
import { optionsFromEnv } from '../../src/config.js';
import { advanceClock, awsClientEnv, commandMissing, control, inspectorClient, skipWithout, startTestServer, useTempDirs } from '../helpers.js';

const run = promisify(execFile);
const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));

const REGION = 'us-west-2';
const CVE = 'CVE-2021-3156';
// Focal's sudo before USN-4705-1 (fixed in 1.8.31-1ubuntu1.2): OS packages match their vendor's advisories for the release.
const SUDO = { name: 'sudo', version: '1.8.31-1ubuntu1', ecosystem: 'dpkg' };
/** One standalone account per scenario, each with one instance whose sudo is vulnerable. */
const ACCOUNTS = {
  remediation: '780000000101',
  terminated: '780000000102',
  deactivated: '780000000103',
  reenabled: '780000000104',
  persisted: '780000000105',
  boto3: '780000000106',
} as const;
const instanceOf = (accountId: string) => `i-0${accountId.slice(-3)}456789abcdef0`.slice(0, 19);
const clocked = {
  manualClock: true,
  clockStart: new Date('2025-03-03T00:00:00Z'),
  transitionMs: 60_000,
  scanMs: 30_000,
};

const tempDir = useTempDirs('inspector2-lifecycle-');

function seedFile(): string {
  const file = join(tempDir(), 'world.json');
  writeFileSync(
    file,
    JSON.stringify({
      accounts: Object.values(ACCOUNTS).map((accountId) => ({
        accountId,
        region: REGION,
        ec2Instances: [{ instanceId: instanceOf(accountId), amiId: 'ami-0123456789abcdef0', platform: 'UBUNTU_20_04', packages: [SUDO] }],
      })),
    }),
  );
  return file;
}

const base = (accountId: string) => `/_inspector2/inventory/${accountId}/${REGION}/ec2-instances/${instanceOf(accountId)}`;

/** The account's findings of the sudo vulnerability, every status, oldest first. */
async function sudoFindings(client: Inspector2Client): Promise<Finding[]> {
  const { findings } = await client.send(new ListFindingsCommand({ filterCriteria: { vulnerabilityId: [{ comparison: 'EQUALS', value: CVE }] } }));
  return (findings ?? []).sort((a, b) => a.firstObservedAt!.getTime() - b.firstObservedAt!.getTime());
}

const summary = (findings: Finding[]) => findings.map((f) => [f.findingArn, f.status]);

async function enabledWithFinding(url: string, accountId: string): Promise<Inspector2Client> {
  const client = inspectorClient(url, { accountId, region: REGION });
  await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
  // 60 s to enable, 30 s to scan.
  await advanceClock(url, '2m');
  expect((await sudoFindings(client)).map((f) => f.status)).toEqual(['ACTIVE']);
  return client;
}

describe('retention and recurrence of findings (SDK v3)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ ...clocked, seed: seedFile() });
  });
  afterAll(() => server.close());

  it('reopens a remediated finding within 7 days, makes a new one after, and deletes the closed one 30 days after closing', async () => {
    const client = await enabledWithFinding(server.url, ACCOUNTS.remediation);
    const [first] = await sudoFindings(client);
    const remediate = async () => {
      expect((await control(server.url, 'DELETE', `${base(ACCOUNTS.remediation)}/packages/dpkg/sudo`)).status).toBe(200);
      await advanceClock(server.url, '1m');
    };
    const reinstall = async () => {
      expect((await control(server.url, 'POST', `${base(ACCOUNTS.remediation)}/packages`, SUDO)).status).toBe(201);
      await advanceClock(server.url, '1m');
    };

    await remediate();
    expect(summary(await sudoFindings(client))).toEqual([[first!.findingArn, 'CLOSED']]);
    // Back within 7 days: the same finding, reopened, first observed when it was.
    await advanceClock(server.url, '2d');
    await reinstall();
    const reopened = await sudoFindings(client);
    expect(summary(reopened)).toEqual([[first!.findingArn, 'ACTIVE']]);
    expect(reopened[0]!.firstObservedAt).toEqual(first!.firstObservedAt);

    // Back after 7 days: a new finding under a new ARN; the old one stays closed.
    await remediate();
    await advanceClock(server.url, '8d');
    await reinstall();
    const recurred = await sudoFindings(client);
    expect(recurred.map((f) => f.status)).toEqual(['CLOSED', 'ACTIVE']);
    expect(recurred[0]!.findingArn).toBe(first!.findingArn);
    const second = recurred[1]!;
    expect(second.findingArn).not.toBe(first!.findingArn);
    expect(second.findingArn).toMatch(new RegExp(`^arn:aws:inspector2:${REGION}:${ACCOUNTS.remediation}:finding/[0-9a-f]{32}$`));

    // The remediated finding is kept 30 days after it closed (8 days ago), then deleted.
    await advanceClock(server.url, '21d');
    expect((await sudoFindings(client)).map((f) => f.findingArn)).toEqual([first!.findingArn, second.findingArn]);
    await advanceClock(server.url, '2d');
    expect(summary(await sudoFindings(client))).toEqual([[second.findingArn, 'ACTIVE']]);

    // Its ARN is not used again: remediated and back 8 days later, the issue is a third finding.
    await remediate();
    await advanceClock(server.url, '8d');
    await reinstall();
    const third = await sudoFindings(client);
    expect(third.map((f) => f.status)).toEqual(['CLOSED', 'ACTIVE']);
    expect(new Set([first!.findingArn, second.findingArn, third[1]!.findingArn]).size).toBe(3);
    // +31 days: the closed one is gone.
    await advanceClock(server.url, '31d');
    expect(summary(await sudoFindings(client))).toEqual([[third[1]!.findingArn, 'ACTIVE']]);
  });

  it('deletes the findings of a terminated instance 3 days after closing them', async () => {
    const client = await enabledWithFinding(server.url, ACCOUNTS.terminated);
    const [finding] = await sudoFindings(client);
    expect((await control(server.url, 'PATCH', base(ACCOUNTS.terminated), { state: 'terminated' })).status).toBe(200);
    expect(summary(await sudoFindings(client))).toEqual([[finding!.findingArn, 'CLOSED']]);
    await advanceClock(server.url, '2d');
    expect(summary(await sudoFindings(client))).toEqual([[finding!.findingArn, 'CLOSED']]);
    await advanceClock(server.url, '25h');
    expect(await sudoFindings(client)).toEqual([]);
  });

  it('deactivation deletes the scan settings at once, and the findings 24 hours later', async () => {
    const client = await enabledWithFinding(server.url, ACCOUNTS.deactivated);
    const { arn } = await client.send(
      new CreateFilterCommand({
        name: 'hide-low',
        action: 'SUPPRESS',
        filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'LOW' }] },
        tags: { team: 'sec' },
      }),
    );
    await client.send(
      new UpdateConfigurationCommand({ ecrConfiguration: { rescanDuration: 'DAYS_30' }, ec2Configuration: { scanMode: 'EC2_SSM_AGENT_BASED' } }),
    );
    const kms = `arn:aws:kms:${REGION}:${ACCOUNTS.deactivated}:key/01234567-89ab-cdef-0123-456789abcdef`;
    await client.send(new UpdateEncryptionKeyCommand({ scanType: 'PACKAGE', resourceType: 'AWS_LAMBDA_FUNCTION', kmsKeyId: kms }));
    await advanceClock(server.url, '2m');
    const defaults = await inspectorClient(server.url, { accountId: '780000000999', region: REGION }).send(new GetConfigurationCommand({}));
    const [finding] = await sudoFindings(client);

    await client.send(new DisableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE', 'CODE_REPOSITORY'] }));
    // Until the transition completes, nothing is deleted.
    expect((await client.send(new ListFiltersCommand({}))).filters!.map((f) => f.arn)).toEqual([arn]);
    await advanceClock(server.url, '2m');
    expect((await client.send(new ListFiltersCommand({}))).filters).toEqual([]);
    await expect(client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const configuration = await client.send(new GetConfigurationCommand({}));
    expect(configuration.ec2Configuration?.scanModeState?.scanMode).toBe(defaults.ec2Configuration?.scanModeState?.scanMode);
    expect(configuration.ecrConfiguration?.rescanDurationState?.rescanDuration).toBe(defaults.ecrConfiguration?.rescanDurationState?.rescanDuration);
    await expect(client.send(new GetEncryptionKeyCommand({ scanType: 'PACKAGE', resourceType: 'AWS_LAMBDA_FUNCTION' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    // The findings are closed, and kept for 24 hours.
    expect(summary(await sudoFindings(client))).toEqual([[finding!.findingArn, 'CLOSED']]);
    await advanceClock(server.url, '23h');
    expect(summary(await sudoFindings(client))).toEqual([[finding!.findingArn, 'CLOSED']]);
    await advanceClock(server.url, '2h');
    expect(await sudoFindings(client)).toEqual([]);
  });

  it('enabled again within 24 hours: new findings under new ARNs; the old ones are still deleted on time', async () => {
    const client = await enabledWithFinding(server.url, ACCOUNTS.reenabled);
    const [old] = await sudoFindings(client);
    await client.send(new DisableCommand({ resourceTypes: ['EC2'] }));
    await advanceClock(server.url, '2m');
    await advanceClock(server.url, '1h');
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await advanceClock(server.url, '2m');
    const after = await sudoFindings(client);
    expect(after.map((f) => f.status)).toEqual(['CLOSED', 'ACTIVE']);
    expect(after[0]!.findingArn).toBe(old!.findingArn);
    expect(after[1]!.findingArn).not.toBe(old!.findingArn);
    await advanceClock(server.url, '23h');
    expect(summary(await sudoFindings(client))).toEqual([[after[1]!.findingArn, 'ACTIVE']]);
  });
});

describe('configurable windows', () => {
  it('reads them from the environment, in milliseconds', () => {
    expect(
      optionsFromEnv({
        INSPECTOR2_DEACTIVATION_RETENTION_MS: '1000',
        INSPECTOR2_CLOSED_RESOURCE_RETENTION_MS: '2000',
        INSPECTOR2_CLOSED_RETENTION_MS: '3000',
        INSPECTOR2_REOPEN_WINDOW_MS: '0',
      }),
    ).toMatchObject({ deactivationRetentionMs: 1000, closedResourceRetentionMs: 2000, closedRetentionMs: 3000, reopenWindowMs: 0 });
    expect(() => optionsFromEnv({ INSPECTOR2_CLOSED_RETENTION_MS: '30d' })).toThrow(/INSPECTOR2_CLOSED_RETENTION_MS must be a whole number/);
  });

  it('a shorter retention deletes sooner', async () => {
    const server = await startTestServer({ ...clocked, seed: seedFile(), closedResourceRetentionMs: 60_000 });
    try {
      const client = await enabledWithFinding(server.url, ACCOUNTS.terminated);
      await control(server.url, 'PATCH', base(ACCOUNTS.terminated), { state: 'terminated' });
      expect((await sudoFindings(client)).map((f) => f.status)).toEqual(['CLOSED']);
      await advanceClock(server.url, '61s');
      expect(await sudoFindings(client)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('deletions due across a restart (PERSISTENCE=1)', () => {
  it('deletes a closed finding whose time comes after the restart', async () => {
    const dataDir = tempDir();
    const options = { ...clocked, port: 0, host: '127.0.0.1', logLevel: 'silent' as const, persistence: true, dataDir, seed: seedFile() };
    let server = await startServer(options);
    try {
      const client = await enabledWithFinding(server.url, ACCOUNTS.persisted);
      const [finding] = await sudoFindings(client);
      expect((await control(server.url, 'PATCH', base(ACCOUNTS.persisted), { state: 'terminated' })).status).toBe(200);
      expect(summary(await sudoFindings(client))).toEqual([[finding!.findingArn, 'CLOSED']]);
    } finally {
      await server.close();
    }
    server = await startServer(options);
    try {
      const client = inspectorClient(server.url, { accountId: ACCOUNTS.persisted, region: REGION });
      expect(summary(await sudoFindings(client)).map(([, status]) => status)).toEqual(['CLOSED']);
      await advanceClock(server.url, '4d');
      expect(await sudoFindings(client)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(noBoto3)('retention and deactivation through boto3', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ ...clocked, seed: seedFile() });
  });
  afterAll(() => server.close());

  const script = `
import json, sys, urllib.request, boto3
url, account, instance, region = sys.argv[1:5]
client = boto3.client('inspector2', endpoint_url=url, region_name=region)
def control(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())
def advance(duration):
    control('POST', '/_inspector2/clock', {'advance': duration})
def sudo():
    found = client.list_findings(filterCriteria={'vulnerabilityId': [{'comparison': 'EQUALS', 'value': '${CVE}'}]})['findings']
    return [[f['findingArn'], f['status']] for f in sorted(found, key=lambda f: f['firstObservedAt'])]
packages = '/_inspector2/inventory/%s/%s/ec2-instances/%s/packages' % (account, region, instance)
out = {}
client.enable(resourceTypes=['EC2'])
advance('2m')
out['active'] = sudo()
control('DELETE', packages + '/dpkg/sudo')
advance('1m')
out['remediated'] = sudo()
advance('3d')
control('POST', packages, ${JSON.stringify(SUDO)})
advance('1m')
out['reopened'] = sudo()
control('DELETE', packages + '/dpkg/sudo')
advance('1m')
advance('8d')
control('POST', packages, ${JSON.stringify(SUDO)})
advance('1m')
out['recurred'] = sudo()
advance('23d')
out['after31d'] = sudo()
client.create_filter(name='keep-high', action='NONE', filterCriteria={'severity': [{'comparison': 'EQUALS', 'value': 'HIGH'}]})
client.disable(resourceTypes=['EC2'])
advance('2m')
out['filters'] = client.list_filters()['filters']
out['deactivated'] = sudo()
advance('25h')
out['after25h'] = sudo()
print(json.dumps(out))
`;

  it('remediation, reopening, a new ARN after 7 days, deletion after 30 days and 24 h after deactivation', async () => {
    const accountId = ACCOUNTS.boto3;
    const { stdout } = await run('python3', ['-c', script, server.url, accountId, instanceOf(accountId), REGION], {
      env: awsClientEnv(accountId),
    });
    const out = JSON.parse(stdout) as Record<string, [string, string][]>;
    const [[first]] = out.active as [[string, string]];
    expect(out.active).toEqual([[first, 'ACTIVE']]);
    expect(out.remediated).toEqual([[first, 'CLOSED']]);
    expect(out.reopened).toEqual([[first, 'ACTIVE']]);
    const second = out.recurred![1]![0];
    expect(second).not.toBe(first);
    expect(out.recurred).toEqual([
      [first, 'CLOSED'],
      [second, 'ACTIVE'],
    ]);
    expect(out.after31d).toEqual([[second, 'ACTIVE']]);
    expect(out.filters).toEqual([]);
    expect(out.deactivated).toEqual([[second, 'CLOSED']]);
    expect(out.after25h).toEqual([]);
  });
});
