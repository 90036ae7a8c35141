// The CIS benchmark checks that CIS scans run (seeds/cis-checks.json): for each benchmark,
// the instance platforms it applies to and its recommendations (id, title, profile level,
// whether it can be evaluated automatically). An instance whose platform no benchmark
// covers is UNSUPPORTED_OS. Outcomes are simulated: each instance passes, fails or skips
// each check deterministically (a hash of the instance and the check), with a plausible
// pass rate; manual recommendations are always SKIPPED, as a scanner cannot decide them.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readCheckedJson } from '../platform/checked-json.js';

const DEFAULT_CIS_CHECKS_FILE = new URL('../../../seeds/cis-checks.json', import.meta.url);

const checkSchema = z
  .object({
    id: z.string().regex(/^\d+(\.\d+)*$/, 'must be a recommendation number such as 1.1.1.1'),
    title: z.string().min(1),
    level: z.union([z.literal(1), z.literal(2)]),
    automated: z.boolean(),
    remediation: z.string().min(1),
  })
  .strict();

const benchmarkSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    version: z.string().min(1).max(8),
    profile: z.string().min(1),
    platforms: z.array(z.string().regex(/^[A-Z0-9_]+$/)).min(1),
    computePlatform: z.object({ vendor: z.string().max(16), product: z.string().max(32), version: z.string().max(8) }).strict(),
    checks: z.array(checkSchema).min(1),
  })
  .strict()
  .refine((b) => new Set(b.checks.map((c) => c.id)).size === b.checks.length, { message: 'check ids must be unique within a benchmark' });

const catalogSchema = z
  .object({
    _source: z.string().min(1),
    benchmarks: z.array(benchmarkSchema).min(1),
  })
  .strict();

export type CisCheck = z.output<typeof checkSchema>;
export type CisBenchmark = z.output<typeof benchmarkSchema>;
export type CisFindingStatus = 'PASSED' | 'FAILED' | 'SKIPPED';

class CisCatalogError extends Error {
  override readonly name = 'CisCatalogError';
}

let loaded: CisBenchmark[] | undefined;

/** The benchmarks of the seed file, read once (they are the service's, not the world's state). */
function cisBenchmarks(): CisBenchmark[] {
  loaded ??= readCheckedJson(DEFAULT_CIS_CHECKS_FILE, catalogSchema, (message) => new CisCatalogError(message)).benchmarks;
  return loaded;
}

export function benchmarkById(id: string): CisBenchmark | undefined {
  return cisBenchmarks().find((b) => b.id === id);
}

/** The benchmark that applies to an instance's platform (UBUNTU_22_04 ...), if any. */
export function benchmarkForPlatform(platform: string): CisBenchmark | undefined {
  return cisBenchmarks().find((b) => b.platforms.includes(platform));
}

/** The checks a scan at a security level runs: LEVEL_1 the level 1 recommendations, LEVEL_2 all of them. */
export function checksAtLevel(benchmark: CisBenchmark, securityLevel: 'LEVEL_1' | 'LEVEL_2'): CisCheck[] {
  return benchmark.checks.filter((c) => securityLevel === 'LEVEL_2' || c.level === 1);
}

export function levelOf(check: CisCheck): 'LEVEL_1' | 'LEVEL_2' {
  return check.level === 1 ? 'LEVEL_1' : 'LEVEL_2';
}

/** Of the automated checks, about 62% pass and 30% fail; the rest cannot be evaluated on that instance. */
const PASS_RATE = 0.62;
const FAIL_RATE = 0.3;

/** The simulated outcome of a check on an instance: the same every time for the same instance and check. */
export function simulatedOutcome(instanceId: string, benchmark: CisBenchmark, check: CisCheck): { status: CisFindingStatus; statusReason: string } {
  if (!check.automated) {
    return { status: 'SKIPPED', statusReason: 'This recommendation is assessed manually; the scan does not evaluate it.' };
  }
  const draw = createHash('sha256').update(`${instanceId}|${benchmark.id}|${check.id}`).digest().readUInt32BE(0) / 2 ** 32;
  if (draw < PASS_RATE) return { status: 'PASSED', statusReason: 'The system configuration meets the recommendation.' };
  if (draw < PASS_RATE + FAIL_RATE) return { status: 'FAILED', statusReason: 'The system configuration does not meet the recommendation.' };
  return { status: 'SKIPPED', statusReason: 'The check does not apply to this system configuration.' };
}

/** What a check is, in words the API returns as checkDescription. */
export function checkDescription(benchmark: CisBenchmark, check: CisCheck): string {
  return `${benchmark.name} v${benchmark.version}, recommendation ${check.id} (Level ${check.level}, ${check.automated ? 'Automated' : 'Manual'}): ${check.title}.`;
}

/**
 * The check a CIS rule id of the SSM plugin names: the recommendation number itself
 * ("5.2.7"), or the number inside an XCCDF rule id ("xccdf_org.cisecurity.benchmarks_rule_5.2.7_Ensure_...").
 */
export function checkOfRule(benchmark: CisBenchmark, ruleId: string): CisCheck | undefined {
  const number = /^(\d+(?:\.\d+)*)$/.exec(ruleId)?.[1] ?? /rule_(\d+(?:\.\d+)*)(?:_|$)/.exec(ruleId)?.[1];
  return number === undefined ? undefined : benchmark.checks.find((c) => c.id === number);
}
