// The golden session: one scripted session through the AWS SDK v3 against a server with the
// default seed and a manual clock, every answer's body recorded in session.golden.json.
// The emulator promises byte-identical answers for the same seed, calls and clock moves:
// two fresh servers must give the same text, and that text must be the golden file's.
// It pins today's behaviour, so that a refactor of the world shows every answer it changes.
//
//     UPDATE_GOLDEN=1 npx vitest run test/golden     # (re)writes the golden file
//
// A golden file that is missing is written (and the test says so).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  BatchGetFindingDetailsCommand,
  CreateCisScanConfigurationCommand,
  CreateFilterCommand,
  CreateFindingsReportCommand,
  CreateSbomExportCommand,
  DisableCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetConfigurationCommand,
  GetDelegatedAdminAccountCommand,
  GetFindingsReportStatusCommand,
  GetSbomExportCommand,
  Inspector2Client,
  ListCisScansCommand,
  ListCoverageCommand,
  ListCoverageStatisticsCommand,
  ListFiltersCommand,
  ListFindingAggregationsCommand,
  ListFindingsCommand,
  ListMembersCommand,
  ListTagsForResourceCommand,
  SearchVulnerabilitiesCommand,
  TagResourceCommand,
  UpdateConfigurationCommand,
  UpdateOrganizationConfigurationCommand,
  type AggregationRequest,
  type AggregationType,
  type FilterCriteria,
} from '@aws-sdk/client-inspector2';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';

const GOLDEN = fileURLToPath(new URL('./session.golden.json', import.meta.url));
const REGION = 'us-east-1';
const STANDALONE = '123456789012';
const ORG = { management: '111111111111', admin: '222222222222', member: '333333333333' } as const;
const SCAN_TYPES = ['EC2', 'ECR', 'LAMBDA'] as const;
const KMS = (accountId: string) => `arn:aws:kms:${REGION}:${accountId}:key/01234567-89ab-cdef-0123-456789abcdef`;

interface Step {
  step: string;
  answer: unknown;
}

/** A value as plain JSON, keys sorted at every level, dates as ISO text, undefined members left out. */
function stable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : stable(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = stable(member);
    }
    return out;
  }
  return value;
}

/** An SDK output without its `$metadata` (request ids, attempts: not the answer). */
function body(output: object): unknown {
  const { $metadata: _metadata, ...rest } = output as { $metadata?: unknown };
  return stable(rest);
}

function serialize(steps: Step[]): string {
  return `${JSON.stringify({ steps }, null, 2)}\n`;
}

/** Up to `limit` paths where two JSON values differ, each with both values, shortened. */
function differences(expected: unknown, actual: unknown, limit = 8, path = '$', found: string[] = []): string[] {
  if (found.length >= limit) return found;
  const short = (v: unknown) => {
    const text = v === undefined ? 'undefined' : JSON.stringify(v);
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
  };
  const bothObjects = expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object';
  if (bothObjects && Array.isArray(expected) === Array.isArray(actual)) {
    if (Array.isArray(expected) && Array.isArray(actual) && expected.length !== actual.length) {
      found.push(`${path}: ${expected.length} items expected, ${actual.length} found`);
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], limit, `${path}.${key}`, found);
      if (found.length >= limit) break;
    }
  } else if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    found.push(`${path}: expected ${short(expected)}, found ${short(actual)}`);
  }
  return found;
}

/** Every page of a paged operation, as one answer: the pages' bodies in order. */
async function allPages<T extends { nextToken?: string }>(fetchPage: (nextToken?: string) => Promise<T>): Promise<unknown[]> {
  const pages: unknown[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    pages.push(body(page));
    nextToken = page.nextToken;
  } while (nextToken);
  return pages;
}

