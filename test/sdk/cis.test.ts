// CIS scans through the SDK v3: scan configurations (filters, sort, pagination, tags), scans
// on the virtual clock (oneTime, daily in a time zone, weekly), their results by check and
// by instance, reports, the SSM plugin's session protocol, and who sees what (accounts, a
// delegated administrator and its members).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AccessDeniedException,
  AssociateMemberCommand,
  ConflictException,
  CreateCisScanConfigurationCommand,
  DeleteCisScanConfigurationCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetCisScanReportCommand,
  GetCisScanResultDetailsCommand,
  ListCisScanConfigurationsCommand,
  ListCisScanResultsAggregatedByChecksCommand,
  ListCisScanResultsAggregatedByTargetResourceCommand,
  ListCisScansCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  SendCisSessionHealthCommand,
  SendCisSessionTelemetryCommand,
  StartCisSessionCommand,
  StopCisSessionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCisScanConfigurationCommand,
  ValidationException,
  type CisCheckAggregation,
  type CisScan,
  type CisScanResultDetails,
  type CisTargetResourceAggregation,
  type CreateCisScanConfigurationCommandInput,
  type Inspector2Client,
  type ListCisScansCommandInput,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceModel } from '../../src/protocol/model.js';
import { checkShape } from '../../src/protocol/validate.js';
import type { RunningServer } from '../../src/server.js';
import { scanJobsOf } from '../../src/world/cis/scans.js';
import { control, inspectorClient, ORG, recordRawResponses, rejection, startTestServer } from '../helpers.js';

const REGION = 'eu-west-1';
const CONFIGURATION_ARN =
  /^arn:aws:inspector2:eu-west-1:(\d{12}):owner\/(\d{12}|o-[a-z0-9]+)\/cis-configuration\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCAN_ARN = /^arn:aws:inspector2:eu-west-1:(\d{12}):owner\/(\d{12}|o-[a-z0-9]+)\/cis-scan\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FINDING_ARN = /^arn:aws:inspector2:eu-west-1:(\d{12}):owner\/\d{12}\/cis-finding\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SCAN_MS = 10 * 60_000;

interface SeedCheck {
  id: string;
  title: string;
  level: 1 | 2;
}
const seed = JSON.parse(readFileSync(new URL('../../seeds/cis-checks.json', import.meta.url), 'utf8')) as {
  benchmarks: { platforms: string[]; checks: SeedCheck[] }[];
};
const benchmarkOf = (platform: string) => seed.benchmarks.find((b) => b.platforms.includes(platform))!;
const checksAt = (platform: string, level: 'LEVEL_1' | 'LEVEL_2') => benchmarkOf(platform).checks.filter((c) => level === 'LEVEL_2' || c.level === 1);

let server: RunningServer;
beforeAll(async () => {
  // The clock moves only when the tests move it; a CIS scan takes ten minutes of it.
  server = await startTestServer({ manualClock: true, clockStart: new Date('2025-03-03T00:00:00Z'), scanMs: SCAN_MS });
});
afterAll(() => server.close());

const client = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
const advance = async (by: string) => expect((await control(server.url, 'POST', '/_inspector2/clock', { advance: by })).status).toBe(200);
const setClock = async (at: string) => expect((await control(server.url, 'POST', '/_inspector2/clock', { set: at })).status).toBe(200);

async function enabled(accountId: string): Promise<Inspector2Client> {
  const inspector = client(accountId);
  await inspector.send(new EnableCommand({ resourceTypes: ['EC2'] }));
  return inspector;
}

