// Reading CIS scans: which scans and which of their instances a caller sees, the filter
// criteria and sort orders of ListCisScanConfigurations, ListCisScans,
// GetCisScanResultDetails and the two aggregations, and the rows of a scan report.
//
// Who sees what: the account that scheduled a scan sees all of it (a delegated
// administrator's scans cover its members); an account a scan targeted sees its own
// instances of it (ListCisScans with detailLevel MEMBER, and the results operations).
// Filters and sorts are the query engine's (findings/engine.ts), configured here with CIS's
// field and sort tables: within one criterion EQUALS and PREFIX filters are OR'ed and
// NOT_EQUALS filters AND'ed, number and date ranges and tags OR'ed; criteria are AND'ed.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { components } from '../../../openapi/inspector2.js';
import type { Caller } from '../world.js';
import { benchmarkById, checkDescription, levelOf, type CisBenchmark, type CisCheck } from './checks.js';
import { cisReportCsv, cisReportPdf, type CisReportRow } from './report.js';
import { enabledState } from '../accounts/accounts.js';
import { uuidFrom } from '../platform/ids.js';
import {
  scanByArn,
  selectingTags,
  type CisCheckResult,
  type CisScanConfigurationRecord,
  type CisScanRecord,
  type CisScanTarget,
  type CisTargetResourceTags,
} from './scans.js';
import { WorldError, type WorldErrorKind } from '../platform/errors.js';
import { criteriaFilter, listOrder, str, strs, type FieldTable, type ListOrder, type SortTable } from '../findings/engine.js';
import type { SortOrder } from '../findings/paging.js';
import type { ObjectStore } from '../platform/object-store.js';
import type { World } from '../world.js';
import { arnOf } from '../platform/partition.js';

type Shapes = components['schemas'];
export type { SortOrder } from '../findings/paging.js';

/** A scan as one caller sees it: the instances it may see. */
export interface CisScanView {
  scan: CisScanRecord;
  resources: CisScanTarget[];
}

// ---------------------------------------------------------------- sort helpers

/** A numbered id ("5.3.10") as a key that sorts by number, part by part. */
function numberedKey(id: string): string {
  return id
    .split('.')
    .map((part) => part.padStart(6, '0'))
    .join('.');
}

// ---------------------------------------------------------------- configurations

const CONFIGURATION_FIELDS: FieldTable<CisScanConfigurationRecord, Shapes['ListCisScanConfigurationsFilterCriteria']> = {
  scanNameFilters: str((c) => c.scanName),
  scanConfigurationArnFilters: str((c) => c.arn),
  targetResourceTagFilters: { kind: 'map', maps: (c) => [c.targetResourceTags] },
};
const configurationFilter = criteriaFilter(CONFIGURATION_FIELDS);

const CONFIGURATION_SORTS: SortTable<CisScanConfigurationRecord, Shapes['CisScanConfigurationsSortBy']> = {
  SCAN_NAME: (c) => [c.scanName, c.arn],
  SCAN_CONFIGURATION_ARN: (c) => [c.arn],
};

export function filterConfigurations(
  configurations: CisScanConfigurationRecord[],
  criteria: Shapes['ListCisScanConfigurationsFilterCriteria'] | undefined,
): CisScanConfigurationRecord[] {
  return configurations.filter(configurationFilter(criteria));
}

export function configurationOrder(sortBy: Shapes['CisScanConfigurationsSortBy'] = 'SCAN_NAME', order?: SortOrder): ListOrder<CisScanConfigurationRecord> {
  return listOrder(CONFIGURATION_SORTS, sortBy, order);
}

// ---------------------------------------------------------------- scans

/**
 * The scans a caller sees. ORGANIZATION: the scans it scheduled, every instance of them.
 * MEMBER: the scans that targeted its account (whoever scheduled them), its own instances.
 */
export function visibleScans(world: World, caller: Caller, detailLevel: Shapes['ListCisScansDetailLevel'] = 'ORGANIZATION'): CisScanView[] {
  enabledState(world, caller);
  const views: CisScanView[] = [];
  // ORGANIZATION: the caller's own scans; MEMBER: any account's in the region that targeted it.
  const owners =
    detailLevel === 'ORGANIZATION'
      ? [world.accountRegion(caller.accountId, caller.region)]
      : world.allAccountRegions().filter((s) => s.region === caller.region);
  for (const scan of owners.flatMap((state) => [...state.cis.scans.values()])) {
    if (detailLevel === 'ORGANIZATION') {
      if (scan.accountId === caller.accountId) views.push({ scan, resources: [...scan.resources] });
    } else if (scan.targets.accountIds.includes(caller.accountId)) {
      views.push({ scan, resources: scan.resources.filter((t) => t.accountId === caller.accountId) });
    }
  }
  return views;
}

