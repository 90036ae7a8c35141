// The world as one JSON document, and back: what persistence writes after changes and what
// the control plane exports and imports as a snapshot. What the document holds comes from
// the declarations of state (platform/state.ts): each scope's declared fields, plus the
// platform's own parts — the clock's setting, the catalog, what is scheduled (tasks are
// data) and the events log. Reading one checks everything against the declarations'
// schemas into a new state first and swaps it in only when all of it is good: a document
// that is not the world's state changes nothing. What is configuration (options, the
// object store, listeners) is not state.
import { z } from 'zod';
import { vulnerabilitySchema, type Vulnerability } from '../scanning/catalog.js';
import type { InspectorEvent, SavedEventLog } from './events.js';
import { type SavedState, StateError, WorldState } from './state.js';
import { savedTaskSchema, type WorldTask } from './tasks.js';
import type { ScheduledTask } from './scheduler.js';
import type { World } from '../world.js';

export const SNAPSHOT_FORMAT = 'inspector2-local/world-snapshot';
export const SNAPSHOT_VERSION = 2;

export interface WorldSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** Wall-clock time of the snapshot (not the virtual clock's). */
  savedAt: string;
  clock: { manual: boolean; base: number };
  catalog: Vulnerability[];
  scheduler: { seq: number; queue: ScheduledTask<WorldTask>[] };
  /** The events log and its id counter (a snapshot of an earlier version holds the events alone). */
  events: SavedEventLog | InspectorEvent[];
  /** Every declared piece of state, by scope. */
  state: SavedState;
}

export function takeSnapshot(world: World, withState = true): WorldSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    savedAt: new Date().toISOString(),
    clock: world.clock.save(),
    catalog: world.catalog.all(),
    scheduler: world.scheduler.save(),
    events: world.events.save(),
    state: withState ? world.state.save() : { global: {}, accounts: {}, accountRegions: {} },
  };
}

/** The latest moment a clock may show (the last millisecond of year 9999, as JavaScript dates go). */
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The events log's events as saved. */
const savedEvents = z
  .array(
    z.looseObject({
      version: z.literal('0'),
      id: z.string().max(128),
      'detail-type': z.enum(['Inspector2 Finding', 'Inspector2 Scan', 'Inspector2 Coverage', 'Inspector2 AutoEnable']),
      source: z.literal('aws.inspector2'),
      account: z.string().regex(/^\d{12}$/),
      time: z.string().max(64),
      region: z.string().max(64),
      resources: z.array(z.string().max(2048)),
      detail: z.record(z.string(), z.unknown()),
    }),
  )
  .max(100_000);

const platformSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  savedAt: z.string().max(64),
  clock: z.strictObject({ manual: z.boolean(), base: z.number().finite().min(-LATEST).max(LATEST) }),
  catalog: z.array(vulnerabilitySchema).max(100_000),
  scheduler: z.strictObject({
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    queue: z.array(z.strictObject({ at: z.number().finite(), seq: z.number().int().min(0), task: savedTaskSchema })).max(1_000_000),
  }),
  // The log and its id counter; a snapshot of an earlier version holds the events alone.
  events: z.union([savedEvents, z.strictObject({ sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), events: savedEvents })]),
  state: z.unknown(),
});

/**
 * Replaces the world's state by a snapshot's (configuration and listeners stay). Every part
 * is checked first, into a new state; on the first problem it throws a SnapshotError that
 * names where, and the world is as it was.
 */
export function restoreSnapshot(world: World, snapshot: unknown): void {
  const checked = platformSchema.safeParse(snapshot);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new SnapshotError(`not a world snapshot: ${issue.path.map((p) => String(p).slice(0, 64)).join('.')}: ${issue.message.slice(0, 200)}`);
  }
  const document = checked.data;
  const clockAt = document.clock.manual ? document.clock.base : Date.now() + document.clock.base;
  if (clockAt < 0 || clockAt > LATEST) throw new SnapshotError('not a world snapshot: clock: outside the years 1970 to 9999');
  let state: WorldState;
  try {
    state = WorldState.load(document.state, () => new Date(clockAt));
  } catch (error) {
    if (error instanceof StateError) throw new SnapshotError(`not a world snapshot: ${error.message}`);
    throw error;
  }
  // Everything is good: swap it in.
  world.state = state;
  world.clock.restore(document.clock);
  for (const vulnerability of document.catalog) world.catalog.add(vulnerability);
  world.events.restore(document.events);
  world.scheduler.restore(document.scheduler);
  world.changed();
}

