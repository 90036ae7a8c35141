// Findings reports through the SDK v3: written as CSV or JSON to a folder, or to a real S3
// endpoint (moto_server, started here on loopback; skipped with the reason if it is missing).
// The emulators run a manual clock: a report is IN_PROGRESS until the test moves the clock
// past the transition time, never because wall-clock time went by.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CancelFindingsReportCommand,
  CreateFindingsReportCommand,
  EnableCommand,
  GetFindingsReportStatusCommand,
  ListFindingsCommand,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { advanceClock, inspectorClient, jobOutcome, motoServerMissing, skipWithout, startMotoServer, startTestServer, useTempDirs } from '../helpers.js';

const ACCOUNT = '790000000009';
const KMS = `arn:aws:kms:us-east-1:${ACCOUNT}:key/01234567-89ab-cdef-0123-456789abcdef`;
const critical = { severity: [{ comparison: 'EQUALS' as const, value: 'CRITICAL' }] };
/** How long enabling and a report take on the emulator's (manual) clock. */
const TRANSITION = '60s';
const clocked = { manualClock: true, transitionMs: 60_000 };
const tempDir = useTempDirs('inspector2-reports-');

async function activeFindings(client: Inspector2Client, criteria: object = {}): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListFindingsCommand({ nextToken, filterCriteria: { ...criteria, findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] } }),
    );
    arns.push(...page.findings!.map((f) => f.findingArn!));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns.sort();
}

/** A report's outcome: IN_PROGRESS until the clock passes the transition, which starts writing it. */
async function finished(client: Inspector2Client, url: string, reportId: string) {
  const status = () => client.send(new GetFindingsReportStatusCommand({ reportId }));
  expect((await status()).status).toBe('IN_PROGRESS');
  await advanceClock(url, TRANSITION);
  return jobOutcome(status, `report ${reportId}`);
}

/** Enables the scan types and lets the clock complete the enablement; the first ListFindings scans. */
async function enabled(client: Inspector2Client, url: string, resourceTypes: ('EC2' | 'ECR' | 'LAMBDA')[]): Promise<void> {
  await client.send(new EnableCommand({ resourceTypes }));
  await advanceClock(url, TRANSITION);
  await client.send(new ListFindingsCommand({}));
}

