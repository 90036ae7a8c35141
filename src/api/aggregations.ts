// ListFindingAggregations: the request member must be the one of the aggregation type; the
// grouping, sorting and paging are the query engine's (world/findings/aggregations.ts).
import { aggregationMember, listFindingAggregations } from '../world/findings/aggregations.js';
import type { World } from '../world/world.js';
import { modeledError } from './errors.js';
import { paged } from './pagination.js';
import type { Handlers } from './types.js';

export function aggregationHandlers(world: World): Handlers {
  return {
    ListFindingAggregations(input, { caller }) {
      const type = input.aggregationType;
      const member = aggregationMember(type);
      const given = Object.entries(input.aggregationRequest ?? {}).find(([, value]) => value !== undefined && value !== null)?.[0];
      if (given !== undefined && given !== member) {
        throw modeledError('ValidationException', {
          message: `The aggregationRequest sets '${given}', but the aggregationType ${type} takes '${member}'.`,
          reason: 'FIELD_VALIDATION_FAILED',
          fields: [{ name: 'aggregationRequest', message: `Member must be '${member}' for aggregationType ${type}` }],
        });
      }
      const page = paged(() => listFindingAggregations(world, caller, input));
      return { aggregationType: type, responses: page.items, nextToken: page.nextToken };
    },
  };
}