async function launch(accountId: string, instanceId: string, platform: string, tags: Record<string, string>, extra: object = {}): Promise<void> {
  const body = { instanceId, amiId: 'ami-0123456789abcdef0', platform, tags, ...extra };
  const response = await control(server.url, 'POST', `/_inspector2/inventory/${accountId}/${REGION}/ec2-instances`, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

function configuration(scanName: string, overrides: Partial<CreateCisScanConfigurationCommandInput> = {}): CreateCisScanConfigurationCommandInput {
  return {
    scanName,
    securityLevel: 'LEVEL_1',
    schedule: { oneTime: {} },
    targets: { accountIds: ['SELF'], targetResourceTags: { CisTarget: ['yes'] } },
    ...overrides,
  };
}

async function create(inspector: Inspector2Client, input: CreateCisScanConfigurationCommandInput): Promise<string> {
  const { scanConfigurationArn } = await inspector.send(new CreateCisScanConfigurationCommand(input));
  expect(scanConfigurationArn).toMatch(CONFIGURATION_ARN);
  return scanConfigurationArn!;
}

async function allScans(inspector: Inspector2Client, input: ListCisScansCommandInput = {}): Promise<CisScan[]> {
  const scans: CisScan[] = [];
  let nextToken: string | undefined;
  do {
    const page = await inspector.send(new ListCisScansCommand({ ...input, nextToken }));
    scans.push(...(page.scans ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return scans;
}

async function scansOf(inspector: Inspector2Client, configurationArn: string, input: ListCisScansCommandInput = {}): Promise<CisScan[]> {
  return allScans(inspector, {
    ...input,
    filterCriteria: { ...input.filterCriteria, scanConfigurationArnFilters: [{ comparison: 'EQUALS', value: configurationArn }] },
  });
}

async function allChecks(inspector: Inspector2Client, scanArn: string): Promise<CisCheckAggregation[]> {
  const rows: CisCheckAggregation[] = [];
  let nextToken: string | undefined;
  do {
    const page = await inspector.send(new ListCisScanResultsAggregatedByChecksCommand({ scanArn, nextToken, maxResults: 30 }));
    rows.push(...(page.checkAggregations ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return rows;
}

async function allTargets(inspector: Inspector2Client, scanArn: string): Promise<CisTargetResourceAggregation[]> {
  const { targetResourceAggregations, nextToken } = await inspector.send(new ListCisScanResultsAggregatedByTargetResourceCommand({ scanArn }));
  expect(nextToken).toBeUndefined();
  return targetResourceAggregations ?? [];
}

async function allDetails(inspector: Inspector2Client, scanArn: string, accountId: string, targetResourceId: string): Promise<CisScanResultDetails[]> {
  const { scanResultDetails } = await inspector.send(new GetCisScanResultDetailsCommand({ scanArn, accountId, targetResourceId }));
  return scanResultDetails ?? [];
}

function totals(rows: { statusCounts?: { passed?: number; failed?: number; skipped?: number } }[]) {
  return rows.reduce(
    (sum, r) => ({
      passed: sum.passed + (r.statusCounts?.passed ?? 0),
      failed: sum.failed + (r.statusCounts?.failed ?? 0),
      skipped: sum.skipped + (r.statusCounts?.skipped ?? 0),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

describe('an account where Inspector is not enabled', () => {
  it('is refused every CIS operation with AccessDeniedException', async () => {
    const inspector = client('610000000009');
    const calls = [
      inspector.send(new CreateCisScanConfigurationCommand(configuration('refused'))),
      inspector.send(new ListCisScanConfigurationsCommand({})),
      inspector.send(new ListCisScansCommand({})),
      inspector.send(
        new StartCisSessionCommand({ scanJobId: '624b746d-e080-44ae-8c1d-48e653365a38', message: { sessionToken: '624b746d-e080-44ae-8c1d-48e653365a31' } }),
      ),
    ];
    for (const call of calls) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(AccessDeniedException);
      expect(error.$metadata?.httpStatusCode).toBe(403);
      expect(error.message).toBe('Invoking account is not enabled.');
    }
  });
});

describe('CIS scan configurations', () => {
  const ACCOUNT = '610000000001';
  let inspector: Inspector2Client;
  const arns: Record<string, string> = {};
  beforeAll(async () => {
    inspector = await enabled(ACCOUNT);
    arns.nightly = await create(
      inspector,
      configuration('nightly-prod', {
        schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'UTC' } } },
        targets: { accountIds: ['SELF'], targetResourceTags: { Environment: ['production'] } },
      }),
    );
    arns.weekly = await create(
      inspector,
      configuration('weekly-staging', {
        securityLevel: 'LEVEL_2',
        schedule: { weekly: { startTime: { timeOfDay: '23:30', timezone: 'Europe/Paris' }, days: ['FRI', 'MON'] } },
        targets: { accountIds: [ACCOUNT], targetResourceTags: { Environment: ['staging', 'qa'] } },
      }),
    );
    arns.audit = await create(
      inspector,
      configuration('audit-once', { schedule: { monthly: { startTime: { timeOfDay: '06:15', timezone: 'UTC' }, day: 'SUN' } } }),
    );
  });

  it('are listed with their owner, schedule and targets (SELF resolved to the account)', async () => {
    const { scanConfigurations, nextToken } = await inspector.send(new ListCisScanConfigurationsCommand({}));
    expect(nextToken).toBeUndefined();
    expect(scanConfigurations!.map((c) => c.scanName)).toEqual(['audit-once', 'nightly-prod', 'weekly-staging']);
    const weekly = scanConfigurations!.find((c) => c.scanName === 'weekly-staging')!;
    expect(weekly).toEqual({
      scanConfigurationArn: arns.weekly,
      ownerId: ACCOUNT,
      scanName: 'weekly-staging',
      securityLevel: 'LEVEL_2',
      // Days come back once each, in week order.
      schedule: { weekly: { startTime: { timeOfDay: '23:30', timezone: 'Europe/Paris' }, days: ['MON', 'FRI'] } },
      targets: { accountIds: [ACCOUNT], targetResourceTags: { Environment: ['staging', 'qa'] } },
    });
    expect(scanConfigurations!.find((c) => c.scanName === 'nightly-prod')!.targets!.accountIds).toEqual([ACCOUNT]);
    expect(arns.nightly).toContain(`:${ACCOUNT}:owner/${ACCOUNT}/cis-configuration/`);
  });

  it('sort by name or ARN, either way, and page', async () => {
    const names = async (input: object) => (await inspector.send(new ListCisScanConfigurationsCommand(input))).scanConfigurations!.map((c) => c.scanName);
    expect(await names({ sortBy: 'SCAN_NAME', sortOrder: 'DESC' })).toEqual(['weekly-staging', 'nightly-prod', 'audit-once']);
    const byArn = Object.entries(arns).sort(([, a], [, b]) => a.localeCompare(b));
    expect(await names({ sortBy: 'SCAN_CONFIGURATION_ARN' })).toEqual(
      byArn.map(([key]) => ({ nightly: 'nightly-prod', weekly: 'weekly-staging', audit: 'audit-once' })[key]),
    );
    const first = await inspector.send(new ListCisScanConfigurationsCommand({ maxResults: 2 }));
    expect(first.scanConfigurations!.map((c) => c.scanName)).toEqual(['audit-once', 'nightly-prod']);
    const second = await inspector.send(new ListCisScanConfigurationsCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.scanConfigurations!.map((c) => c.scanName)).toEqual(['weekly-staging']);
    expect(second.nextToken).toBeUndefined();
    const forged = await rejection(inspector.send(new ListCisScanConfigurationsCommand({ nextToken: 'not-a-token' })));
    expect(forged).toBeInstanceOf(ValidationException);
  });

  it('filter by name, target tag and ARN', async () => {
    const names = async (filterCriteria: object) =>
      (await inspector.send(new ListCisScanConfigurationsCommand({ filterCriteria }))).scanConfigurations!.map((c) => c.scanName);
    expect(
      await names({
        scanNameFilters: [
          { comparison: 'PREFIX', value: 'n' },
          { comparison: 'EQUALS', value: 'audit-once' },
        ],
      }),
    ).toEqual(['audit-once', 'nightly-prod']);
    expect(await names({ scanNameFilters: [{ comparison: 'NOT_EQUALS', value: 'audit-once' }] })).toEqual(['nightly-prod', 'weekly-staging']);
    expect(await names({ targetResourceTagFilters: [{ comparison: 'EQUALS', key: 'Environment', value: 'qa' }] })).toEqual(['weekly-staging']);
    expect(await names({ scanConfigurationArnFilters: [{ comparison: 'EQUALS', value: arns.nightly }] })).toEqual(['nightly-prod']);
  });

  it('are updated member by member', async () => {
    const { scanConfigurationArn } = await inspector.send(
      new UpdateCisScanConfigurationCommand({ scanConfigurationArn: arns.nightly, scanName: 'nightly-production', securityLevel: 'LEVEL_2' }),
    );
    expect(scanConfigurationArn).toBe(arns.nightly);
    const { scanConfigurations } = await inspector.send(
      new ListCisScanConfigurationsCommand({ filterCriteria: { scanConfigurationArnFilters: [{ comparison: 'EQUALS', value: arns.nightly }] } }),
    );
    expect(scanConfigurations![0]).toMatchObject({
      scanName: 'nightly-production',
      securityLevel: 'LEVEL_2',
      schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'UTC' } } },
      targets: { targetResourceTags: { Environment: ['production'] } },
    });
    await inspector.send(new UpdateCisScanConfigurationCommand({ scanConfigurationArn: arns.nightly, targets: { targetResourceTags: { Tier: ['web'] } } }));
    const updated = (await inspector.send(new ListCisScanConfigurationsCommand({}))).scanConfigurations!.find((c) => c.scanConfigurationArn === arns.nightly)!;
    expect(updated.targets).toEqual({ accountIds: [ACCOUNT], targetResourceTags: { Tier: ['web'] } });
  });

  it('refuse a time zone that is not one, and another account as a target', async () => {
    const zone = await rejection(
      inspector.send(
        new CreateCisScanConfigurationCommand(
          configuration('bad-zone', { schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'Mars/Olympus' } } } }),
        ),
      ),
    );
    expect(zone).toBeInstanceOf(ValidationException);
    expect(zone.$metadata?.httpStatusCode).toBe(400);
    expect(zone.message).toContain("timezone 'Mars/Olympus'");
    const stranger = await rejection(
      inspector.send(
        new CreateCisScanConfigurationCommand(configuration('stranger', { targets: { accountIds: ['610000000002'], targetResourceTags: { A: ['b'] } } })),
      ),
    );
    expect(stranger).toBeInstanceOf(AccessDeniedException);
    expect(stranger.message).toContain('only a delegated administrator can target other accounts');
    const update = await rejection(
      inspector.send(
        new UpdateCisScanConfigurationCommand({
          scanConfigurationArn: arns.audit,
          schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'Nowhere/Land' } } },
        }),
      ),
    );
    expect(update).toBeInstanceOf(ValidationException);
  });

  it('carry tags, through TagResource, UntagResource and ListTagsForResource', async () => {
    const arn = await create(inspector, configuration('tagged', { tags: { team: 'sec', cost: 'ops' } }));
    expect((await inspector.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'sec', cost: 'ops' });
    await inspector.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'alice' } }));
    await inspector.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['cost'] }));
    expect((await inspector.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'sec', owner: 'alice' });
    const listed = (
      await inspector.send(new ListCisScanConfigurationsCommand({ filterCriteria: { scanNameFilters: [{ comparison: 'EQUALS', value: 'tagged' }] } }))
    ).scanConfigurations![0]!;
    expect(listed.tags).toEqual({ team: 'sec', owner: 'alice' });
    await inspector.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: arn }));
    const gone = await rejection(inspector.send(new ListTagsForResourceCommand({ resourceArn: arn })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.$metadata?.httpStatusCode).toBe(404);
    expect(await rejection(inspector.send(new TagResourceCommand({ resourceArn: arn, tags: { a: 'b' } })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('are deleted; a deleted one is not found', async () => {
    const { scanConfigurationArn } = await inspector.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: arns.audit }));
    expect(scanConfigurationArn).toBe(arns.audit);
    expect((await inspector.send(new ListCisScanConfigurationsCommand({}))).scanConfigurations!.map((c) => c.scanName)).toEqual([
      'nightly-production',
      'weekly-staging',
    ]);
    for (const call of [
      inspector.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: arns.audit })),
      inspector.send(new UpdateCisScanConfigurationCommand({ scanConfigurationArn: arns.audit, scanName: 'again' })),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.$metadata?.httpStatusCode).toBe(404);
      expect(error.message).toContain(arns.audit);
    }
  });

  it('are the account’s own: another account neither sees nor changes them', async () => {
    const other = await enabled('610000000002');
    expect((await other.send(new ListCisScanConfigurationsCommand({}))).scanConfigurations).toEqual([]);
    expect(await rejection(other.send(new UpdateCisScanConfigurationCommand({ scanConfigurationArn: arns.weekly, scanName: 'mine' })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await rejection(other.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: arns.weekly })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(other.send(new ListTagsForResourceCommand({ resourceArn: arns.weekly })))).toBeInstanceOf(ResourceNotFoundException);
    // In another region, the account has none either.
    const elsewhere = inspectorClient(server.url, { accountId: ACCOUNT, region: 'us-east-2' });
    await elsewhere.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect((await elsewhere.send(new ListCisScanConfigurationsCommand({}))).scanConfigurations).toEqual([]);
  });
});

