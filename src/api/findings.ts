// ListFindings: the findings the caller sees, filtered, sorted and paged by the query engine
// (world/findings/query.ts).
import { listFindings } from '../world/findings/query.js';
import type { World } from '../world/world.js';
import { paged } from './pagination.js';
import type { Handlers } from './types.js';

export function findingHandlers(world: World): Handlers {
  return {
    ListFindings(input, { caller }) {
      const page = paged(() => listFindings(world, caller, input));
      return { findings: page.items, nextToken: page.nextToken };
    },
  };
}
