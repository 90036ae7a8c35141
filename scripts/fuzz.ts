// `npm run fuzz [-- REQUESTS [SEED]]`: a long fuzz run (default 20,000 requests).
import { fuzz } from '../test/fuzz/fuzz.js';

const requests = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const started = performance.now();
const result = await fuzz(requests, seed);
console.log(
  `fuzz: ${result.requests} requests (seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s, by status ${JSON.stringify(result.byStatus)}`,
);
for (const problem of result.problems.slice(0, 50)) console.log(`problem: ${problem}`);
console.log(`${result.problems.length} problems`);
process.exit(result.problems.length ? 1 : 0);
