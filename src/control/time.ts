// Durations and instants as the control plane accepts them.
import { ControlError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds from a number (ms), "90s" / "15m" / "2h" / "1d" / "500ms", or ISO 8601 ("PT1H30M", "P1D"). */
export function parseDuration(value: unknown, field: string): number {
  const fail = (): never => {
    throw new ControlError(400, `${field} must be a duration such as 15m, 90s, PT1H or a number of milliseconds (not negative), got ${JSON.stringify(value)}`);
  };
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : fail();
  if (typeof value !== 'string') return fail();
  const simple = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (simple) return Number(simple[1]) * UNIT_MS[simple[2] as keyof typeof UNIT_MS];
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value.trim());
  if (iso && value.trim() !== 'P' && !value.trim().endsWith('T')) {
    const [, d = '0', h = '0', m = '0', s = '0'] = iso;
    return Number(d) * UNIT_MS.d + Number(h) * UNIT_MS.h + Number(m) * UNIT_MS.m + Number(s) * UNIT_MS.s;
  }
  return fail();
}

/** A Date from an ISO 8601 string or epoch seconds. */
export function parseInstant(value: unknown, field: string): Date {
  const at = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new ControlError(400, `${field} must be an ISO 8601 time or epoch seconds, got ${JSON.stringify(value)}`);
  }
  return at;
}