/** A scan whose results the caller may read; `missing` says how an unknown one is refused (the operations differ). */
export function readableScan(world: World, caller: Caller, scanArn: string, missing: WorldErrorKind): CisScanView {
  enabledState(world, caller);
  const scan = scanByArn(world, scanArn);
  if (scan && scan.region === caller.region) {
    if (scan.accountId === caller.accountId) return { scan, resources: [...scan.resources] };
    if (scan.targets.accountIds.includes(caller.accountId)) return { scan, resources: scan.resources.filter((t) => t.accountId === caller.accountId) };
  }
  throw new WorldError(missing, `There is no CIS scan ${scanArn} in account ${caller.accountId} in ${caller.region}.`);
}

function benchmarkOf(target: CisScanTarget): CisBenchmark | undefined {
  return target.benchmarkId ? benchmarkById(target.benchmarkId) : undefined;
}

/** Checks evaluated (per platform) and those that failed on at least one instance: the scan's totals. */
export function scanCounts(view: CisScanView): { failedChecks: number; totalChecks: number } {
  const all = new Set<string>();
  const failed = new Set<string>();
  for (const target of view.resources) {
    for (const result of target.results) {
      const key = `${target.platform}|${result.checkId}`;
      all.add(key);
      if (result.status === 'FAILED') failed.add(key);
    }
  }
  return { failedChecks: failed.size, totalChecks: all.size };
}

const SCAN_FIELDS: FieldTable<CisScanView, Shapes['ListCisScansFilterCriteria']> = {
  scanNameFilters: str((v) => v.scan.scanName),
  targetResourceTagFilters: { kind: 'map', maps: (v) => [v.scan.targets.targetResourceTags] },
  targetResourceIdFilters: strs((v) => v.resources.map((t) => t.instanceId)),
  scanStatusFilters: str((v) => v.scan.status),
  scanAtFilters: {
    kind: 'date',
    value: (v) => v.scan.scanDate,
    bounds: (f: Shapes['CisDateFilter']) => ({ startInclusive: f.earliestScanStartTime, endInclusive: f.latestScanStartTime }),
  },
  scanConfigurationArnFilters: str((v) => v.scan.configurationArn),
  scanArnFilters: str((v) => v.scan.scanArn),
  scheduledByFilters: str((v) => v.scan.ownerId),
  failedChecksFilters: { kind: 'number', value: (v) => scanCounts(v).failedChecks },
  targetAccountIdFilters: strs((v) => v.scan.targets.accountIds),
};
const scanFilter = criteriaFilter(SCAN_FIELDS);

const SCAN_SORTS: SortTable<CisScanView, Shapes['ListCisScansSortBy']> = {
  STATUS: ({ scan }) => [scan.status, scan.scanDate.getTime(), scan.scanArn],
  SCHEDULED_BY: ({ scan }) => [scan.ownerId, scan.scanDate.getTime(), scan.scanArn],
  FAILED_CHECKS: (view) => [scanCounts(view).failedChecks, view.scan.scanDate.getTime(), view.scan.scanArn],
  SCAN_START_DATE: ({ scan }) => [scan.scanDate.getTime(), scan.scanArn],
};

export function filterScans(views: CisScanView[], criteria: Shapes['ListCisScansFilterCriteria'] | undefined): CisScanView[] {
  return views.filter(scanFilter(criteria));
}

/** Newest first unless asked otherwise. */
export function scanOrder(sortBy: Shapes['ListCisScansSortBy'] | undefined, order: SortOrder | undefined): ListOrder<CisScanView> {
  return sortBy === undefined ? listOrder(SCAN_SORTS, 'SCAN_START_DATE', order ?? 'DESC') : listOrder(SCAN_SORTS, sortBy, order);
}

// ---------------------------------------------------------------- results

