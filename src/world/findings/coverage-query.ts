// Coverage's half of the query engine: the field tables of CoverageFilterCriteria
// (ListCoverage, ListCoverageStatistics) and ResourceFilterCriteria (SBOM exports select
// resources by their coverage rows), and the coverage rows a caller sees, counted and paged.
// The filter kinds and their semantics are engine.ts's; tokens paging.ts's.
import type { components } from '../../../openapi/inspector2.js';
import type { CoveredResource } from './documents.js';
import { criteriaFilter, str, strs, visibleAccountRegions, type FieldTable } from './engine.js';
import { pageByKey, pageSize, type Page, type PageRequest } from './paging.js';
import type { Caller } from '../world.js';
import type { World } from '../world.js';

type Shapes = components['schemas'];

const meta = (r: CoveredResource) => r.resourceMetadata;

const COVERAGE_FIELDS: FieldTable<CoveredResource, Shapes['CoverageFilterCriteria']> = {
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
const coverageFilter = criteriaFilter<CoveredResource, Shapes['CoverageFilterCriteria']>(COVERAGE_FIELDS);

// A resource is tested by its coverage row: SBOM exports select resources, not findings.
const RESOURCE_FIELDS: FieldTable<CoveredResource, Shapes['ResourceFilterCriteria']> = {
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
export const resourceFilter = criteriaFilter<CoveredResource, Shapes['ResourceFilterCriteria']>(RESOURCE_FIELDS);

/** The caller's coverage rows (its own, and a delegated administrator's members') that match the criteria. */
function visibleCoverage(world: World, accountId: string, region: string, criteria: Shapes['CoverageFilterCriteria'] | undefined): CoveredResource[] {
  const matches = coverageFilter(criteria);
  return visibleAccountRegions(world, accountId, region).flatMap((state) => [...state.coverage.values()].map((row) => row.resource).filter(matches));
}

/** A page of ListCoverage, in the order of account, resource and scan type. */
export function listCoverage(
  world: World,
  caller: Caller,
  request: PageRequest & { filterCriteria?: Shapes['CoverageFilterCriteria'] },
): Page<CoveredResource> {
  const rows = visibleCoverage(world, caller.accountId, caller.region, request.filterCriteria);
  return pageByKey({ op: 'ListCoverage' }, rows, (r) => `${r.accountId}|${r.resourceId}|${r.scanType}`, request, pageSize(request, 100));
}

const GROUP_KEY: Record<Shapes['GroupKey'], (r: CoveredResource) => string | undefined> = {
  SCAN_STATUS_CODE: (r) => r.scanStatus?.statusCode,
  SCAN_STATUS_REASON: (r) => r.scanStatus?.reason,
  ACCOUNT_ID: (r) => r.accountId,
  RESOURCE_TYPE: (r) => r.resourceType,
  ECR_REPOSITORY_NAME: (r) => r.resourceMetadata?.ecrRepository?.name,
};

/**
 * ListCoverageStatistics: the number of matching rows and, grouped by a dimension, a page of
 * the groups' counts in the order of the groups' values.
 */
export function coverageStatistics(
  world: World,
  caller: Caller,
  request: PageRequest & { filterCriteria?: Shapes['CoverageFilterCriteria']; groupBy?: Shapes['GroupKey'] },
): { totalCounts: number; groups?: Page<{ value: string; count: number }> } {
  const rows = visibleCoverage(world, caller.accountId, caller.region, request.filterCriteria);
  if (!request.groupBy) return { totalCounts: rows.length };
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = GROUP_KEY[request.groupBy](row);
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const groups = [...counts].map(([value, count]) => ({ value, count }));
  return { totalCounts: rows.length, groups: pageByKey({ op: 'ListCoverageStatistics' }, groups, (g) => g.value, request, pageSize(request, 5)) };
}
