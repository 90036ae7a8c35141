// Scheduled state transitions on the virtual clock: a task runs once the clock has passed
// its due time, in due-time order (ties in the order they were scheduled), and it runs *at*
// its due time: when the clock jumps past several, each runs with the clock standing at the
// moment it was due, and what it schedules is dated from then (and runs too, if that is
// also before the jump's end). The world runs what is due before every request and
// whenever the clock is moved.
//
// A task is data (a kind and JSON arguments), not a closure, so that what is pending can be
// saved with the rest of the state and resumed after a restart. Handlers are registered by
// kind; `tasks.ts` lists the kinds the world knows.

export interface Task {
  kind: string;
}

export interface ScheduledTask<T extends Task = Task> {
  at: number;
  seq: number;
  task: T;
}

/**
 * How deep tasks may chain at one instant (a task scheduling another for the moment it runs
 * at, which schedules another, ...). Real chains are a few steps (a transition queues scans);
 * beyond this, a task that keeps rescheduling itself at the same instant would never let the
 * clock move on, so the rest of the chain waits for the next settle.
 */
const MAX_CHAIN_AT_ONE_INSTANT = 64;

export class Scheduler<T extends Task = Task> {
  private queue: ScheduledTask<T>[] = [];
  private seq = 0;
  /** The moment the last `runDue` ran to (not saved: after a restore, pending tasks run at their own times). */
  private ranTo?: number;
  /** The task running now: its moment and how deep in a chain at that moment it is. */
  private running?: { at: number; depth: number };
  /** Tasks scheduled by a running task for its own moment (or earlier): their depth in the chain. */
  private chained = new WeakMap<ScheduledTask<T>, number>();

  /** `run` runs a task with the clock standing at `at`, the moment it is run at. */
  constructor(private readonly run: (task: T, at: number) => void) {}

  schedule(at: number, task: T): void {
    const entry = { at, seq: this.seq++, task };
    if (this.running && at <= this.running.at) this.chained.set(entry, this.running.depth + 1);
    this.insert(entry);
  }

  private insert(entry: ScheduledTask<T>): void {
    // Binary insertion keeps the queue sorted by (at, seq).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.queue[mid]!;
      if (other.at < entry.at || (other.at === entry.at && other.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, entry);
  }

  /**
   * Runs every task due at or before `now`, in order, each at its due time, including the
   * ones that those tasks schedule before `now`; answers how many ran. Time never runs
   * backwards: a task due before the moment the last run reached (scheduled into the past)
   * runs at the latest moment reached so far.
   */
  runDue(now: number): number {
    let ran = 0;
    let reached = Math.min(this.ranTo ?? Number.NEGATIVE_INFINITY, now);
    const deferred: ScheduledTask<T>[] = [];
    while (this.queue.length && this.queue[0]!.at <= now) {
      const entry = this.queue.shift()!;
      const depth = this.chained.get(entry) ?? 0;
      if (depth > MAX_CHAIN_AT_ONE_INSTANT) {
        deferred.push(entry);
        continue;
      }
      reached = Math.max(entry.at, reached);
      this.running = { at: reached, depth };
      try {
        this.run(entry.task, reached);
      } finally {
        this.running = undefined;
      }
      ran++;
    }
    // A runaway chain goes on at the next settle, from depth 0: slowly, never forever.
    for (const entry of deferred) {
      this.chained.delete(entry);
      this.insert(entry);
    }
    this.ranTo = now;
    return ran;
  }

  /** Forgets everything scheduled (a reset of the world). */
  clear(): void {
    this.queue = [];
  }

  /** Forgets the tasks a predicate selects (a reset of one account). */
  drop(selected: (task: T) => boolean): void {
    this.queue = this.queue.filter((entry) => !selected(entry.task));
  }

  get pending(): number {
    return this.queue.length;
  }

  /** What is pending, as data (for a snapshot). */
  save(): { seq: number; queue: ScheduledTask<T>[] } {
    return { seq: this.seq, queue: this.queue.map((entry) => ({ ...entry, task: structuredClone(entry.task) })) };
  }

  restore(saved: { seq: number; queue: ScheduledTask<T>[] }): void {
    this.queue = [];
    this.ranTo = undefined;
    for (const entry of saved.queue) this.insert(entry);
    this.seq = saved.seq;
  }
}
