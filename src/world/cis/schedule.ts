// When a CIS scan configuration's schedule runs next, on the virtual clock. A schedule is
// one of: oneTime (once, as soon as it is set), daily at a time of day, weekly on some days
// at a time of day, or monthly on the first given weekday of the month at a time of day.
// Times of day are in the schedule's IANA time zone ("UTC", "Europe/Paris" ...), so a
// daily 02:00 Europe/Paris scan moves in UTC with daylight saving time, as a user expects.
import type { components } from '../../../openapi/inspector2.js';
import { WorldError } from '../platform/errors.js';

type Shapes = components['schemas'];
export type CisSchedule = Shapes['Schedule'];

const DAYS: readonly Shapes['Day'][] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour') % 24, minute: field('minute'), second: field('second') };
}

/** How far the time zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time in a time zone names (in a daylight saving gap, the time just after it). */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

/** Refuses a schedule AWS would refuse: not exactly one kind, or a time zone that is not an IANA name. */
export function checkSchedule(schedule: CisSchedule): void {
  const kinds = (['oneTime', 'daily', 'weekly', 'monthly'] as const).filter((kind) => schedule[kind] !== undefined);
  if (kinds.length !== 1) {
    throw new WorldError(
      'Invalid',
      `A schedule has exactly one of oneTime, daily, weekly or monthly; this one has ${kinds.length ? kinds.join(', ') : 'none'}.`,
    );
  }
  const startTime = schedule.daily?.startTime ?? schedule.weekly?.startTime ?? schedule.monthly?.startTime;
  if (!startTime) return;
  try {
    formatter(startTime.timezone);
  } catch {
    throw new WorldError('Invalid', `The schedule's timezone '${startTime.timezone}' is not a time zone name such as UTC or America/New_York.`);
  }
}

/** The schedule as stored: only its one kind, with the days of a weekly schedule once each in week order. */
export function normalizedSchedule(schedule: CisSchedule): CisSchedule {
  if (schedule.oneTime) return { oneTime: {} };
  if (schedule.daily) return { daily: { startTime: { ...schedule.daily.startTime } } };
  if (schedule.weekly) return { weekly: { startTime: { ...schedule.weekly.startTime }, days: DAYS.filter((d) => schedule.weekly!.days.includes(d)) } };
  return { monthly: { startTime: { ...schedule.monthly!.startTime }, day: schedule.monthly!.day } };
}

/**
 * The first run of a recurring schedule strictly after an instant (a oneTime schedule has
 * none: it runs once, when it is set).
 */
export function nextRunAfter(schedule: CisSchedule, afterMs: number): number | undefined {
  const startTime = schedule.daily?.startTime ?? schedule.weekly?.startTime ?? schedule.monthly?.startTime;
  if (!startTime) return undefined;
  const [hour, minute] = startTime.timeOfDay.split(':').map(Number) as [number, number];
  const today = wallClock(afterMs, startTime.timezone);
  // A day back covers time zones behind UTC; 70 days cover the first weekday of next month.
  for (let offset = -1; offset <= 70; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = DAYS[date.getUTCDay()]!;
    if (schedule.weekly && !schedule.weekly.days.includes(weekday)) continue;
    if (schedule.monthly && (weekday !== schedule.monthly.day || date.getUTCDate() > 7)) continue;
    const at = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, startTime.timezone);
    if (at > afterMs) return at;
  }
  return undefined;
}
