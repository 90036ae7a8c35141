// Scans of the default world through the SDK v3: coverage with its statuses and reasons,
// findings that agree with the catalog, and what changes them (package upgrades, image
// pushes, published vulnerabilities, the EC2 scan mode).
import {
  AssociateMemberCommand,
  BatchGetMemberEc2DeepInspectionStatusCommand,
  BatchUpdateMemberEc2DeepInspectionStatusCommand,
  DisableCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetClustersForImageCommand,
  GetEc2DeepInspectionConfigurationCommand,
  ListUsageTotalsCommand,
  UpdateEc2DeepInspectionConfigurationCommand,
  UpdateOrgEc2DeepInspectionConfigurationCommand,
  GetConfigurationCommand,
  ListCoverageCommand,
  ListCoverageStatisticsCommand,
  ListFindingsCommand,
  UpdateConfigurationCommand,
  type CoveredResource,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAffected } from '../../src/world/scanning/versions.js';
import type { Ecosystem } from '../../src/world/scanning/ecosystems.js';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, listAllFindings, rejection, startTestServer } from '../helpers.js';

const ACCOUNT = '710000000001';
const REGION = 'eu-west-1';
const ALL = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] as const;

async function allCoverage(client: Inspector2Client): Promise<CoveredResource[]> {
  const rows: CoveredResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListCoverageCommand({ maxResults: 7, nextToken }));
    rows.push(...(page.coveredResources ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return rows;
}

const allFindings = listAllFindings;

const status = (rows: CoveredResource[], idPart: string, scanType = 'PACKAGE') =>
  rows.filter((r) => r.resourceId?.includes(idPart) && r.scanType === scanType).map((r) => `${r.scanStatus?.statusCode}/${r.scanStatus?.reason}`);

describe('scanning the default world', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  const inventory = async () => (await control(server.url, 'GET', `/_inspector2/inventory/${ACCOUNT}/${REGION}`)).body;
  beforeAll(async () => {
    server = await startTestServer({ scanMs: 60_000 });
    client = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
  });
  afterAll(() => server.close());

  it('covers every resource with a status and reason, PENDING_INITIAL_SCAN until scanned', async () => {
    await client.send(new EnableCommand({ resourceTypes: [...ALL] }));
    const pending = await allCoverage(client);
    expect(pending.filter((r) => r.scanStatus?.statusCode === 'ACTIVE').every((r) => r.scanStatus?.reason === 'PENDING_INITIAL_SCAN')).toBe(true);
    expect(await client.send(new ListFindingsCommand({}))).toMatchObject({ findings: [] });

    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const rows = await allCoverage(client);
    const world = await inventory();
    const id = (name: string) => world.ec2Instances.find((i: { tags: { Name: string } }) => i.tags.Name === name).instanceId as string;

    expect(status(rows, id('web-1'))).toEqual(['ACTIVE/SUCCESSFUL']);
    expect(status(rows, id('web-1'), 'NETWORK')).toEqual(['ACTIVE/SUCCESSFUL']);
    expect(rows.find((r) => r.resourceId === id('legacy-1') && r.scanType === 'PACKAGE')).toMatchObject({
      scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' },
      scanMode: 'EC2_AGENTLESS',
    });
    expect(status(rows, id('batch-1'))).toEqual(['INACTIVE/EC2_INSTANCE_STOPPED']);
    expect(status(rows, 'repository/web-app/')).toEqual(expect.arrayContaining(['ACTIVE/SUCCESSFUL', 'INACTIVE/SCAN_ELIGIBILITY_EXPIRED']));
    expect(status(rows, 'repository/base-images/')).toEqual(['ACTIVE/SCAN_FREQUENCY_SCAN_ON_PUSH']);
    expect(status(rows, 'function:legacy-cron')).toEqual(['INACTIVE/UNSUPPORTED_RUNTIME']);
    expect(status(rows, 'function:orders-api', 'CODE')).toEqual(['ACTIVE/SUCCESSFUL']);
    for (const row of rows.filter((r) => r.scanStatus?.reason === 'SUCCESSFUL')) expect(row.lastScannedAt).toBeInstanceOf(Date);

    const stats = await client.send(new ListCoverageStatisticsCommand({ groupBy: 'RESOURCE_TYPE' }));
    expect(stats.totalCounts).toBe(rows.length);
    const inactive = await client.send(new ListCoverageCommand({ filterCriteria: { scanStatusCode: [{ comparison: 'EQUALS', value: 'INACTIVE' }] } }));
    expect(inactive.coveredResources?.every((r) => r.scanStatus?.statusCode === 'INACTIVE')).toBe(true);
  });

  it('finds vulnerabilities whose CVEs, packages and versions agree with the catalog', async () => {
    const findings = await allFindings(client);
    const packageFindings = findings.filter((f) => f.type === 'PACKAGE_VULNERABILITY');
    expect(packageFindings.length).toBeGreaterThan(5);
    // Distribution packages are matched on their vendor's advisories (test/unit/advisory-matching.test.ts); language packages on the catalog's ranges.
    for (const finding of packageFindings.filter((f) => f.packageVulnerabilityDetails?.source === 'NVD')) {
      const id = finding.packageVulnerabilityDetails!.vulnerabilityId!;
      const entry = (await control(server.url, 'GET', `/_inspector2/vulnerabilities/${id}`)).body;
      for (const pkg of finding.packageVulnerabilityDetails!.vulnerablePackages!) {
        const affected = entry.affected.filter((a: { package: string }) => a.package === pkg.name);
        expect(affected.length, `${id} lists ${pkg.name}`).toBeGreaterThan(0);
        expect(
          affected.some((a: { ecosystem: Ecosystem; ranges: [] }) => isAffected(a.ecosystem, pkg.version!, a.ranges)),
          `${pkg.name} ${pkg.version} is affected by ${id}`,
        ).toBe(true);
      }
      expect(finding.severity).toBe(entry.severity);
      expect(finding.status).toBe('ACTIVE');
      expect(finding.findingArn).toMatch(new RegExp(`^arn:aws:inspector2:${REGION}:${ACCOUNT}:finding/[a-f0-9]{32}$`));
    }
    const log4shell = packageFindings.find((f) => f.packageVulnerabilityDetails?.vulnerabilityId === 'CVE-2021-44228');
    expect(log4shell?.packageVulnerabilityDetails?.vulnerablePackages?.[0]).toMatchObject({
      name: 'org.apache.logging.log4j:log4j-core',
      version: '2.14.1',
      packageManager: 'JAR',
    });
    // The demo web server's two open ports; the account's own exposed instances (its default world varies) add theirs.
    const world = await inventory();
    const web = world.ec2Instances.find((i: { tags: { Name: string } }) => i.tags.Name === 'web-1').instanceId;
    const network = findings.filter((f) => f.type === 'NETWORK_REACHABILITY');
    expect(network.filter((f) => f.resources?.[0]?.id === web).map((f) => f.networkReachabilityDetails?.openPortRange?.begin)).toEqual(
      expect.arrayContaining([22, 443]),
    );
    const exposed = new Set(world.ec2Instances.filter((i: { publicIp?: string }) => i.publicIp).map((i: { instanceId: string }) => i.instanceId));
    for (const finding of network) expect(exposed).toContain(finding.resources?.[0]?.id);
    const code = findings.filter((f) => f.type === 'CODE_VULNERABILITY');
    expect(code.filter((f) => f.resources?.[0]?.id?.endsWith(':function:orders-api:$LATEST'))).toEqual([
      expect.objectContaining({ severity: 'CRITICAL', title: 'CWE-798 - Hardcoded credentials' }),
    ]);
  });

  it('closes a finding when its package is upgraded, and reopens it when it comes back', async () => {
    const world = await inventory();
    const web = world.ec2Instances.find((i: { tags: { Name: string } }) => i.tags.Name === 'web-1');
    const before = await allFindings(client, { vulnerabilityId: [{ comparison: 'EQUALS', value: 'CVE-2021-44228' }] });
    expect(before.map((f) => f.status)).toEqual(['ACTIVE']);

    const upgrade = { name: 'org.apache.logging.log4j:log4j-core', version: '2.17.1', ecosystem: 'maven', filePath: '/usr/lib/app/lib/log4j-core-2.14.1.jar' };
    expect((await control(server.url, 'POST', `/_inspector2/inventory/${ACCOUNT}/${REGION}/ec2-instances/${web.instanceId}/packages`, upgrade)).status).toBe(
      201,
    );
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const after = await allFindings(client, { vulnerabilityId: [{ comparison: 'EQUALS', value: 'CVE-2021-44228' }] });
    expect(after.map((f) => [f.findingArn, f.status])).toEqual([[before[0]!.findingArn, 'CLOSED']]);

    await control(server.url, 'POST', `/_inspector2/inventory/${ACCOUNT}/${REGION}/ec2-instances/${web.instanceId}/packages`, {
      ...upgrade,
      version: '2.14.1',
    });
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const reopened = await allFindings(client, { vulnerabilityId: [{ comparison: 'EQUALS', value: 'CVE-2021-44228' }] });
    expect(reopened.map((f) => [f.findingArn, f.status])).toEqual([[before[0]!.findingArn, 'ACTIVE']]);
    expect(reopened[0]!.firstObservedAt).toEqual(before[0]!.firstObservedAt);
  });

  it('closes an image’s findings when a fixed image replaces it', async () => {
    const world = await inventory();
    const old = world.ecrRepositories.find((r: { name: string }) => r.name === 'web-app').images.find((i: { tags: string[] }) => i.tags.includes('latest'));
    const oldArn = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/web-app/${old.digest}`;
    const open = await allFindings(client, {
      resourceId: [{ comparison: 'EQUALS', value: oldArn }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    });
    expect(open.length).toBeGreaterThan(0);

    const fixed = {
      digest: `sha256:${'f'.repeat(64)}`,
      tags: ['latest', 'v3'],
      pushedAt: '-1m',
      platform: 'DEBIAN_12',
      layers: [{ digest: `sha256:${'e'.repeat(64)}`, packages: [{ name: 'lodash', version: '4.17.21', ecosystem: 'npm' }] }],
    };
    expect((await control(server.url, 'POST', `/_inspector2/inventory/${ACCOUNT}/${REGION}/ecr-repositories/web-app/images`, fixed)).status).toBe(201);
    await control(server.url, 'DELETE', `/_inspector2/inventory/${ACCOUNT}/${REGION}/ecr-repositories/web-app/images/${old.digest}`);
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });

    const closed = await allFindings(client, { resourceId: [{ comparison: 'EQUALS', value: oldArn }] });
    expect(closed.map((f) => f.status)).toEqual(open.map(() => 'CLOSED'));
    const fresh = await allFindings(client, {
      resourceId: [{ comparison: 'PREFIX', value: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/web-app/sha256:fff` }],
    });
    expect(fresh.filter((f) => f.packageVulnerabilityDetails?.vulnerablePackages?.some((p) => p.name === 'lodash'))).toEqual([]);
  });

  it('opens a finding when a vulnerability that matches an installed package is published', async () => {
    const published = {
      id: 'CVE-2099-0001',
      title: 'Emulator test vulnerability in lodash',
      description: 'A vulnerability published by the test, affecting the lodash of the default world.',
      published: '2099-01-01',
      cwes: ['CWE-787'],
      cvss3: { version: '3.1', baseScore: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD' },
      severity: 'CRITICAL',
      exploit: { known: false },
      // A language package: distribution packages match only their vendor's advisories, which a published entry does not carry.
      affected: [{ ecosystem: 'npm', package: 'lodash', ranges: [{ fixed: '99.0.0' }] }],
      references: ['https://example.com/CVE-2099-0001'],
    };
    expect((await control(server.url, 'POST', '/_inspector2/vulnerabilities', published)).status).toBe(201);
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const findings = await allFindings(client, { vulnerabilityId: [{ comparison: 'EQUALS', value: 'CVE-2099-0001' }] });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'CRITICAL' && f.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.name === 'lodash')).toBe(true);
  });

  it('moves an unmanaged instance out of coverage in agent-based mode, and back in hybrid mode', async () => {
    const world = await inventory();
    const legacy = world.ec2Instances.find((i: { tags: { Name: string } }) => i.tags.Name === 'legacy-1').instanceId;
    const legacyRow = async () =>
      (
        await client.send(
          new ListCoverageCommand({
            filterCriteria: { resourceId: [{ comparison: 'EQUALS', value: legacy }], scanType: [{ comparison: 'EQUALS', value: 'PACKAGE' }] },
          }),
        )
      ).coveredResources?.[0];

    await client.send(new UpdateConfigurationCommand({ ec2Configuration: { scanMode: 'EC2_SSM_AGENT_BASED' } }));
    expect((await client.send(new GetConfigurationCommand({}))).ec2Configuration?.scanModeState).toEqual({
      scanMode: 'EC2_SSM_AGENT_BASED',
      scanModeStatus: 'SUCCESS',
    });
    expect(await legacyRow()).toMatchObject({ scanStatus: { statusCode: 'INACTIVE', reason: 'UNMANAGED_EC2_INSTANCE' } });
    const closed = await allFindings(client, { resourceId: [{ comparison: 'EQUALS', value: legacy }] });
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((f) => f.status === 'CLOSED')).toBe(true);

    await client.send(new UpdateConfigurationCommand({ ec2Configuration: { scanMode: 'EC2_HYBRID' } }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    expect(await legacyRow()).toMatchObject({ scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' }, scanMode: 'EC2_AGENTLESS' });
  });
});

describe('determinism', () => {
  async function transcript(): Promise<string> {
    const server = await startTestServer();
    try {
      const client = inspectorClient(server.url, { accountId: '720000000002', region: 'ap-southeast-2' });
      await client.send(new EnableCommand({ resourceTypes: [...ALL] }));
      const coverage = await allCoverage(client);
      const findings = await allFindings(client);
      // Times come from the clock, which runs at real speed: compare everything else.
      const timeless = (key: string, value: unknown) => (value instanceof Date || /At$/.test(key) ? undefined : value);
      return JSON.stringify({ coverage, findings }, timeless);
    } finally {
      await server.close();
    }
  }

  it('gives the same coverage and findings, ids and order for the same world and calls', async () => {
    const first = await transcript();
    expect(first.length).toBeGreaterThan(1000);
    expect(await transcript()).toBe(first);
  });
});

describe('byte-identical answers with a manual clock', () => {
  async function wire(): Promise<string[]> {
    const server = await startTestServer({ manualClock: true, clockStart: new Date('2026-06-01T12:00:00Z') });
    try {
      // Unsigned requests: the default account, in us-east-1.
      const call = async (path: string, body: object) => (await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body) })).text();
      await call('/enable', { resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] });
      await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
      return [
        await call('/coverage/list', { maxResults: 200 }),
        await call('/findings/list', { maxResults: 100, sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' } }),
        await call('/findings/list', { maxResults: 100 }),
      ];
    } finally {
      await server.close();
    }
  }

  it('gives the same bytes for the same world and calls', async () => {
    const first = await wire();
    expect(first[1]).toContain('"firstObservedAt":1780315200');
    expect(await wire()).toEqual(first);
  });
});