describe('a oneTime CIS scan', () => {
  const ACCOUNT = '610000000003';
  let inspector: Inspector2Client;
  let configurationArn: string;
  let scanArn: string;
  beforeAll(async () => {
    inspector = await enabled(ACCOUNT);
    await launch(ACCOUNT, 'i-cis00000000000001', 'AMAZON_LINUX_2', { CisTarget: 'yes', Name: 'al2' });
    await launch(ACCOUNT, 'i-cis00000000000002', 'UBUNTU_22_04', { CisTarget: 'yes', Name: 'ubuntu' });
    await launch(ACCOUNT, 'i-cis00000000000003', 'UBUNTU_22_04', { CisTarget: 'yes' }, { ssmManaged: false });
    await launch(ACCOUNT, 'i-cis00000000000004', 'WINDOWS_SERVER_2022', { CisTarget: 'yes' });
    await launch(ACCOUNT, 'i-cis00000000000005', 'AMAZON_LINUX_2', { CisTarget: 'yes' }, { state: 'stopped' });
    await launch(ACCOUNT, 'i-cis00000000000006', 'AMAZON_LINUX_2', { CisTarget: 'no' });
    configurationArn = await create(inspector, configuration('once'));
  });

  it('starts at the next request, IN_PROGRESS, and COMPLETES once the scan time has passed', async () => {
    const [running] = await scansOf(inspector, configurationArn);
    expect(running).toMatchObject({
      scanConfigurationArn: configurationArn,
      status: 'IN_PROGRESS',
      scanName: 'once',
      securityLevel: 'LEVEL_1',
      scheduledBy: ACCOUNT,
      failedChecks: 0,
      totalChecks: 0,
      targets: { accountIds: [ACCOUNT], targetResourceTags: { CisTarget: ['yes'] } },
    });
    scanArn = running!.scanArn!;
    expect(scanArn).toMatch(SCAN_ARN);
    const started = running!.scanDate!;
    // Instances that cannot be scanned are told at once; the others are in progress.
    const during = await allTargets(inspector, scanArn);
    expect(during.find((t) => t.targetResourceId === 'i-cis00000000000001')).toMatchObject({
      targetStatusReason: 'SCAN_IN_PROGRESS',
      statusCounts: { passed: 0, failed: 0, skipped: 0 },
    });
    expect(during.find((t) => t.targetResourceId === 'i-cis00000000000001')!.targetStatus).toBeUndefined();
    expect((await inspector.send(new GetCisScanReportCommand({ scanArn }))).status).toBe('IN_PROGRESS');

    await advance('9m');
    expect((await scansOf(inspector, configurationArn))[0]!.status).toBe('IN_PROGRESS');
    await advance('1m');
    const [done] = await scansOf(inspector, configurationArn);
    expect(done!.status).toBe('COMPLETED');
    expect(done!.scanDate).toEqual(started);
    // A oneTime schedule runs once.
    await advance('2d');
    expect(await scansOf(inspector, configurationArn)).toHaveLength(1);
  });

  it('covers the running tagged instances, skipping unmanaged and unsupported ones with the reason', async () => {
    const targets = await allTargets(inspector, scanArn);
    expect(targets.map((t) => t.targetResourceId)).toEqual(['i-cis00000000000001', 'i-cis00000000000002', 'i-cis00000000000003', 'i-cis00000000000004']);
    const [al2, ubuntu, unmanaged, windows] = targets;
    expect(al2).toMatchObject({
      scanArn,
      accountId: ACCOUNT,
      platform: 'AMAZON_LINUX_2',
      targetStatus: 'COMPLETED',
      targetResourceTags: { CisTarget: ['yes'] },
    });
    expect(al2!.targetStatusReason).toBeUndefined();
    expect(ubuntu).toMatchObject({ platform: 'UBUNTU_22_04', targetStatus: 'COMPLETED' });
    expect(unmanaged).toMatchObject({ targetStatus: 'CANCELLED', targetStatusReason: 'SSM_UNMANAGED', statusCounts: { passed: 0, failed: 0, skipped: 0 } });
    expect(windows).toMatchObject({ platform: 'WINDOWS_SERVER_2022', targetStatus: 'CANCELLED', targetStatusReason: 'UNSUPPORTED_OS' });
    // LEVEL_1 runs the level 1 recommendations of each instance's benchmark.
    expect(totals([al2!]).passed + totals([al2!]).failed + totals([al2!]).skipped).toBe(checksAt('AMAZON_LINUX_2', 'LEVEL_1').length);
    expect(totals([ubuntu!]).passed + totals([ubuntu!]).failed + totals([ubuntu!]).skipped).toBe(checksAt('UBUNTU_22_04', 'LEVEL_1').length);
    // A plausible mix, not all one outcome.
    expect(al2!.statusCounts!.passed).toBeGreaterThan(0);
    expect(al2!.statusCounts!.failed).toBeGreaterThan(0);
  });

  it('aggregates the same results by check as by instance', async () => {
    const checks = await allChecks(inspector, scanArn);
    const targets = await allTargets(inspector, scanArn);
    expect(checks).toHaveLength(checksAt('AMAZON_LINUX_2', 'LEVEL_1').length + checksAt('UBUNTU_22_04', 'LEVEL_1').length);
    expect(totals(checks)).toEqual(totals(targets));
    const [scan] = await scansOf(inspector, configurationArn);
    expect(scan!.totalChecks).toBe(checks.length);
    expect(scan!.failedChecks).toBe(checks.filter((c) => c.statusCounts!.failed! > 0).length);
    const root = checks.find((c) => c.checkId === '5.3.10' && c.platform === 'AMAZON_LINUX_2')!;
    expect(root).toMatchObject({ scanArn, title: 'Ensure SSH root login is disabled', level: 'LEVEL_1', accountId: ACCOUNT });
    expect(root.checkDescription).toContain('CIS Amazon Linux 2 Benchmark');
    expect(root.statusCounts!.passed! + root.statusCounts!.failed! + root.statusCounts!.skipped!).toBe(1);
    // Sorted by check id, number by number.
    const ids = checks.filter((c) => c.platform === 'AMAZON_LINUX_2').map((c) => c.checkId);
    expect(ids.indexOf('5.3.2')).toBeLessThan(ids.indexOf('5.3.10'));
  });

  it('filters and sorts the aggregations', async () => {
    const byChecks = async (input: object) =>
      (await inspector.send(new ListCisScanResultsAggregatedByChecksCommand({ scanArn, maxResults: 100, ...input }))).checkAggregations ?? [];
    const ubuntu = await byChecks({ filterCriteria: { platformFilters: [{ comparison: 'EQUALS', value: 'UBUNTU_22_04' }] } });
    expect(ubuntu).toHaveLength(checksAt('UBUNTU_22_04', 'LEVEL_1').length);
    const failing = await byChecks({ filterCriteria: { failedResourcesFilters: [{ lowerInclusive: 1 }] } });
    expect(failing.every((c) => c.statusCounts!.failed! >= 1)).toBe(true);
    const sshTitles = await byChecks({ filterCriteria: { titleFilters: [{ comparison: 'PREFIX', value: 'Ensure SSH' }] }, sortBy: 'TITLE', sortOrder: 'DESC' });
    expect(sshTitles.length).toBeGreaterThan(10);
    expect(sshTitles.map((c) => c.title)).toEqual(
      sshTitles
        .map((c) => c.title!)
        .sort()
        .reverse(),
    );
    expect(await byChecks({ filterCriteria: { securityLevelFilters: [{ comparison: 'EQUALS', value: 'LEVEL_2' }] } })).toEqual([]);
    const mostFailed = await byChecks({ sortBy: 'FAILED_COUNTS', sortOrder: 'DESC' });
    expect(mostFailed[0]!.statusCounts!.failed).toBe(Math.max(...mostFailed.map((c) => c.statusCounts!.failed!)));

    const byTargets = async (input: object) =>
      ((await inspector.send(new ListCisScanResultsAggregatedByTargetResourceCommand({ scanArn, ...input }))).targetResourceAggregations ?? []).map(
        (t) => t.targetResourceId,
      );
    expect(await byTargets({ filterCriteria: { targetStatusReasonFilters: [{ comparison: 'EQUALS', value: 'SSM_UNMANAGED' }] } })).toEqual([
      'i-cis00000000000003',
    ]);
    expect(await byTargets({ filterCriteria: { targetStatusFilters: [{ comparison: 'EQUALS', value: 'COMPLETED' }] } })).toEqual([
      'i-cis00000000000001',
      'i-cis00000000000002',
    ]);
    expect(await byTargets({ filterCriteria: { targetResourceTagFilters: [{ comparison: 'EQUALS', key: 'Name', value: 'ubuntu' }] } })).toEqual([
      'i-cis00000000000002',
    ]);
    expect(await byTargets({ filterCriteria: { statusFilters: [{ comparison: 'EQUALS', value: 'FAILED' }] } })).toEqual([
      'i-cis00000000000001',
      'i-cis00000000000002',
    ]);
    // Descending throughout: by platform, then by instance.
    expect(await byTargets({ sortBy: 'PLATFORM', sortOrder: 'DESC' })).toEqual([
      'i-cis00000000000004',
      'i-cis00000000000003',
      'i-cis00000000000002',
      'i-cis00000000000001',
    ]);
    const page = await inspector.send(new ListCisScanResultsAggregatedByTargetResourceCommand({ scanArn, maxResults: 3 }));
    expect(page.targetResourceAggregations).toHaveLength(3);
    const rest = await inspector.send(new ListCisScanResultsAggregatedByTargetResourceCommand({ scanArn, maxResults: 3, nextToken: page.nextToken }));
    expect(rest.targetResourceAggregations!.map((t) => t.targetResourceId)).toEqual(['i-cis00000000000004']);
  });

  it('details each check of an instance, filtered, sorted and paged', async () => {
    const details = await allDetails(inspector, scanArn, ACCOUNT, 'i-cis00000000000001');
    const [al2] = (await allTargets(inspector, scanArn)).filter((t) => t.targetResourceId === 'i-cis00000000000001');
    expect(details).toHaveLength(checksAt('AMAZON_LINUX_2', 'LEVEL_1').length);
    expect(details.filter((d) => d.status === 'FAILED')).toHaveLength(al2!.statusCounts!.failed!);
    const cramfs = details.find((d) => d.checkId === '1.1.1.1')!;
    expect(cramfs).toMatchObject({
      scanArn,
      accountId: ACCOUNT,
      targetResourceId: 'i-cis00000000000001',
      platform: 'AMAZON_LINUX_2',
      title: 'Ensure mounting of cramfs filesystems is disabled',
      level: 'LEVEL_1',
    });
    expect(cramfs.remediation).toContain('cramfs');
    expect(cramfs.findingArn).toMatch(FINDING_ARN);
    expect(new Set(details.map((d) => d.findingArn)).size).toBe(details.length);
    // Manual recommendations are not evaluated.
    expect(details.find((d) => d.checkId === '6.1.13')).toMatchObject({ status: 'SKIPPED' });

    const failed = await inspector.send(
      new GetCisScanResultDetailsCommand({
        scanArn,
        accountId: ACCOUNT,
        targetResourceId: 'i-cis00000000000001',
        filterCriteria: { findingStatusFilters: [{ comparison: 'EQUALS', value: 'FAILED' }] },
      }),
    );
    expect(failed.scanResultDetails!.every((d) => d.status === 'FAILED')).toBe(true);
    expect(failed.scanResultDetails).toHaveLength(al2!.statusCounts!.failed!);
    const byStatus = (
      await inspector.send(new GetCisScanResultDetailsCommand({ scanArn, accountId: ACCOUNT, targetResourceId: 'i-cis00000000000001', sortBy: 'STATUS' }))
    ).scanResultDetails!.map((d) => d.status!);
    expect(byStatus).toEqual([...byStatus].sort());
    const paged: CisScanResultDetails[] = [];
    let nextToken: string | undefined;
    do {
      const page = await inspector.send(
        new GetCisScanResultDetailsCommand({ scanArn, accountId: ACCOUNT, targetResourceId: 'i-cis00000000000001', maxResults: 10, nextToken }),
      );
      expect(page.scanResultDetails!.length).toBeLessThanOrEqual(10);
      paged.push(...page.scanResultDetails!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged.map((d) => d.checkId)).toEqual(details.map((d) => d.checkId));
    // An unsupported instance has no check results; an instance the scan did not cover is refused.
    expect(await allDetails(inspector, scanArn, ACCOUNT, 'i-cis00000000000004')).toEqual([]);
    const stranger = await rejection(
      inspector.send(new GetCisScanResultDetailsCommand({ scanArn, accountId: ACCOUNT, targetResourceId: 'i-cis00000000000006' })),
    );
    expect(stranger).toBeInstanceOf(ValidationException);
    expect(stranger.message).toContain('is not a target');
  });

  it('runs LEVEL_2 checks too when the level is LEVEL_2', async () => {
    const level2 = await create(inspector, configuration('once-level-2', { securityLevel: 'LEVEL_2' }));
    await advance('10m');
    const [scan] = await scansOf(inspector, level2);
    expect(scan).toMatchObject({ status: 'COMPLETED', securityLevel: 'LEVEL_2' });
    const checks = await allChecks(inspector, scan!.scanArn!);
    expect(checks).toHaveLength(checksAt('AMAZON_LINUX_2', 'LEVEL_2').length + checksAt('UBUNTU_22_04', 'LEVEL_2').length);
    expect(checks.length).toBeGreaterThan(checksAt('AMAZON_LINUX_2', 'LEVEL_1').length + checksAt('UBUNTU_22_04', 'LEVEL_1').length);
    const onlyLevel2 = (
      await inspector.send(
        new ListCisScanResultsAggregatedByChecksCommand({
          scanArn: scan!.scanArn!,
          filterCriteria: { securityLevelFilters: [{ comparison: 'EQUALS', value: 'LEVEL_2' }] },
        }),
      )
    ).checkAggregations!;
    const expected = [...checksAt('AMAZON_LINUX_2', 'LEVEL_2'), ...checksAt('UBUNTU_22_04', 'LEVEL_2')].filter((c) => c.level === 2);
    expect(onlyLevel2.map((c) => c.checkId).sort()).toEqual(expected.map((c) => c.id).sort());
    // The same instance gets the same outcome for the same check in every scan.
    const first = await allDetails(inspector, scanArn, ACCOUNT, 'i-cis00000000000002');
    const second = await allDetails(inspector, scan!.scanArn!, ACCOUNT, 'i-cis00000000000002');
    for (const detail of first) expect(second.find((d) => d.checkId === detail.checkId)!.status).toBe(detail.status);
  });

  it('lists scans with filters, newest first by default, and sorted as asked', async () => {
    const scans = await allScans(inspector);
    expect(scans.map((s) => s.scanName)).toEqual(['once-level-2', 'once']);
    expect((await allScans(inspector, { sortBy: 'SCAN_START_DATE', sortOrder: 'ASC' })).map((s) => s.scanName)).toEqual(['once', 'once-level-2']);
    const page = await inspector.send(new ListCisScansCommand({ maxResults: 1 }));
    expect(page.scans).toHaveLength(1);
    expect(page.nextToken).toBeDefined();
    const rest = await inspector.send(new ListCisScansCommand({ maxResults: 1, nextToken: page.nextToken }));
    expect([...page.scans!, ...rest.scans!].map((s) => s.scanArn)).toEqual(scans.map((s) => s.scanArn));
    expect(rest.nextToken).toBeUndefined();
    const names = async (filterCriteria: ListCisScansCommandInput['filterCriteria']) => (await allScans(inspector, { filterCriteria })).map((s) => s.scanName);
    expect(await names({ scanNameFilters: [{ comparison: 'EQUALS', value: 'once' }] })).toEqual(['once']);
    expect(await names({ scanStatusFilters: [{ comparison: 'EQUALS', value: 'IN_PROGRESS' }] })).toEqual([]);
    expect(await names({ targetResourceIdFilters: [{ comparison: 'EQUALS', value: 'i-cis00000000000002' }] })).toEqual(['once-level-2', 'once']);
    expect(await names({ targetResourceIdFilters: [{ comparison: 'EQUALS', value: 'i-cis00000000000006' }] })).toEqual([]);
    expect(
      await names({ scheduledByFilters: [{ comparison: 'EQUALS', value: ACCOUNT }], targetAccountIdFilters: [{ comparison: 'EQUALS', value: ACCOUNT }] }),
    ).toHaveLength(2);
    expect(await names({ scanAtFilters: [{ latestScanStartTime: scans[1]!.scanDate }] })).toEqual(['once']);
    expect(await names({ failedChecksFilters: [{ lowerInclusive: scans[0]!.failedChecks, upperInclusive: scans[0]!.failedChecks }] })).toContain(
      'once-level-2',
    );
    const [mostFailed] = await allScans(inspector, { sortBy: 'FAILED_CHECKS', sortOrder: 'DESC' });
    expect(mostFailed!.failedChecks).toBe(Math.max(...scans.map((s) => s.failedChecks!)));
  });

  it('writes its report as CSV or PDF and answers where it is', async () => {
    const csv = await inspector.send(new GetCisScanReportCommand({ scanArn, reportFormat: 'CSV' }));
    expect(csv.status).toBe('SUCCEEDED');
    expect(csv.url).toMatch(/^file:\/\/.+\.csv$/);
    const lines = readFileSync(fileURLToPath(csv.url!), 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('AWS Account Id,Resource Id,Platform,Target Status,Target Status Reason,Check Id,Title,Level,Status,Status Reason,Finding ARN');
    const checks = await allChecks(inspector, scanArn);
    // One line per check of each scanned instance, and one for each instance without results.
    expect(lines.length - 1).toBe(totals(checks).passed + totals(checks).failed + totals(checks).skipped + 2);
    expect(lines.some((line) => line.includes('i-cis00000000000003,UBUNTU_22_04,CANCELLED,SSM_UNMANAGED'))).toBe(true);
    expect(lines.filter((line) => line.includes(',FAILED,')).length).toBe(totals(checks).failed);

    const pdf = await inspector.send(new GetCisScanReportCommand({ scanArn }));
    expect(pdf.status).toBe('SUCCEEDED');
    expect(pdf.url).toMatch(/\.pdf$/);
    const document = readFileSync(fileURLToPath(pdf.url!), 'latin1');
    expect(document.startsWith('%PDF-1.4\n')).toBe(true);
    expect(document.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(document).toContain('Ensure mounting of cramfs filesystems is disabled');
    // The cross-reference table points at the objects.
    const xref = Number(/startxref\n(\d+)\n/.exec(document)![1]);
    expect(document.slice(xref, xref + 4)).toBe('xref');
    // Asked again, the same file.
    expect((await inspector.send(new GetCisScanReportCommand({ scanArn }))).url).toBe(pdf.url);

    const unknown = await rejection(inspector.send(new GetCisScanReportCommand({ scanArn: scanArn.replace(/[0-9a-f]{12}$/, '000000000000') })));
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown.$metadata?.httpStatusCode).toBe(404);
    const otherAccount = await rejection(inspector.send(new GetCisScanReportCommand({ scanArn, targetAccounts: ['610000000002'] })));
    expect(otherAccount).toBeInstanceOf(ValidationException);
  });

  it('answers every operation with its output shape, on the wire', async () => {
    const wire = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
    const raw = recordRawResponses(wire);
    const check = (operation: string) => {
      const body = JSON.parse(raw.last()!.body || '{}') as unknown;
      expect(checkShape(serviceModel(), `${operation}Response`, body, { mode: 'output' }).violations, operation).toEqual([]);
    };
    await wire.send(new TagResourceCommand({ resourceArn: configurationArn, tags: { wire: 'yes' } }));
    await wire.send(new ListCisScanConfigurationsCommand({}));
    check('ListCisScanConfigurations');
    await wire.send(new ListCisScansCommand({}));
    check('ListCisScans');
    await wire.send(new ListCisScansCommand({ detailLevel: 'MEMBER' }));
    check('ListCisScans');
    await wire.send(new ListCisScanResultsAggregatedByChecksCommand({ scanArn }));
    check('ListCisScanResultsAggregatedByChecks');
    await wire.send(new ListCisScanResultsAggregatedByTargetResourceCommand({ scanArn }));
    check('ListCisScanResultsAggregatedByTargetResource');
    for (const targetResourceId of ['i-cis00000000000001', 'i-cis00000000000004']) {
      await wire.send(new GetCisScanResultDetailsCommand({ scanArn, accountId: ACCOUNT, targetResourceId }));
      check('GetCisScanResultDetails');
    }
    // Nothing matches: the lists the model says are never empty are left out.
    const none = await wire.send(
      new ListCisScanResultsAggregatedByChecksCommand({ scanArn, filterCriteria: { checkIdFilters: [{ comparison: 'EQUALS', value: '99.9' }] } }),
    );
    expect(none.checkAggregations).toBeUndefined();
    check('ListCisScanResultsAggregatedByChecks');
    await wire.send(new GetCisScanReportCommand({ scanArn, reportFormat: 'CSV' }));
    check('GetCisScanReport');
  });

  it('is the account’s own: another account reads none of it', async () => {
    const other = await enabled('610000000004');
    expect(await allScans(other)).toEqual([]);
    expect(await allScans(other, { detailLevel: 'MEMBER' })).toEqual([]);
    for (const call of [
      other.send(new ListCisScanResultsAggregatedByChecksCommand({ scanArn })),
      other.send(new ListCisScanResultsAggregatedByTargetResourceCommand({ scanArn })),
      other.send(new GetCisScanResultDetailsCommand({ scanArn, accountId: ACCOUNT, targetResourceId: 'i-cis00000000000001' })),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toContain('There is no CIS scan');
    }
    expect(await rejection(other.send(new GetCisScanReportCommand({ scanArn })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('recurring CIS scans', () => {
  const ACCOUNT = '610000000005';
  let inspector: Inspector2Client;
  beforeAll(async () => {
    await setClock('2025-04-01T00:00:00Z');
    inspector = await enabled(ACCOUNT);
    await launch(ACCOUNT, 'i-cis00000000000011', 'AMAZON_LINUX_2', { CisTarget: 'yes' });
  });

  it('run daily at the start time, each run scheduling the next; a deleted configuration runs no more', async () => {
    const arn = await create(inspector, configuration('daily', { schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'UTC' } } } }));
    expect(await scansOf(inspector, arn)).toEqual([]);
    await advance('PT1H59M');
    expect(await scansOf(inspector, arn)).toEqual([]);
    await advance('1m');
    expect((await scansOf(inspector, arn)).map((s) => [s.scanDate!.toISOString(), s.status])).toEqual([['2025-04-01T02:00:00.000Z', 'IN_PROGRESS']]);
    await advance('1d');
    const scans = await scansOf(inspector, arn, { sortBy: 'SCAN_START_DATE', sortOrder: 'ASC' });
    expect(scans.map((s) => [s.scanDate!.toISOString(), s.status])).toEqual([
      ['2025-04-01T02:00:00.000Z', 'COMPLETED'],
      ['2025-04-02T02:00:00.000Z', 'IN_PROGRESS'],
    ]);
    await advance('10m');
    const [first, second] = await scansOf(inspector, arn, { sortBy: 'SCAN_START_DATE', sortOrder: 'ASC' });
    expect(second!.status).toBe('COMPLETED');
    expect(second!.scanArn).not.toBe(first!.scanArn);
    expect(totals(await allTargets(inspector, second!.scanArn!))).toEqual(totals(await allTargets(inspector, first!.scanArn!)));

    await inspector.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: arn }));
    await advance('3d');
    // Its scans stay, and no new one starts.
    expect(await scansOf(inspector, arn)).toHaveLength(2);
  });

  it('keep the time of day in their time zone, and run weekly and monthly on their days', async () => {
    // New York is on daylight saving time (UTC-4) in April.
    await setClock('2025-04-09T03:00:00Z');
    const newYork = await create(
      inspector,
      configuration('new-york', { schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'America/New_York' } } } }),
    );
    const weekly = await create(
      inspector,
      configuration('weekly', { schedule: { weekly: { startTime: { timeOfDay: '12:00', timezone: 'UTC' }, days: ['MON'] } } }),
    );
    const monthly = await create(
      inspector,
      configuration('monthly', { schedule: { monthly: { startTime: { timeOfDay: '08:00', timezone: 'UTC' }, day: 'TUE' } } }),
    );
    await setClock('2025-04-15T00:00:00Z');
    expect((await scansOf(inspector, newYork)).map((s) => s.scanDate!.toISOString()).sort()).toEqual([
      '2025-04-09T06:00:00.000Z',
      '2025-04-10T06:00:00.000Z',
      '2025-04-11T06:00:00.000Z',
      '2025-04-12T06:00:00.000Z',
      '2025-04-13T06:00:00.000Z',
      '2025-04-14T06:00:00.000Z',
    ]);
    // Monday 14 April.
    expect((await scansOf(inspector, weekly)).map((s) => s.scanDate!.toISOString())).toEqual(['2025-04-14T12:00:00.000Z']);
    // On the first Tuesday of the month: April's (the 1st) was before the configuration existed; May's is the 6th.
    expect(await scansOf(inspector, monthly)).toEqual([]);
    await setClock('2025-05-06T09:00:00Z');
    expect((await scansOf(inspector, monthly)).map((s) => s.scanDate!.toISOString())).toEqual(['2025-05-06T08:00:00.000Z']);
    for (const scanConfigurationArn of [newYork, weekly, monthly]) await inspector.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn }));
  });

  it('scan what the tags select when the scan starts', async () => {
    await launch(ACCOUNT, 'i-cis00000000000012', 'UBUNTU_22_04', { Team: 'blue' });
    await launch(ACCOUNT, 'i-cis00000000000013', 'UBUNTU_22_04', { Team: 'red' });
    const arn = await create(inspector, configuration('blue-team', { targets: { accountIds: ['SELF'], targetResourceTags: { Team: ['blue', 'green'] } } }));
    await advance('10m');
    const [scan] = await scansOf(inspector, arn);
    expect((await allTargets(inspector, scan!.scanArn!)).map((t) => t.targetResourceId)).toEqual(['i-cis00000000000012']);
    // New targets apply to the next run.
    await inspector.send(
      new UpdateCisScanConfigurationCommand({
        scanConfigurationArn: arn,
        targets: { targetResourceTags: { Team: ['red'] } },
        schedule: { daily: { startTime: { timeOfDay: '00:00', timezone: 'UTC' } } },
      }),
    );
    await advance('1d');
    const latest = (await scansOf(inspector, arn))[0]!;
    expect(latest.targets).toEqual({ accountIds: [ACCOUNT], targetResourceTags: { Team: ['red'] } });
    expect((await allTargets(inspector, latest.scanArn!)).map((t) => t.targetResourceId)).toEqual(['i-cis00000000000013']);
    await inspector.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: arn }));
  });
});

