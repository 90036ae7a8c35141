// Findings reports: CreateFindingsReport starts one (IN_PROGRESS); once the transition
// time has passed, the findings that match its criteria (through the one query engine;
// ACTIVE only unless the criteria say otherwise) are written as CSV or JSON to the S3
// destination, and the report SUCCEEDED — or FAILED with AWS's error code, or was
// CANCELLED. Where objects go is the object store's business (a folder, or an S3 endpoint).
import type { components } from '../../../openapi/inspector2.js';
import type { Caller } from '../world.js';
import type { Finding } from './documents.js';
import { WorldError } from '../platform/errors.js';
import { nextId } from '../platform/ids.js';
import { makeRoomForJob } from './retention.js';
import { findingFilter, findingOrder, visibleAccountRegions } from './query.js';
import type { World } from '../world.js';
import { ObjectStoreError } from '../platform/object-store.js';
import { z } from 'zod';
import { declareState, savedCounter, savedRecords } from '../platform/state.js';
import { registerTask, taskAccountId, taskId, taskRegion } from '../platform/tasks.js';

type Shapes = components['schemas'];
export type ReportStatus = Shapes['ExternalReportStatus'];
export type ReportErrorCode = Shapes['ReportingErrorCode'];

export interface Report {
  reportId: string;
  accountId: string;
  region: string;
  format: 'CSV' | 'JSON';
  destination: Shapes['Destination'];
  filterCriteria?: Shapes['FilterCriteria'];
  status: ReportStatus;
  errorCode?: ReportErrorCode;
  errorMessage?: string;
}

const KMS_KEY = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/;

export function createReport(
  world: World,
  caller: Caller,
  request: { format: Report['format']; destination: Shapes['Destination']; filterCriteria?: Shapes['FilterCriteria'] },
): Report {
  const reports = world.accountRegion(caller.accountId, caller.region).reports;
  makeRoomForJob(world, reports, (state) => state.reports, 'findings reports');
  const report: Report = {
    reportId: nextId(world.global.reportSequence, caller.accountId, caller.region, 'findings-report'),
    accountId: caller.accountId,
    region: caller.region,
    format: request.format,
    destination: request.destination,
    ...(request.filterCriteria ? { filterCriteria: request.filterCriteria } : {}),
    status: 'IN_PROGRESS',
  };
  reports.set(report.reportId, report);
  world.afterTransition({ kind: 'produce-report', accountId: report.accountId, region: report.region, reportId: report.reportId });
  world.changed();
  return report;
}

export function reportOf(world: World, caller: Caller, reportId?: string): Report {
  // The caller's account-region holds its reports: another's are not found, as if they did not exist.
  const own = [...(world.existingAccountRegion(caller.accountId, caller.region)?.reports.values() ?? [])];
  // With no id, the caller's latest report.
  const report = reportId === undefined ? own.at(-1) : own.find((r) => r.reportId === reportId);
  if (!report) throw new WorldError('NotFound', reportId ? `There is no report ${reportId}.` : 'There is no findings report yet.');
  return report;
}

export function cancelReport(world: World, caller: Caller, reportId: string): void {
  const report = reportOf(world, caller, reportId);
  if (report.status === 'IN_PROGRESS') report.status = 'CANCELLED';
  world.changed();
}

/** A report or export that cannot be written: FAILED, with the model's code and why. */
export function fail(job: { status: ReportStatus; errorCode?: ReportErrorCode; errorMessage?: string }, code: ReportErrorCode, message: string): void {
  job.status = 'FAILED';
  job.errorCode = code;
  job.errorMessage = message;
}