/**
 * The snapshot without the account-regions' state: persistence keeps each account-region's
 * values in parts of their own (`WorldState.accountRegionParts`) and puts them back in
 * `state.accountRegions` before `restoreSnapshot`.
 */
export function takeSnapshotWithoutAccountRegions(world: World): WorldSnapshot {
  return { ...takeSnapshot(world, false), state: world.state.saveWithoutAccountRegions() };
}

export function encodeSnapshot(snapshot: WorldSnapshot): string {
  return encodeDocument(snapshot);
}

/**
 * Any document made of the world's values as text: Maps, Sets and Dates tagged, frozen parts
 * and long strings written once, objects as a shape number and their values.
 */
export function encodeDocument(snapshot: object): string {
  const shared = new Map<unknown, number>();
  const once = (raw: unknown, write: () => unknown): unknown => {
    const id = shared.get(raw);
    if (id !== undefined) return { $ref: id };
    shared.set(raw, shared.size);
    return { $id: shared.size - 1, $v: write() };
  };
  const plain = (raw: unknown): unknown => {
    if (typeof raw === 'string') return raw.length >= LONG_STRING ? once(raw, () => raw) : raw;
    if (raw === null || typeof raw !== 'object') return raw;
    if (raw instanceof Date) return { $date: raw.getTime() };
    if (Object.isFrozen(raw)) return once(raw, () => members(raw));
    return members(raw);
  };
  const members = (raw: object): unknown => {
    if (Array.isArray(raw)) {
      const items = raw.map(plain);
      // A list that would read as an object (below) is tagged instead.
      return items[0] === OBJECT ? { $a: items } : items;
    }
    if (raw instanceof Map) return { $map: [...raw].map(([k, v]) => [plain(k), plain(v)]) };
    if (raw instanceof Set) return { $set: [...raw].map(plain) };
    // An object: a list of its shape (its keys, once in `shapes`) and its values. A member
    // that is a date is a number, its key marked as a date's: no object per date in the file.
    const keys: string[] = [];
    const object: unknown[] = [OBJECT, 0];
    for (const key in raw) {
      const value = (raw as Record<string, unknown>)[key];
      if (value === undefined || typeof value === 'function') continue;
      if (value instanceof Date && !Number.isNaN(value.getTime())) {
        keys.push(DATE_KEY + key);
        object.push(value.getTime());
      } else {
        keys.push(key);
        object.push(plain(value));
      }
    }
    const signature = keys.join('\u0000');
    let shape = shapeIds.get(signature);
    if (shape === undefined) {
      shape = shapes.length;
      shapeIds.set(signature, shape);
      shapes.push(keys);
    }
    object[1] = shape;
    return object;
  };
  const shapeIds = new Map<string, number>();
  const shapes: string[][] = [];
  // The header stays as it is, so that a reader can tell what the document is before reviving it.
  const document: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot)) document[key] = plain(value);
  document.shapes = shapes;
  return JSON.stringify(document);
}

/** The first item of a list that is an object: [OBJECT, shape, ...values]. */
const OBJECT = '\u0001o';
/** The mark of a shape's key whose value is a date, written as epoch milliseconds. */
const DATE_KEY = '\u0001d';

/** Strings at least this long are written once (descriptions); shorter ones (ids, ARNs) are mostly unique. */
const LONG_STRING = 128;

export class SnapshotError extends Error {}

/** How deep a snapshot's values may nest (the world's own are a dozen levels deep). */
const MAX_DEPTH = 256;

/**
 * Parses a snapshot written by `encodeSnapshot`; a document that is not one is refused with
 * the reason. The text may come from anyone: shape and part numbers must be in range, no
 * key may name a prototype, and nesting is bounded. What the values are is checked after,
 * against the declarations (`restoreSnapshot`).
 */
export function decodeSnapshot(text: string): WorldSnapshot {
  return decodeDocument(text, SNAPSHOT_FORMAT, SNAPSHOT_VERSION) as unknown as WorldSnapshot;
}