describe('the SSM plugin’s CIS sessions', () => {
  const ACCOUNT = '610000000006';
  const TOKEN = '11111111-2222-4333-8444-555555555555';
  const OTHER_TOKEN = '66666666-7777-4888-9999-aaaaaaaaaaaa';
  let inspector: Inspector2Client;
  let scanArn: string;
  let al2Job: string;
  let ubuntuJob: string;
  const details = new TextEncoder().encode('{"source":"test"}');
  beforeAll(async () => {
    inspector = await enabled(ACCOUNT);
    await launch(ACCOUNT, 'i-cis00000000000021', 'AMAZON_LINUX_2', { CisTarget: 'yes' });
    await launch(ACCOUNT, 'i-cis00000000000022', 'UBUNTU_22_04', { CisTarget: 'yes' });
    const arn = await create(inspector, configuration('agent'));
    scanArn = (await scansOf(inspector, arn))[0]!.scanArn!;
    // The service hands each instance's plugin its scan job id.
    const jobs = scanJobsOf(server.emulator.world, scanArn);
    al2Job = jobs.find((j) => j.instanceId === 'i-cis00000000000021')!.scanJobId;
    ubuntuJob = jobs.find((j) => j.instanceId === 'i-cis00000000000022')!.scanJobId;
    expect(al2Job).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/);
  });

  it('start once per scan job and token; another token conflicts', async () => {
    const early = await rejection(inspector.send(new SendCisSessionHealthCommand({ scanJobId: al2Job, sessionToken: TOKEN })));
    expect(early).toBeInstanceOf(ConflictException);
    expect(early.$metadata?.httpStatusCode).toBe(409);
    expect(early.message).toContain('StartCisSession first');
    await inspector.send(new StartCisSessionCommand({ scanJobId: al2Job, message: { sessionToken: TOKEN } }));
    // The same start again is harmless (the operation is idempotent).
    await inspector.send(new StartCisSessionCommand({ scanJobId: al2Job, message: { sessionToken: TOKEN } }));
    const second = await rejection(inspector.send(new StartCisSessionCommand({ scanJobId: al2Job, message: { sessionToken: OTHER_TOKEN } })));
    expect(second).toBeInstanceOf(ConflictException);
    expect(second.message).toContain('another token');
    expect(second.resourceId).toBe(al2Job);
  });

  it('take health and telemetry with the session’s token only', async () => {
    await inspector.send(new SendCisSessionHealthCommand({ scanJobId: al2Job, sessionToken: TOKEN }));
    const wrong = await rejection(inspector.send(new SendCisSessionHealthCommand({ scanJobId: al2Job, sessionToken: OTHER_TOKEN })));
    expect(wrong).toBeInstanceOf(ConflictException);
    expect(wrong.message).toContain('does not match');
    await inspector.send(
      new SendCisSessionTelemetryCommand({
        scanJobId: al2Job,
        sessionToken: TOKEN,
        messages: [
          { ruleId: 'xccdf_org.cisecurity.benchmarks_rule_5.3.10_Ensure_SSH_root_login_is_disabled', status: 'FAILED', cisRuleDetails: details },
          { ruleId: '1.1.1.1', status: 'PASSED', cisRuleDetails: details },
          { ruleId: '3.2.1', status: 'NOT_APPLICABLE', cisRuleDetails: details },
        ],
      }),
    );
    const unknown = await rejection(
      inspector.send(new SendCisSessionHealthCommand({ scanJobId: '00000000-0000-4000-8000-000000000000', sessionToken: TOKEN })),
    );
    expect(unknown).toBeInstanceOf(ValidationException);
    expect(unknown.$metadata?.httpStatusCode).toBe(400);
    expect(unknown.message).toContain('There is no CIS scan job');
    // The job is the instance account's: another account cannot report it.
    const stranger = await rejection(
      (await enabled('610000000007')).send(new StartCisSessionCommand({ scanJobId: ubuntuJob, message: { sessionToken: TOKEN } })),
    );
    expect(stranger).toBeInstanceOf(ValidationException);
  });

  it('hold the scan open past its scan time until the plugin stops, with the results it reported', async () => {
    await advance('10m');
    const [scan] = await allScans(inspector, { filterCriteria: { scanArnFilters: [{ comparison: 'EQUALS', value: scanArn }] } });
    expect(scan!.status).toBe('IN_PROGRESS');
    const targets = await allTargets(inspector, scanArn);
    expect(targets.find((t) => t.targetResourceId === 'i-cis00000000000022')!.targetStatus).toBe('COMPLETED');
    expect(targets.find((t) => t.targetResourceId === 'i-cis00000000000021')).toMatchObject({ targetStatusReason: 'SCAN_IN_PROGRESS' });
    // A job already done takes no session.
    const late = await rejection(inspector.send(new StartCisSessionCommand({ scanJobId: ubuntuJob, message: { sessionToken: TOKEN } })));
    expect(late).toBeInstanceOf(ConflictException);
    expect(late.message).toContain('is not running');

    await inspector.send(
      new StopCisSessionCommand({
        scanJobId: al2Job,
        sessionToken: TOKEN,
        message: {
          status: 'SUCCESS',
          progress: { totalChecks: 3, successfulChecks: 1, failedChecks: 1, notApplicableChecks: 1 },
          benchmarkVersion: '2.0.0',
          benchmarkProfile: 'Level 1 - Server',
          computePlatform: { vendor: 'amazon', product: 'amazon_linux', version: '2' },
        },
      }),
    );
    expect((await allScans(inspector, { filterCriteria: { scanArnFilters: [{ comparison: 'EQUALS', value: scanArn }] } }))[0]!.status).toBe('COMPLETED');
    const reported = await allDetails(inspector, scanArn, ACCOUNT, 'i-cis00000000000021');
    expect(reported).toHaveLength(checksAt('AMAZON_LINUX_2', 'LEVEL_1').length);
    expect(reported.find((d) => d.checkId === '5.3.10')).toMatchObject({ status: 'FAILED' });
    expect(reported.find((d) => d.checkId === '1.1.1.1')).toMatchObject({ status: 'PASSED' });
    expect(reported.find((d) => d.checkId === '3.2.1')).toMatchObject({ status: 'SKIPPED', statusReason: expect.stringContaining('NOT_APPLICABLE') });

    for (const call of [
      inspector.send(new StopCisSessionCommand({ scanJobId: al2Job, sessionToken: TOKEN, message: { status: 'SUCCESS', progress: {} } })),
      inspector.send(new SendCisSessionHealthCommand({ scanJobId: al2Job, sessionToken: TOKEN })),
      inspector.send(new StartCisSessionCommand({ scanJobId: al2Job, message: { sessionToken: TOKEN } })),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(ConflictException);
      expect(error.message).toContain('was stopped');
    }
  });

  it('time out without health reports, and a scan whose every job failed is FAILED', async () => {
    const arn = await create(inspector, configuration('silent', { targets: { accountIds: ['SELF'], targetResourceTags: { Name: ['never-set'] } } }));
    // No instance carries the tag: an empty scan completes.
    await advance('10m');
    expect((await scansOf(inspector, arn))[0]).toMatchObject({ status: 'COMPLETED', totalChecks: 0 });

    const agentArn = await create(inspector, configuration('agents'));
    const [scan] = await scansOf(inspector, agentArn);
    const jobs = scanJobsOf(server.emulator.world, scan!.scanArn!);
    for (const job of jobs) await inspector.send(new StartCisSessionCommand({ scanJobId: job.scanJobId, message: { sessionToken: TOKEN } }));
    const interrupted = jobs.find((j) => j.instanceId === 'i-cis00000000000022')!.scanJobId;
    await inspector.send(
      new SendCisSessionTelemetryCommand({
        scanJobId: interrupted,
        sessionToken: TOKEN,
        messages: [{ ruleId: '5.2.7', status: 'PASSED', cisRuleDetails: details }],
      }),
    );
    await inspector.send(
      new StopCisSessionCommand({
        scanJobId: interrupted,
        sessionToken: TOKEN,
        message: { status: 'INTERRUPTED', reason: 'instance rebooted', progress: { totalChecks: 1 } },
      }),
    );
    await advance('29m');
    const silent = jobs.find((j) => j.instanceId === 'i-cis00000000000021')!.scanJobId;
    await inspector.send(new SendCisSessionHealthCommand({ scanJobId: silent, sessionToken: TOKEN }));
    await advance('29m');
    expect((await scansOf(inspector, agentArn))[0]!.status).toBe('IN_PROGRESS');
    await advance('1m');
    const targets = await allTargets(inspector, scan!.scanArn!);
    expect(targets.map((t) => [t.targetResourceId, t.targetStatus])).toEqual([
      ['i-cis00000000000021', 'TIMED_OUT'],
      ['i-cis00000000000022', 'CANCELLED'],
    ]);
    // An interrupted job keeps what it reported.
    expect(targets[1]!.statusCounts).toEqual({ passed: 1, failed: 0, skipped: 0 });
    expect((await scansOf(inspector, agentArn))[0]!.status).toBe('FAILED');
    const timedOut = await rejection(inspector.send(new SendCisSessionHealthCommand({ scanJobId: silent, sessionToken: TOKEN })));
    expect(timedOut).toBeInstanceOf(ConflictException);
  });
});

