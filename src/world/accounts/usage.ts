// What Inspector bills: hours each resource was covered (EC2 agent-based and agentless,
// Lambda standard and code) and ECR image scans (initial and re-scans). The scanner
// records it as coverage changes; ListUsageTotals sums the last 30 days.
import { z } from 'zod';
import { declareState } from '../platform/state.js';

export type UsageType =
  'EC2_INSTANCE_HOURS' | 'EC2_AGENTLESS_INSTANCE_HOURS' | 'ECR_INITIAL_SCAN' | 'ECR_RESCAN' | 'LAMBDA_FUNCTION_HOURS' | 'LAMBDA_FUNCTION_CODE_HOURS';

const USAGE_WINDOW_MS = 30 * 86_400_000;
const HOUR_MS = 3_600_000;
const HOURS_PER_MONTH = 730;

/**
 * Monthly list prices in USD (per instance or function month, per image scan), as AWS
 * publishes them for its main regions; the emulator's estimates are these times the usage.
 */
const PRICE: Record<UsageType, { perHourOfMonth?: number; perScan?: number }> = {
  EC2_INSTANCE_HOURS: { perHourOfMonth: 1.2528 / HOURS_PER_MONTH },
  EC2_AGENTLESS_INSTANCE_HOURS: { perHourOfMonth: 1.2528 / HOURS_PER_MONTH },
  ECR_INITIAL_SCAN: { perScan: 0.09 },
  ECR_RESCAN: { perScan: 0.01 },
  LAMBDA_FUNCTION_HOURS: { perHourOfMonth: 0.3 / HOURS_PER_MONTH },
  LAMBDA_FUNCTION_CODE_HOURS: { perHourOfMonth: 0.6 / HOURS_PER_MONTH },
};

interface CoveredSpan {
  type: UsageType;
  resourceKey: string;
  start: number;
  end?: number;
}

class UsageLedger {
  private readonly spans: CoveredSpan[] = [];
  private readonly scans: { type: UsageType; at: number }[] = [];
  /** Where the open spans are in `spans`, by resource key, so that a large world does not search them all. */
  private readonly openSpans = new Map<string, number[]>();
  /** Changes so far (every change is one of the methods below): persistence skips an unchanged ledger without encoding it. */
  revision = 0;

  /** A resource starts being covered (hour-billed types); a span already open is kept. */
  open(type: UsageType, resourceKey: string, at: number): void {
    const open = this.openSpans.get(resourceKey) ?? [];
    if (open.some((index) => this.spans[index]!.type === type)) return;
    this.spans.push({ type, resourceKey, start: at });
    this.openSpans.set(resourceKey, [...open, this.spans.length - 1]);
    this.revision++;
  }

  /** A resource stops being covered. */
  close(resourceKey: string, at: number): void {
    const open = this.openSpans.get(resourceKey);
    if (!open) return;
    for (const index of open) this.spans[index]!.end = at;
    this.openSpans.delete(resourceKey);
    this.revision++;
  }

  scanned(type: UsageType, at: number): void {
    this.scans.push({ type, at });
    this.revision++;
  }

  /** The ledger as data (for a snapshot); the index of open spans is rebuilt from it. */
  save(): { spans: CoveredSpan[]; scans: { type: UsageType; at: number }[] } {
    return { spans: this.spans, scans: this.scans };
  }

  static load(saved: { spans: CoveredSpan[]; scans: { type: UsageType; at: number }[] }): UsageLedger {
    const ledger = new UsageLedger();
    for (const span of saved.spans) {
      ledger.spans.push(span);
      if (span.end === undefined) ledger.openSpans.set(span.resourceKey, [...(ledger.openSpans.get(span.resourceKey) ?? []), ledger.spans.length - 1]);
    }
    ledger.scans.push(...saved.scans);
    return ledger;
  }

  /** Usage over the 30 days before `now`, with the month's cost estimate; types with no use are left out. */
  totals(now: number): { type: UsageType; total: number; estimatedMonthlyCost: number }[] {
    const from = now - USAGE_WINDOW_MS;
    const totals = new Map<UsageType, number>();
    for (const span of this.spans) {
      const hours = Math.max(0, Math.min(span.end ?? now, now) - Math.max(span.start, from)) / HOUR_MS;
      if (hours > 0) totals.set(span.type, (totals.get(span.type) ?? 0) + hours);
    }
    for (const scan of this.scans) if (scan.at > from && scan.at <= now) totals.set(scan.type, (totals.get(scan.type) ?? 0) + 1);
    return [...totals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, total]) => {
        const price = PRICE[type];
        const cost = total * (price.perHourOfMonth ?? price.perScan ?? 0);
        return { type, total: round(total), estimatedMonthlyCost: round(cost) };
      });
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    usage: UsageLedger;
  }
}

const usageType = z.enum(Object.keys(PRICE) as [UsageType, ...UsageType[]]);
const instant = z.number().finite();

declareState('account-region', 'usage', {
  empty: () => new UsageLedger(),
  version: (value) => value.revision,
  schema: z.strictObject({
    spans: z.array(z.strictObject({ type: usageType, resourceKey: z.string().max(2048), start: instant, end: instant.optional() })),
    scans: z.array(z.strictObject({ type: usageType, at: instant })),
  }),
  save: (value) => value.save(),
  load: (saved) => UsageLedger.load(saved),
});
