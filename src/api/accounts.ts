// Account operations: Enable, Disable, BatchGetAccountStatus, BatchGetFreeTrialInfo,
// ListAccountPermissions. The rules (who may act on which account, transitions) are the
// world's; this file translates between them and the model's shapes.
import { accountStatuses, disableAccounts, enableAccounts, targetsOf, type AccountFailure, type AccountsResult } from '../world/accounts/accounts.js';
import { SCAN_TYPES, type ScanType, type Status } from '../world/accounts/enablement.js';
import { visibleAccountRegions } from '../world/findings/query.js';
import type { AccountRegion, World } from '../world/world.js';
import type { ClientTokens } from './idempotency.js';
import { paginate } from './pagination.js';
import type { Handlers, Shapes } from './types.js';
import { standingOf } from '../world/accounts/organizations.js';

/** ResourceScanType (the request's enum) → the member name in ResourceStatus, ResourceState and AutoEnable. */
export const STATUS_KEY = {
  EC2: 'ec2',
  ECR: 'ecr',
  LAMBDA: 'lambda',
  LAMBDA_CODE: 'lambdaCode',
  CODE_REPOSITORY: 'codeRepository',
} as const satisfies Record<ScanType, keyof Shapes['ResourceStatus']>;

type StatusKey = (typeof STATUS_KEY)[ScanType];

const FREE_TRIAL_MS = 15 * 24 * 60 * 60 * 1000;

function perScanType<T>(value: (type: ScanType) => T): Record<StatusKey, T> {
  return Object.fromEntries(SCAN_TYPES.map((t) => [STATUS_KEY[t], value(t)])) as Record<StatusKey, T>;
}

function account(state: AccountRegion): Shapes['Account'] {
  return {
    accountId: state.accountId,
    status: state.enablement.accountStatus(),
    resourceStatus: perScanType((t) => state.enablement.status(t)),
  };
}

function failedAccount(failure: AccountFailure): Shapes['FailedAccount'] {
  return {
    accountId: failure.accountId,
    errorCode: failure.errorCode,
    errorMessage: failure.errorMessage,
    ...(failure.state ? { status: failure.state.enablement.accountStatus(), resourceStatus: account(failure.state).resourceStatus } : {}),
  };
}

function accountState(state: AccountRegion): Shapes['AccountState'] {
  // State.errorCode and errorMessage are required in the model, but AWS sends them only
  // when something failed; a healthy state is `{status}` alone.
  const stateOf = (status: Status) => ({ status }) as Shapes['State'];
  return {
    accountId: state.accountId,
    state: stateOf(state.enablement.accountStatus()),
    resourceState: perScanType((t) => stateOf(state.enablement.status(t))),
  };
}

function changeResult(result: AccountsResult): { accounts: Shapes['Account'][]; failedAccounts: Shapes['FailedAccount'][] } {
  return { accounts: result.accounts.map(account), failedAccounts: result.failed.map(failedAccount) };
}

const PERMISSIONS: Shapes['Permission'][] = [
  { service: 'EC2', operation: 'ENABLE_SCANNING' },
  { service: 'EC2', operation: 'DISABLE_SCANNING' },
  { service: 'ECR', operation: 'ENABLE_SCANNING' },
  { service: 'ECR', operation: 'DISABLE_SCANNING' },
  { service: 'ECR', operation: 'ENABLE_REPOSITORY' },
  { service: 'ECR', operation: 'DISABLE_REPOSITORY' },
  { service: 'LAMBDA', operation: 'ENABLE_SCANNING' },
  { service: 'LAMBDA', operation: 'DISABLE_SCANNING' },
];

export function accountHandlers(world: World, clientTokens: ClientTokens): Handlers {
  return {
    Enable: (input, { caller, operation }) =>
      clientTokens.once(`${caller.accountId}/${caller.region}/${operation}`, input.clientToken, input, () =>
        changeResult(enableAccounts(world, caller, targetsOf(input.accountIds, caller), input.resourceTypes)),
      ),

    Disable: (input, { caller }) =>
      changeResult(disableAccounts(world, caller, targetsOf(input.accountIds, caller), input.resourceTypes?.length ? input.resourceTypes : SCAN_TYPES)),

    BatchGetAccountStatus(input, { caller }) {
      const result = accountStatuses(world, caller, targetsOf(input.accountIds, caller));
      return { accounts: result.accounts.map(accountState), failedAccounts: result.failed.map(failedAccount) };
    },

    BatchGetFreeTrialInfo(input, { caller }) {
      const result = accountStatuses(world, caller, targetsOf(input.accountIds, caller));
      const now = world.clock.nowMs();
      return {
        accounts: result.accounts.map((state) => ({
          accountId: state.accountId,
          freeTrialInfo: SCAN_TYPES.filter((t) => state.enablement.firstEnabledAt.has(t)).map((type) => {
            const start = state.enablement.firstEnabledAt.get(type)!;
            return { type, start: new Date(start), end: new Date(start + FREE_TRIAL_MS), status: now < start + FREE_TRIAL_MS ? 'ACTIVE' : 'INACTIVE' };
          }),
        })),
        failedAccounts: result.failed.map((failure) => ({ accountId: failure.accountId, code: 'ACCESS_DENIED', message: failure.errorMessage })),
      };
    },

    ListUsageTotals(input, { caller, operation }) {
      // The caller's own usage and, for a delegated administrator, its members'; accounts it cannot see are left out.
      const ids = input.accountIds?.length ? input.accountIds : visibleAccountRegions(world, caller.accountId, caller.region).map((state) => state.accountId);
      const states = accountStatuses(world, caller, [...new Set(ids)]).accounts;
      const now = world.clock.nowMs();
      const page = paginate(operation, states, (state) => state.accountId, input, 100);
      return {
        totals: page.items.map((state) => ({
          accountId: state.accountId,
          usage: state.usage.totals(now).map((u) => ({ ...u, currency: 'USD' as const })),
        })),
        nextToken: page.nextToken,
      };
    },

    ListAccountPermissions(input, { caller, operation }) {
      // A member account cannot turn its own scans off: that is its delegated administrator's to do.
      const isMember = standingOf(world, caller.accountId, caller.region).delegatedAdminAccountId !== undefined;
      const permissions = PERMISSIONS.filter((p) => (!input.service || p.service === input.service) && !(isMember && p.operation === 'DISABLE_SCANNING'));
      const page = paginate(operation, permissions, (p) => `${p.service}/${p.operation}`, input, PERMISSIONS.length);
      return { permissions: page.items, nextToken: page.nextToken };
    },
  };
}
