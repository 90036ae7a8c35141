// Enabling, disabling and reading Inspector for accounts, with AWS's rules on who may act
// on which account: an account on itself; a delegated administrator on its associated
// members. Per-account problems are answered per account (the model's ErrorCode values),
// never as a failure of the whole request.
import { WorldError } from '../platform/errors.js';
import { SCAN_TYPES, disabledWith, type ScanType } from './enablement.js';
import type { AccountRegion, Caller, World } from '../world.js';
import { z } from 'zod';
import { defaultInventory } from '../inventory/default-inventory.js';
import { askInventoryNeighbour } from '../inventory/external.js';
import { ensureInspectorRole } from './iam.js';
import { registerTask, taskAccountId, taskRegion, taskTime } from '../platform/tasks.js';
import { reconcile } from '../scanning/coverage.js';
import { standingOf } from './organizations.js';
import { deactivated } from '../findings/lifecycle.js';

type AccountErrorCode = 'ACCESS_DENIED' | 'RESOURCE_NOT_FOUND' | 'ENABLE_IN_PROGRESS' | 'DISABLE_IN_PROGRESS' | 'DISASSOCIATE_ALL_MEMBERS';

export interface AccountFailure {
  accountId: string;
  errorCode: AccountErrorCode;
  errorMessage: string;
  /** The account's state, when the caller may see it. */
  state?: AccountRegion;
}

export interface AccountsResult {
  accounts: AccountRegion[];
  failed: AccountFailure[];
}

/** Why the caller may not act on the target account in its region, or undefined when it may. */
function refusal(world: World, caller: Caller, target: string): AccountFailure | undefined {
  if (target === caller.accountId) return undefined;
  const standing = standingOf(world, caller.accountId, caller.region);
  if (standing.isDelegatedAdmin && standing.inspectorOrganization!.isAssociated(target)) return undefined;
  if (standing.isDelegatedAdmin && !standing.organization!.accounts.has(target)) {
    return {
      accountId: target,
      errorCode: 'RESOURCE_NOT_FOUND',
      errorMessage: `Account ${target} is not part of the organization ${standing.organization!.id}.`,
    };
  }
  return {
    accountId: target,
    errorCode: 'ACCESS_DENIED',
    errorMessage: standing.isDelegatedAdmin
      ? `Account ${target} is not associated with the delegated administrator ${caller.accountId} in ${caller.region}.`
      : `Account ${caller.accountId} is not authorized to manage account ${target}: only its delegated administrator may.`,
  };
}

/** The distinct accounts a request names, or the caller when it names none. */
export function targetsOf(accountIds: readonly string[] | undefined, caller: Caller): string[] {
  return accountIds?.length ? [...new Set(accountIds)] : [caller.accountId];
}

export function enableAccounts(world: World, caller: Caller, accountIds: string[], types: readonly ScanType[]): AccountsResult {
  // Lambda code scanning builds on Lambda standard scanning: it needs LAMBDA on, or asked for now.
  if (types.includes('LAMBDA_CODE') && !types.includes('LAMBDA')) {
    const without = accountIds.filter((id) => !refusal(world, caller, id) && !world.accountRegion(id, caller.region).enablement.isEnabledOrEnabling('LAMBDA'));
    if (without.length) {
      throw new WorldError(
        'Invalid',
        `Lambda code scanning requires Lambda standard scanning: enable LAMBDA with LAMBDA_CODE for account(s) ${without.join(', ')}.`,
      );
    }
  }
  return onEachAccount(world, caller, accountIds, (state) => {
    const conflict = state.enablement.enableConflict(types);
    if (conflict) return { accountId: state.accountId, errorCode: conflict, errorMessage: inProgressMessage(state, 'disabled'), state };
    startEnabling(world, state, types);
    return undefined;
  });
}

export function disableAccounts(world: World, caller: Caller, accountIds: string[], requested: readonly ScanType[]): AccountsResult {
  // Turning Lambda standard scanning off turns Lambda code scanning off with it.
  const types = disabledWith(requested);
  const standing = standingOf(world, caller.accountId, caller.region);
  if (standing.delegatedAdminAccountId && accountIds.includes(caller.accountId)) {
    throw new WorldError('AccessDenied', `Member account ${caller.accountId} is not authorized to disable itself.`);
  }
  return onEachAccount(world, caller, accountIds, (state) => {
    const conflict = state.enablement.disableConflict(types);
    if (conflict) return { accountId: state.accountId, errorCode: conflict, errorMessage: inProgressMessage(state, 'enabled'), state };
    if (state.accountId === caller.accountId && standing.isDelegatedAdmin && wouldDeactivate(state, types)) {
      const members = standing.inspectorOrganization!.associatedCount();
      if (members > 0) {
        return {
          accountId: state.accountId,
          errorCode: 'DISASSOCIATE_ALL_MEMBERS',
          errorMessage: `The delegated administrator must disassociate its ${members} member account(s) before it deactivates Amazon Inspector.`,
          state,
        };
      }
    }
    startDisabling(world, state, types);
    return undefined;
  });
}

