// Scheduled state transitions on the virtual clock: a task runs once the clock has passed
// its due time, in due-time order (ties in the order they were scheduled). The world runs
// what is due before every request and whenever the clock is moved.
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

export class Scheduler<T extends Task = Task> {
  private queue: ScheduledTask<T>[] = [];
  private seq = 0;

  constructor(private readonly run: (task: T) => void) {}

  schedule(at: number, task: T): void {
    this.insert({ at, seq: this.seq++, task });
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

  /** Runs every task due at or before `now`, including ones that those tasks schedule; answers how many ran. */
  runDue(now: number): number {
    let ran = 0;
    for (; this.queue.length && this.queue[0]!.at <= now; ran++) this.run(this.queue.shift()!.task);
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
    for (const entry of saved.queue) this.insert(entry);
    this.seq = saved.seq;
  }
}
