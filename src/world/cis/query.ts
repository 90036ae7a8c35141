// Reading CIS scans: which scans and which of their instances a caller sees, the filter
// criteria and sort orders of ListCisScanConfigurations, ListCisScans,
// GetCisScanResultDetails and the two aggregations, and the rows of a scan report.
//
// Who sees what: the account that scheduled a scan sees all of it (a delegated
// administrator's scans cover its members); an account a scan targeted sees its own
// instances of it (ListCisScans with detailLevel MEMBER, and the results operations).
// Filters follow the query engine's rules (query.ts): within one criterion EQUALS and
// PREFIX filters are OR'ed and NOT_EQUALS filters AND'ed, number ranges and tags OR'ed;
// criteria are AND'ed.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { components } from '../../../openapi/inspector2.js';
import type { Caller } from '../accounts/accounts.js';
import { benchmarkById, checkDescription, levelOf, type CisBenchmark, type CisCheck } from './checks.js';
import { cisReportCsv, cisReportPdf, type CisReportRow } from './report.js';
import { enabledState } from '../accounts/accounts.js';
import { uuidFrom } from '../platform/ids.js';
import {
  selectingTags,
  type CisCheckResult,
  type CisScanConfigurationRecord,
  type CisScanRecord,
  type CisScanTarget,
  type CisTargetResourceTags,
} from './scans.js';
import { WorldError, type WorldErrorKind } from '../platform/errors.js';
import { matchString } from '../findings/query.js';
import type { ObjectStore } from '../findings/reports.js';
import type { World } from '../world.js';

type Shapes = components['schemas'];
type StringFilter = Shapes['CisStringFilter'];
type NumberFilter = Shapes['CisNumberFilter'];
type TagFilter = Shapes['TagFilter'];
export type SortOrder = Shapes['CisSortOrder'];

/** A scan as one caller sees it: the instances it may see. */
export interface CisScanView {
  scan: CisScanRecord;
  resources: CisScanTarget[];
}

// ---------------------------------------------------------------- filter and sort helpers

function strings(values: (string | undefined)[], filters: StringFilter[] | undefined): boolean {
  return !filters?.length || matchString(values, filters);
}

function numbers(value: number, filters: NumberFilter[] | undefined): boolean {
  return !filters?.length || filters.some((f) => (f.lowerInclusive === undefined || value >= f.lowerInclusive) && (f.upperInclusive === undefined || value <= f.upperInclusive));
}

function equalsAny<T>(value: T | undefined, filters: { value: T }[] | undefined): boolean {
  return !filters?.length || filters.some((f) => f.value === value);
}

function tagged(tagSets: CisTargetResourceTags[], filters: TagFilter[] | undefined): boolean {
  return !filters?.length || filters.some((f) => tagSets.some((tags) => tags[f.key]?.includes(f.value) ?? false));
}

function instanceTags(target: CisScanTarget): CisTargetResourceTags {
  return Object.fromEntries(Object.entries(target.tags).map(([key, value]) => [key, [value]]));
}

/** A numbered id ("5.3.10") as a key that sorts by number, part by part. */
function numberedKey(id: string): string {
  return id
    .split('.')
    .map((part) => part.padStart(6, '0'))
    .join('.');
}

const SEPARATOR = '\u0001';

/**
 * A pagination key in the requested order: the sort values, then what makes the item
 * unique. DESC inverts every character (and ends the key above any inverted character),
 * so that a plain string sort of the keys gives the descending order.
 */
export function orderKey(parts: (string | number | undefined)[], order: SortOrder = 'ASC'): string {
  const key = parts.map((p) => (typeof p === 'number' ? String(p).padStart(12, '0') : (p ?? ''))).join(SEPARATOR);
  if (order === 'ASC') return key;
  let inverted = '';
  for (let i = 0; i < key.length; i++) inverted += String.fromCharCode(0xfffe - key.charCodeAt(i));
  return `${inverted}\uffff`;
}

// ---------------------------------------------------------------- configurations

export function filterConfigurations(configurations: CisScanConfigurationRecord[], criteria: Shapes['ListCisScanConfigurationsFilterCriteria'] | undefined): CisScanConfigurationRecord[] {
  return configurations.filter(
    (c) =>
      strings([c.scanName], criteria?.scanNameFilters) &&
      strings([c.arn], criteria?.scanConfigurationArnFilters) &&
      tagged([c.targetResourceTags], criteria?.targetResourceTagFilters),
  );
}

