// The query engine: filter criteria, sorting and the documents a caller may see. One
// engine for findings (ListFindings, aggregations, reports, suppression rules) and one for
// coverage (ListCoverage, ListCoverageStatistics), both built from a table that says, for
// each criterion, which kind of filter it is and where its values are in the document.
//
// Semantics: within one criterion, EQUALS and PREFIX filters are OR'ed and NOT_EQUALS
// filters are AND'ed (a document matches when none of its values equals any of them);
// ranges (dates, numbers, ports), maps and packages are OR'ed; criteria are AND'ed. A
// list-valued field matches a positive filter when any element does.
import type { components } from '../../../openapi/inspector2.js';
import type { CoveredResource, Finding } from './documents.js';
import { columnsOf, type FindingColumns } from './finding-map.js';
import type { AccountRegion, World } from '../world.js';

type Shapes = components['schemas'];

interface StringFilter {
  comparison: 'EQUALS' | 'PREFIX' | 'NOT_EQUALS';
  value: string;
}
interface DateFilter {
  startInclusive?: Date;
  endInclusive?: Date;
}
interface NumberFilter {
  lowerInclusive?: number;
  upperInclusive?: number;
}
interface MapFilter {
  comparison: 'EQUALS';
  key: string;
  value?: string;
}

type Field<D> =
  | { kind: 'string'; values: (doc: D) => (string | undefined)[]; /** Set when the field has one value: tested without a list. */ value?: (doc: D) => string | undefined }
  | { kind: 'date'; value: (doc: D) => Date | undefined }
  | { kind: 'number'; value: (doc: D) => number | undefined }
  | { kind: 'map'; maps: (doc: D) => (Record<string, string> | undefined)[] }
  | { kind: 'port'; value: (doc: D) => { begin: number; end: number } | undefined }
  | { kind: 'package'; packages: (doc: D) => Shapes['VulnerablePackage'][] };

/** One criterion of string filters against a document's values (EQUALS/PREFIX OR'ed, NOT_EQUALS AND'ed). */
export function matchString(values: (string | undefined)[], filters: StringFilter[]): boolean {
  const present = values.filter((v): v is string => v !== undefined);
  const positive = filters.filter((f) => f.comparison !== 'NOT_EQUALS');
  const negative = filters.filter((f) => f.comparison === 'NOT_EQUALS');
  if (negative.some((f) => present.includes(f.value))) return false;
  if (positive.length === 0) return true;
  return positive.some((f) => present.some((v) => (f.comparison === 'EQUALS' ? v === f.value : v.startsWith(f.value))));
}

function inRange(value: number | undefined, low: number | undefined, high: number | undefined): boolean {
  return value !== undefined && (low === undefined || value >= low) && (high === undefined || value <= high);
}

function matchField<D>(doc: D, field: Field<D>, filters: unknown[]): boolean {
  switch (field.kind) {
    case 'string':
      return matchString(field.values(doc), filters as StringFilter[]);
    case 'date': {
      const value = field.value(doc)?.getTime();
      return (filters as DateFilter[]).some((f) => inRange(value, f.startInclusive?.getTime(), f.endInclusive?.getTime()));
    }
    case 'number':
      return (filters as NumberFilter[]).some((f) => inRange(field.value(doc), f.lowerInclusive, f.upperInclusive));
    case 'map':
      return (filters as MapFilter[]).some((f) =>
        field.maps(doc).some((map) => map !== undefined && f.key in map && (f.value === undefined || map[f.key] === f.value)),
      );
    case 'port': {
      const range = field.value(doc);
      return (filters as Shapes['PortRangeFilter'][]).some(
        (f) => range !== undefined && range.begin >= (f.beginInclusive ?? 0) && range.end <= (f.endInclusive ?? 65535),
      );
    }
    case 'package':
      // Every sub-filter given must hold for one and the same package.
      return (filters as Shapes['PackageFilter'][]).some((f) =>
        field.packages(doc).some(
          (p) =>
            (!f.name || matchString([p.name], [f.name as StringFilter])) &&
            (!f.version || matchString([p.version], [f.version as StringFilter])) &&
            (!f.epoch || inRange(p.epoch ?? 0, f.epoch.lowerInclusive, f.epoch.upperInclusive)) &&
            (!f.release || matchString([p.release], [f.release as StringFilter])) &&
            (!f.architecture || matchString([p.arch], [f.architecture as StringFilter])) &&
            (!f.sourceLayerHash || matchString([p.sourceLayerHash], [f.sourceLayerHash as StringFilter])) &&
            (!f.sourceLambdaLayerArn || matchString([p.sourceLambdaLayerArn], [f.sourceLambdaLayerArn as StringFilter])) &&
            (!f.filePath || matchString([p.filePath], [f.filePath as StringFilter])),
        ),
      );
  }
}

