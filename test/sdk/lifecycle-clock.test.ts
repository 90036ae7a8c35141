// Time, events and error bodies, through the SDK v3 and boto3, on a manual clock with the
// transitions of a real account (60 s) and scans (30 s), moved explicitly:
// - one move runs what falls due inside it at its due time, and what that schedules too:
//   Enable, then one 2-minute move: ENABLED at +60 s, the scans queued then done at +90 s;
// - one `Inspector2 Scan` INITIAL_SCAN_COMPLETE event per resource (an EC2 instance has a
//   package and a network scan), counting all its findings;
// - a recurring CIS schedule still catches up at most 31 days of missed runs;
// - error bodies carry `__type`, the error's shape name, as `x-amzn-ErrorType` does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  BatchGetAccountStatusCommand,
  CreateCisScanConfigurationCommand,
  EnableCommand,
  GetCisScanReportCommand,
  ListCisScansCommand,
  ListCoverageCommand,
  type CisScan,
  type CoveredResource,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import {
  advanceClock,
  awsClientEnv,
  commandMissing,
  control,
  inspectorClient,
  listAllFindings,
  recordRawResponses,
  rejection,
  skipWithout,
  startTestServer,
} from '../helpers.js';

const run = promisify(execFile);
const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));

const REGION = 'eu-west-1';
const START = new Date('2026-05-05T10:00:00Z');
const LIFECYCLE = { manualClock: true, clockStart: START, transitionMs: 60_000, scanMs: 30_000 } as const;
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

interface ScanEvent {
  time: string;
  account: string;
  resources: string[];
  detail: { 'scan-status': string; 'instance-id'?: string; 'finding-severity-counts': Record<string, number> };
}

async function coverageOf(client: Inspector2Client): Promise<CoveredResource[]> {
  const rows: CoveredResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListCoverageCommand({ nextToken }));
    rows.push(...(page.coveredResources ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return rows;
}

describe('time, events and error bodies (SDK v3)', () => {
  let server: RunningServer;
  const as = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
  const scanEvents = async (accountId: string) =>
    (await control(server.url, 'GET', `/_inspector2/events?detailType=${encodeURIComponent('Inspector2 Scan')}&account=${accountId}`)).body
      .events as ScanEvent[];
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
  });
  afterAll(() => server.close());

  it('runs, in one 2-minute move, the transition at +60 s and the scans it queued at +90 s', async () => {
    const account = as('781100000001');
    await account.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await advanceClock(server.url, '2m');

    const status = (await account.send(new BatchGetAccountStatusCommand({}))).accounts?.[0];
    expect([status?.state?.status, status?.resourceState?.ec2?.status]).toEqual(['ENABLED', 'ENABLED']);
    const active = (await coverageOf(account)).filter((row) => row.scanStatus?.statusCode === 'ACTIVE');
    expect(active.length).toBeGreaterThan(0);
    for (const row of active) {
      expect(row.scanStatus?.reason, row.resourceId).toBe('SUCCESSFUL');
      expect(row.lastScannedAt, row.resourceId).toEqual(at(90));
    }
    const findings = await listAllFindings(account);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.firstObservedAt?.toISOString()))).toEqual(new Set([at(90).toISOString()]));
  });

  it('stands at PENDING_INITIAL_SCAN between the transition and the scan', async () => {
    const account = as('781100000002');
    const enabledAt = Date.parse((await control(server.url, 'GET', '/_inspector2/clock')).body.now);
    await account.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await advanceClock(server.url, '61s');
    const pending = (await coverageOf(account)).filter((row) => row.scanStatus?.statusCode === 'ACTIVE');
    expect(pending.length).toBeGreaterThan(0);
    expect(new Set(pending.map((row) => row.scanStatus?.reason))).toEqual(new Set(['PENDING_INITIAL_SCAN']));
    expect(await listAllFindings(account)).toEqual([]);
    await advanceClock(server.url, '29s');
    const scanned = (await coverageOf(account)).filter((row) => row.scanStatus?.statusCode === 'ACTIVE');
    expect(new Set(scanned.map((row) => row.scanStatus?.reason))).toEqual(new Set(['SUCCESSFUL']));
    expect(new Set(scanned.map((row) => row.lastScannedAt?.getTime()))).toEqual(new Set([enabledAt + 90_000]));
  });

  it('sends one initial-scan event per instance, counting its package and network findings', async () => {
    const accountId = '781100000001';
    const events = await scanEvents(accountId);
    const instances = new Set(
      (await coverageOf(as(accountId)))
        .filter((row) => row.resourceType === 'AWS_EC2_INSTANCE' && row.scanStatus?.statusCode === 'ACTIVE')
        .map((row) => row.resourceId),
    );
    expect(events.map((e) => e.resources[0]).sort()).toEqual([...instances].sort());
    const findings = await listAllFindings(as(accountId));
    const types = new Set<string>();
    for (const event of events) {
      expect(event).toMatchObject({ time: at(90).toISOString().replace('.000Z', 'Z'), detail: { 'scan-status': 'INITIAL_SCAN_COMPLETE' } });
      expect(event.detail['instance-id']).toBe(event.resources[0]);
      const own = findings.filter((f) => f.resources?.[0]?.id === event.resources[0]);
      expect(event.detail['finding-severity-counts'].TOTAL, event.resources[0]).toBe(own.length);
      for (const f of own) types.add(f.type!);
    }
    // The counts span both scan types of an instance.
    expect(types).toEqual(new Set(['PACKAGE_VULNERABILITY', 'NETWORK_REACHABILITY']));
  });

  it('catches a daily CIS schedule up over 31 days at most, however far the clock jumps', async () => {
    const account = as('781100000003');
    await account.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await advanceClock(server.url, '2m');
    const { scanConfigurationArn } = await account.send(
      new CreateCisScanConfigurationCommand({
        scanName: 'nightly',
        securityLevel: 'LEVEL_1',
        schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'UTC' } } },
        targets: { accountIds: ['SELF'], targetResourceTags: { CisTarget: ['yes'] } },
      }),
    );
    await advanceClock(server.url, '365d');
    const scans: CisScan[] = [];
    let nextToken: string | undefined;
    do {
      const page = await account.send(
        new ListCisScansCommand({ nextToken, filterCriteria: { scanConfigurationArnFilters: [{ comparison: 'EQUALS', value: scanConfigurationArn! }] } }),
      );
      scans.push(...(page.scans ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    // The first missed run, then those of the last 31 days (one more if a run falls at the edge).
    expect(scans.length).toBeGreaterThanOrEqual(32);
    expect(scans.length).toBeLessThanOrEqual(33);
    const dates = scans.map((s) => s.scanDate!.getTime()).sort((a, b) => a - b);
    expect(dates[0]).toBe(Date.UTC(2026, 4, 6, 2));
    expect(dates.at(-1)).toBeLessThanOrEqual(START.getTime() + 120_000 + 365 * 86_400_000);
  });

  it('puts __type, the shape name, in error bodies beside x-amzn-ErrorType', async () => {
    const account = as('781100000004');
    const raw = recordRawResponses(account);
    const invalid = await rejection(account.send(new EnableCommand({ resourceTypes: ['NOPE' as never] })));
    expect(invalid.name).toBe('ValidationException');
    let response = raw.last()!;
    expect(response.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'ValidationException', message: expect.any(String), reason: 'FIELD_VALIDATION_FAILED' });

    const denied = await rejection(
      account.send(new GetCisScanReportCommand({ scanArn: 'arn:aws:inspector2:eu-west-1:781100000004:owner/781100000004/cis-scan/none' })),
    );
    response = raw.last()!;
    expect(response.status).toBe(denied.$metadata?.httpStatusCode);
    expect(JSON.parse(response.body).__type).toBe(denied.name);
    expect(response.headers['x-amzn-errortype']).toBe(denied.name);
  });
});

