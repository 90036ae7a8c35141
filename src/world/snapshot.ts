// The world as one JSON document, and back: what persistence writes after changes and what
// the control plane exports and imports as a snapshot. The world's state is plain data —
// Maps, Sets, Dates, arrays, objects — plus a few small classes whose fields are plain data
// too; JSON cannot say Map, Set or Date, so they are tagged (`{"$map": [...]}`). Pending
// transitions are data (see tasks.ts), so they are saved with the rest and resume after a
// restart. What is configuration (options, the object store, listeners) is not state.
import { Enablement } from './enablement.js';
import type { Finding } from './documents.js';
import type { InspectorEvent } from './events.js';
import { FindingMap } from './finding-map.js';
import { Iam } from './iam.js';
import { InspectorOrganization, Organization } from './organizations.js';
import type { ScheduledTask } from './scheduler.js';
import type { WorldTask } from './tasks.js';
import { UsageLedger } from './usage.js';
import type { Vulnerability } from './catalog.js';
import type { World } from './world.js';

export const SNAPSHOT_FORMAT = 'inspector2-local/world-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface WorldSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** Wall-clock time of the snapshot (not the virtual clock's). */
  savedAt: string;
  clock: { manual: boolean; base: number };
  catalog: Vulnerability[];
  scheduler: { seq: number; queue: ScheduledTask<WorldTask>[] };
  events: InspectorEvent[];
  /** Every other field of the world, by name. */
  state: Record<string, unknown>;
}

/** The world's fields that are not saved as state: configuration, or saved on their own above. */
const NOT_STATE = new Set(['options', 'objectStore', 'catalog', 'clock', 'events', 'scheduler', 'revision', 'onChange']);

/** Classes whose instances appear in the state; their fields are restored onto their prototype. */
const CLASSES: Record<string, { prototype: object }> = { Enablement, Iam, InspectorOrganization, Organization, UsageLedger };

export function takeSnapshot(world: World): WorldSnapshot {
  const state: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(world)) {
    if (!NOT_STATE.has(name) && typeof value !== 'function') state[name] = value;
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    savedAt: new Date().toISOString(),
    clock: world.clock.save(),
    catalog: world.catalog.all(),
    scheduler: world.scheduler.save(),
    events: world.events.save(),
    state,
  };
}

/** Replaces the world's state by a snapshot's (configuration and listeners stay). */
export function restoreSnapshot(world: World, snapshot: WorldSnapshot): void {
  world.clock.restore(snapshot.clock);
  for (const vulnerability of snapshot.catalog) world.catalog.add(vulnerability);
  world.events.restore(snapshot.events);
  const target = world as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(snapshot.state)) {
    if (NOT_STATE.has(name) || !(name in target)) continue;
    target[name] = value;
  }
  // An Inspector organization refers to its organization: the one restored, not a copy.
  for (const regional of world.allInspectorOrganizations()) {
    const copy = regional.organization;
    Object.assign(regional, { organization: world.organizations.get(copy.id) ?? copy });
  }
  world.scheduler.restore(snapshot.scheduler);
}

/**
 * The snapshot as JSON text, Maps, Sets, Dates and the world's classes tagged. A frozen
 * object or array is a part shared by many documents (the findings of one vulnerability
 * share its details), and a long string is mostly a description many findings repeat:
 * each is written once, `{"$id": n, "$v": ...}`, then as `{"$ref": n}`, so that the file
 * of a large world stays small and the sharing survives a restart. An object is a list,
 * `["\u0001o", shape, ...values]`, its keys once per shape in the document's `shapes`: a
 * large world is mostly objects of a few shapes, and fewer objects to parse and collect
 * make the start-up faster. The tree is converted by hand rather than by JSON.stringify's
 * replacer, which is several times slower.
 */