type Predicate<D> = (doc: D) => boolean;

/** One criterion's filters as a test; string filters are sorted into sets once, not per document. */
function compileField<D>(field: Field<D>, filters: unknown[]): Predicate<D> {
  if (field.kind !== 'string') return (doc) => matchField(doc, field, filters);
  const stringFilters = filters as StringFilter[];
  const excluded = new Set(stringFilters.filter((f) => f.comparison === 'NOT_EQUALS').map((f) => f.value));
  const equal = new Set(stringFilters.filter((f) => f.comparison === 'EQUALS').map((f) => f.value));
  const prefixes = stringFilters.filter((f) => f.comparison === 'PREFIX').map((f) => f.value);
  const anyPositive = equal.size > 0 || prefixes.length > 0;
  const single = field.value;
  if (single) {
    return (doc) => {
      const value = single(doc);
      if (value === undefined) return !anyPositive;
      if (excluded.has(value)) return false;
      return !anyPositive || equal.has(value) || prefixes.some((p) => value.startsWith(p));
    };
  }
  return (doc) => {
    let matched = !anyPositive;
    for (const value of field.values(doc)) {
      if (value === undefined) continue;
      if (excluded.has(value)) return false;
      if (!matched && (equal.has(value) || prefixes.some((p) => value.startsWith(p)))) matched = true;
    }
    return matched;
  };
}

/** The column a field is filtered on: one value (or list of values) per finding, read once per revision. */
const columnReaders = new WeakMap<Field<Finding>, (finding: Finding) => unknown>();
function columnReader(field: Field<Finding>): ((finding: Finding) => unknown) | undefined {
  let read = columnReaders.get(field);
  if (!read) {
    if (field.kind === 'string') read = field.value ?? field.values;
    else if (field.kind === 'date') read = (f) => field.value(f)?.getTime();
    else if (field.kind === 'number') read = field.value;
    else return undefined;
    columnReaders.set(field, read);
  }
  return read;
}

/**
 * FilterCriteria compiled against the columns of one revision of an account-region's
 * findings: a test of a finding's index. Strings, dates and numbers are read from columns;
 * the other kinds (maps, ports, packages) from the document.
 */
export function findingIndexFilter(criteria: Shapes['FilterCriteria'] | undefined, columns: FindingColumns): (index: number) => boolean {
  const checks = Object.entries(criteria ?? {})
    .filter(([name, filters]) => FINDING_FIELDS[name as keyof Shapes['FilterCriteria']] !== undefined && Array.isArray(filters))
    .map(([name, filters]): ((index: number) => boolean) => {
      const field = FINDING_FIELDS[name as keyof Shapes['FilterCriteria']];
      const read = columnReader(field);
      if (!read) {
        const test = compileField(field, filters as unknown[]);
        return (index) => test(columns.findings[index]!);
      }
      const column = columns.column(read);
      // The field's test, applied to the column's value instead of the document.
      const onValue: Field<unknown> =
        field.kind === 'string'
          ? field.value
            ? { kind: 'string', values: (v) => [v as string | undefined], value: (v) => v as string | undefined }
            : { kind: 'string', values: (v) => v as (string | undefined)[] }
          : field.kind === 'date'
            ? { kind: 'number', value: (v) => v as number | undefined }
            : { kind: 'number', value: (v) => v as number | undefined };
      const dateAsNumbers = (filters as DateFilter[]).map((f) => ({ lowerInclusive: f.startInclusive?.getTime(), upperInclusive: f.endInclusive?.getTime() }));
      const test = compileField(onValue, field.kind === 'date' ? dateAsNumbers : (filters as unknown[]));
      return (index) => test(column[index]);
    });
  return (index) => {
    for (const check of checks) if (!check(index)) return false;
    return true;
  };
}

