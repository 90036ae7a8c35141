// Pages of a list, in the order of a unique key. The token names the last key returned, not an
// offset, so a page stays right while items are added or removed between calls.
import { modeledError } from './errors.js';

interface Token {
  /** The operation the token belongs to: a token of another list is refused. */
  op: string;
  after: string;
}

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
}

export function paginate<T>(
  operation: string,
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
  defaultMaxResults: number,
): { items: T[]; nextToken?: string } {
  const keyed = items.map((item) => ({ key: keyOf(item), item })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let start = 0;
  if (request.nextToken) {
    const after = decode(operation, request.nextToken);
    start = keyed.findIndex((entry) => entry.key > after);
    if (start < 0) start = keyed.length;
  }
  const size = request.maxResults ?? defaultMaxResults;
  const page = keyed.slice(start, start + size);
  const more = start + size < keyed.length;
  const pageItems = page.map((entry) => entry.item);
  return more ? { items: pageItems, nextToken: encode({ op: operation, after: page.at(-1)!.key }) } : { items: pageItems };
}

function encode(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decode(operation: string, text: string): string {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Token>;
    if (token.op === operation && typeof token.after === 'string') return token.after;
  } catch {
    // fall through to the error below
  }
  throw modeledError('ValidationException', {
    message: `The nextToken '${text.slice(0, 100)}' is not valid for ${operation}: pass a token that ${operation} returned.`,
    reason: 'FIELD_VALIDATION_FAILED',
    fields: [{ name: 'nextToken', message: 'Member must be a token returned by this operation' }],
  });
}