/** Runs the session against a fresh server; answers every step's body in order. */
async function runSession(): Promise<Step[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'inspector2-golden-'));
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    manualClock: true,
    clockStart: new Date('2026-01-01T00:00:00Z'),
    logLevel: 'silent',
    dataDir,
  });
  const steps: Step[] = [];
  const record = (step: string, answer: unknown) => steps.push({ step, answer: stable(answer) });
  const clients = new Map<string, Inspector2Client>();
  const as = (accountId: string) => {
    let client = clients.get(accountId);
    if (!client) {
      client = new Inspector2Client({ endpoint: server.url, region: REGION, credentials: { accessKeyId: accountId, secretAccessKey: 'test' }, maxAttempts: 1 });
      clients.set(accountId, client);
    }
    return client;
  };
  const control = async (method: string, path: string, payload?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const advance = async (step: string, by: string) => record(step, await control('POST', '/_inspector2/clock', { advance: by }));
  /** Asks until the job is no longer IN_PROGRESS (its object is written in the background); records the final answer only. */
  const settled = async <T extends { status?: string }>(ask: () => Promise<T>): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const answer = await ask();
      if (answer.status !== 'IN_PROGRESS') return answer;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the job did not finish');
  };

  try {
    const standalone = as(STANDALONE);
    const management = as(ORG.management);
    const admin = as(ORG.admin);

    // A standalone account enables its scans.
    record('standalone Enable', body(await standalone.send(new EnableCommand({ resourceTypes: [...SCAN_TYPES] }))));
    record('standalone BatchGetAccountStatus (enabling)', body(await standalone.send(new BatchGetAccountStatusCommand({}))));

    // The organization: the management account delegates, the administrator associates a member and enables it.
    record(
      'management EnableDelegatedAdminAccount',
      body(await management.send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.admin }))),
    );
    await advance('clock +1m (delegation)', '1m');
    record('member GetDelegatedAdminAccount', body(await as(ORG.member).send(new GetDelegatedAdminAccountCommand({}))));
    record('admin AssociateMember', body(await admin.send(new AssociateMemberCommand({ accountId: ORG.member }))));
    await advance('clock +1m (association)', '1m');
    record('admin Enable members', body(await admin.send(new EnableCommand({ accountIds: [ORG.admin, ORG.member], resourceTypes: [...SCAN_TYPES] }))));
    record(
      'admin UpdateOrganizationConfiguration',
      body(await admin.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: true, ecr: true, lambda: true } }))),
    );
    await advance('clock +10m (scans)', '10m');
    record('admin ListMembers', body(await admin.send(new ListMembersCommand({ onlyAssociated: false }))));
    record('admin BatchGetAccountStatus', body(await admin.send(new BatchGetAccountStatusCommand({ accountIds: [ORG.admin, ORG.member] }))));
    record('standalone BatchGetAccountStatus (enabled)', body(await standalone.send(new BatchGetAccountStatusCommand({}))));
    const iam = new IAMClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: STANDALONE, secretAccessKey: 'test' }, maxAttempts: 1 });
    record('standalone IAM GetRole', body(await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }))));

    // Coverage and findings.
    record('standalone ListCoverage', await allPages((nextToken) => standalone.send(new ListCoverageCommand({ nextToken }))));
    record('admin ListCoverage', await allPages((nextToken) => admin.send(new ListCoverageCommand({ nextToken, maxResults: 50 }))));
    const standaloneFindings = await allPages((nextToken) => standalone.send(new ListFindingsCommand({ nextToken, maxResults: 25 })));
    record('standalone ListFindings', standaloneFindings);
    const critical: FilterCriteria = { severity: [{ comparison: 'EQUALS', value: 'CRITICAL' }] };
    record(
      'admin ListFindings (critical, by score)',
      await allPages((nextToken) =>
        admin.send(new ListFindingsCommand({ nextToken, filterCriteria: critical, sortCriteria: { field: 'INSPECTOR_SCORE', sortOrder: 'DESC' } })),
      ),
    );
    const aggregations: [AggregationType, AggregationRequest][] = [
      ['ACCOUNT', { accountAggregation: {} }],
      ['FINDING_TYPE', { findingTypeAggregation: {} }],
      ['PACKAGE', { packageAggregation: { sortBy: 'HIGH', sortOrder: 'DESC' } }],
      ['TITLE', { titleAggregation: { sortBy: 'CRITICAL' } }],
      ['AWS_EC2_INSTANCE', { ec2InstanceAggregation: {} }],
      ['REPOSITORY', { repositoryAggregation: {} }],
      ['AWS_LAMBDA_FUNCTION', { lambdaFunctionAggregation: {} }],
    ];
    for (const [aggregationType, aggregationRequest] of aggregations) {
      record(
        `admin ListFindingAggregations ${aggregationType}`,
        await allPages((nextToken) => admin.send(new ListFindingAggregationsCommand({ aggregationType, aggregationRequest, nextToken }))),
      );
    }
    record('standalone ListCoverageStatistics', body(await standalone.send(new ListCoverageStatisticsCommand({}))));
    for (const groupBy of ['RESOURCE_TYPE', 'SCAN_STATUS_REASON'] as const) {
      record(
        `admin ListCoverageStatistics by ${groupBy}`,
        await allPages((nextToken) => admin.send(new ListCoverageStatisticsCommand({ groupBy, nextToken }))),
      );
    }

    // A suppression rule, configuration.
    const suppressed = await standalone.send(
      new CreateFilterCommand({
        name: 'suppress-medium',
        action: 'SUPPRESS',
        description: 'Medium findings are noise here',
        filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'MEDIUM' }] },
        reason: 'golden session',
      }),
    );
    record('standalone CreateFilter', body(suppressed));
    record('standalone ListFilters', body(await standalone.send(new ListFiltersCommand({}))));
    record(
      'standalone UpdateConfiguration',
      body(
        await standalone.send(
          new UpdateConfigurationCommand({
            ecrConfiguration: { rescanDuration: 'DAYS_30', pullDateRescanDuration: 'DAYS_90' },
            ec2Configuration: { scanMode: 'EC2_SSM_AGENT_BASED' },
          }),
        ),
      ),
    );
    record('standalone GetConfiguration', body(await standalone.send(new GetConfigurationCommand({}))));

    // A findings report to the folder object store, and an SBOM export.
    const report = await standalone.send(
      new CreateFindingsReportCommand({
        reportFormat: 'JSON',
        filterCriteria: critical,
        s3Destination: { bucketName: 'reports', keyPrefix: 'golden', kmsKeyArn: KMS(STANDALONE) },
      }),
    );
    record('standalone CreateFindingsReport', body(report));
    await advance('clock +1s (report)', '1s');
    record('standalone GetFindingsReportStatus', body(await settled(() => standalone.send(new GetFindingsReportStatusCommand({ reportId: report.reportId })))));
    const sbom = await standalone.send(
      new CreateSbomExportCommand({ reportFormat: 'CYCLONEDX_1_4', s3Destination: { bucketName: 'sbom', kmsKeyArn: KMS(STANDALONE) } }),
    );
    record('standalone CreateSbomExport', body(sbom));
    await advance('clock +1s (sbom)', '1s');
    record('standalone GetSbomExport', body(await settled(() => standalone.send(new GetSbomExportCommand({ reportId: sbom.reportId })))));

    // A daily CIS scan, a day later.
    const cis = await admin.send(
      new CreateCisScanConfigurationCommand({
        scanName: 'golden-daily',
        securityLevel: 'LEVEL_1',
        schedule: { daily: { startTime: { timeOfDay: '02:00', timezone: 'UTC' } } },
        targets: { accountIds: ['ALL_ACCOUNTS'], targetResourceTags: { Environment: ['production', 'staging'] } },
        tags: { team: 'security' },
      }),
    );
    record('admin CreateCisScanConfiguration', body(cis));
    await advance('clock +1d (cis)', '1d');
    record('admin ListCisScans', await allPages((nextToken) => admin.send(new ListCisScansCommand({ nextToken }))));

    // The events Inspector sent so far; then the log is cleared (its id counter goes on).
    record('GET /_inspector2/events (standalone)', await control('GET', `/_inspector2/events?account=${STANDALONE}`));
    record('DELETE /_inspector2/events', await control('DELETE', '/_inspector2/events'));

    // The state goes out as a snapshot and comes back: the id counters with it. (The
    // snapshot's `savedAt` is wall-clock time, so neither it nor `restored` is recorded.)
    const snapshot = await fetch(`${server.url}/_inspector2/snapshot`).then((response) => response.text());
    const { restored: _restored, ...restoredAnswer } = (await control('POST', '/_inspector2/snapshot', JSON.parse(snapshot))) as { restored?: unknown };
    record('POST /_inspector2/snapshot (round trip)', restoredAnswer);
    const csvReport = await standalone.send(
      new CreateFindingsReportCommand({ reportFormat: 'CSV', s3Destination: { bucketName: 'reports', kmsKeyArn: KMS(STANDALONE) } }),
    );
    record('standalone CreateFindingsReport (CSV, after the round trip)', body(csvReport));
    await advance('clock +1s (csv report)', '1s');
    record(
      'standalone GetFindingsReportStatus (CSV)',
      body(await settled(() => standalone.send(new GetFindingsReportStatusCommand({ reportId: csvReport.reportId })))),
    );

    // Finding details, vulnerabilities, tags.
    const arns = (standaloneFindings as { findings: { findingArn: string }[] }[]).flatMap((page) => page.findings.map((f) => f.findingArn)).slice(0, 5);
    record('standalone BatchGetFindingDetails', body(await standalone.send(new BatchGetFindingDetailsCommand({ findingArns: arns }))));
    record(
      'SearchVulnerabilities',
      body(await standalone.send(new SearchVulnerabilitiesCommand({ filterCriteria: { vulnerabilityIds: ['CVE-2021-44228'] } }))),
    );
    record('standalone TagResource (filter)', body(await standalone.send(new TagResourceCommand({ resourceArn: suppressed.arn, tags: { owner: 'golden' } }))));
    record('standalone ListTagsForResource (filter)', body(await standalone.send(new ListTagsForResourceCommand({ resourceArn: suppressed.arn }))));

    // Lambda scanning off, time passes, findings again.
    record('standalone Disable LAMBDA', body(await standalone.send(new DisableCommand({ resourceTypes: ['LAMBDA'] }))));
    await advance('clock +1h (disable)', '1h');
    record('standalone BatchGetAccountStatus (after disable)', body(await standalone.send(new BatchGetAccountStatusCommand({}))));
    record('standalone ListFindings (after disable)', await allPages((nextToken) => standalone.send(new ListFindingsCommand({ nextToken, maxResults: 25 }))));
    record(
      'standalone ListFindings CLOSED',
      await allPages((nextToken) =>
        standalone.send(new ListFindingsCommand({ nextToken, filterCriteria: { findingStatus: [{ comparison: 'EQUALS', value: 'CLOSED' }] } })),
      ),
    );
    record('GET /_inspector2/events (standalone, since the log was cleared)', await control('GET', `/_inspector2/events?account=${STANDALONE}`));
    return steps;
  } finally {
    for (const client of clients.values()) client.destroy();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the golden session', () => {
  it('gives byte-identical answers from fresh servers, and the golden file’s', async () => {
    const first = await runSession();
    const second = await runSession();
    const text = serialize(first);
    if (serialize(second) !== text) expect.fail(`two fresh servers answered differently:\n${compare(first, second).join('\n')}`);

    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, text);
      console.log(`golden session: wrote ${GOLDEN} (${first.length} steps, ${text.length} bytes)`);
      return;
    }
    const golden = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { steps: Step[] }).steps;
    const problems = compare(golden, first);
    if (problems.length) expect.fail(`the session differs from ${GOLDEN} (UPDATE_GOLDEN=1 rewrites it):\n${problems.join('\n')}`);
    expect(text === readFileSync(GOLDEN, 'utf8'), 'same answers, but not the same text as the golden file').toBe(true);
  }, 60_000);
});

/** What differs between two sessions, step by step (the step's name, then a short diff). */
function compare(expected: Step[], actual: Step[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (want?.step !== got?.step) {
      problems.push(`step ${i}: expected step "${want?.step ?? '(none)'}", found "${got?.step ?? '(none)'}"`);
      continue;
    }
    const diff = differences(want?.answer, got?.answer);
    if (diff.length) problems.push(`step ${i} "${want?.step}":`, ...diff.map((line) => `  ${line}`));
  }
  return problems;
}