export function configurationKey(c: CisScanConfigurationRecord, sortBy: Shapes['CisScanConfigurationsSortBy'] = 'SCAN_NAME', order?: SortOrder): string {
  return orderKey(sortBy === 'SCAN_NAME' ? [c.scanName, c.arn] : [c.arn], order);
}

// ---------------------------------------------------------------- scans

/**
 * The scans a caller sees. ORGANIZATION: the scans it scheduled, every instance of them.
 * MEMBER: the scans that targeted its account (whoever scheduled them), its own instances.
 */
export function visibleScans(world: World, caller: Caller, detailLevel: Shapes['ListCisScansDetailLevel'] = 'ORGANIZATION'): CisScanView[] {
  enabledState(world, caller);
  const views: CisScanView[] = [];
  for (const scan of world.global.cis.scans.values()) {
    if (scan.region !== caller.region) continue;
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
  const scan = world.global.cis.scans.get(scanArn);
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

export function filterScans(views: CisScanView[], criteria: Shapes['ListCisScansFilterCriteria'] | undefined): CisScanView[] {
  if (!criteria) return views;
  return views.filter(
    (view) =>
      strings([view.scan.scanName], criteria.scanNameFilters) &&
      tagged([view.scan.targets.targetResourceTags], criteria.targetResourceTagFilters) &&
      strings(
        view.resources.map((t) => t.instanceId),
        criteria.targetResourceIdFilters,
      ) &&
      equalsAny(view.scan.status, criteria.scanStatusFilters) &&
      (!criteria.scanAtFilters?.length ||
        criteria.scanAtFilters.some(
          (f) =>
            (!f.earliestScanStartTime || view.scan.scanDate.getTime() >= f.earliestScanStartTime.getTime()) &&
            (!f.latestScanStartTime || view.scan.scanDate.getTime() <= f.latestScanStartTime.getTime()),
        )) &&
      strings([view.scan.configurationArn], criteria.scanConfigurationArnFilters) &&
      strings([view.scan.scanArn], criteria.scanArnFilters) &&
      strings([view.scan.ownerId], criteria.scheduledByFilters) &&
      numbers(scanCounts(view).failedChecks, criteria.failedChecksFilters) &&
      strings(view.scan.targets.accountIds, criteria.targetAccountIdFilters),
  );
}

/** Newest first unless asked otherwise. */
export function scanKey(view: CisScanView, sortBy: Shapes['ListCisScansSortBy'] | undefined, order: SortOrder | undefined): string {
  const { scan } = view;
  switch (sortBy) {
    case 'STATUS':
      return orderKey([scan.status, scan.scanDate.getTime(), scan.scanArn], order);
    case 'SCHEDULED_BY':
      return orderKey([scan.ownerId, scan.scanDate.getTime(), scan.scanArn], order);
    case 'FAILED_CHECKS':
      return orderKey([scanCounts(view).failedChecks, scan.scanDate.getTime(), scan.scanArn], order);
    case 'SCAN_START_DATE':
      return orderKey([scan.scanDate.getTime(), scan.scanArn], order);
    case undefined:
      return orderKey([scan.scanDate.getTime(), scan.scanArn], order ?? 'DESC');
  }
}

// ---------------------------------------------------------------- results

/** A CIS finding's ARN: one per instance and check, the same in every scan. */
export function cisFindingArn(region: string, target: CisScanTarget, checkId: string): string {
  const hex = createHash('sha256').update(`${target.accountId}|${region}|${target.instanceId}|${target.benchmarkId ?? ''}|${checkId}`).digest('hex');
  return `arn:aws:inspector2:${region}:${target.accountId}:owner/${target.accountId}/cis-finding/${uuidFrom(hex)}`;
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

export function filterResultDetails(details: CisResultDetail[], criteria: Shapes['CisScanResultDetailsFilterCriteria'] | undefined): CisResultDetail[] {
  if (!criteria) return details;
  return details.filter(
    (d) =>
      equalsAny(d.result.status, criteria.findingStatusFilters) &&
      strings([d.check.id], criteria.checkIdFilters) &&
      strings([d.check.title], criteria.titleFilters) &&
      equalsAny(levelOf(d.check), criteria.securityLevelFilters) &&
      strings([d.findingArn], criteria.findingArnFilters),
  );
}

export function resultDetailKey(d: CisResultDetail, sortBy: Shapes['CisScanResultDetailsSortBy'] = 'CHECK_ID', order?: SortOrder): string {
  return orderKey(sortBy === 'STATUS' ? [d.result.status, numberedKey(d.check.id)] : [numberedKey(d.check.id)], order);
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

/** Per check (and platform): how many instances passed, failed and skipped it. */
export function checkAggregates(view: CisScanView, criteria: Shapes['CisScanResultsAggregatedByChecksFilterCriteria'] | undefined): CisCheckAggregate[] {
  const byCheck = new Map<string, CisCheckAggregate>();
  for (const target of view.resources) {
    // The account filter narrows the instances counted, not the checks listed.
    if (!strings([target.accountId], criteria?.accountIdFilters)) continue;
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
  return [...byCheck.values()].filter(
    (a) =>
      strings([a.check.id], criteria?.checkIdFilters) &&
      strings([a.check.title], criteria?.titleFilters) &&
      strings([a.platform], criteria?.platformFilters) &&
      numbers(a.counts.failed, criteria?.failedResourcesFilters) &&
      equalsAny(levelOf(a.check), criteria?.securityLevelFilters),
  );
}

export function checkAggregateKey(a: CisCheckAggregate, sortBy: Shapes['CisScanResultsAggregatedByChecksSortBy'] = 'CHECK_ID', order?: SortOrder): string {
  const unique = [numberedKey(a.check.id), a.platform];
  switch (sortBy) {
    case 'CHECK_ID':
      return orderKey(unique, order);
    case 'TITLE':
      return orderKey([a.check.title, ...unique], order);
    case 'PLATFORM':
      return orderKey([a.platform, numberedKey(a.check.id)], order);
    case 'FAILED_COUNTS':
      return orderKey([a.counts.failed, ...unique], order);
    case 'SECURITY_LEVEL':
      return orderKey([levelOf(a.check), ...unique], order);
  }
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

export function filterTargets(view: CisScanView, criteria: Shapes['CisScanResultsAggregatedByTargetResourceFilterCriteria'] | undefined): CisScanTarget[] {
  if (!criteria) return view.resources;
  return view.resources.filter(
    (t) =>
      strings([t.accountId], criteria.accountIdFilters) &&
      // An instance matches a status when one of its checks has it.
      (!criteria.statusFilters?.length || criteria.statusFilters.some((f) => t.results.some((r) => r.status === f.value))) &&
      strings(
        t.results.map((r) => r.checkId),
        criteria.checkIdFilters,
      ) &&
      strings([t.instanceId], criteria.targetResourceIdFilters) &&
      tagged([instanceTags(t)], criteria.targetResourceTagFilters) &&
      strings([t.platform], criteria.platformFilters) &&
      equalsAny(t.targetStatus, criteria.targetStatusFilters) &&
      equalsAny(t.targetStatusReason, criteria.targetStatusReasonFilters) &&
      numbers(targetCounts(t).failed, criteria.failedChecksFilters),
  );
}

export function targetKey(t: CisScanTarget, sortBy: Shapes['CisScanResultsAggregatedByTargetResourceSortBy'] = 'RESOURCE_ID', order?: SortOrder): string {
  const unique = [t.instanceId, t.accountId];
  switch (sortBy) {
    case 'RESOURCE_ID':
      return orderKey(unique, order);
    case 'FAILED_COUNTS':
      return orderKey([targetCounts(t).failed, ...unique], order);
    case 'ACCOUNT_ID':
      return orderKey([t.accountId, t.instanceId], order);
    case 'PLATFORM':
      return orderKey([t.platform, ...unique], order);
    case 'TARGET_STATUS':
      return orderKey([t.targetStatus, ...unique], order);
    case 'TARGET_STATUS_REASON':
      return orderKey([t.targetStatusReason, ...unique], order);
  }
}

/** The tags that selected an instance for the scan. */
export function targetTagsOf(view: CisScanView, target: CisScanTarget): CisTargetResourceTags {
  return selectingTags(target, view.scan.targets.targetResourceTags);
}

// ---------------------------------------------------------------- reports

/** The report's rows: each check of each instance, and one row for an instance with no results. */
export function reportRows(view: CisScanView): CisReportRow[] {
  const rows: CisReportRow[] = [];
  const ordered = [...view.resources].sort((a, b) => targetKey(a).localeCompare(targetKey(b)));
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
export const CIS_REPORT_BUCKET = 'inspector2-cis-reports';

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
  const cacheKey = [caller.accountId, scanArn, format, accounts?.join(',') ?? '*'].join('|');
  const written = world.global.cis.reports.get(cacheKey);
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
  world.global.cis.reports.set(cacheKey, url);
  world.changed();
  return { status: 'SUCCEEDED', url };
}