describe.skipIf(noBoto3)('time, events and error bodies (boto3)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
  });
  afterAll(() => server.close());

  const script = `
import json, sys, urllib.request, boto3, botocore.exceptions
url = sys.argv[1]
client = boto3.client('inspector2', endpoint_url=url, region_name='${REGION}')
def plane(method, path, body=None):
    request = urllib.request.Request(url + path, method=method, data=None if body is None else json.dumps(body).encode(), headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())
def every(operation, key, **kwargs):
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]
out = {}
client.enable(resourceTypes=['EC2'])
out['clock'] = plane('POST', '/_inspector2/clock', {'advance': '2m'})['now']
out['status'] = client.batch_get_account_status()['accounts'][0]['resourceState']['ec2']['status']
out['coverage'] = [{'id': r['resourceId'], 'type': r['resourceType'], 'scanType': r['scanType'], 'status': r['scanStatus'], 'lastScannedAt': r.get('lastScannedAt')} for r in every('list_coverage', 'coveredResources')]
out['findings'] = [{'resource': f['resources'][0]['id'], 'firstObservedAt': f['firstObservedAt']} for f in every('list_findings', 'findings')]
out['scanEvents'] = plane('GET', '/_inspector2/events?detailType=Inspector2%20Scan')['events']
raw = {}
def keep(http_response, **kwargs):
    raw['body'] = http_response.content.decode()
client.meta.events.register('after-call.inspector2.Enable', keep)
try:
    client.enable(resourceTypes=['NOPE'])
except botocore.exceptions.ClientError as e:
    out['error'] = {'code': e.response['Error']['Code'], 'reason': e.response.get('reason'), 'body': json.loads(raw['body'])}
print(json.dumps(out, default=str))
`;

  it('chains the transition and the scans in one move, sends one scan event per instance, and parses __type errors', async () => {
    const env = awsClientEnv('781100000009');
    const { stdout } = await run('python3', ['-c', script, server.url], { env });
    const out = JSON.parse(stdout);
    expect(out.clock).toBe(at(120).toISOString());
    expect(out.status).toBe('ENABLED');
    const active = (out.coverage as { id: string; type: string; status: { statusCode: string; reason: string }; lastScannedAt: string }[]).filter(
      (row) => row.status.statusCode === 'ACTIVE',
    );
    expect(active.length).toBeGreaterThan(0);
    expect(new Set(active.map((row) => row.status.reason))).toEqual(new Set(['SUCCESSFUL']));
    // boto3 parses epoch seconds into local-zone datetimes; compare the instants.
    expect(new Set(active.map((row) => new Date(row.lastScannedAt).getTime()))).toEqual(new Set([at(90).getTime()]));
    expect(out.findings.length).toBeGreaterThan(0);

    const events = out.scanEvents as ScanEvent[];
    const instances = [...new Set(active.filter((row) => row.type === 'AWS_EC2_INSTANCE').map((row) => row.id))].sort();
    expect(events.map((e) => e.resources[0]).sort()).toEqual(instances);
    for (const event of events) {
      const own = (out.findings as { resource: string }[]).filter((f) => f.resource === event.resources[0]);
      expect(event.detail['finding-severity-counts'].TOTAL).toBe(own.length);
    }

    expect(out.error).toMatchObject({ code: 'ValidationException', reason: 'FIELD_VALIDATION_FAILED' });
    expect(out.error.body).toMatchObject({ __type: 'ValidationException', reason: 'FIELD_VALIDATION_FAILED' });
  });
});