/** Parses a document written by `encodeDocument` whose header names `format` and `version`, with the checks above. */
export function decodeDocument(text: string, format: string, version: number): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`not a world snapshot: ${(error as Error).message.slice(0, 200)}`);
  }
  const header = parsed as { format?: unknown; version?: unknown } | null;
  if (typeof header !== 'object' || header === null || header.format !== format) {
    throw new SnapshotError(`not a world snapshot: "format" must be "${format}"`);
  }
  if (header.version !== version) {
    throw new SnapshotError(`snapshot version ${String(header.version).slice(0, 32)} is not supported (this emulator reads version ${version})`);
  }
  const shared = new Map<number, unknown>();
  const shapes = (parsed as { shapes?: unknown }).shapes;
  if (!Array.isArray(shapes)) throw new SnapshotError('not a world snapshot: "shapes" is missing');
  // One builder per shape: an object literal of that shape, so that all objects of a shape
  // share a hidden class (building them key by key is several times slower). The keys are
  // written as JSON string literals, which are JavaScript string literals too — but a
  // literal's "__proto__" would set the prototype, so no key may be that.
  const builders = shapes.map((keys: unknown) => {
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && k.length <= 256)) {
      throw new SnapshotError('not a world snapshot: a shape is not a list of keys');
    }
    if (keys.some((k) => k === '__proto__' || k === DATE_KEY + '__proto__')) throw new SnapshotError('not a world snapshot: a key names a prototype');
    // Primitives (most values) are taken as they are, without a call.
    const members = (keys as string[])
      .map((key, i) =>
        key.startsWith(DATE_KEY)
          ? `${JSON.stringify(key.slice(DATE_KEY.length))}: date(values[${i + 2}])`
          : `${JSON.stringify(key)}: typeof (v = values[${i + 2}]) === 'object' && v !== null ? revive(v, depth) : v`,
      )
      .join(', ');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built from JSON string literals only (keys checked above): see the comment on builders
    return new Function('values', 'revive', 'depth', 'date', `let v; return { ${members} };`) as (
      values: unknown[],
      revive: (value: unknown, depth: number) => unknown,
      depth: number,
      date: (time: unknown) => Date,
    ) => Record<string, unknown>;
  });
  // A moment is one Date however many members name it (a scan dates all its findings alike):
  // fewer objects to build and collect. The world never changes a Date in place.
  const dates = new Map<unknown, Date>();
  const date = (time: unknown): Date => {
    let found = dates.get(time);
    if (!found) dates.set(time, (found = new Date(time as number)));
    return found;
  };
  const index = (value: unknown, what: string): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SnapshotError(`${what} is not a whole number`);
    return value;
  };
  const list = (value: unknown, what: string): unknown[] => {
    if (!Array.isArray(value)) throw new SnapshotError(`${what} is not a list`);
    return value;
  };
  // Depth first, in document order: a shared part is revived before any reference to it.
  const revive = (value: unknown, outer: number): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const depth = outer + 1;
    if (depth > MAX_DEPTH) throw new SnapshotError(`values nest deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      if (value[0] === OBJECT) {
        const shape = index(value[1], 'a shape number');
        const build = builders[shape];
        if (!build || value.length !== (shapes[shape] as string[]).length + 2) throw new SnapshotError(`an object of unknown shape ${shape}`);
        return build(value, revive, depth, date);
      }
      for (let i = 0; i < value.length; i++) value[i] = revive(value[i], depth);
      return value;
    }
    const tagged = value as Record<string, unknown>;
    if (Object.hasOwn(tagged, '$a')) {
      const items = list(tagged.$a, '$a');
      for (let i = 0; i < items.length; i++) items[i] = revive(items[i], depth);
      return items;
    }
    if (Object.hasOwn(tagged, '$id')) {
      const id = index(tagged.$id, 'a shared part number');
      const part = revive(tagged.$v, depth);
      const kept = typeof part === 'object' && part !== null ? Object.freeze(part) : part;
      shared.set(id, kept);
      return kept;
    }
    if (Object.hasOwn(tagged, '$ref')) {
      const id = index(tagged.$ref, 'a shared part number');
      if (!shared.has(id)) throw new SnapshotError(`reference to unknown shared part ${id}`);
      return shared.get(id);
    }
    if (Object.hasOwn(tagged, '$date')) {
      if (typeof tagged.$date !== 'number') throw new SnapshotError('a date is not a number');
      return new Date(tagged.$date);
    }
    if (Object.hasOwn(tagged, '$map')) {
      const entries = list(revive(tagged.$map, depth), '$map');
      if (!entries.every((entry) => Array.isArray(entry) && entry.length === 2)) throw new SnapshotError('a map entry is not a [key, value] pair');
      return new Map(entries as [unknown, unknown][]);
    }
    if (Object.hasOwn(tagged, '$set')) return new Set(list(revive(tagged.$set, depth), '$set'));
    for (const key of Object.keys(tagged)) {
      if (key === '__proto__') throw new SnapshotError('a key names a prototype');
      tagged[key] = revive(tagged[key], depth);
    }
    return tagged;
  };
  try {
    parsed = revive(parsed, 0);
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(`not a world snapshot: ${error.message}`);
    throw error;
  }
  delete (parsed as { shapes?: unknown }).shapes;
  return parsed as Record<string, unknown>;
}
