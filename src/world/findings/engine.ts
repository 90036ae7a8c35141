// The query engine's generic half: filter criteria compiled from a field table, and which
// account-regions' documents a caller sees. Each kind of document configures it with its own
// table, next to its documents: findings and coverage rows (query.ts, coverage-query.ts), CIS
// scans, their results and aggregates (cis/query.ts). The tables say, for each criterion,
// which kind of filter it is and where its values are in the document; sort keys are
// encoded by paging.ts.
//
// Semantics, the same for every table: within one criterion, EQUALS and PREFIX filters are
// OR'ed and NOT_EQUALS filters are AND'ed (a document matches when none of its values equals
// any of them); ranges (dates, numbers, ports), maps and packages are OR'ed; criteria are
// AND'ed; a criterion with no filters does not narrow. A list-valued field matches a
// positive filter when any element does. A sort table gives each sort's key parts.
import type { components } from '../../../openapi/inspector2.js';
import { orderKey, type Descending, type KeyPart, type SortOrder } from './paging.js';
import type { AccountRegion, World } from '../world.js';
import { standingOf } from '../accounts/organizations.js';

type Shapes = components['schemas'];

export interface StringFilter {
  comparison: 'EQUALS' | 'PREFIX' | 'NOT_EQUALS';
  value: string;
}
export interface DateFilter {
  startInclusive?: Date;
  endInclusive?: Date;
}
interface NumberFilter {
  lowerInclusive?: number;
  upperInclusive?: number;
}
/** A key (and value, when given) that one of the document's maps holds. A map's value may be a list of values. */
interface MapFilter {
  key: string;
  value?: string;
}
type TagMap = Readonly<Record<string, string | readonly string[]>>;

/** A criterion of a table: its kind of filter, and where its values are in the document. */
export type Field<D> =
  | {
      kind: 'string';
      values: (doc: D) => (string | undefined)[];
      /** Set when the field has one value: tested without a list. */ value?: (doc: D) => string | undefined;
    }
  | {
      kind: 'date';
      value: (doc: D) => Date | undefined;
      /** How the criterion's filters name their bounds, when not as a DateFilter. */ bounds?: (filter: never) => DateFilter;
    }
  | { kind: 'number'; value: (doc: D) => number | undefined }
  | { kind: 'map'; maps: (doc: D) => (TagMap | undefined)[] }
  | { kind: 'port'; value: (doc: D) => { begin: number; end: number } | undefined }
  | { kind: 'package'; packages: (doc: D) => Shapes['VulnerablePackage'][] };

/** A field table: a field for every criterion of the criteria type C. */
export type FieldTable<D, C> = { [K in keyof C]-?: Field<D> };

export type Predicate<D> = (doc: D) => boolean;

/** A string field with one value. */
export const str = <D>(get: (doc: D) => string | undefined): Field<D> => ({ kind: 'string', values: (doc) => [get(doc)], value: get });
/** A string field with a list of values. */
export const strs = <D>(get: (doc: D) => readonly (string | undefined)[] | undefined): Field<D> => ({ kind: 'string', values: (doc) => [...(get(doc) ?? [])] });

/** One criterion of string filters against a document's values (EQUALS/PREFIX OR'ed, NOT_EQUALS AND'ed). */
export function matchString(values: (string | undefined)[], filters: readonly StringFilter[]): boolean {
  const present = values.filter((v): v is string => v !== undefined);
  const positive = filters.filter((f) => f.comparison !== 'NOT_EQUALS');
  const negative = filters.filter((f) => f.comparison === 'NOT_EQUALS');
  if (negative.some((f) => present.includes(f.value))) return false;
  if (positive.length === 0) return true;
  return positive.some((f) => present.some((v) => (f.comparison === 'EQUALS' ? v === f.value : v.startsWith(f.value))));
}

function inRange(value: number | undefined, low: number | undefined, high: number | undefined): boolean {
  return value !== undefined && (low === undefined || value >= low) && (high === undefined || value <= high);
}

function holds(map: TagMap | undefined, filter: MapFilter): boolean {
  if (map === undefined || !Object.hasOwn(map, filter.key)) return false;
  const value = map[filter.key]!;
  return filter.value === undefined || (typeof value === 'string' ? value === filter.value : value.includes(filter.value));
}

