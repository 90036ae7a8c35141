// Inspector's EventBridge events in the log: findings created, suppressed and closed, initial
// scans, coverage changes — with AWS's envelope and its finding timestamps.
import { CreateFilterCommand, EnableCommand, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, startTestServer } from '../helpers.js';

const ACCOUNT = '760000000006';
const REGION = 'eu-north-1';

describe('the events log', () => {
  let server: RunningServer;
  const events = async (detailType?: string) =>
    (await control(server.url, 'GET', `/_inspector2/events${detailType ? `?detailType=${encodeURIComponent(detailType)}` : ''}`)).body.events as {
      'detail-type': string;
      source: string;
      account: string;
      region: string;
      time: string;
      resources: string[];
      detail: Record<string, any>;
    }[];
  beforeAll(async () => {
    server = await startTestServer({ manualClock: true, clockStart: new Date('2026-03-04T05:06:07.089Z') });
  });
  afterAll(() => server.close());

  it('records findings, scans and coverage as EventBridge events', async () => {
    const client = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await client.send(new ListFindingsCommand({}));

    const findings = await events('Inspector2 Finding');
    expect(findings.length).toBeGreaterThan(5);
    const first = findings[0]!;
    expect(first).toMatchObject({ source: 'aws.inspector2', account: ACCOUNT, region: REGION, time: '2026-03-04T05:06:07Z' });
    expect(first.resources).toEqual([first.detail.resources[0].id]);
    expect(first.detail.firstObservedAt).toBe('Wed Mar 04 05:06:07.089 UTC 2026');
    expect(first.detail.status).toBe('ACTIVE');

    const scans = await events('Inspector2 Scan');
    const web = scans.find((e) => e.detail['finding-severity-counts'].TOTAL > 0 && e.detail['instance-id']);
    expect(web?.detail).toMatchObject({ 'scan-status': 'INITIAL_SCAN_COMPLETE', version: '1.0' });
    const coverage = await events('Inspector2 Coverage');
    expect(coverage.some((e) => e.detail.scanStatus.reason === 'EC2_INSTANCE_STOPPED' && e.detail.scanStatus.statusCodeValue === 'INACTIVE')).toBe(true);
    expect(coverage.some((e) => e.detail.scanStatus.reason === 'SUCCESSFUL' && e.detail.scanType === 'PACKAGE')).toBe(true);
  });

  it('records a finding whose status a suppression rule changes', async () => {
    await control(server.url, 'DELETE', '/_inspector2/events');
    const client = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
    await client.send(
      new CreateFilterCommand({ name: 'quiet', action: 'SUPPRESS', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'MEDIUM' }] } }),
    );
    const changed = await events('Inspector2 Finding');
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((e) => e.detail.status === 'SUPPRESSED' && e.detail.severity === 'MEDIUM')).toBe(true);
  });
});
