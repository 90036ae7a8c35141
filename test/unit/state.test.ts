// The declared state: one declaration, in one file, is all a new piece of per-account state
// needs — a new account-region has it, an account reset forgets it, a snapshot carries it
// and a snapshot that holds a bad value of it is refused. This file plays the part of a
// new feature's module.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { declaredState, declareState, StateError, WorldState } from '../../src/world/platform/state.js';

declare module '../../src/world/platform/state.js' {
  interface AccountRegionState {
    // Optional: the rest of the program type-checks with these fields, but only this test declares them.
    testNotes?: Map<string, { text: string; at: Date }>;
  }
  interface AccountState {
    testBadges?: string[];
  }
}

declareState('account-region', 'testNotes', {
  empty: () => new Map(),
  schema: z.map(z.string().max(64), z.strictObject({ text: z.string().max(100), at: z.date() })),
});
declareState('account', 'testBadges', { empty: () => [], schema: z.array(z.string().max(32)).max(10) });

const now = () => new Date(Date.UTC(2026, 0, 1));

describe('declared state', () => {
  it('gives every new account-region and account the declared fields, empty', () => {
    const state = new WorldState(now);
    expect(declaredState('account-region')).toContain('testNotes');
    expect(state.accountRegion('111122223333', 'eu-west-1').testNotes).toEqual(new Map());
    expect(state.account('111122223333').testBadges).toEqual([]);
  });

  it('forgets one account in every scope, and leaves the others', () => {
    const state = new WorldState(now);
    state.accountRegion('111122223333', 'eu-west-1').testNotes!.set('a', { text: 'x', at: now() });
    state.accountRegion('111122223333', 'us-east-1').testNotes!.set('b', { text: 'y', at: now() });
    state.accountRegion('444455556666', 'eu-west-1').testNotes!.set('c', { text: 'z', at: now() });
    state.account('111122223333').testBadges!.push('gold');
    state.forgetAccount('111122223333');
    expect(state.existingAccountRegion('111122223333', 'eu-west-1')).toBeUndefined();
    expect(state.existingAccountRegion('111122223333', 'us-east-1')).toBeUndefined();
    expect(state.existingAccount('111122223333')).toBeUndefined();
    expect([...state.accountRegion('444455556666', 'eu-west-1').testNotes!.keys()]).toEqual(['c']);
  });

  it('saves and loads it, and refuses a bad value of it or a field nobody declared', () => {
    const state = new WorldState(now);
    state.accountRegion('111122223333', 'eu-west-1').testNotes!.set('a', { text: 'kept', at: now() });
    state.account('111122223333').testBadges!.push('gold');
    const loaded = WorldState.load(state.save(), now);
    expect(loaded.accountRegion('111122223333', 'eu-west-1').testNotes!.get('a')).toEqual({ text: 'kept', at: now() });
    expect(loaded.account('111122223333').testBadges).toEqual(['gold']);

    const saved = state.save();
    saved.accountRegions['111122223333/eu-west-1']!.testNotes = new Map([['a', { text: 7 }]]);
    expect(() => WorldState.load(saved, now)).toThrow(StateError);
    expect(() => WorldState.load(saved, now)).toThrow(/accountRegions\.111122223333\/eu-west-1\.testNotes/);

    const unknown = state.save();
    unknown.accounts['111122223333']!.settle = 0;
    expect(() => WorldState.load(unknown, now)).toThrow('no such state');
  });
});
