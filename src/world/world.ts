// The simulated AWS world. State is addressed as world[account][region], as Inspector's
// is: nothing leaks from one region to another. It knows no HTTP.
import { Clock } from './clock.js';
import { Enablement, type ScanType } from './enablement.js';

export interface WorldOptions {
  /** How long Enable and Disable take to complete, in clock milliseconds (0: at the next request). */
  transitionMs: number;
}

export interface AccountRegion {
  accountId: string;
  region: string;
  enablement: Enablement;
}

export class World {
  readonly clock = new Clock();
  private readonly accountRegions = new Map<string, AccountRegion>();
  /** The account-regions with a transition under way, so that settling does not visit every account. */
  private readonly inTransition = new Set<AccountRegion>();

  constructor(readonly options: WorldOptions) {}

  /** The state of an account in a region; an account Inspector has never seen starts with everything disabled. */
  accountRegion(accountId: string, region: string): AccountRegion {
    const key = `${accountId}/${region}`;
    let state = this.accountRegions.get(key);
    if (!state) {
      state = { accountId, region, enablement: new Enablement() };
      this.accountRegions.set(key, state);
    }
    return state;
  }

  /** Starts enabling scan types; they are ENABLED once the transition time has passed. */
  enable(accountId: string, region: string, types: readonly ScanType[]): AccountRegion {
    const state = this.accountRegion(accountId, region);
    state.enablement.enable(types, this.clock.nowMs() + this.options.transitionMs);
    this.inTransition.add(state);
    return state;
  }

  /** Starts disabling scan types; they are DISABLED once the transition time has passed. */
  disable(accountId: string, region: string, types: readonly ScanType[]): AccountRegion {
    const state = this.accountRegion(accountId, region);
    state.enablement.disable(types, this.clock.nowMs() + this.options.transitionMs);
    this.inTransition.add(state);
    return state;
  }

  /** Completes every transition whose time has come. */
  settle(): void {
    const now = this.clock.nowMs();
    for (const state of this.inTransition) {
      if (!state.enablement.settle(now)) this.inTransition.delete(state);
    }
  }
}