/** Criteria compiled into one test, to run over many documents. */
function compiler<D, C extends object>(table: { [K in keyof C]-?: Field<D> }) {
  return (criteria: C | undefined): Predicate<D> => {
    const checks = Object.entries(criteria ?? {})
      .filter(([name, filters]) => table[name as keyof C] !== undefined && Array.isArray(filters))
      .map(([name, filters]) => compileField(table[name as keyof C], filters as unknown[]));
    return checks.length === 0 ? () => true : (doc) => checks.every((check) => check(doc));
  };
}

const str = <D>(get: (doc: D) => string | undefined): Field<D> => ({ kind: 'string', values: (doc) => [get(doc)], value: get });
const strs = <D>(get: (doc: D) => (string | undefined)[] | undefined): Field<D> => ({ kind: 'string', values: (doc) => get(doc) ?? [] });

type Resource = Finding['resources'][number];
const resources = (f: Finding): Resource[] => f.resources;
const ec2 = (f: Finding) => resources(f).map((r) => r.details?.awsEc2Instance);
const ecr = (f: Finding) => resources(f).map((r) => r.details?.awsEcrContainerImage);
const lambda = (f: Finding) => resources(f).map((r) => r.details?.awsLambdaFunction);
const firstDate = (dates: (Date | undefined)[]) => dates.find((d) => d !== undefined);