/** A CIS finding's ARN: one per instance and check, the same in every scan. */
function cisFindingArn(region: string, target: CisScanTarget, checkId: string): string {
  const hex = createHash('sha256')
    .update(`${target.accountId}|${region}|${target.instanceId}|${target.benchmarkId ?? ''}|${checkId}`)
    .digest('hex');
  return arnOf('inspector2', region, target.accountId, `owner/${target.accountId}/cis-finding/${uuidFrom(hex)}`);
}

export interface CisResultDetail {
  target: CisScanTarget;
  result: CisCheckResult;
  check: CisCheck;
  benchmark: CisBenchmark;
  findingArn: string;
}

/** The results of one instance of a scan (an instance the scan did not cover is refused). */
export function resultDetails(view: CisScanView, accountId: string, instanceId: string): CisResultDetail[] {
  const target = view.resources.find((t) => t.accountId === accountId && t.instanceId === instanceId);
  if (!target) throw new WorldError('Invalid', `Instance ${instanceId} of account ${accountId} is not a target of the CIS scan ${view.scan.scanArn}.`);
  const benchmark = benchmarkOf(target);
  if (!benchmark) return [];
  return target.results.map((result) => ({
    target,
    result,
    check: benchmark.checks.find((c) => c.id === result.checkId)!,
    benchmark,
    findingArn: cisFindingArn(view.scan.region, target, result.checkId),
  }));
}

const RESULT_DETAIL_FIELDS: FieldTable<CisResultDetail, Shapes['CisScanResultDetailsFilterCriteria']> = {
  findingStatusFilters: str((d) => d.result.status),
  checkIdFilters: str((d) => d.check.id),
  titleFilters: str((d) => d.check.title),
  securityLevelFilters: str((d) => levelOf(d.check)),
  findingArnFilters: str((d) => d.findingArn),
};
const resultDetailFilter = criteriaFilter(RESULT_DETAIL_FIELDS);

const RESULT_DETAIL_SORTS: SortTable<CisResultDetail, Shapes['CisScanResultDetailsSortBy']> = {
  CHECK_ID: (d) => [numberedKey(d.check.id)],
  STATUS: (d) => [d.result.status, numberedKey(d.check.id)],
};

export function filterResultDetails(details: CisResultDetail[], criteria: Shapes['CisScanResultDetailsFilterCriteria'] | undefined): CisResultDetail[] {
  return details.filter(resultDetailFilter(criteria));
}

export function resultDetailOrder(sortBy: Shapes['CisScanResultDetailsSortBy'] = 'CHECK_ID', order?: SortOrder): ListOrder<CisResultDetail> {
  return listOrder(RESULT_DETAIL_SORTS, sortBy, order);
}

export interface CisCheckAggregate {
  platform: string;
  check: CisCheck;
  benchmark: CisBenchmark;
  counts: { passed: number; failed: number; skipped: number };
  /** The accounts of the instances counted. */
  accountIds: Set<string>;
}

function count(counts: CisCheckAggregate['counts'], status: CisCheckResult['status']): void {
  if (status === 'PASSED') counts.passed++;
  else if (status === 'FAILED') counts.failed++;
  else counts.skipped++;
}

type ChecksCriteria = Shapes['CisScanResultsAggregatedByChecksFilterCriteria'];
// The account filter narrows the instances counted, not the checks listed.
const COUNTED_TARGET_FIELDS: FieldTable<CisScanTarget, Pick<ChecksCriteria, 'accountIdFilters'>> = {
  accountIdFilters: str((t) => t.accountId),
};
const countedTargetFilter = criteriaFilter(COUNTED_TARGET_FIELDS);
const CHECK_AGGREGATE_FIELDS: FieldTable<CisCheckAggregate, Omit<ChecksCriteria, 'accountIdFilters'>> = {
  checkIdFilters: str((a) => a.check.id),
  titleFilters: str((a) => a.check.title),
  platformFilters: str((a) => a.platform),
  failedResourcesFilters: { kind: 'number', value: (a) => a.counts.failed },
  securityLevelFilters: str((a) => levelOf(a.check)),
};
const checkAggregateFilter = criteriaFilter(CHECK_AGGREGATE_FIELDS);

