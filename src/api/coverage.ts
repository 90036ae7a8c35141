// ListCoverage and ListCoverageStatistics: the coverage rows the caller sees (its own, and a
// delegated administrator's members'), through the query engine (world/findings/coverage-query.ts).
import { coverageStatistics, listCoverage } from '../world/findings/coverage-query.js';
import type { World } from '../world/world.js';
import { paged } from './pagination.js';
import type { Handlers } from './types.js';

export function coverageHandlers(world: World): Handlers {
  return {
    ListCoverage(input, { caller }) {
      const page = paged(() => listCoverage(world, caller, input));
      return { coveredResources: page.items, nextToken: page.nextToken };
    },

    ListCoverageStatistics(input, { caller }) {
      const { totalCounts, groups } = paged(() => coverageStatistics(world, caller, input));
      if (!groups || !input.groupBy) return { totalCounts };
      // Counts.groupKey is the dimension (the model has no member for the group's value); groups come in value order.
      return { countsByGroup: groups.items.map((g) => ({ count: g.count, groupKey: input.groupBy! })), totalCounts, nextToken: groups.nextToken };
    },
  };
}