function matchField<D>(doc: D, field: Field<D>, filters: unknown[]): boolean {
  switch (field.kind) {
    case 'string':
      return matchString(field.values(doc), filters as StringFilter[]);
    case 'date': {
      const value = field.value(doc)?.getTime();
      const bounds = (field.bounds ?? ((f: DateFilter) => f)) as (filter: unknown) => DateFilter;
      return filters.map(bounds).some((f) => inRange(value, f.startInclusive?.getTime(), f.endInclusive?.getTime()));
    }
    case 'number':
      return (filters as NumberFilter[]).some((f) => inRange(field.value(doc), f.lowerInclusive, f.upperInclusive));
    case 'map':
      return (filters as MapFilter[]).some((f) => field.maps(doc).some((map) => holds(map, f)));
    case 'port': {
      const range = field.value(doc);
      return (filters as Shapes['PortRangeFilter'][]).some(
        (f) => range !== undefined && range.begin >= (f.beginInclusive ?? 0) && range.end <= (f.endInclusive ?? 65535),
      );
    }
    case 'package':
      // Every sub-filter given must hold for one and the same package.
      return (filters as Shapes['PackageFilter'][]).some((f) =>
        field
          .packages(doc)
          .some(
            (p) =>
              (!f.name || matchString([p.name], [f.name])) &&
              (!f.version || matchString([p.version], [f.version])) &&
              (!f.epoch || inRange(p.epoch ?? 0, f.epoch.lowerInclusive, f.epoch.upperInclusive)) &&
              (!f.release || matchString([p.release], [f.release])) &&
              (!f.architecture || matchString([p.arch], [f.architecture])) &&
              (!f.sourceLayerHash || matchString([p.sourceLayerHash], [f.sourceLayerHash])) &&
              (!f.sourceLambdaLayerArn || matchString([p.sourceLambdaLayerArn], [f.sourceLambdaLayerArn])) &&
              (!f.filePath || matchString([p.filePath], [f.filePath])),
          ),
      );
  }
}

/** One criterion's filters as a test; string filters are sorted into sets once, not per document. */
export function compileField<D>(field: Field<D>, filters: unknown[]): Predicate<D> {
  if (field.kind !== 'string') return (doc) => matchField(doc, field, filters);
  const stringFilters = filters as StringFilter[];
  const excluded = new Set(stringFilters.filter((f) => f.comparison === 'NOT_EQUALS').map((f) => f.value));
  const equal = new Set(stringFilters.filter((f) => f.comparison === 'EQUALS').map((f) => f.value));
  const prefixes = stringFilters.filter((f) => f.comparison === 'PREFIX').map((f) => f.value);
  const anyPositive = equal.size > 0 || prefixes.length > 0;
  const single = field.value;
  if (single) {
    return (doc) => {
      const value = single(doc);
      if (value === undefined) return !anyPositive;
      if (excluded.has(value)) return false;
      return !anyPositive || equal.has(value) || prefixes.some((p) => value.startsWith(p));
    };
  }
  return (doc) => {
    let matched = !anyPositive;
    for (const value of field.values(doc)) {
      if (value === undefined) continue;
      if (excluded.has(value)) return false;
      if (!matched && (equal.has(value) || prefixes.some((p) => value.startsWith(p)))) matched = true;
    }
    return matched;
  };
}

/** The criteria given (a list of filters each) that the table knows, with their fields. */
export function givenCriteria<D, C extends object>(table: FieldTable<D, C>, criteria: C | undefined): { field: Field<D>; filters: unknown[] }[] {
  return Object.entries(criteria ?? {})
    .filter(([name, filters]) => Object.hasOwn(table, name) && Array.isArray(filters) && filters.length > 0)
    .map(([name, filters]) => ({ field: table[name as keyof C], filters: filters as unknown[] }));
}

/** A table's criteria compiled into one test, to run over many documents. */
export function criteriaFilter<D, C extends object>(table: FieldTable<D, C>): (criteria: C | undefined) => Predicate<D> {
  return (criteria) => {
    const checks = givenCriteria(table, criteria).map(({ field, filters }) => compileField(field, filters));
    return checks.length === 0 ? () => true : (doc) => checks.every((check) => check(doc));
  };
}

/** A sort table: for each sort a list offers, the parts of a document's key (the sort's values, then what makes it unique). */
export type SortTable<D, S extends string> = { [K in S]: (doc: D) => (KeyPart | Descending)[] };

/** A list's order: its name (a page token is good for one order only) and a document's key in it. */
export interface ListOrder<D> {
  name: string;
  /** The document's key as one string whose string order is the list's order (paging.ts). */
  keyOf: (doc: D) => string;
}

/** A sort of the table, in a direction. */
export function listOrder<D, S extends string>(table: SortTable<D, S>, sortBy: S, order: SortOrder = 'ASC'): ListOrder<D> {
  const parts = table[sortBy];
  return { name: `${sortBy} ${order}`, keyOf: (doc) => orderKey(parts(doc), order) };
}

/**
 * The account-regions whose documents (findings, coverage) the caller sees: its own, and a
 * delegated administrator's associated members' too.
 */
export function visibleAccountRegions(world: World, accountId: string, region: string): AccountRegion[] {
  const own = world.accountRegion(accountId, region);
  const standing = standingOf(world, accountId, region);
  if (!standing.isDelegatedAdmin) return [own];
  const members = [...standing.inspectorOrganization!.members.values()]
    .filter((m) => standing.inspectorOrganization!.isAssociated(m.accountId))
    .map((m) => world.accountRegion(m.accountId, region));
  return [own, ...members];
}