/** Per check (and platform): how many instances passed, failed and skipped it. */
export function checkAggregates(view: CisScanView, criteria: ChecksCriteria | undefined): CisCheckAggregate[] {
  const byCheck = new Map<string, CisCheckAggregate>();
  const counted = countedTargetFilter(criteria);
  for (const target of view.resources) {
    if (!counted(target)) continue;
    const benchmark = benchmarkOf(target);
    if (!benchmark) continue;
    for (const result of target.results) {
      const key = `${target.platform}|${result.checkId}`;
      let aggregate = byCheck.get(key);
      if (!aggregate) {
        const check = benchmark.checks.find((c) => c.id === result.checkId)!;
        aggregate = { platform: target.platform, check, benchmark, counts: { passed: 0, failed: 0, skipped: 0 }, accountIds: new Set() };
        byCheck.set(key, aggregate);
      }
      count(aggregate.counts, result.status);
      aggregate.accountIds.add(target.accountId);
    }
  }
  return [...byCheck.values()].filter(checkAggregateFilter(criteria));
}

const CHECK_AGGREGATE_SORTS: SortTable<CisCheckAggregate, Shapes['CisScanResultsAggregatedByChecksSortBy']> = {
  CHECK_ID: (a) => [numberedKey(a.check.id), a.platform],
  TITLE: (a) => [a.check.title, numberedKey(a.check.id), a.platform],
  PLATFORM: (a) => [a.platform, numberedKey(a.check.id)],
  FAILED_COUNTS: (a) => [a.counts.failed, numberedKey(a.check.id), a.platform],
  SECURITY_LEVEL: (a) => [levelOf(a.check), numberedKey(a.check.id), a.platform],
};

export function checkAggregateOrder(sortBy: Shapes['CisScanResultsAggregatedByChecksSortBy'] = 'CHECK_ID', order?: SortOrder): ListOrder<CisCheckAggregate> {
  return listOrder(CHECK_AGGREGATE_SORTS, sortBy, order);
}

export function checkAggregateDescription(a: CisCheckAggregate): string {
  return checkDescription(a.benchmark, a.check);
}

/** An instance's counts by status. */
export function targetCounts(target: CisScanTarget): CisCheckAggregate['counts'] {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const result of target.results) count(counts, result.status);
  return counts;
}

const TARGET_FIELDS: FieldTable<CisScanTarget, Shapes['CisScanResultsAggregatedByTargetResourceFilterCriteria']> = {
  accountIdFilters: str((t) => t.accountId),
  // An instance matches a status when one of its checks has it.
  statusFilters: strs((t) => t.results.map((r) => r.status)),
  checkIdFilters: strs((t) => t.results.map((r) => r.checkId)),
  targetResourceIdFilters: str((t) => t.instanceId),
  targetResourceTagFilters: { kind: 'map', maps: (t) => [t.tags] },
  platformFilters: str((t) => t.platform),
  targetStatusFilters: str((t) => t.targetStatus),
  targetStatusReasonFilters: str((t) => t.targetStatusReason),
  failedChecksFilters: { kind: 'number', value: (t) => targetCounts(t).failed },
};
const targetFilter = criteriaFilter(TARGET_FIELDS);

const TARGET_SORTS: SortTable<CisScanTarget, Shapes['CisScanResultsAggregatedByTargetResourceSortBy']> = {
  RESOURCE_ID: (t) => [t.instanceId, t.accountId],
  FAILED_COUNTS: (t) => [targetCounts(t).failed, t.instanceId, t.accountId],
  ACCOUNT_ID: (t) => [t.accountId, t.instanceId],
  PLATFORM: (t) => [t.platform, t.instanceId, t.accountId],
  TARGET_STATUS: (t) => [t.targetStatus, t.instanceId, t.accountId],
  TARGET_STATUS_REASON: (t) => [t.targetStatusReason, t.instanceId, t.accountId],
};

export function filterTargets(view: CisScanView, criteria: Shapes['CisScanResultsAggregatedByTargetResourceFilterCriteria'] | undefined): CisScanTarget[] {
  return view.resources.filter(targetFilter(criteria));
}

export function targetOrder(sortBy: Shapes['CisScanResultsAggregatedByTargetResourceSortBy'] = 'RESOURCE_ID', order?: SortOrder): ListOrder<CisScanTarget> {
  return listOrder(TARGET_SORTS, sortBy, order);
}

/** The tags that selected an instance for the scan. */
export function targetTagsOf(view: CisScanView, target: CisScanTarget): CisTargetResourceTags {
  return selectingTags(target, view.scan.targets.targetResourceTags);
}

// ---------------------------------------------------------------- reports

