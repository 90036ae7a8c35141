// A bounded fuzz run in the test suite (`npm run fuzz` runs a long one).
import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz.js';

describe('fuzzing from the model', () => {
  it('answers 2,250 invalid and edge-case requests over all 75 operations without a 5xx, with modeled errors', async () => {
    const result = await fuzz(2250, 20261128);
    console.log(`fuzz: ${result.requests} requests, by status ${JSON.stringify(result.byStatus)}`);
    expect(result.problems).toEqual([]);
    // The run is not all bad input answered the same way: successes and several error statuses appear.
    expect(Object.keys(result.byStatus).length).toBeGreaterThan(3);
  }, 120_000);
});
