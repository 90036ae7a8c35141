// Saved filters and suppression rules: CreateFilter, UpdateFilter, DeleteFilter, ListFilters.
// The rules are the world's (world/filters.ts); this file maps shapes and tags.
import { createFilter, deleteFilter, updateFilter, type SavedFilter } from '../world/findings/filters.js';
import type { World } from '../world/world.js';
import { paginate } from './pagination.js';
import { refuseReservedTagKeys, tagsMember } from './tags.js';
import type { Handlers, Shapes } from './types.js';
import { setTags } from '../world/accounts/tags.js';

function filterShape(world: World, filter: SavedFilter): Shapes['Filter'] {
  return {
    arn: filter.arn,
    ownerId: filter.ownerId,
    name: filter.name,
    criteria: filter.criteria,
    action: filter.action,
    createdAt: filter.createdAt,
    updatedAt: filter.updatedAt,
    ...(filter.description !== undefined ? { description: filter.description } : {}),
    ...(filter.reason !== undefined ? { reason: filter.reason } : {}),
    ...tagsMember(world, filter.arn),
  };
}

export function filterHandlers(world: World): Handlers {
  return {
    CreateFilter(input, { caller }) {
      // Tags are checked as TagResource checks them, before anything is created.
      if (input.tags) refuseReservedTagKeys(input.tags);
      const filter = createFilter(world, caller, {
        name: input.name,
        action: input.action,
        criteria: input.filterCriteria,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
      });
      if (input.tags && Object.keys(input.tags).length) setTags(world, filter.arn, { ...input.tags });
      return { arn: filter.arn };
    },

    UpdateFilter(input, { caller }) {
      const filter = updateFilter(world, caller, input.filterArn, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.action !== undefined ? { action: input.action } : {}),
        ...(input.filterCriteria !== undefined ? { criteria: input.filterCriteria } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
      });
      return { arn: filter.arn };
    },

    DeleteFilter(input, { caller }) {
      deleteFilter(world, caller, input.arn);
      return { arn: input.arn };
    },

    ListFilters(input, { caller, operation }) {
      const filters = [...world.accountRegion(caller.accountId, caller.region).filters.values()].filter(
        (f) => (!input.arns?.length || input.arns.includes(f.arn)) && (!input.action || f.action === input.action),
      );
      const page = paginate(operation, filters, (f) => f.arn, input, 50);
      return { filters: page.items.map((f) => filterShape(world, f)), nextToken: page.nextToken };
    },
  };
}
