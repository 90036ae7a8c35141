// Inspector enablement of one account in one region: a status per scan type, moving
// DISABLED → ENABLING → ENABLED → DISABLING → DISABLED. Enable and Disable answer the
// transitional status, as AWS does; the transition completes once the clock passes
// its due time. The account-level status is derived from the scan types' statuses.

export const SCAN_TYPES = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE', 'CODE_REPOSITORY'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];
export type Status = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED' | 'SUSPENDING' | 'SUSPENDED';

interface ScanTypeState {
  status: Status;
  /** When a transitional status becomes final (clock milliseconds). */
  dueAt?: number;
}

const SETTLED: Partial<Record<Status, Status>> = { ENABLING: 'ENABLED', DISABLING: 'DISABLED', SUSPENDING: 'SUSPENDED' };

export class Enablement {
  private readonly scanTypes = new Map<ScanType, ScanTypeState>(SCAN_TYPES.map((t) => [t, { status: 'DISABLED' }]));

  status(type: ScanType): Status {
    return this.scanTypes.get(type)!.status;
  }

  /**
   * The account's status: ENABLED while any scan type is enabled, else the transition
   * under way (ENABLING before DISABLING), else DISABLED.
   */
  accountStatus(): Status {
    const statuses = new Set([...this.scanTypes.values()].map((s) => s.status));
    for (const status of ['ENABLED', 'ENABLING', 'DISABLING', 'SUSPENDING', 'SUSPENDED'] as const) {
      if (statuses.has(status)) return status;
    }
    return 'DISABLED';
  }

  enable(types: readonly ScanType[], dueAt: number): void {
    for (const type of types) {
      const state = this.scanTypes.get(type)!;
      if (state.status === 'DISABLED' || state.status === 'DISABLING') this.scanTypes.set(type, { status: 'ENABLING', dueAt });
    }
  }

  disable(types: readonly ScanType[], dueAt: number): void {
    for (const type of types) {
      const state = this.scanTypes.get(type)!;
      if (state.status === 'ENABLED' || state.status === 'ENABLING') this.scanTypes.set(type, { status: 'DISABLING', dueAt });
    }
  }

  /** Completes the transitions that are due at `now`; true if any is still pending. */
  settle(now: number): boolean {
    let pending = false;
    for (const [type, state] of this.scanTypes) {
      const final = SETTLED[state.status];
      if (!final) continue;
      if (state.dueAt !== undefined && state.dueAt <= now) this.scanTypes.set(type, { status: final });
      else pending = true;
    }
    return pending;
  }
}