describe('organization-wide scanning', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('shows the delegated administrator its members’ coverage and findings; members only their own', async () => {
    const as = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
    await as('111111111111').send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: '222222222222' }));
    const admin = as('222222222222');
    await admin.send(new AssociateMemberCommand({ accountId: '333333333333' }));
    await admin.send(new EnableCommand({ accountIds: ['333333333333'], resourceTypes: ['EC2'] }));
    await as('333333333333').send(new ListCoverageCommand({}));

    const accounts = new Set((await allCoverage(admin)).map((r) => r.accountId));
    expect([...accounts].sort()).toEqual(['222222222222', '333333333333']);
    const findings = await allFindings(admin, { awsAccountId: [{ comparison: 'EQUALS', value: '333333333333' }] });
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set((await allCoverage(as('333333333333'))).map((r) => r.accountId))).toEqual(new Set(['333333333333']));

    const denied = await rejection(as('333333333333').send(new UpdateConfigurationCommand({ ec2Configuration: { scanMode: 'EC2_SSM_AGENT_BASED' } })));
    expect(denied.name).toBe('AccessDeniedException');
    // The administrator's configuration governs its members.
    await admin.send(new UpdateConfigurationCommand({ ecrConfiguration: { rescanDuration: 'DAYS_30' } }));
    const member = await as('333333333333').send(new GetConfigurationCommand({}));
    expect(member.ecrConfiguration?.rescanDurationState).toMatchObject({
      rescanDuration: 'DAYS_30',
      pullDateRescanDuration: 'DAYS_14',
      pullDateRescanMode: 'LAST_IN_USE_AT',
    });
  });

  it('manages deep inspection: the account’s paths, the organization’s, the members’ status', async () => {
    const admin = inspectorClient(server.url, { accountId: '222222222222', region: REGION });
    const own = await admin.send(new UpdateEc2DeepInspectionConfigurationCommand({ activateDeepInspection: true, packagePaths: ['/opt/app'] }));
    expect(own).toMatchObject({ packagePaths: ['/opt/app'], status: 'ACTIVATED' });
    await admin.send(new UpdateOrgEc2DeepInspectionConfigurationCommand({ orgPackagePaths: ['/srv'] }));
    const member = inspectorClient(server.url, { accountId: '333333333333', region: REGION });
    expect(await member.send(new GetEc2DeepInspectionConfigurationCommand({}))).toMatchObject({ orgPackagePaths: ['/srv'], status: 'ACTIVATED' });
    const cannot = await rejection(member.send(new UpdateEc2DeepInspectionConfigurationCommand({ activateDeepInspection: false })));
    expect(cannot.name).toBe('AccessDeniedException');

    const updated = await admin.send(
      new BatchUpdateMemberEc2DeepInspectionStatusCommand({
        accountIds: [
          { accountId: '333333333333', activateDeepInspection: false },
          { accountId: '555555555555', activateDeepInspection: true },
        ],
      }),
    );
    expect(updated.accountIds).toEqual([{ accountId: '333333333333', status: 'DEACTIVATED' }]);
    expect(updated.failedAccountIds?.[0]).toMatchObject({ accountId: '555555555555', errorMessage: expect.stringContaining('not a member') });
    const statuses = await admin.send(new BatchGetMemberEc2DeepInspectionStatusCommand({ accountIds: ['333333333333'] }));
    expect(statuses.accountIds).toEqual([{ accountId: '333333333333', status: 'DEACTIVATED' }]);
  });

  it('reports usage of the last 30 days, and the clusters that run an image', async () => {
    const admin = inspectorClient(server.url, { accountId: '222222222222', region: REGION });
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '2h' });
    const usage = await admin.send(new ListUsageTotalsCommand({}));
    const member = usage.totals?.find((t) => t.accountId === '333333333333');
    const hours = member?.usage?.find((u) => u.type === 'EC2_INSTANCE_HOURS');
    // The SSM-managed running instances of the member's default inventory, covered for two hours.
    const world = (await control(server.url, 'GET', `/_inspector2/inventory/333333333333/${REGION}`)).body;
    const managed = world.ec2Instances.filter((i: { state: string; ssmManaged: boolean }) => i.state === 'running' && i.ssmManaged).length;
    expect(managed).toBeGreaterThanOrEqual(3);
    expect(hours?.total).toBeCloseTo(2 * managed, 1);
    expect(hours?.currency).toBe('USD');
    expect(hours?.estimatedMonthlyCost).toBeGreaterThan(0);

    const client = inspectorClient(server.url, { accountId: '740000000004', region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['ECR'] }));
    const inventory = (await control(server.url, 'GET', `/_inspector2/inventory/740000000004/${REGION}`)).body;
    const cluster = inventory.clusters[0];
    const image = `arn:aws:ecr:${REGION}:740000000004:repository/${cluster.images[0].repository}/${cluster.images[0].digest}`;
    const clusters = await client.send(new GetClustersForImageCommand({ filter: { resourceId: image } }));
    expect(clusters.cluster?.map((c) => c.clusterArn)).toEqual([cluster.arn]);
    expect(clusters.cluster?.[0]?.clusterDetails?.[0]?.clusterMetadata?.awsEcsMetadataDetails).toBeDefined();
  });
});

