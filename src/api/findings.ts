// ListFindings: the findings the caller sees, filtered, sorted and paginated by the one
// query engine. The page token holds the last finding's place in the order (not an offset),
// so the next page stays right while findings come and go.
import type { Finding } from '../world/findings/documents.js';
import { columnsOf } from '../world/findings/finding-map.js';
import { findingIndexFilter, findingOrder, pageOfFindings, visibleAccountRegions, type FindingPosition } from '../world/findings/query.js';
import type { World } from '../world/world.js';
import { modeledError } from './errors.js';
import type { Handlers, Shapes } from './types.js';

/** The model's FindingList holds at most 25 findings: larger pages are cut to that. */
const MAX_PAGE = 25;

interface FindingsToken {
  op: 'ListFindings';
  sort: string;
  after: FindingPosition;
}

/** The caller's visible findings that match the criteria (through the columns of the query engine). */
export function visibleFindings(world: World, accountId: string, region: string, criteria: Shapes['FilterCriteria'] | undefined): Finding[] {
  return visibleAccountRegions(world, accountId, region).flatMap((state) => {
    const columns = columnsOf(state.findings);
    const matches = findingIndexFilter(criteria, columns);
    return columns.findings.filter((_, index) => matches(index));
  });
}

function decodeToken(text: string, sort: string): FindingPosition {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<FindingsToken>;
    if (token.op === 'ListFindings' && token.sort === sort && typeof token.after?.arn === 'string') return token.after;
  } catch {
    // fall through to the error below
  }
  throw modeledError('ValidationException', {
    message: `The nextToken '${text.slice(0, 100)}' is not valid: pass a token that ListFindings returned for the same sortCriteria.`,
    reason: 'FIELD_VALIDATION_FAILED',
    fields: [{ name: 'nextToken', message: 'Member must be a token returned by this operation' }],
  });
}

export function findingHandlers(world: World): Handlers {
  return {
    ListFindings(input, { caller }) {
      // The token belongs to one order: the sort field and direction, defaults applied.
      const sort = `${input.sortCriteria?.field ?? 'LAST_OBSERVED_AT'}/${input.sortCriteria?.sortOrder ?? 'DESC'}`;
      const after = input.nextToken ? decodeToken(input.nextToken, sort) : undefined;
      const order = findingOrder(input.sortCriteria);
      const size = Math.min(input.maxResults ?? MAX_PAGE, MAX_PAGE);
      // One more than the page says whether there is a next one.
      const states = visibleAccountRegions(world, caller.accountId, caller.region);
      const upcoming = pageOfFindings(states, input.filterCriteria, input.sortCriteria, size + 1, after);
      const findings = upcoming.slice(0, size);
      if (upcoming.length <= size) return { findings };
      const token: FindingsToken = { op: 'ListFindings', sort, after: order.position(findings.at(-1)!) };
      return { findings, nextToken: Buffer.from(JSON.stringify(token)).toString('base64url') };
    },
  };
}
