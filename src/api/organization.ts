// Organization operations: the delegated administrator, members, and the organization
// configuration. The rules are the world's (world/delegation.ts); this file maps shapes.
import {
  associateMember,
  delegatedAdminOf,
  describeOrganizationConfiguration,
  disableDelegatedAdmin,
  disassociateMember,
  enableDelegatedAdmin,
  getMember,
  listDelegatedAdmins,
  listMembers,
  updateOrganizationConfiguration,
  type MemberView,
} from '../world/accounts/delegation.js';
import { SCAN_TYPES, type ScanType } from '../world/accounts/enablement.js';
import type { World } from '../world/world.js';
import { STATUS_KEY } from './accounts.js';
import type { ClientTokens } from './idempotency.js';
import { paginate } from './pagination.js';
import type { Handlers, Shapes } from './types.js';

function member(view: MemberView): Shapes['Member'] {
  return {
    accountId: view.accountId,
    relationshipStatus: view.relationshipStatus,
    updatedAt: view.updatedAt,
    ...(view.delegatedAdminAccountId ? { delegatedAdminAccountId: view.delegatedAdminAccountId } : {}),
  };
}

function autoEnableShape(types: Set<ScanType>): Shapes['AutoEnable'] {
  return Object.fromEntries(SCAN_TYPES.map((t) => [STATUS_KEY[t], types.has(t)])) as Shapes['AutoEnable'];
}

function autoEnableTypes(shape: Shapes['AutoEnable']): Set<ScanType> {
  return new Set(SCAN_TYPES.filter((t) => shape[STATUS_KEY[t]] === true));
}

export function organizationHandlers(world: World, clientTokens: ClientTokens): Handlers {
  return {
    EnableDelegatedAdminAccount: (input, { caller, operation }) =>
      clientTokens.once(`${caller.accountId}/${caller.region}/${operation}`, input.clientToken, input, () => {
        enableDelegatedAdmin(world, caller, input.delegatedAdminAccountId);
        return { delegatedAdminAccountId: input.delegatedAdminAccountId };
      }),

    DisableDelegatedAdminAccount(input, { caller }) {
      disableDelegatedAdmin(world, caller, input.delegatedAdminAccountId);
      return { delegatedAdminAccountId: input.delegatedAdminAccountId };
    },

    GetDelegatedAdminAccount(_input, { caller }) {
      const admin = delegatedAdminOf(world, caller);
      if (!admin) return {};
      // RelationshipStatus has no "disable in progress": an administrator on its way out is DISABLED.
      return { delegatedAdmin: { accountId: admin.accountId, relationshipStatus: admin.status === 'ENABLED' ? 'ENABLED' : 'DISABLED' } };
    },

    ListDelegatedAdminAccounts(input, { caller, operation }) {
      const page = paginate(operation, listDelegatedAdmins(world, caller), (a) => a.accountId, input, 5);
      return { delegatedAdminAccounts: page.items, nextToken: page.nextToken };
    },

    AssociateMember(input, { caller }) {
      associateMember(world, caller, input.accountId);
      return { accountId: input.accountId };
    },

    DisassociateMember(input, { caller }) {
      disassociateMember(world, caller, input.accountId);
      return { accountId: input.accountId };
    },

    GetMember: (input, { caller }) => ({ member: member(getMember(world, caller, input.accountId)) }),

    ListMembers(input, { caller, operation }) {
      const page = paginate(operation, listMembers(world, caller, input.onlyAssociated ?? false), (m) => m.accountId, input, 50);
      return { members: page.items.map(member), nextToken: page.nextToken };
    },

    DescribeOrganizationConfiguration(_input, { caller }) {
      const configuration = describeOrganizationConfiguration(world, caller);
      return { autoEnable: autoEnableShape(configuration.autoEnable), maxAccountLimitReached: configuration.maxAccountLimitReached };
    },

    UpdateOrganizationConfiguration: (input, { caller }) => ({
      autoEnable: autoEnableShape(updateOrganizationConfiguration(world, caller, autoEnableTypes(input.autoEnable))),
    }),
  };
}
