// Inspector enablement of one account in one region: a status per scan type, moving
// DISABLED → ENABLING → ENABLED → DISABLING → DISABLED. Enable and Disable answer the
// transitional status, as AWS does; the world completes the transition when the clock
// passes its due time. The account-level status is derived from the scan types'.
import { z } from 'zod';
import { declareState } from '../platform/state.js';

export const SCAN_TYPES = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE', 'CODE_REPOSITORY'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];
export type Status = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED' | 'SUSPENDING' | 'SUSPENDED';
/**
 * The scan types a Disable of `types` turns off: Lambda code scanning builds on Lambda
 * standard scanning, so turning LAMBDA off turns LAMBDA_CODE off with it ("Deactivating
 * Amazon Inspector Lambda standard scanning will also deactivate Amazon Inspector Lambda
 * code scanning": https://docs.aws.amazon.com/inspector/latest/user/scanning_resources_lambda.html).
 */
export function disabledWith(types: readonly ScanType[]): ScanType[] {
  return SCAN_TYPES.filter((type) => types.includes(type) || (type === 'LAMBDA_CODE' && types.includes('LAMBDA')));
}

/** Why a requested change cannot start now (the model's ErrorCode values). */
type TransitionConflict = 'ENABLE_IN_PROGRESS' | 'DISABLE_IN_PROGRESS';

interface ScanTypeState {
  status: Status;
  /** When a transitional status becomes final (clock milliseconds). */
  dueAt?: number;
}

class Enablement {
  private readonly scanTypes = new Map<ScanType, ScanTypeState>(SCAN_TYPES.map((t) => [t, { status: 'DISABLED' }]));
  /** When each scan type was first enabled: its free trial starts then. */
  readonly firstEnabledAt = new Map<ScanType, number>();

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

  isEnabledOrEnabling(type: ScanType): boolean {
    const status = this.status(type);
    return status === 'ENABLED' || status === 'ENABLING';
  }

  /** A scan type being disabled cannot be enabled until that completes. */
  enableConflict(types: readonly ScanType[]): TransitionConflict | undefined {
    return types.some((t) => this.status(t) === 'DISABLING') ? 'DISABLE_IN_PROGRESS' : undefined;
  }

  /** A scan type being enabled cannot be disabled until that completes. */
  disableConflict(types: readonly ScanType[]): TransitionConflict | undefined {
    return types.some((t) => this.status(t) === 'ENABLING') ? 'ENABLE_IN_PROGRESS' : undefined;
  }

  /** Starts enabling the types that are DISABLED; returns those it started. Enabled or enabling types are left as they are. */
  enable(types: readonly ScanType[], now: number, dueAt: number): ScanType[] {
    const started = types.filter((t) => this.status(t) === 'DISABLED');
    for (const type of started) {
      this.scanTypes.set(type, { status: 'ENABLING', dueAt });
      if (!this.firstEnabledAt.has(type)) this.firstEnabledAt.set(type, now);
    }
    return started;
  }

  /** Starts disabling the types that are ENABLED; returns those it started. */
  disable(types: readonly ScanType[], dueAt: number): ScanType[] {
    const started = types.filter((t) => this.status(t) === 'ENABLED');
    for (const type of started) this.scanTypes.set(type, { status: 'DISABLING', dueAt });
    return started;
  }

  /** The statuses as data (for a snapshot). */
  save(): { scanTypes: Map<ScanType, ScanTypeState>; firstEnabledAt: Map<ScanType, number> } {
    return { scanTypes: this.scanTypes, firstEnabledAt: this.firstEnabledAt };
  }

  static load(saved: { scanTypes: Map<ScanType, ScanTypeState>; firstEnabledAt: Map<ScanType, number> }): Enablement {
    const enablement = new Enablement();
    for (const [type, state] of saved.scanTypes) enablement.scanTypes.set(type, state);
    for (const [type, at] of saved.firstEnabledAt) enablement.firstEnabledAt.set(type, at);
    return enablement;
  }

  /** Completes the transition of a type, if it is still the one that was due then. */
  complete(type: ScanType, dueAt: number): void {
    const state = this.scanTypes.get(type)!;
    if (state.dueAt !== dueAt) return;
    if (state.status === 'ENABLING') this.scanTypes.set(type, { status: 'ENABLED' });
    if (state.status === 'DISABLING') this.scanTypes.set(type, { status: 'DISABLED' });
  }
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    enablement: Enablement;
  }
}

const STATUSES = ['ENABLING', 'ENABLED', 'DISABLING', 'DISABLED', 'SUSPENDING', 'SUSPENDED'] as const;

declareState('account-region', 'enablement', {
  empty: () => new Enablement(),
  schema: z.strictObject({
    scanTypes: z.map(z.enum(SCAN_TYPES), z.strictObject({ status: z.enum(STATUSES), dueAt: z.number().finite().optional() })),
    firstEnabledAt: z.map(z.enum(SCAN_TYPES), z.number().finite()),
  }),
  save: (value) => value.save(),
  load: (saved) => Enablement.load(saved),
});
