// Durations and instants as the control plane accepts them.
import { inClockRange } from '../world/platform/clock.js';
import { durationMs } from '../world/platform/time.js';
import { ControlError } from './errors.js';

const DAY_MS = 86_400_000;
/** The longest step of one `{"advance"}`: 10 years (3,653 days). */
const MAX_CLOCK_ADVANCE_MS = 3653 * DAY_MS;
/** How far ahead of the clock's time `{"set"}` may go: 100 years (36,525 days). */
const MAX_CLOCK_SET_AHEAD_MS = 36_525 * DAY_MS;

/** Refuses an advance longer than 10 years, or one that leaves the years 1970 to 9999. */
export function checkAdvance(ms: number, nowMs: number): number {
  if (!Number.isFinite(ms) || ms > MAX_CLOCK_ADVANCE_MS) {
    throw new ControlError(400, `advance must be at most 10 years (${MAX_CLOCK_ADVANCE_MS} ms, "3653d") per call`);
  }
  if (!inClockRange(nowMs + ms)) throw new ControlError(400, 'advance: the clock cannot go past the year 9999');
  return ms;
}

/** Refuses a moment more than 100 years ahead of the clock, or outside the years 1970 to 9999. */
export function checkSet(at: Date, nowMs: number): Date {
  if (!inClockRange(at.getTime())) throw new ControlError(400, 'set must be a time from 1970 to 9999');
  if (at.getTime() - nowMs > MAX_CLOCK_SET_AHEAD_MS) throw new ControlError(400, 'set must be at most 100 years ahead of the clock');
  return at;
}

/** Milliseconds from a number (ms), "90s" / "15m" / "2h" / "1d" / "500ms", or ISO 8601 ("PT1H30M", "P1D"). */
export function parseDuration(value: unknown, field: string): number {
  const ms = typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? value : undefined) : typeof value === 'string' ? durationMs(value) : undefined;
  if (ms === undefined) {
    throw new ControlError(400, `${field} must be a duration such as 15m, 90s, PT1H or a number of milliseconds (not negative), got ${JSON.stringify(value)}`);
  }
  return ms;
}

/** A Date from an ISO 8601 string or epoch seconds. */
export function parseInstant(value: unknown, field: string): Date {
  const at = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new ControlError(400, `${field} must be an ISO 8601 time or epoch seconds, got ${JSON.stringify(value)}`);
  }
  return at;
}