describe('findings reports to a folder', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir();
    server = await startTestServer({ dataDir, ...clocked });
    client = inspectorClient(server.url, { accountId: ACCOUNT });
    await enabled(client, server.url, ['EC2', 'ECR', 'LAMBDA']);
  });
  afterAll(() => server.close());

  it('writes the matching ACTIVE findings as JSON under bucket/prefix/<reportId>.json', async () => {
    const { reportId } = await client.send(
      new CreateFindingsReportCommand({
        reportFormat: 'JSON',
        filterCriteria: critical,
        s3Destination: { bucketName: 'reports', keyPrefix: 'inspector', kmsKeyArn: KMS },
      }),
    );
    expect(reportId).toMatch(/^[0-9a-f-]{36}$/);
    const status = await finished(client, server.url, reportId!);
    expect(status).toMatchObject({ reportId, status: 'SUCCEEDED', destination: { bucketName: 'reports', keyPrefix: 'inspector' }, filterCriteria: critical });
    const report = JSON.parse(readFileSync(join(dataDir, 's3', 'reports', 'inspector', `${reportId}.json`), 'utf8'));
    expect(report.findings.map((f: { findingArn: string }) => f.findingArn).sort()).toEqual(await activeFindings(client, critical));
    // The latest report, when no id is given.
    expect((await client.send(new GetFindingsReportStatusCommand({}))).reportId).toBe(reportId);
  });

  it('writes CSV with a header and one line per finding', async () => {
    const { reportId } = await client.send(new CreateFindingsReportCommand({ reportFormat: 'CSV', s3Destination: { bucketName: 'reports', kmsKeyArn: KMS } }));
    await finished(client, server.url, reportId!);
    const lines = readFileSync(join(dataDir, 's3', 'reports', `${reportId}.csv`), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^AWS Account Id,Severity,Fix Available,Finding Type,Title/);
    expect(lines.length - 1).toBe((await activeFindings(client)).length);
    expect(lines.slice(1).every((line) => line.startsWith(`${ACCOUNT},`))).toBe(true);
  });

  it('fails with AWS’s error codes, and can be cancelled while in progress', async () => {
    const none = await client.send(
      new CreateFindingsReportCommand({
        reportFormat: 'JSON',
        filterCriteria: { vulnerabilityId: [{ comparison: 'EQUALS', value: 'CVE-1999-0001' }] },
        s3Destination: { bucketName: 'reports', kmsKeyArn: KMS },
      }),
    );
    expect(await finished(client, server.url, none.reportId!)).toMatchObject({ status: 'FAILED', errorCode: 'NO_FINDINGS_FOUND' });
    const badKey = await client.send(new CreateFindingsReportCommand({ reportFormat: 'JSON', s3Destination: { bucketName: 'reports', kmsKeyArn: 'my-key' } }));
    expect(await finished(client, server.url, badKey.reportId!)).toMatchObject({ status: 'FAILED', errorCode: 'MALFORMED_KMS_KEY' });

    const slow = await startTestServer(clocked);
    try {
      const slowClient = inspectorClient(slow.url, { accountId: ACCOUNT });
      const { reportId } = await slowClient.send(
        new CreateFindingsReportCommand({ reportFormat: 'JSON', s3Destination: { bucketName: 'reports', kmsKeyArn: KMS } }),
      );
      expect((await slowClient.send(new GetFindingsReportStatusCommand({ reportId }))).status).toBe('IN_PROGRESS');
      await slowClient.send(new CancelFindingsReportCommand({ reportId: reportId! }));
      expect((await slowClient.send(new GetFindingsReportStatusCommand({ reportId }))).status).toBe('CANCELLED');
      // Past the transition, a cancelled report stays cancelled.
      await advanceClock(slow.url, TRANSITION);
      expect((await slowClient.send(new GetFindingsReportStatusCommand({ reportId }))).status).toBe('CANCELLED');
      const unknown = await slowClient.send(new GetFindingsReportStatusCommand({ reportId: '01234567-0000-4000-8000-000000000000' })).catch((e: Error) => e);
      expect((unknown as Error).name).toBe('ResourceNotFoundException');
    } finally {
      await slow.close();
    }
  });
});

const noMoto = skipWithout('moto_server', motoServerMissing());

describe.skipIf(noMoto)('findings reports to an S3 endpoint (moto_server)', () => {
  let moto: Awaited<ReturnType<typeof startMotoServer>>;
  let endpoint: string;
  let server: RunningServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    endpoint = moto.endpoint;
    server = await startTestServer({ s3Endpoint: endpoint, ...clocked });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    moto?.stop();
  });

  it('puts the report object in the bucket, and fails with BUCKET_NOT_FOUND when there is none', async () => {
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'inspector-reports' }));
    const client = inspectorClient(server.url, { accountId: ACCOUNT });
    await enabled(client, server.url, ['EC2']);
    const { reportId } = await client.send(
      new CreateFindingsReportCommand({ reportFormat: 'JSON', s3Destination: { bucketName: 'inspector-reports', keyPrefix: 'daily', kmsKeyArn: KMS } }),
    );
    expect(await finished(client, server.url, reportId!)).toMatchObject({ status: 'SUCCEEDED' });
    const object = await s3.send(new GetObjectCommand({ Bucket: 'inspector-reports', Key: `daily/${reportId}.json` }));
    const report = JSON.parse(await object.Body!.transformToString());
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f: { status: string }) => f.status === 'ACTIVE')).toBe(true);

    const missing = await client.send(
      new CreateFindingsReportCommand({ reportFormat: 'CSV', s3Destination: { bucketName: 'no-such-bucket', kmsKeyArn: KMS } }),
    );
    expect(await finished(client, server.url, missing.reportId!)).toMatchObject({ status: 'FAILED', errorCode: 'BUCKET_NOT_FOUND' });
  });
});
