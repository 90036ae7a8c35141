// Fault injection: rules that make matching inspector2 requests fail (throttling, server
// errors, quota), slow down or lose their connection, so that users can test their retry
// and backoff code. A faulted request is refused before its operation runs: it changes
// nothing. Random rules draw from a seeded generator, so a rule set injects the same
// faults on every run given the same requests.
import { z } from 'zod';

const FAULT_KINDS = ['ThrottlingException', 'InternalServerException', 'ServiceQuotaExceededException', 'latency', 'drop'] as const;

const faultRuleSchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    operation: z
      .string()
      .regex(/^(\*|[A-Z][A-Za-z0-9]+)$/, 'must be an operation name such as ListFindings, or *')
      .default('*'),
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit account id')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as eu-west-1')
      .optional(),
    fault: z.enum(FAULT_KINDS),
    /** Only the first `count` matching requests are faulted. */
    count: z.number().int().positive().optional(),
    /** Each matching request is faulted with this probability. */
    probability: z.number().min(0).max(1).optional(),
    /** Seeds the rule's random draws (with `probability`). */
    seed: z.number().int().optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    message: z.string().min(1).max(1024).optional(),
  })
  .strict()
  .refine((rule) => rule.fault !== 'latency' || rule.latencyMs !== undefined, {
    message: 'a latency fault needs latencyMs',
    path: ['latencyMs'],
  });

export type FaultRuleInput = z.input<typeof faultRuleSchema>;
type FaultRuleSpec = z.output<typeof faultRuleSchema>;

export interface FaultRule extends FaultRuleSpec {
  id: string;
  /** Matching requests seen so far. */
  matched: number;
  /** Faults injected so far. */
  injected: number;
}

export interface InjectedFault {
  at: string;
  ruleId: string;
  fault: FaultRuleSpec['fault'];
  operation: string;
  account: string;
  region: string;
  requestId: string;
}

/** What to do to a request. */
export type FaultDecision =
  | { kind: 'error'; code: 'ThrottlingException' | 'InternalServerException' | 'ServiceQuotaExceededException'; message: string; retryAfterSeconds?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'drop' };

export class FaultRuleError extends Error {}

/** The most rules held at once (each request is matched against every rule). */
export const MAX_FAULT_RULES = 1000;

/** Parses rules (at most MAX_FAULT_RULES); the error names each offending field (`rules.0.fault: ...`). */
export function parseFaultRules(value: unknown, where: string): FaultRuleSpec[] {
  // Counted before anything is parsed: an oversized list costs nothing.
  if (Array.isArray(value) && value.length > MAX_FAULT_RULES) throw new FaultRuleError(`${where}: at most ${MAX_FAULT_RULES} rules, got ${value.length}`);
  const parsed = z.array(faultRuleSchema).safeParse(value);
  if (!parsed.success) {
    throw new FaultRuleError(parsed.error.issues.map((i) => `${where}.${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** mulberry32: small, fast and repeatable for a given seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOG_LIMIT = 1000;

export class FaultInjector {
  private readonly rules: FaultRule[] = [];
  /** The rules' ids, so that adding one is O(1) whatever the number of rules. */
  private readonly ids = new Set<string>();
  private readonly draws = new Map<string, () => number>();
  private readonly log: InjectedFault[] = [];
  private nextId = 1;
  private total = 0;

  constructor(private readonly now: () => Date) {}

  add(spec: FaultRuleSpec): FaultRule {
    return this.addAll([spec])[0]!;
  }

  /**
   * Adds rules all together or not at all: the batch is checked whole (ids unique, at most
   * MAX_FAULT_RULES in all) before any of it applies.
   */
  addAll(specs: readonly FaultRuleSpec[]): FaultRule[] {
    if (this.rules.length + specs.length > MAX_FAULT_RULES) {
      throw new FaultRuleError(`at most ${MAX_FAULT_RULES} fault rules are held at once; there are ${this.rules.length}, and ${specs.length} more were given`);
    }
    const planned = new Set<string>();
    const given = new Set(specs.flatMap((spec) => (spec.id === undefined ? [] : [spec.id])));
    let nextId = this.nextId;
    const ids = specs.map((spec, index) => {
      let id = spec.id;
      if (id === undefined) {
        // A generated id never takes one a rule was given.
        do id = `fault-${nextId++}`;
        while (this.ids.has(id) || planned.has(id) || given.has(id));
      } else if (this.ids.has(id) || planned.has(id)) {
        throw new FaultRuleError(`${specs.length > 1 ? `rules.${index}.` : ''}id: a rule with id '${id}' exists already`);
      }
      planned.add(id);
      return id;
    });
    this.nextId = nextId;
    return specs.map((spec, index) => {
      const id = ids[index]!;
      const rule: FaultRule = { ...spec, id, matched: 0, injected: 0 };
      this.rules.push(rule);
      this.ids.add(id);
      this.draws.set(id, random(spec.seed ?? 0));
      return rule;
    });
  }

  remove(id: string): boolean {
    if (!this.ids.has(id)) return false;
    const index = this.rules.findIndex((r) => r.id === id);
    this.rules.splice(index, 1);
    this.ids.delete(id);
    this.draws.delete(id);
    return true;
  }

  /** Removes every rule and forgets what was injected. */
  clear(): void {
    this.rules.length = 0;
    this.ids.clear();
    this.draws.clear();
    this.log.length = 0;
    this.total = 0;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The faults injected so far (the latest LOG_LIMIT), with counts per rule and per operation. */
  report(): { total: number; byRule: Record<string, number>; byOperation: Record<string, number>; injected: InjectedFault[] } {
    const byOperation: Record<string, number> = {};
    for (const entry of this.log) byOperation[entry.operation] = (byOperation[entry.operation] ?? 0) + 1;
    return {
      total: this.total,
      byRule: Object.fromEntries(this.rules.map((r) => [r.id, r.injected])),
      byOperation,
      injected: [...this.log],
    };
  }

  /** The first rule that fires for this request decides; rules are tried in the order they were added. */
  decide(request: { operation: string; account: string; region: string; requestId: string }): FaultDecision | undefined {
    for (const rule of this.rules) {
      if (rule.operation !== '*' && rule.operation !== request.operation) continue;
      if (rule.account !== undefined && rule.account !== request.account) continue;
      if (rule.region !== undefined && rule.region !== request.region) continue;
      rule.matched++;
      if (rule.count !== undefined && rule.injected >= rule.count) continue;
      if (rule.probability !== undefined && this.draws.get(rule.id)!() >= rule.probability) continue;
      rule.injected++;
      this.total++;
      this.log.push({ at: this.now().toISOString(), ruleId: rule.id, fault: rule.fault, ...request });
      if (this.log.length > LOG_LIMIT) this.log.shift();
      return decision(rule, request.operation);
    }
    return undefined;
  }
}

function decision(rule: FaultRule, operation: string): FaultDecision {
  switch (rule.fault) {
    case 'latency':
      return { kind: 'latency', ms: rule.latencyMs! };
    case 'drop':
      return { kind: 'drop' };
    case 'ThrottlingException':
      return { kind: 'error', code: rule.fault, message: rule.message ?? 'Rate exceeded', retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
    case 'InternalServerException':
      return {
        kind: 'error',
        code: rule.fault,
        message: rule.message ?? 'The request processing has failed because of an unknown error, exception or failure.',
        ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
      };
    case 'ServiceQuotaExceededException':
      return { kind: 'error', code: rule.fault, message: rule.message ?? `You have exceeded your service quota for ${operation}.` };
  }
}
