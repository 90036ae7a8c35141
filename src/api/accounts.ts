// Enable, Disable, BatchGetAccountStatus: the first slice of account semantics. Every
// caller acts on its own account in the request's region; other accounts are answered in
// `failedAccounts` with ACCESS_DENIED until organizations (delegated administrators and
// their members) exist.
import type { AccountRegion, World } from '../world/world.js';
import { SCAN_TYPES, type ScanType, type Status } from '../world/enablement.js';
import type { Handlers, Shapes } from './types.js';

/** ResourceScanType (the request's enum) → the member name in ResourceStatus and ResourceState. */
const STATUS_KEY = {
  EC2: 'ec2',
  ECR: 'ecr',
  LAMBDA: 'lambda',
  LAMBDA_CODE: 'lambdaCode',
  CODE_REPOSITORY: 'codeRepository',
} as const satisfies Record<ScanType, keyof Shapes['ResourceStatus']>;

function account(state: AccountRegion): Shapes['Account'] {
  const resourceStatus = Object.fromEntries(SCAN_TYPES.map((t) => [STATUS_KEY[t], state.enablement.status(t)])) as Record<
    (typeof STATUS_KEY)[ScanType],
    Status
  >;
  return { accountId: state.accountId, status: state.enablement.accountStatus(), resourceStatus };
}

function accountState(state: AccountRegion): Shapes['AccountState'] {
  // State.errorCode and errorMessage are required in the model, but AWS sends them only
  // when something failed; a healthy state is `{status}` alone.
  const stateOf = (status: Status) => ({ status }) as Shapes['State'];
  const resourceState = Object.fromEntries(SCAN_TYPES.map((t) => [STATUS_KEY[t], stateOf(state.enablement.status(t))])) as Record<
    (typeof STATUS_KEY)[ScanType],
    Shapes['State']
  >;
  return { accountId: state.accountId, state: stateOf(state.enablement.accountStatus()), resourceState };
}

function deniedAccount(accountId: string, action: string): Shapes['FailedAccount'] {
  return {
    accountId,
    errorCode: 'ACCESS_DENIED',
    errorMessage: `The caller is not authorized to ${action} account ${accountId}: it is neither the caller nor one of its members.`,
  };
}

/** The accounts a request targets: the distinct ids given, or the caller when none are. */
function targets(accountIds: string[] | undefined, callerAccountId: string): string[] {
  return accountIds?.length ? [...new Set(accountIds)] : [callerAccountId];
}

export function accountHandlers(world: World): Handlers {
  return {
    Enable(input, { caller }) {
      const accounts: Shapes['Account'][] = [];
      const failedAccounts: Shapes['FailedAccount'][] = [];
      for (const accountId of targets(input.accountIds, caller.accountId)) {
        if (accountId !== caller.accountId) failedAccounts.push(deniedAccount(accountId, 'enable Amazon Inspector for'));
        else accounts.push(account(world.enable(accountId, caller.region, input.resourceTypes)));
      }
      return { accounts, failedAccounts };
    },

    Disable(input, { caller }) {
      const types = input.resourceTypes?.length ? input.resourceTypes : SCAN_TYPES;
      const accounts: Shapes['Account'][] = [];
      const failedAccounts: Shapes['FailedAccount'][] = [];
      for (const accountId of targets(input.accountIds, caller.accountId)) {
        if (accountId !== caller.accountId) failedAccounts.push(deniedAccount(accountId, 'disable Amazon Inspector for'));
        else accounts.push(account(world.disable(accountId, caller.region, types)));
      }
      return { accounts, failedAccounts };
    },

    BatchGetAccountStatus(input, { caller }) {
      const accounts: Shapes['AccountState'][] = [];
      const failedAccounts: Shapes['FailedAccount'][] = [];
      for (const accountId of targets(input.accountIds, caller.accountId)) {
        if (accountId !== caller.accountId) failedAccounts.push(deniedAccount(accountId, 'read the status of'));
        else accounts.push(accountState(world.accountRegion(accountId, caller.region)));
      }
      return { accounts, failedAccounts };
    },
  };
}