export function encodeSnapshot(snapshot: WorldSnapshot): string {
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
    // A map of findings: the documents (each its own, so not wrapped as shared); the map rebuilds its index.
    if (raw instanceof FindingMap) return { $findings: [...raw.values()].map(members) };
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
    const name = raw.constructor?.name;
    if (name && name in CLASSES && Object.getPrototypeOf(raw) === CLASSES[name]!.prototype) return { $class: name, fields: object };
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

/** Parses a snapshot written by `encodeSnapshot`; a document that is not one is refused with the reason. */
export function decodeSnapshot(text: string): WorldSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`not a world snapshot: ${(error as Error).message}`);
  }
  const header = parsed as Partial<WorldSnapshot> | null;
  if (header?.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a world snapshot: "format" must be "${SNAPSHOT_FORMAT}"`);
  if (header.version !== SNAPSHOT_VERSION) throw new SnapshotError(`snapshot version ${String(header.version)} is not supported (this emulator reads version ${SNAPSHOT_VERSION})`);
  const shared: unknown[] = [];
  const shapes = (parsed as { shapes?: unknown }).shapes;
  if (!Array.isArray(shapes)) throw new SnapshotError('not a world snapshot: "shapes" is missing');
  // One builder per shape: an object literal of that shape, so that all objects of a shape
  // share a hidden class (building them key by key is several times slower). The keys are
  // written as JSON string literals, which are JavaScript string literals too.
  const builders = shapes.map((keys: unknown) => {
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new SnapshotError('not a world snapshot: a shape is not a list of keys');
    // Primitives (most values) are taken as they are, without a call.
    const members = keys
      .map((key, i) =>
        key.startsWith(DATE_KEY)
          ? `${JSON.stringify(key.slice(DATE_KEY.length))}: new Date(values[${i + 2}])`
          : `${JSON.stringify(key)}: typeof (v = values[${i + 2}]) === 'object' && v !== null ? revive(v) : v`,
      )
      .join(', ');
    return new Function('values', 'revive', `let v; return { ${members} };`) as (values: unknown[], revive: (value: unknown) => unknown) => Record<string, unknown>;
  });
  // Depth first, in document order: a shared part is revived before any reference to it.
  const revive = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      if (value[0] === OBJECT) {
        const build = builders[value[1] as number];
        if (!build || value.length !== (shapes[value[1] as number] as string[]).length + 2) {
          throw new SnapshotError(`an object of unknown shape ${String(value[1])}`);
        }
        return build(value, revive);
      }
      for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
      return value;
    }
    const tagged = value as Record<string, unknown>;
    if ('$a' in tagged) {
      const items = tagged.$a as unknown[];
      for (let i = 0; i < items.length; i++) items[i] = revive(items[i]);
      return items;
    }
    if ('$id' in tagged) {
      const part = revive(tagged.$v);
      return (shared[tagged.$id as number] = typeof part === 'object' && part !== null ? Object.freeze(part) : part);
    }
    if ('$ref' in tagged) {
      if (!((tagged.$ref as number) in shared)) throw new SnapshotError(`reference to unknown shared part ${String(tagged.$ref)}`);
      return shared[tagged.$ref as number];
    }
    if ('$date' in tagged) return new Date(tagged.$date as number);
    if ('$findings' in tagged) {
      const findings = new FindingMap();
      for (const finding of revive(tagged.$findings) as Finding[]) findings.set(finding.findingArn, finding);
      return findings;
    }
    if ('$map' in tagged) return new Map(revive(tagged.$map) as [unknown, unknown][]);
    if ('$set' in tagged) return new Set(revive(tagged.$set) as unknown[]);
    if ('$class' in tagged) {
      const type = CLASSES[tagged.$class as string];
      if (!type) throw new SnapshotError(`unknown class ${String(tagged.$class)}`);
      return Object.assign(Object.create(type.prototype) as object, revive(tagged.fields));
    }
    for (const key in tagged) tagged[key] = revive(tagged[key]);
    return tagged;
  };
  try {
    parsed = revive(parsed);
  } catch (error) {
    if (error instanceof SnapshotError) throw new SnapshotError(`not a world snapshot: ${error.message}`);
    throw error;
  }
  delete (parsed as { shapes?: unknown }).shapes;
  return parsed as WorldSnapshot;
}
