// The world as one JSON document, and back: what persistence writes after changes and what
// the control plane exports and imports as a snapshot. The world's state is plain data —
// Maps, Sets, Dates, arrays, objects — plus a few small classes whose fields are plain data
// too; JSON cannot say Map, Set or Date, so they are tagged (`{"$map": [...]}`). Pending
// transitions are data (see tasks.ts), so they are saved with the rest and resume after a
// restart. What is configuration (options, the object store, listeners) is not state.
import { Enablement } from './enablement.js';
import type { InspectorEvent } from './events.js';
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
    events: world.events.list(),
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

/** The snapshot as JSON text, Maps, Sets, Dates and the world's classes tagged. */
export function encodeSnapshot(snapshot: WorldSnapshot): string {
  return JSON.stringify(snapshot, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.getTime() };
    if (raw instanceof Map) return { $map: [...raw] };
    if (raw instanceof Set) return { $set: [...raw] };
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const name = raw.constructor?.name;
      if (name && name in CLASSES && Object.getPrototypeOf(raw) === CLASSES[name]!.prototype) return { $class: name, fields: { ...raw } };
    }
    return value;
  });
}

export class SnapshotError extends Error {}

/** Parses a snapshot written by `encodeSnapshot`; a document that is not one is refused with the reason. */
export function decodeSnapshot(text: string): WorldSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const tagged = value as Record<string, unknown>;
      if ('$date' in tagged) return new Date(tagged.$date as number);
      if ('$map' in tagged) return new Map(tagged.$map as [unknown, unknown][]);
      if ('$set' in tagged) return new Set(tagged.$set as unknown[]);
      if ('$class' in tagged) {
        const type = CLASSES[tagged.$class as string];
        if (!type) throw new SnapshotError(`unknown class ${String(tagged.$class)}`);
        return Object.assign(Object.create(type.prototype) as object, tagged.fields);
      }
      return value;
    });
  } catch (error) {
    throw new SnapshotError(`not a world snapshot: ${(error as Error).message}`);
  }
  const snapshot = parsed as Partial<WorldSnapshot> | null;
  if (snapshot?.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a world snapshot: "format" must be "${SNAPSHOT_FORMAT}"`);
  if (snapshot.version !== SNAPSHOT_VERSION) throw new SnapshotError(`snapshot version ${String(snapshot.version)} is not supported (this emulator reads version ${SNAPSHOT_VERSION})`);
  return snapshot as WorldSnapshot;
}
