// The findings' half of the query engine: the field table of FilterCriteria, the sort
// orders of ListFindings, and pages of findings walked from per-revision indexes. One engine
// for ListFindings, ListFindingAggregations (aggregations.ts), findings reports and
// suppression rules; the generic filter kinds and their semantics are engine.ts's, the
// token codec paging.ts's.
import type { components } from '../../../openapi/inspector2.js';
import type { Finding } from './documents.js';
import { columnsOf, type FindingColumns } from './finding-map.js';
import { compileField, criteriaFilter, givenCriteria, str, strs, visibleAccountRegions, type DateFilter, type Field, type FieldTable } from './engine.js';
import { decodeToken, encodeToken, pageSize, type KeyPart, type Page, type PageRequest, type TokenScope } from './paging.js';
import type { Caller } from '../world.js';
import type { AccountRegion, World } from '../world.js';

export { visibleAccountRegions } from './engine.js';
export { resourceFilter } from './coverage-query.js';

type Shapes = components['schemas'];

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
function findingIndexFilter(criteria: Shapes['FilterCriteria'] | undefined, columns: FindingColumns): (index: number) => boolean {
  const checks = givenCriteria(FINDING_FIELDS, criteria).map(({ field, filters }): ((index: number) => boolean) => {
    const read = columnReader(field);
    if (!read) {
      const test = compileField(field, filters);
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
    const test = compileField(onValue, field.kind === 'date' ? dateAsNumbers : filters);
    return (index) => test(column[index]);
  });
  return (index) => {
    for (const check of checks) if (!check(index)) return false;
    return true;
  };
}

type Resource = Finding['resources'][number];
const resources = (f: Finding): Resource[] => f.resources;
const ec2 = (f: Finding) => resources(f).map((r) => r.details?.awsEc2Instance);
const ecr = (f: Finding) => resources(f).map((r) => r.details?.awsEcrContainerImage);
const lambda = (f: Finding) => resources(f).map((r) => r.details?.awsLambdaFunction);
const firstDate = (dates: (Date | undefined)[]) => dates.find((d) => d !== undefined);

const FINDING_FIELDS: FieldTable<Finding, Shapes['FilterCriteria']> = {
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
export const findingFilter = criteriaFilter<Finding, Shapes['FilterCriteria']>(FINDING_FIELDS);

const SEVERITY_RANK: Record<string, number> = { UNTRIAGED: 0, INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

type SortKey = KeyPart;
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
function pageOfFindings(
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

/** The caller's visible findings that match the criteria (through the columns of the query engine). */
export function visibleFindings(world: World, accountId: string, region: string, criteria: Shapes['FilterCriteria'] | undefined): Finding[] {
  return visibleAccountRegions(world, accountId, region).flatMap((state) => {
    const columns = columnsOf(state.findings);
    const matches = findingIndexFilter(criteria, columns);
    return columns.findings.filter((_, index) => matches(index));
  });
}

/** The model's FindingList holds at most 25 findings: larger pages are cut to that. */
const MAX_FINDINGS_PAGE = 25;

const isPosition = (after: unknown): after is FindingPosition =>
  typeof after === 'object' &&
  after !== null &&
  typeof (after as { arn?: unknown }).arn === 'string' &&
  ['string', 'number', 'undefined'].includes(typeof (after as { key?: unknown }).key);

/**
 * A page of ListFindings: the caller's visible findings that match, in the sort's order. The
 * token holds the last finding's place in that order (its sort value and ARN), and is good
 * for the same sort only (defaults applied).
 */
export function listFindings(
  world: World,
  caller: Caller,
  request: PageRequest & { filterCriteria?: Shapes['FilterCriteria']; sortCriteria?: Shapes['SortCriteria'] },
): Page<Finding> {
  const sort = request.sortCriteria;
  const scope: TokenScope = { op: 'ListFindings', sort: `${sort?.field ?? 'LAST_OBSERVED_AT'}/${sort?.sortOrder ?? 'DESC'}` };
  const after = request.nextToken ? decodeToken(scope, request.nextToken, isPosition) : undefined;
  const size = pageSize(request, MAX_FINDINGS_PAGE, MAX_FINDINGS_PAGE);
  // One more than the page says whether there is a next one.
  const states = visibleAccountRegions(world, caller.accountId, caller.region);
  const upcoming = pageOfFindings(states, request.filterCriteria, sort, size + 1, after);
  const findings = upcoming.slice(0, size);
  if (upcoming.length <= size) return { items: findings };
  return { items: findings, nextToken: encodeToken(scope, findingOrder(sort).position(findings.at(-1)!)) };
}
