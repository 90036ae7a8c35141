// One clock for the whole emulator. Every timestamp the API returns and every scheduled
// state transition reads it, so that tests can move time instead of waiting for it.
export class Clock {
  private offsetMs = 0;
  /** While transitions run, time stands still at the moment they were due, so that one step of the world has one time. */
  private frozenAt?: number;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Runs `step` with the clock stopped at its current time. */
  stopped<T>(step: (now: number) => T): T {
    const now = this.nowMs();
    const outer = this.frozenAt;
    this.frozenAt = now;
    try {
      return step(now);
    } finally {
      this.frozenAt = outer;
    }
  }

  /** Moves the clock forward (or back, with a negative duration). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Sets the clock to a moment; it runs on from there at real speed. */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}
