// The simulated AWS world. Inspector's state is addressed as world[account][region], as
// the real service's is: nothing leaks from one region to another. Each domain declares
// its state in `platform/state.ts`'s registry, with where it lives (per account and region,
// per account, or global); the world holds it there and knows no feature. The clock, the
// scheduler and the events log are the platform every domain runs on. No HTTP here.
import { Clock, type ClockOptions } from './platform/clock.js';
import { WorldError } from './platform/errors.js';
import { EventLog } from './platform/events.js';
import { type AccountRegionState, type GlobalState, WorldState } from './platform/state.js';
import { runTask, type WorldTask } from './platform/tasks.js';
import type { ObjectStore } from './platform/object-store.js';
import { Scheduler } from './platform/scheduler.js';
import { VulnerabilityCatalog } from './scanning/vulnerabilities.js';

export type { WorldTask } from './platform/tasks.js';

declare module './platform/tasks.js' {
  interface TaskContext {
    world: World;
  }
}

export interface WorldOptions {
  /** How long Enable, Disable and other transitions take, in clock milliseconds (0: done at the next request). */
  transitionMs: number;
  /** How many members a delegated administrator may associate per region (AWS: 10,000). */
  maxMembers: number;
  /** How long a resource's scan takes, in clock milliseconds (0: done at the next request). */
  scanMs: number;
  /** How long after Inspector is deactivated in an account-region its findings are deleted (AWS: 24 hours). */
  deactivationRetentionMs: number;
  /** How long a finding closed because its resource is gone or no longer eligible is kept (AWS: 3 days). */
  closedResourceRetentionMs: number;
  /** How long a finding closed for any other reason (remediated) is kept (AWS: 30 days). */
  closedRetentionMs: number;
  /** How long after closing a remediated finding reopens, under its ARN, if its issue recurs (AWS: 7 days). */
  reopenWindowMs: number;
}

const DAY_MS = 86_400_000;

export const DEFAULT_WORLD_OPTIONS: WorldOptions = {
  transitionMs: 0,
  maxMembers: 10_000,
  scanMs: 0,
  deactivationRetentionMs: DAY_MS,
  closedResourceRetentionMs: 3 * DAY_MS,
  closedRetentionMs: 30 * DAY_MS,
  reopenWindowMs: 7 * DAY_MS,
};

/** How many distinct account-regions the world creates on request (INSPECTOR2_MAX_ACCOUNT_REGIONS). */
export const DEFAULT_MAX_ACCOUNT_REGIONS = 10_000;

/** An account's Inspector state in one region: the fields every domain declares there. */
export type AccountRegion = AccountRegionState;

/** Who makes a request: the account and the region it is signed for. */
export interface Caller {
  accountId: string;
  region: string;
}

export class World {
  readonly clock: Clock;
  /** Global: the EventBridge events Inspector has sent. */
  readonly events: EventLog;
  /**
   * Runs due tasks, each with the clock standing at its due time. One that fails is reported
   * and dropped: a task is data, possibly from a snapshot, and one bad task must not stop
   * every request after it.
   */
  readonly scheduler: Scheduler<WorldTask> = new Scheduler((task, at) => {
    try {
      this.clock.standingAt(at, () => runTask(this, task));
    } catch (error) {
      this.onTaskError?.(task, error);
    }
  });
  /** Every declared piece of state; a snapshot replaces it whole. */
  state: WorldState;
  /** Where reports are written; the emulator gives a folder or an S3 endpoint. */
  objectStore: ObjectStore = {
    put: () => Promise.reject(new Error('no object store is configured')),
  };
  /** Counts changes to the state (see `changed`). */
  revision = 0;
  /** Called on every change (persistence listens). */
  onChange?: () => void;
  /** Beyond this many account-regions, a new one is refused (AccessDenied); loading a seed lifts it. */
  maxAccountRegions = DEFAULT_MAX_ACCOUNT_REGIONS;
  /** Called when a scheduled task fails (the emulator logs it). */
  onTaskError?: (task: WorldTask, error: unknown) => void;

  constructor(
    readonly options: WorldOptions = DEFAULT_WORLD_OPTIONS,
    /** Global: the vulnerabilities the scanner knows. */
    readonly catalog: VulnerabilityCatalog = new VulnerabilityCatalog(),
    clock: ClockOptions = {},
  ) {
    // The platform's parts mark their own changes: a clock move, an event, a catalog addition.
    this.clock = new Clock(clock, () => this.changed());
    this.events = new EventLog(
      () => this.clock.now(),
      () => this.changed(),
    );
    catalog.onChange = () => this.changed();
    this.state = new WorldState(() => this.clock.now());
  }

  /** The state that is one for the whole world (organizations, ...). */
  get global(): GlobalState {
    return this.state.global;
  }

  /** The state of an account in a region; an account Inspector has never seen starts with everything disabled. */
  accountRegion(accountId: string, region: string): AccountRegion {
    if (this.state.accountRegionCount >= this.maxAccountRegions && !this.state.existingAccountRegion(accountId, region)) {
      throw new WorldError(
        'AccessDenied',
        `inspector2-local holds at most ${this.maxAccountRegions} account-regions (INSPECTOR2_MAX_ACCOUNT_REGIONS); account ${accountId} in ${region} would be a new one.`,
      );
    }
    return this.state.accountRegion(accountId, region);
  }

  /** The state of an account in a region if Inspector has seen it (a task must not create one). */
  existingAccountRegion(accountId: string, region: string): AccountRegion | undefined {
    return this.state.existingAccountRegion(accountId, region);
  }

  allAccountRegions(): AccountRegion[] {
    return this.state.allAccountRegions();
  }

  /** Every region in which the account's Inspector state exists. */
  regionsOf(accountId: string): AccountRegion[] {
    return this.state.allAccountRegions().filter((s) => s.accountId === accountId);
  }

  /** Runs a task once the transition time has passed. */
  afterTransition(task: WorldTask): void {
    this.scheduler.schedule(this.clock.nowMs() + this.options.transitionMs, task);
  }

  /**
   * Forgets everything Inspector knows — every declared piece of state, the events and what
   * was scheduled. The caller reloads the seed. The clock and the catalog stay.
   */
  reset(): void {
    this.state = new WorldState(() => this.clock.now());
    // Event ids count from the start again, as in a new world.
    this.events.clear(true);
    this.scheduler.clear();
    this.changed();
  }

  /** Forgets one account: its state in every scope and what was scheduled for it. */
  resetAccount(accountId: string): void {
    this.state.forgetAccount(accountId);
    this.scheduler.drop((task) => 'accountId' in task && task.accountId === accountId);
    this.changed();
  }

  /**
   * Completes every scheduled transition whose time has come, each at its own due time (a
   * clock moved past several runs them in order, and what they schedule within the move too).
   */
  settle(): void {
    if (this.clock.stopped((now) => this.scheduler.runDue(now)) > 0) this.changed();
  }

  /**
   * Says that the state changed (an operation that writes, a transition, an async
   * completion), so that persistence saves it. Every world function that changes declared
   * state calls it once it has; reads never do (persistence learns of changes only here).
   */
  changed(): void {
    this.revision++;
    this.onChange?.();
  }
}