const FINDING_FIELDS: { [K in keyof Shapes['FilterCriteria']]-?: Field<Finding> } = {
  findingArn: str((f) => f.findingArn),
  awsAccountId: str((f) => f.awsAccountId),
  findingType: str((f) => f.type),
  severity: str((f) => f.severity),
  firstObservedAt: { kind: 'date', value: (f) => f.firstObservedAt },
  lastObservedAt: { kind: 'date', value: (f) => f.lastObservedAt },
  updatedAt: { kind: 'date', value: (f) => f.updatedAt },
  findingStatus: str((f) => f.status),
  title: str((f) => f.title),
  inspectorScore: { kind: 'number', value: (f) => f.inspectorScore },
  resourceType: strs((f) => resources(f).map((r) => r.type)),
  resourceId: strs((f) => resources(f).map((r) => r.id)),
  resourceTags: { kind: 'map', maps: (f) => resources(f).map((r) => r.tags) },
  ec2InstanceImageId: strs((f) => ec2(f).map((d) => d?.imageId)),
  ec2InstanceVpcId: strs((f) => ec2(f).map((d) => d?.vpcId)),
  ec2InstanceSubnetId: strs((f) => ec2(f).map((d) => d?.subnetId)),
  ecrImagePushedAt: { kind: 'date', value: (f) => firstDate(ecr(f).map((d) => d?.pushedAt)) },
  ecrImageArchitecture: strs((f) => ecr(f).map((d) => d?.architecture)),
  ecrImageRegistry: strs((f) => ecr(f).map((d) => d?.registry)),
  ecrImageRepositoryName: strs((f) => ecr(f).map((d) => d?.repositoryName)),
  ecrImageTags: strs((f) => ecr(f).flatMap((d) => d?.imageTags ?? [])),
  ecrImageHash: strs((f) => ecr(f).map((d) => d?.imageHash)),
  ecrImageLastInUseAt: { kind: 'date', value: (f) => firstDate(ecr(f).map((d) => d?.lastInUseAt)) },
  ecrImageInUseCount: { kind: 'number', value: (f) => ecr(f).find((d) => d?.inUseCount !== undefined)?.inUseCount },
  portRange: { kind: 'port', value: (f) => f.networkReachabilityDetails?.openPortRange },
  networkProtocol: str((f) => f.networkReachabilityDetails?.protocol),
  componentId: strs((f) => f.networkReachabilityDetails?.networkPath.steps?.map((s) => s.componentId)),
  componentType: strs((f) => f.networkReachabilityDetails?.networkPath.steps?.map((s) => s.componentType)),
  vulnerabilityId: str((f) => f.packageVulnerabilityDetails?.vulnerabilityId),
  vulnerabilitySource: str((f) => f.packageVulnerabilityDetails?.source),
  vendorSeverity: str((f) => f.packageVulnerabilityDetails?.vendorSeverity),
  vulnerablePackages: { kind: 'package', packages: (f) => f.packageVulnerabilityDetails?.vulnerablePackages ?? [] },
  relatedVulnerabilities: strs((f) => f.packageVulnerabilityDetails?.relatedVulnerabilities),
  fixAvailable: str((f) => f.fixAvailable),
  lambdaFunctionName: strs((f) => lambda(f).map((d) => d?.functionName)),
  lambdaFunctionLayers: strs((f) => lambda(f).flatMap((d) => d?.layers ?? [])),
  lambdaFunctionRuntime: strs((f) => lambda(f).map((d) => d?.runtime)),
  lambdaFunctionLastModifiedAt: { kind: 'date', value: (f) => firstDate(lambda(f).map((d) => d?.lastModifiedAt)) },
  lambdaFunctionExecutionRoleArn: strs((f) => lambda(f).map((d) => d?.executionRoleArn)),
  exploitAvailable: str((f) => f.exploitAvailable),
  codeVulnerabilityDetectorName: str((f) => f.codeVulnerabilityDetails?.detectorName),
  codeVulnerabilityDetectorTags: strs((f) => f.codeVulnerabilityDetails?.detectorTags),
  codeVulnerabilityFilePath: str((f) => f.codeVulnerabilityDetails?.filePath.filePath),
  epssScore: { kind: 'number', value: (f) => f.epss?.score },
  codeRepositoryProjectName: strs((f) => resources(f).map((r) => r.details?.codeRepository?.projectName)),
  codeRepositoryProviderType: strs((f) => resources(f).map((r) => r.details?.codeRepository?.providerType)),
};

/** The test of a FilterCriteria, compiled once for a list, report or suppression rule. */
export const findingFilter = compiler<Finding, Shapes['FilterCriteria']>(FINDING_FIELDS);

const meta = (r: CoveredResource) => r.resourceMetadata;

const COVERAGE_FIELDS: { [K in keyof Shapes['CoverageFilterCriteria']]-?: Field<CoveredResource> } = {
  scanStatusCode: str((r) => r.scanStatus?.statusCode),
  scanStatusReason: str((r) => r.scanStatus?.reason),
  accountId: str((r) => r.accountId),
  resourceId: str((r) => r.resourceId),
  resourceType: str((r) => r.resourceType),
  scanType: str((r) => r.scanType),
  ecrRepositoryName: str((r) => meta(r)?.ecrRepository?.name),
  ecrImageTags: strs((r) => meta(r)?.ecrImage?.tags),
  ec2InstanceTags: { kind: 'map', maps: (r) => [meta(r)?.ec2?.tags] },
  lambdaFunctionName: str((r) => meta(r)?.lambdaFunction?.functionName),
  lambdaFunctionTags: { kind: 'map', maps: (r) => [meta(r)?.lambdaFunction?.functionTags] },
  lambdaFunctionRuntime: str((r) => meta(r)?.lambdaFunction?.runtime),
  lastScannedAt: { kind: 'date', value: (r) => r.lastScannedAt },
  scanMode: str((r) => r.scanMode),
  imagePulledAt: { kind: 'date', value: (r) => meta(r)?.ecrImage?.imagePulledAt },
  ecrImageLastInUseAt: { kind: 'date', value: (r) => meta(r)?.ecrImage?.lastInUseAt },
  ecrImageInUseCount: { kind: 'number', value: (r) => meta(r)?.ecrImage?.inUseCount },
  codeRepositoryProjectName: str((r) => meta(r)?.codeRepository?.projectName),
  codeRepositoryProviderType: str((r) => meta(r)?.codeRepository?.providerType),
  codeRepositoryProviderTypeVisibility: str((r) => meta(r)?.codeRepository?.providerTypeVisibility),
  lastScannedCommitId: str((r) => meta(r)?.codeRepository?.lastScannedCommitId),
};

