// The snapshot codec: what it writes reads back equal — Maps, Sets, Dates — and parts shared
// by identity stay shared; a hostile document is refused.
import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type WorldSnapshot } from '../../src/world/platform/snapshot.js';

function snapshotOf(state: unknown): WorldSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    savedAt: '2026-11-29T00:00:00.000Z',
    clock: { manual: true, base: 0 },
    catalog: [],
    scheduler: { seq: 0, queue: [] },
    events: [],
    state: state as WorldSnapshot['state'],
  };
}

describe('snapshot codec', () => {
  it('reads back what it wrote, sharing included', () => {
    const shared = Object.freeze({ text: 'x'.repeat(200), list: Object.freeze([1, 2]) });
    const state = {
      map: new Map<string, unknown>([['a', { at: new Date(1_000), tags: new Set(['x', 'y']) }]]),
      first: shared,
      second: shared,
      optional: { kept: 1, dropped: undefined, nested: { empty: [] } },
      long: 'y'.repeat(300),
      again: 'y'.repeat(300),
      // A list whose first item looks like the mark of an object stays a list.
      lookalike: ['\u0001o', 1, 2],
    };
    const text = encodeSnapshot(snapshotOf(state));
    const read = decodeSnapshot(text).state as unknown as typeof state;

    expect(read.map.get('a')).toEqual({ at: new Date(1_000), tags: new Set(['x', 'y']) });
    expect(read.first).toEqual(shared);
    expect(read.second).toBe(read.first);
    expect(Object.isFrozen(read.first)).toBe(true);
    expect(read.optional).toEqual({ kept: 1, nested: { empty: [] } });
    expect(read.again).toBe(read.long);
    expect(read.lookalike).toEqual(['\u0001o', 1, 2]);
    // The long string and the shared part are written once.
    expect(text.split('y'.repeat(300)).length).toBe(2);
    expect(text.split('x'.repeat(200)).length).toBe(2);
  });

  it('refuses a reference to a part it has not seen, and an object of an unknown shape', () => {
    const header = `"format":"${SNAPSHOT_FORMAT}","version":${SNAPSHOT_VERSION}`;
    expect(() => decodeSnapshot(`{${header},"state":{"$ref":3},"shapes":[]}`)).toThrow('unknown shared part 3');
    expect(() => decodeSnapshot(`{${header},"state":["\\u0001o",7,1],"shapes":[]}`)).toThrow('unknown shape 7');
  });

  it('refuses keys and numbers that would reach a prototype, and values nested without bound', () => {
    const header = `"format":"${SNAPSHOT_FORMAT}","version":${SNAPSHOT_VERSION}`;
    expect(() => decodeSnapshot(`{${header},"state":["\\u0001o",0,1],"shapes":[["__proto__"]]}`)).toThrow('names a prototype');
    expect(() => decodeSnapshot(`{${header},"state":{"__proto__":{"polluted":1}},"shapes":[]}`)).toThrow('names a prototype');
    expect(() => decodeSnapshot(`{${header},"state":["\\u0001o","constructor",1],"shapes":[]}`)).toThrow('not a whole number');
    expect(() => decodeSnapshot(`{${header},"state":{"$id":"__proto__","$v":{}},"shapes":[]}`)).toThrow('not a whole number');
    expect(() => decodeSnapshot(`{${header},"state":{"$map":[1]},"shapes":[]}`)).toThrow('[key, value] pair');
    expect(() => decodeSnapshot(`{${header},"state":${'['.repeat(1000)}${']'.repeat(1000)},"shapes":[]}`)).toThrow('deeper than');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
