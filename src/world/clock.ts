// One clock for the whole emulator. Every timestamp the API returns and every scheduled
// state transition reads it, so that tests can move time instead of waiting for it.
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
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
