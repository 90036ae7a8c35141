// Pages of a list through the world's one token codec (world/findings/paging.ts); a token the
// world refuses is answered as the modeled ValidationException on nextToken.
import { pageByKey, pageSize, PageTokenError, type Page, type PageRequest } from '../world/findings/paging.js';
import { modeledError } from './errors.js';

/** Runs a paged read of the world; a page token it refuses becomes a ValidationException on nextToken. */
export function paged<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof PageTokenError)) throw error;
    throw modeledError('ValidationException', {
      message: error.message,
      reason: 'FIELD_VALIDATION_FAILED',
      fields: [{ name: 'nextToken', message: 'Member must be a token returned by this operation' }],
    });
  }
}

/** A page of a list held in memory, in the order of a unique string key; the token is good for this operation only. */
export function paginate<T>(operation: string, items: readonly T[], keyOf: (item: T) => string, request: PageRequest, defaultMaxResults: number): Page<T> {
  return paged(() => pageByKey({ op: operation }, items, keyOf, request, pageSize(request, defaultMaxResults)));
}
