// One clock for the whole emulator. Every timestamp the API returns and every scheduled
// state transition reads it, so that tests can move time instead of waiting for it.
// It runs at real speed from where it was set, or, in manual mode, stands still between
// moves (then the same calls give byte-identical answers).
export interface ClockOptions {
  /** Where the clock starts (default: now). */
  start?: Date;
  /** Time moves only when advanced or set. */
  manual?: boolean;
}

/** The latest moment the clock may show: the last millisecond of year 9999 (JavaScript dates go further, ISO 8601's four-digit years do not). */
export const LATEST_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The earliest: the Unix epoch (epoch seconds are never negative). */
const EARLIEST_CLOCK_MS = 0;

/** A move that would put the clock outside the years 1970 to 9999 (or is not a number). */
class ClockRangeError extends RangeError {}

/** Whether the clock may show this moment. */
export function inClockRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_CLOCK_MS && ms <= LATEST_CLOCK_MS;
}

export class Clock {
  private readonly manual: boolean;
  /** Manual mode: the time. Running mode: the offset from the real clock. */
  private base: number;
  /** While transitions run, time stands still at the moment they were due, so that one step of the world has one time. */
  private frozenAt?: number;
  /** While the world catches up (a move, or the settle before a request): the moment it catches up to. */
  private catchingUpTo?: number;

  constructor(
    options: ClockOptions = {},
    /** Called when the clock is moved (advance, set): the clock's setting is state. */
    private readonly onMove?: () => void,
  ) {
    this.manual = options.manual ?? false;
    const start = options.start?.getTime() ?? Date.now();
    this.base = this.manual ? start : start - Date.now();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAt ?? (this.manual ? this.base : Date.now() + this.base);
  }

  /** Runs `step` with the clock stopped at its current time. */
  stopped<T>(step: (now: number) => T): T {
    const now = this.nowMs();
    const outer = this.frozenAt;
    const outerTarget = this.catchingUpTo;
    this.frozenAt = now;
    this.catchingUpTo = now;
    try {
      return step(now);
    } finally {
      this.frozenAt = outer;
      this.catchingUpTo = outerTarget;
    }
  }

  /**
   * Runs `step` with the clock standing at an earlier moment, `at` (a task's due time), so
   * that what it records and schedules is dated from then; only inside `stopped`, never
   * beyond the moment the world is catching up to.
   */
  standingAt<T>(at: number, step: () => T): T {
    const outer = this.frozenAt;
    this.frozenAt = Math.min(at, this.catchingUpTo ?? this.nowMs());
    try {
      return step();
    } finally {
      this.frozenAt = outer;
    }
  }

  /**
   * The moment the world is being brought up to: the end of a move while the tasks due
   * inside it run at their own times; otherwise now. (A recurring schedule bounds how much
   * it catches up from here.)
   */
  catchUpMs(): number {
    return this.catchingUpTo ?? this.nowMs();
  }

  /** Moves the clock forward (or back, with a negative duration); never outside the years 1970 to 9999 (ClockRangeError). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || !inClockRange(this.nowMs() + ms)) throw new ClockRangeError('the clock cannot be moved outside the years 1970 to 9999');
    this.base += ms;
    this.onMove?.();
  }

  /** Sets the clock to a moment; in running mode it runs on from there at real speed. Never outside the years 1970 to 9999. */
  set(at: Date): void {
    if (!inClockRange(at.getTime())) throw new ClockRangeError('the clock cannot be set outside the years 1970 to 9999');
    this.base = this.manual ? at.getTime() : at.getTime() - Date.now();
    this.onMove?.();
  }

  /** The clock's setting as data (running mode: its offset from the real clock, so time runs on across a restart). */
  save(): { manual: boolean; base: number } {
    return { manual: this.manual, base: this.base };
  }

  /** Takes a saved setting; one saved in the other mode keeps its moment. */
  restore(saved: { manual: boolean; base: number }): void {
    if (saved.manual === this.manual) this.base = saved.base;
    else this.set(new Date(saved.manual ? saved.base : Date.now() + saved.base));
  }

  get isManual(): boolean {
    return this.manual;
  }
}
