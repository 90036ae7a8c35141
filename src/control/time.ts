// Durations and instants as the control plane accepts them.
import { durationMs } from '../world/time.js';
import { ControlError } from './errors.js';

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
