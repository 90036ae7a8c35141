// Pages of every list: the one page-token codec and the one ordering encoding.
//
// A token names the last item returned (its place in the list's order), never an offset, so
// a page stays right while items come and go between calls. It is base64url of JSON: the
// token's scope (the list and, where the list's name does not say it, its order) and `after`,
// the last item's place. A token is good only for the scope it was issued for; anything
// else is refused with PageTokenError (the API answers ValidationException on nextToken).
//
// Lists kept in memory are ordered by a string key (orderKey): the parts of the sort, then
// what makes an item unique, compared as strings. ListFindings walks an index instead and
// puts the last finding's sort value and ARN in `after` (query.ts).
import { WorldError } from '../platform/errors.js';

/** What a token is good for: a list (`op`) and, where `op` does not say it, the list's order. */
export interface TokenScope {
  op: string;
  sort?: string;
}

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
}

/** A token that this list (in this order) did not issue. */
export class PageTokenError extends WorldError {
  constructor(
    readonly scope: TokenScope,
    text: string,
  ) {
    super('Invalid', `The nextToken '${text.slice(0, 100)}' is not valid for ${scope.op}: pass a token that ${scope.op} returned for the same request.`);
    this.name = 'PageTokenError';
  }
}

export function encodeToken(scope: TokenScope, after: unknown): string {
  // Members in this order (op, sort, after): tokens already handed out stay byte for byte the same.
  return Buffer.from(JSON.stringify({ op: scope.op, sort: scope.sort, after })).toString('base64url');
}

/** The `after` of a token issued for this scope; a token of another scope, or no token at all, is refused. */
export function decodeToken<A>(scope: TokenScope, text: string, isAfter: (after: unknown) => after is A): A {
  try {
    const token: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof token === 'object' && token !== null) {
      const { op, sort, after } = token as Record<string, unknown>;
      if (op === scope.op && sort === scope.sort && isAfter(after)) return after;
    }
  } catch {
    // refused below
  }
  throw new PageTokenError(scope, text);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The page size asked for, the default when none is, at most `max`. */
export function pageSize(request: PageRequest, defaultSize: number, max = Number.POSITIVE_INFINITY): number {
  return Math.min(request.maxResults ?? defaultSize, max);
}

/**
 * A page of a list held in memory, in the order of a unique string key (see orderKey): the
 * items after the token's key, `size` at most.
 */
export function pageByKey<T>(scope: TokenScope, items: readonly T[], keyOf: (item: T) => string, request: PageRequest, size: number): Page<T> {
  const keyed = items.map((item) => ({ key: keyOf(item), item })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let start = 0;
  if (request.nextToken) {
    const after = decodeToken(scope, request.nextToken, isString);
    start = keyed.findIndex((entry) => entry.key > after);
    if (start < 0) start = keyed.length;
  }
  const page = keyed.slice(start, start + size);
  const pageItems = page.map((entry) => entry.item);
  if (start + size >= keyed.length) return { items: pageItems };
  return { items: pageItems, nextToken: encodeToken(scope, page.at(-1)!.key) };
}

// ---------------------------------------------------------------- the ordering encoding

export type SortOrder = 'ASC' | 'DESC';
/** A value a list is sorted by: text, a whole number from 0 to 10^15, or nothing (sorted first, ascending). */
export type KeyPart = string | number | undefined;
/** A part sorted the other way from the rest of the key. */
export interface Descending {
  readonly descending: KeyPart;
}
export const descending = (part: KeyPart): Descending => ({ descending: part });

const SEPARATOR = '\u0000';
const NUMBER_WIDTH = 16;
const MAX_NUMBER = 1e15;

function encodePart(part: KeyPart, down: boolean): string {
  if (typeof part === 'number') {
    const value = Math.min(Math.max(Math.round(part), 0), MAX_NUMBER);
    return String(down ? MAX_NUMBER - value : value).padStart(NUMBER_WIDTH, '0');
  }
  const text = part ?? '';
  if (!down) return text;
  // Every character inverted, and an end above any inverted character: a shorter text sorts after its extensions.
  let inverted = '';
  for (let i = 0; i < text.length; i++) inverted += String.fromCharCode(0xfffe - text.charCodeAt(i));
  return `${inverted}\uffff`;
}

/**
 * A list's sort key as one string whose plain string order is the list's order: the sort
 * values, then what makes the item unique. `order` DESC turns every part around (a part
 * given as `descending(...)` then ascends).
 */
export function orderKey(parts: readonly (KeyPart | Descending)[], order: SortOrder = 'ASC'): string {
  return parts
    .map((part) => {
      const down = typeof part === 'object' ? order === 'ASC' : order === 'DESC';
      return encodePart(typeof part === 'object' ? part.descending : part, down);
    })
    .join(SEPARATOR);
}
