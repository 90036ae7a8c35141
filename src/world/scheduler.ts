// Scheduled state transitions on the virtual clock: an action runs once the clock has
// passed its due time, in due-time order (ties in the order they were scheduled). The
// world runs what is due before every request and whenever the clock is moved.
interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
}

export class Scheduler {
  private queue: Scheduled[] = [];
  private seq = 0;

  schedule(at: number, run: () => void): void {
    const entry = { at, seq: this.seq++, run };
    // Binary insertion keeps the queue sorted by (at, seq).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.queue[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, entry);
  }

  /** Runs every action due at or before `now`, including ones that those actions schedule. */
  runDue(now: number): void {
    while (this.queue.length && this.queue[0]!.at <= now) this.queue.shift()!.run();
  }

  /** Forgets everything scheduled (a reset of the world). */
  clear(): void {
    this.queue = [];
  }

  get pending(): number {
    return this.queue.length;
  }
}
