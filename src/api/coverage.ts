// ListCoverage and ListCoverageStatistics: the coverage rows the caller sees (its own, and
// a delegated administrator's members'), through the coverage query engine.
import type { CoveredResource } from '../world/findings/documents.js';
import { coverageFilter, visibleAccountRegions } from '../world/findings/query.js';
import type { World } from '../world/world.js';
import { paginate } from './pagination.js';
import type { Handlers, Shapes } from './types.js';

function visibleCoverage(world: World, accountId: string, region: string, criteria: Shapes['CoverageFilterCriteria'] | undefined): CoveredResource[] {
  const matches = coverageFilter(criteria);
  return visibleAccountRegions(world, accountId, region).flatMap((state) => [...state.coverage.values()].map((row) => row.resource).filter(matches));
}

const GROUP_KEY: Record<Shapes['GroupKey'], (r: CoveredResource) => string | undefined> = {
  SCAN_STATUS_CODE: (r) => r.scanStatus?.statusCode,
  SCAN_STATUS_REASON: (r) => r.scanStatus?.reason,
  ACCOUNT_ID: (r) => r.accountId,
  RESOURCE_TYPE: (r) => r.resourceType,
  ECR_REPOSITORY_NAME: (r) => r.resourceMetadata?.ecrRepository?.name,
};

export function coverageHandlers(world: World): Handlers {
  return {
    ListCoverage(input, { caller, operation }) {
      const rows = visibleCoverage(world, caller.accountId, caller.region, input.filterCriteria);
      const page = paginate(operation, rows, (r) => `${r.accountId}|${r.resourceId}|${r.scanType}`, input, 100);
      return { coveredResources: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },

    ListCoverageStatistics(input, { caller, operation }) {
      const rows = visibleCoverage(world, caller.accountId, caller.region, input.filterCriteria);
      if (!input.groupBy) return { totalCounts: rows.length };
      const counts = new Map<string, number>();
      for (const row of rows) {
        const value = GROUP_KEY[input.groupBy](row);
        if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      // Counts.groupKey is the dimension (the model has no member for the group's value); groups come in value order.
      const groups = [...counts].map(([value, count]) => ({ value, count }));
      const page = paginate(operation, groups, (g) => g.value, input, 5);
      return {
        countsByGroup: page.items.map((g) => ({ count: g.count, groupKey: input.groupBy! })),
        totalCounts: rows.length,
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  };
}