/** The report's rows: each check of each instance, and one row for an instance with no results. */
function reportRows(view: CisScanView): CisReportRow[] {
  const rows: CisReportRow[] = [];
  const { keyOf } = targetOrder();
  const ordered = [...view.resources].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  for (const target of ordered) {
    const base = {
      accountId: target.accountId,
      resourceId: target.instanceId,
      platform: target.platform,
      targetStatus: target.targetStatus ?? 'IN_PROGRESS',
      targetStatusReason: target.targetStatusReason ?? '',
    };
    const benchmark = benchmarkOf(target);
    if (!benchmark || target.results.length === 0) {
      rows.push({ ...base, checkId: '', title: '', level: '', status: '', statusReason: '', findingArn: '' });
      continue;
    }
    for (const result of [...target.results].sort((a, b) => numberedKey(a.checkId).localeCompare(numberedKey(b.checkId)))) {
      const check = benchmark.checks.find((c) => c.id === result.checkId)!;
      rows.push({
        ...base,
        checkId: check.id,
        title: check.title,
        level: levelOf(check),
        status: result.status,
        statusReason: result.statusReason,
        findingArn: cisFindingArn(view.scan.region, target, check.id),
      });
    }
  }
  return rows;
}

/** Where report files go: Inspector's bucket, one folder per region and account. */
const CIS_REPORT_BUCKET = 'inspector2-cis-reports';

/** Where an object of the world's object store can be fetched from. */
function objectUrl(store: ObjectStore, bucket: string, key: string): string {
  const located = store as ObjectStore & { urlOf?(bucket: string, key: string): string; pathOf?(bucket: string, key: string): string };
  if (located.urlOf) return located.urlOf(bucket, key);
  if (located.pathOf) return pathToFileURL(resolve(located.pathOf(bucket, key))).href;
  return `s3://${bucket}/${key}`;
}

/**
 * A scan's report as a PDF or CSV file, written to the object store the first time it is
 * asked for (a scan's results do not change once it is over). IN_PROGRESS while the scan
 * runs; FAILED when the file cannot be written. `targetAccounts` limits it to one account.
 */
export async function cisScanReport(
  world: World,
  caller: Caller,
  scanArn: string,
  format: Shapes['CisReportFormat'],
  targetAccounts: string[] | undefined,
): Promise<{ status: Shapes['CisReportStatus']; url?: string }> {
  const view = readableScan(world, caller, scanArn, 'NotFound');
  const visible = new Set(view.scan.accountId === caller.accountId ? view.scan.targets.accountIds : [caller.accountId]);
  const stranger = targetAccounts?.find((id) => !visible.has(id));
  if (stranger) throw new WorldError('Invalid', `Account ${stranger} is not a target account of the CIS scan ${scanArn} that you can report on.`);
  if (view.scan.status === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
  const accounts = targetAccounts?.length ? targetAccounts : undefined;
  // Written once per scan, format and accounts, for the caller (in its account-region).
  const cacheKey = [scanArn, format, accounts?.join(',') ?? '*'].join('|');
  const written = world.existingAccountRegion(caller.accountId, caller.region)?.cis.reports.get(cacheKey);
  if (written) return { status: 'SUCCEEDED', url: written };
  const scoped: CisScanView = accounts ? { scan: view.scan, resources: view.resources.filter((t) => accounts.includes(t.accountId)) } : view;
  const rows = reportRows(scoped);
  const scanId = scanArn.split('/').at(-1)!;
  const key = `${caller.region}/${caller.accountId}/${scanId}/${accounts ? accounts.join('-') : 'all-accounts'}.${format === 'CSV' ? 'csv' : 'pdf'}`;
  const body =
    format === 'CSV'
      ? cisReportCsv(rows)
      : cisReportPdf(
          {
            scanArn,
            scanName: view.scan.scanName,
            scanDate: view.scan.scanDate,
            securityLevel: view.scan.securityLevel,
            status: view.scan.status,
            ...(accounts ? { accountIds: accounts } : {}),
            generatedAt: world.clock.now(),
          },
          rows,
        );
  try {
    await world.objectStore.put(CIS_REPORT_BUCKET, key, body, format === 'CSV' ? 'text/csv' : 'application/pdf');
  } catch {
    return { status: 'FAILED' };
  }
  const url = objectUrl(world.objectStore, CIS_REPORT_BUCKET, key);
  world.existingAccountRegion(caller.accountId, caller.region)?.cis.reports.set(cacheKey, url);
  world.changed();
  return { status: 'SUCCEEDED', url };
}