describe('leaving coverage', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  beforeAll(async () => {
    server = await startTestServer({ manualClock: true, clockStart: new Date('2026-07-01T00:00:00Z') });
    client = inspectorClient(server.url, { accountId: '710000000011', region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR'] }));
    await client.send(new ListCoverageCommand({}));
  });
  afterAll(() => server.close());

  it('expires ECR images when their push and in-use windows close, closing their findings', async () => {
    const imageRows = async () =>
      (await allCoverage(client)).filter((r) => r.resourceType === 'AWS_ECR_CONTAINER_IMAGE' && r.resourceId?.includes('/web-app/'));
    const active = (await imageRows()).find((r) => r.scanStatus?.statusCode === 'ACTIVE')!;
    expect(
      (
        await allFindings(client, {
          resourceId: [{ comparison: 'EQUALS', value: active.resourceId! }],
          findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
        })
      ).length,
    ).toBeGreaterThan(0);
    // Pushed 2 days ago, last in use 12 hours ago: out of both 14-day windows in 15 days.
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '15d' });
    expect((await imageRows()).find((r) => r.resourceId === active.resourceId)?.scanStatus).toEqual({
      statusCode: 'INACTIVE',
      reason: 'SCAN_ELIGIBILITY_EXPIRED',
    });
    const after = await allFindings(client, { resourceId: [{ comparison: 'EQUALS', value: active.resourceId! }] });
    expect(after.every((f) => f.status === 'CLOSED')).toBe(true);
  });

  it('disabling a scan type removes its coverage and closes its findings', async () => {
    await client.send(new DisableCommand({ resourceTypes: ['EC2'] }));
    expect((await allCoverage(client)).filter((r) => r.resourceType === 'AWS_EC2_INSTANCE')).toEqual([]);
    const ec2 = await allFindings(client, { resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }] });
    expect(ec2.length).toBeGreaterThan(0);
    expect(ec2.every((f) => f.status === 'CLOSED')).toBe(true);
  });
});

describe('disabling with a transition time', () => {
  it('shows PENDING_DISABLE while the scan type is DISABLING', async () => {
    const server = await startTestServer({ transitionMs: 60_000 });
    try {
      const client = inspectorClient(server.url, { accountId: '710000000012', region: REGION });
      await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
      await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
      await client.send(new DisableCommand({ resourceTypes: ['EC2'] }));
      const rows = await allCoverage(client);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.scanStatus?.statusCode === 'INACTIVE' && r.scanStatus.reason === 'PENDING_DISABLE')).toBe(true);
      await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
      expect(await allCoverage(client)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