/** The test of a CoverageFilterCriteria, compiled once for a list or statistics. */
export const coverageFilter = compiler<CoveredResource, Shapes['CoverageFilterCriteria']>(COVERAGE_FIELDS);

// A resource is tested by its coverage row: SBOM exports select resources, not findings.
const RESOURCE_FIELDS: { [K in keyof Shapes['ResourceFilterCriteria']]-?: Field<CoveredResource> } = {
  accountId: str((r) => r.accountId),
  resourceId: str((r) => r.resourceId),
  resourceType: str((r) => r.resourceType),
  ecrRepositoryName: str((r) => meta(r)?.ecrRepository?.name),
  lambdaFunctionName: str((r) => meta(r)?.lambdaFunction?.functionName),
  ecrImageTags: strs((r) => meta(r)?.ecrImage?.tags),
  ec2InstanceTags: { kind: 'map', maps: (r) => [meta(r)?.ec2?.tags] },
  lambdaFunctionTags: { kind: 'map', maps: (r) => [meta(r)?.lambdaFunction?.functionTags] },
};

/** The test of a ResourceFilterCriteria (SBOM exports), compiled once for an export. */
export const resourceFilter = compiler<CoveredResource, Shapes['ResourceFilterCriteria']>(RESOURCE_FIELDS);

/**
 * The account-regions whose documents the caller sees: its own, and a delegated
 * administrator's members' too.
 */
export function visibleAccountRegions(world: World, accountId: string, region: string): AccountRegion[] {
  const own = world.accountRegion(accountId, region);
  const standing = world.standing(accountId, region);
  if (!standing.isDelegatedAdmin) return [own];
  const members = [...standing.inspectorOrganization!.members.values()]
    .filter((m) => standing.inspectorOrganization!.isAssociated(m.accountId))
    .map((m) => world.accountRegion(m.accountId, region));
  return [own, ...members];
}