describe('CIS scans of a delegated administrator', () => {
  const admin = () => client(ORG.securityTooling);
  let configurationArn: string;
  let scanArn: string;
  beforeAll(async () => {
    await client(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    await enabled(ORG.securityTooling);
    await admin().send(new AssociateMemberCommand({ accountId: ORG.production }));
    await enabled(ORG.production);
    await enabled(ORG.staging);
    await launch(ORG.production, 'i-cis00000000000031', 'UBUNTU_22_04', { CisTarget: 'yes' });
    await launch(ORG.securityTooling, 'i-cis00000000000032', 'AMAZON_LINUX_2', { CisTarget: 'yes' });
    await launch(ORG.staging, 'i-cis00000000000033', 'AMAZON_LINUX_2', { CisTarget: 'yes' });
  });

  it('targets its members, scheduled by its organization', async () => {
    const refused = await rejection(
      admin().send(
        new CreateCisScanConfigurationCommand(configuration('org', { targets: { accountIds: [ORG.staging], targetResourceTags: { CisTarget: ['yes'] } } })),
      ),
    );
    expect(refused).toBeInstanceOf(AccessDeniedException);
    expect(refused.message).toContain(`Account ${ORG.staging} is not a member`);
    configurationArn = await create(admin(), configuration('org', { targets: { accountIds: ['ALL_ACCOUNTS'], targetResourceTags: { CisTarget: ['yes'] } } }));
    expect(configurationArn).toContain(`:${ORG.securityTooling}:owner/${ORG.id}/cis-configuration/`);
    const [listed] = (await admin().send(new ListCisScanConfigurationsCommand({}))).scanConfigurations!;
    expect(listed).toMatchObject({ ownerId: ORG.id, targets: { accountIds: [ORG.securityTooling, ORG.production] } });
    await advance('10m');
    const [scan] = await scansOf(admin(), configurationArn);
    scanArn = scan!.scanArn!;
    expect(scan).toMatchObject({ status: 'COMPLETED', scheduledBy: ORG.id });
    expect((await allTargets(admin(), scanArn)).map((t) => [t.accountId, t.targetResourceId])).toEqual([
      [ORG.production, 'i-cis00000000000031'],
      [ORG.securityTooling, 'i-cis00000000000032'],
    ]);
  });

  it('shows a member the scans of its account (detailLevel MEMBER), with its own instances only', async () => {
    const member = client(ORG.production);
    expect(await allScans(member)).toEqual([]);
    const [scan] = await allScans(member, { detailLevel: 'MEMBER' });
    expect(scan).toMatchObject({ scanArn, scheduledBy: ORG.id });
    expect((await allTargets(member, scanArn)).map((t) => t.targetResourceId)).toEqual(['i-cis00000000000031']);
    const checks = await allChecks(member, scanArn);
    expect(checks.every((c) => c.platform === 'UBUNTU_22_04' && c.accountId === ORG.production)).toBe(true);
    expect(scan!.totalChecks).toBe(checks.length);
    // The member cannot change the administrator's configuration, nor read another account's instance.
    expect(await rejection(member.send(new DeleteCisScanConfigurationCommand({ scanConfigurationArn: configurationArn })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(
      await rejection(member.send(new GetCisScanResultDetailsCommand({ scanArn, accountId: ORG.securityTooling, targetResourceId: 'i-cis00000000000032' }))),
    ).toBeInstanceOf(ValidationException);
    // An account outside the scan sees nothing of it.
    expect(await allScans(client(ORG.staging), { detailLevel: 'MEMBER' })).toEqual([]);
  });
});

describe('CIS state in a snapshot', () => {
  it('survives an export and import: configurations, scans, results and pending runs', async () => {
    const ACCOUNT = '610000000008';
    const inspector = await enabled(ACCOUNT);
    await launch(ACCOUNT, 'i-cis00000000000041', 'AMAZON_LINUX_2', { CisTarget: 'yes' });
    const arn = await create(
      inspector,
      configuration('kept', { schedule: { daily: { startTime: { timeOfDay: '03:00', timezone: 'UTC' } } }, tags: { keep: 'me' } }),
    );
    await advance('1d');
    await advance('10m');
    const before = await scansOf(inspector, arn);
    expect(before.length).toBeGreaterThan(0);
    const details = await allDetails(inspector, before[0]!.scanArn!, ACCOUNT, 'i-cis00000000000041');

    const exported = await fetch(`${server.url}/_inspector2/snapshot`).then((r) => r.text());
    const imported = await fetch(`${server.url}/_inspector2/snapshot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exported });
    expect(imported.status).toBe(200);

    expect(await scansOf(inspector, arn)).toEqual(before);
    expect(await allDetails(inspector, before[0]!.scanArn!, ACCOUNT, 'i-cis00000000000041')).toEqual(details);
    expect((await inspector.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ keep: 'me' });
    // The next daily run is still planned.
    await advance('1d');
    expect(await scansOf(inspector, arn)).toHaveLength(before.length + 1);
  });
});