export function accountStatuses(world: World, caller: Caller, accountIds: string[]): AccountsResult {
  return onEachAccount(world, caller, accountIds, () => undefined);
}

/**
 * Applies `act` to each account the caller may act on; the others, and those `act`
 * refuses, are answered as failures.
 */
function onEachAccount(world: World, caller: Caller, accountIds: string[], act: (state: AccountRegion) => AccountFailure | undefined): AccountsResult {
  const result: AccountsResult = { accounts: [], failed: [] };
  for (const accountId of accountIds) {
    const refused = refusal(world, caller, accountId);
    if (refused) {
      result.failed.push(refused);
      continue;
    }
    const state = world.accountRegion(accountId, caller.region);
    const failed = act(state);
    if (failed) result.failed.push(failed);
    else result.accounts.push(state);
  }
  return result;
}

/** Whether disabling these types leaves no scan type enabled: that deactivates Inspector in the account. */
function wouldDeactivate(state: AccountRegion, types: readonly ScanType[]): boolean {
  return SCAN_TYPES.every((type) => types.includes(type) || !state.enablement.isEnabledOrEnabling(type));
}

function inProgressMessage(state: AccountRegion, becoming: 'enabled' | 'disabled'): string {
  return `A scan type of account ${state.accountId} in ${state.region} is still being ${becoming}; try again when that has completed.`;
}

/**
 * The caller's state, if Inspector is enabled there (any scan type, or enabling): the
 * feature operations (CIS scans, code security) answer AWS's AccessDenied otherwise.
 */
export function enabledState(world: World, caller: Caller): AccountRegion {
  const state = world.accountRegion(caller.accountId, caller.region);
  const status = state.enablement.accountStatus();
  if (status !== 'ENABLED' && status !== 'ENABLING') throw new WorldError('AccessDenied', 'Invoking account is not enabled.');
  return state;
}

/**
 * Starts enabling scan types in an account. The first enablement anywhere creates the
 * service-linked role; the types become ENABLED when the transition time has passed.
 */
export function startEnabling(world: World, state: AccountRegion, types: readonly ScanType[]): void {
  const now = world.clock.nowMs();
  const dueAt = now + world.options.transitionMs;
  // An account-region the seeds say nothing about gets a small generated inventory, or its inventory neighbour's (external.ts).
  if (!askInventoryNeighbour(world, state)) state.inventory ??= defaultInventory(state.accountId, state.region, world.clock.now());
  for (const type of state.enablement.enable(types, now, dueAt)) {
    world.scheduler.schedule(dueAt, { kind: 'complete-transition', accountId: state.accountId, region: state.region, scanType: type, dueAt });
  }
  ensureInspectorRole(world, state.accountId, state.region);
  world.changed();
}

/**
 * Starts disabling scan types: their coverage is PENDING_DISABLE until they are DISABLED,
 * then it is gone and their findings are closed.
 */
function startDisabling(world: World, state: AccountRegion, types: readonly ScanType[]): void {
  const dueAt = world.clock.nowMs() + world.options.transitionMs;
  for (const type of state.enablement.disable(types, dueAt)) {
    world.scheduler.schedule(dueAt, { kind: 'complete-transition', accountId: state.accountId, region: state.region, scanType: type, dueAt });
  }
  reconcile(world, state);
  world.changed();
}

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** Enable or Disable of one scan type completes. */
    'complete-transition': { accountId: string; region: string; scanType: ScanType; dueAt: number };
  }
}

registerTask(
  'complete-transition',
  z.strictObject({ accountId: taskAccountId, region: taskRegion, scanType: z.enum(SCAN_TYPES), dueAt: taskTime }),
  (world, task) => {
    const state = world.existingAccountRegion(task.accountId, task.region);
    if (!state) return;
    const disabling = state.enablement.status(task.scanType) === 'DISABLING';
    state.enablement.complete(task.scanType, task.dueAt);
    reconcile(world, state);
    // The last scan type turned off deactivates Inspector: settings go now, findings later (lifecycle.ts).
    if (disabling && state.enablement.status(task.scanType) === 'DISABLED' && state.enablement.accountStatus() === 'DISABLED') deactivated(world, state);
  },
);