async function produce(world: World, report: Report): Promise<void> {
  if (report.status !== 'IN_PROGRESS') return;
  if (!KMS_KEY.test(report.destination.kmsKeyArn)) {
    fail(report, 'MALFORMED_KMS_KEY', `${report.destination.kmsKeyArn} is not a KMS key ARN.`);
    return;
  }
  // Reports hold ACTIVE findings unless the criteria ask for a status.
  const criteria = report.filterCriteria?.findingStatus
    ? report.filterCriteria
    : { ...report.filterCriteria, findingStatus: [{ comparison: 'EQUALS' as const, value: 'ACTIVE' }] };
  const matches = findingFilter(criteria);
  const findings = findingOrder(undefined).sort(
    visibleAccountRegions(world, report.accountId, report.region).flatMap((s) => [...s.findings.values()].filter(matches)),
  );
  if (findings.length === 0) {
    fail(report, 'NO_FINDINGS_FOUND', 'No findings match the report criteria.');
    return;
  }
  const prefix = report.destination.keyPrefix ? `${report.destination.keyPrefix.replace(/\/+$/, '')}/` : '';
  const key = `${prefix}${report.reportId}.${report.format === 'CSV' ? 'csv' : 'json'}`;
  const body = report.format === 'CSV' ? csv(findings) : `${JSON.stringify({ findings }, null, 2)}\n`;
  try {
    await world.objectStore.put(report.destination.bucketName, key, body, report.format === 'CSV' ? 'text/csv' : 'application/json');
    if (report.status === 'IN_PROGRESS') report.status = 'SUCCEEDED';
  } catch (error) {
    if (error instanceof ObjectStoreError) fail(report, error.code, error.message);
    else fail(report, 'INTERNAL_ERROR', `The report could not be written: ${(error as Error).message}`);
  }
  // The outcome arrives after the request that started it: say so, for persistence.
  world.changed();
}

const CSV_COLUMNS: [string, (f: Finding) => string | number | undefined][] = [
  ['AWS Account Id', (f) => f.awsAccountId],
  ['Severity', (f) => f.severity],
  ['Fix Available', (f) => f.fixAvailable],
  ['Finding Type', (f) => f.type],
  ['Title', (f) => f.title],
  ['Description', (f) => f.description],
  ['Finding ARN', (f) => f.findingArn],
  ['First Seen', (f) => f.firstObservedAt.toISOString()],
  ['Last Seen', (f) => f.lastObservedAt.toISOString()],
  ['Last Updated', (f) => f.updatedAt?.toISOString()],
  ['Resource ID', (f) => f.resources[0]?.id],
  ['Resource Type', (f) => f.resources[0]?.type],
  ['Region', (f) => f.resources[0]?.region],
  ['Affected Packages', (f) => f.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => p.name).join(';')],
  ['Package Installed Version', (f) => f.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => p.version).join(';')],
  ['Fixed in Version', (f) => f.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => p.fixedInVersion ?? '').join(';')],
  ['Inspector Score', (f) => f.inspectorScore],
  ['Exploit Available', (f) => f.exploitAvailable],
  ['Status', (f) => f.status],
  ['Vulnerability Id', (f) => f.packageVulnerabilityDetails?.vulnerabilityId],
  ['Vendor Severity', (f) => f.packageVulnerabilityDetails?.vendorSeverity],
  ['EPSS Score', (f) => f.epss?.score],
];

function cell(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(findings: Finding[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => cell(name)).join(',')];
  for (const finding of findings) lines.push(CSV_COLUMNS.map(([, value]) => cell(value(finding))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** The account's findings reports in the region, by id, oldest first. */
    reports: Map<string, Report>;
  }
}

declareState('account-region', 'reports', {
  empty: () => new Map(),
  schema: savedRecords<Report>({
    reportId: z.string(),
    format: z.enum(['CSV', 'JSON']),
    destination: z.looseObject({ bucketName: z.string(), keyPrefix: z.string().optional() }),
    status: z.enum(['SUCCEEDED', 'IN_PROGRESS', 'CANCELLED', 'FAILED']),
  }),
});

declare module '../platform/state.js' {
  interface GlobalState {
    /** How many findings reports were created: report ids derive from it, never from chance. */
    reportSequence: { sequence: number };
  }
}

declareState('global', 'reportSequence', {
  empty: () => ({ sequence: 0 }),
  schema: z.strictObject({ sequence: savedCounter }),
});

declare module '../platform/tasks.js' {
  interface TaskKinds {
    'produce-report': { accountId: string; region: string; reportId: string };
  }
}

registerTask('produce-report', z.strictObject({ accountId: taskAccountId, region: taskRegion, reportId: taskId }), (world, task) => {
  const report = world.existingAccountRegion(task.accountId, task.region)?.reports.get(task.reportId);
  if (report) void produce(world, report);
});