const SEVERITY_RANK: Record<string, number> = { UNTRIAGED: 0, INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

type SortKey = string | number | undefined;
const SORT_KEYS: Record<Shapes['SortField'], (f: Finding) => SortKey> = {
  AWS_ACCOUNT_ID: (f) => f.awsAccountId,
  FINDING_TYPE: (f) => f.type,
  SEVERITY: (f) => SEVERITY_RANK[f.severity],
  FIRST_OBSERVED_AT: (f) => f.firstObservedAt.getTime(),
  LAST_OBSERVED_AT: (f) => f.lastObservedAt.getTime(),
  FINDING_STATUS: (f) => f.status,
  RESOURCE_TYPE: (f) => f.resources[0]?.type,
  ECR_IMAGE_PUSHED_AT: (f) => f.resources[0]?.details?.awsEcrContainerImage?.pushedAt?.getTime(),
  ECR_IMAGE_REPOSITORY_NAME: (f) => f.resources[0]?.details?.awsEcrContainerImage?.repositoryName,
  ECR_IMAGE_REGISTRY: (f) => f.resources[0]?.details?.awsEcrContainerImage?.registry,
  NETWORK_PROTOCOL: (f) => f.networkReachabilityDetails?.protocol,
  COMPONENT_TYPE: (f) => f.networkReachabilityDetails?.networkPath.steps?.[0]?.componentType,
  VULNERABILITY_ID: (f) => f.packageVulnerabilityDetails?.vulnerabilityId,
  VULNERABILITY_SOURCE: (f) => f.packageVulnerabilityDetails?.source,
  INSPECTOR_SCORE: (f) => f.inspectorScore,
  VENDOR_SEVERITY: (f) => f.packageVulnerabilityDetails?.vendorSeverity,
  EPSS_SCORE: (f) => f.epss?.score,
};

/** A finding's place in a sort order: its sort key, then its ARN. */
export interface FindingPosition {
  key: SortKey;
  arn: string;
}

const arnOf = (finding: Finding) => finding.findingArn;

/**
 * A page of the findings of some account-regions that match the criteria, in the sort's
 * order, after a position if given: `count` findings at most. Each account-region keeps,
 * per revision, its findings' order for each sort asked for (an index, sorted once); a page
 * walks that order from the position, testing the criteria, until it has enough.
 */
export function pageOfFindings(
  states: AccountRegion[],
  criteria: Shapes['FilterCriteria'] | undefined,
  sort: Shapes['SortCriteria'] | undefined,
  count: number,
  after?: FindingPosition,
): Finding[] {
  const order = findingOrder(sort);
  const found: { finding: Finding; at: FindingPosition }[] = [];
  for (const state of states) {
    const columns = columnsOf(state.findings);
    const matches = findingIndexFilter(criteria, columns);
    const keys = columns.column(order.keyOf);
    const arns = columns.column(arnOf);
    const sorted = columns.derived(`order ${order.name}`, () => {
      const indexes = Array.from(keys, (_, index) => index);
      indexes.sort((a, b) => order.compareParts(keys[a], arns[a]!, keys[b], arns[b]!));
      return Int32Array.from(indexes);
    });
    let start = 0;
    if (after) {
      let hi = sorted.length;
      while (start < hi) {
        const mid = (start + hi) >>> 1;
        const index = sorted[mid]!;
        if (order.compareParts(keys[index], arns[index]!, after.key, after.arn) <= 0) start = mid + 1;
        else hi = mid;
      }
    }
    let taken = 0;
    for (let place = start; place < sorted.length && taken < count; place++) {
      const index = sorted[place]!;
      if (!matches(index)) continue;
      found.push({ finding: columns.findings[index]!, at: { key: keys[index], arn: arns[index]! } });
      taken++;
    }
  }
  // Several account-regions (a delegated administrator's members): their pages merged.
  if (states.length > 1) found.sort((a, b) => order.compare(a.at, b.at));
  return found.slice(0, count).map((entry) => entry.finding);
}

/**
 * The order of findings for a sort: by the sort field (findings without it last, in either
 * direction), then by ARN, so that the order is total and pages are stable.
 */
export function findingOrder(sort: Shapes['SortCriteria'] | undefined) {
  const field = sort?.field ?? 'LAST_OBSERVED_AT';
  const keyOf = SORT_KEYS[field];
  const direction = (sort?.sortOrder ?? 'DESC') === 'ASC' ? 1 : -1;
  const compareParts = (aKey: SortKey, aArn: string, bKey: SortKey, bArn: string): number => {
    if (aKey !== bKey) {
      if (aKey === undefined) return 1;
      if (bKey === undefined) return -1;
      return (aKey < bKey ? -1 : 1) * direction;
    }
    return aArn < bArn ? -1 : aArn > bArn ? 1 : 0;
  };
  const compare = (a: FindingPosition, b: FindingPosition): number => compareParts(a.key, a.arn, b.key, b.arn);
  const position = (finding: Finding): FindingPosition => ({ key: keyOf(finding), arn: finding.findingArn });
  return {
    name: `${field} ${direction === 1 ? 'ASC' : 'DESC'}`,
    position,
    compare,
    compareParts,
    keyOf,
    sort: (findings: Finding[]) =>
      findings
        .map((finding) => ({ finding, at: position(finding) }))
        .sort((a, b) => compare(a.at, b.at))
        .map((entry) => entry.finding),
  };
}
