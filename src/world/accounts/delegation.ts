// Delegated administration: the management account designates one delegated administrator
// per organization (the same account in every region); the delegated administrator
// associates member accounts, manages their scans and sets what is enabled automatically
// for accounts that join later. Removing it leaves every account standalone, as enabled
// as it was.
import { SCAN_TYPES, type ScanType } from './enablement.js';
import { WorldError } from '../platform/errors.js';
import {
  type InspectorOrganization,
  type Membership,
  type Organization,
  inspectorOrganization,
  inspectorOrganizationById,
  inspectorOrganizationsOf,
  organizationOf,
  standingOf,
} from './organizations.js';
import type { World } from '../world.js';
import type { Caller } from '../world.js';
import { startEnabling } from './accounts.js';
import { z } from 'zod';
import { registerTask, taskAccountId, taskId, taskRegion, taskTime } from '../platform/tasks.js';
import { recomputeSuppression } from '../findings/filters.js';

/** The scan types enabled in an account when it becomes the delegated administrator. */
const DELEGATED_ADMIN_SCAN_TYPES: readonly ScanType[] = ['EC2', 'ECR', 'LAMBDA'];

function organizationManagedBy(world: World, caller: Caller, action: string): Organization {
  const organization = organizationOf(world, caller.accountId);
  if (!organization || organization.managementAccountId !== caller.accountId) {
    throw new WorldError('AccessDenied', `Only the management account of an organization can ${action}; ${caller.accountId} is not one.`);
  }
  return organization;
}

/** The caller's organization in its region, when the caller is its delegated administrator. */
function administeredBy(world: World, caller: Caller, action: string): InspectorOrganization {
  const standing = standingOf(world, caller.accountId, caller.region);
  if (!standing.isDelegatedAdmin) {
    throw new WorldError(
      'AccessDenied',
      `Only the delegated administrator of the organization can ${action}; ${caller.accountId} is not the delegated administrator in ${caller.region}.`,
    );
  }
  return standing.inspectorOrganization!;
}

export function enableDelegatedAdmin(world: World, caller: Caller, adminAccountId: string): void {
  const organization = organizationManagedBy(world, caller, 'designate a delegated administrator');
  if (!organization.accounts.has(adminAccountId)) {
    throw new WorldError('Invalid', `Account ${adminAccountId} is not a member of the organization ${organization.id}.`);
  }
  // Organizations registers only a member account as a delegated administrator, never the
  // management account (RegisterDelegatedAdministrator's CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR:
  // https://docs.aws.amazon.com/organizations/latest/APIReference/API_RegisterDelegatedAdministrator.html).
  if (adminAccountId === organization.managementAccountId) {
    throw new WorldError(
      'Invalid',
      `The management account ${adminAccountId} of the organization ${organization.id} cannot be the delegated administrator; designate a member account.`,
    );
  }
  const account = { id: adminAccountId, type: 'AWS::Organizations::Account' };
  for (const regional of inspectorOrganizationsOf(world, organization)) {
    const current = regional.delegatedAdmin;
    if (!current) continue;
    if (current.accountId === adminAccountId && regional.region === caller.region) {
      throw new WorldError('Conflict', `Delegated administrator ${adminAccountId} is already enabled for the organization`, account);
    }
    if (current.accountId !== adminAccountId) {
      throw new WorldError(
        'Conflict',
        `Account ${current.accountId} is already the delegated administrator of the organization in ${regional.region}; an organization has one delegated administrator in every region.`,
        account,
      );
    }
  }
  const regional = inspectorOrganization(world, organization, caller.region);
  regional.delegatedAdmin = { accountId: adminAccountId, status: 'ENABLED' };
  startEnabling(world, world.accountRegion(adminAccountId, caller.region), DELEGATED_ADMIN_SCAN_TYPES);
}

export function disableDelegatedAdmin(world: World, caller: Caller, adminAccountId: string): void {
  const organization = organizationManagedBy(world, caller, 'remove the delegated administrator');
  const regional = inspectorOrganization(world, organization, caller.region);
  const current = regional.delegatedAdmin;
  if (!current) {
    throw new WorldError('NotFound', `The organization ${organization.id} has no delegated administrator in ${caller.region}.`);
  }
  if (current.accountId !== adminAccountId) {
    throw new WorldError('Conflict', `Account ${adminAccountId} is not the delegated administrator; ${current.accountId} is.`, {
      id: adminAccountId,
      type: 'AWS::Organizations::Account',
    });
  }
  if (current.status === 'DISABLE_IN_PROGRESS') return;
  current.status = 'DISABLE_IN_PROGRESS';
  world.afterTransition({ kind: 'remove-delegated-admin', organizationId: organization.id, region: caller.region });
  world.changed();
}

/** Every member becomes a standalone account and keeps its scans; a next administrator starts afresh. */
function removeDelegatedAdmin(world: World, regional: InspectorOrganization): void {
  if (regional.delegatedAdmin?.status !== 'DISABLE_IN_PROGRESS') return;
  const members = [...regional.members.keys()];
  regional.delegatedAdmin = undefined;
  regional.members.clear();
  regional.autoEnable = new Set();
  // The administrator's suppression rules no longer govern its former members' findings.
  recomputeSuppression(world, regional.region, members);
}

/** The organization's delegated administrator seen from the caller's account (any account of the organization). */
export function delegatedAdminOf(world: World, caller: Caller): { accountId: string; status: 'ENABLED' | 'DISABLE_IN_PROGRESS' } | undefined {
  const standing = standingOf(world, caller.accountId, caller.region);
  return standing.inspectorOrganization?.delegatedAdmin;
}

export function listDelegatedAdmins(world: World, caller: Caller): { accountId: string; status: 'ENABLED' | 'DISABLE_IN_PROGRESS' }[] {
  const standing = standingOf(world, caller.accountId, caller.region);
  if (standing.isDelegatedAdmin && !standing.isManagementAccount) {
    throw new WorldError('Invalid', `Account ${caller.accountId} is the delegated admin; only the management account can list delegated administrators.`);
  }
  const organization = organizationManagedBy(world, caller, 'list delegated administrators');
  const current = inspectorOrganization(world, organization, caller.region).delegatedAdmin;
  return current ? [{ ...current }] : [];
}

export function associateMember(world: World, caller: Caller, accountId: string): void {
  const regional = administeredBy(world, caller, 'associate member accounts');
  if (accountId === caller.accountId) {
    throw new WorldError('Invalid', `The delegated administrator ${accountId} cannot be associated as its own member.`);
  }
  if (!regional.organization.accounts.has(accountId)) {
    throw new WorldError('Invalid', `Account ${accountId} is not a member of the organization ${regional.organization.id}.`);
  }
  if (regional.isAssociated(accountId)) return;
  if (regional.associatedCount() >= world.options.maxMembers) {
    throw new WorldError(
      'QuotaExceeded',
      `The delegated administrator ${caller.accountId} has reached the limit of ${world.options.maxMembers} member accounts in ${caller.region}.`,
      { id: caller.accountId, type: 'AWS::Organizations::Account' },
    );
  }
  startAssociation(world, regional, accountId);
}

/** An association is CREATED at once and ENABLED when the transition time has passed. */
function startAssociation(world: World, regional: InspectorOrganization, accountId: string): void {
  const membership: Membership = { accountId, relationshipStatus: 'CREATED', updatedAt: world.clock.now() };
  regional.members.set(accountId, membership);
  recomputeSuppression(world, regional.region, [accountId]);
  world.afterTransition({
    kind: 'activate-member',
    organizationId: regional.organization.id,
    region: regional.region,
    accountId,
    createdAt: membership.updatedAt.getTime(),
  });
  world.changed();
}

/** A CREATED association becomes ENABLED, unless it was removed or made anew meanwhile. */
function activateMember(world: World, regional: InspectorOrganization, accountId: string, createdAt: number): void {
  const membership = regional.members.get(accountId);
  if (membership?.relationshipStatus !== 'CREATED' || membership.updatedAt.getTime() !== createdAt) return;
  membership.relationshipStatus = 'ENABLED';
  membership.updatedAt = world.clock.now();
}

export function disassociateMember(world: World, caller: Caller, accountId: string): void {
  const regional = administeredBy(world, caller, 'disassociate member accounts');
  if (!regional.isAssociated(accountId)) {
    throw new WorldError(
      'Invalid',
      'The request is rejected because the current account cannot disassociate the given member account ID since the latter is not yet associated to it.',
    );
  }
  // The account stays enabled, now standalone.
  regional.members.set(accountId, { accountId, relationshipStatus: 'REMOVED', updatedAt: world.clock.now() });
  recomputeSuppression(world, caller.region, [accountId]);
  world.changed();
}

export interface MemberView extends Membership {
  delegatedAdminAccountId?: string;
}

export function getMember(world: World, caller: Caller, accountId: string): MemberView {
  const standing = standingOf(world, caller.accountId, caller.region);
  const regional = standing.inspectorOrganization;
  const mayRead = standing.isDelegatedAdmin || (accountId === caller.accountId && standing.delegatedAdminAccountId !== undefined);
  if (!regional || !mayRead) {
    throw new WorldError('AccessDenied', 'Invoking account does not have access to get member account');
  }
  const member = memberOf(regional, accountId);
  if (!member) throw new WorldError('NotFound', `Account ${accountId} is not a member of the delegated administrator ${regional.delegatedAdmin!.accountId}.`);
  return member;
}

/** Members of the caller's organization (the delegated administrator's view), in account id order. */
export function listMembers(world: World, caller: Caller, onlyAssociated: boolean): MemberView[] {
  const regional = administeredBy(world, caller, 'list member accounts');
  const members: MemberView[] = [];
  for (const account of [...regional.organization.accounts.keys()].sort()) {
    if (onlyAssociated && !regional.isAssociated(account)) continue;
    const member = memberOf(regional, account);
    if (member) members.push(member);
  }
  return members;
}

/**
 * One account as a member of the organization, the same for ListMembers and GetMember: every
 * account of the organization but the delegated administrator ("all members within the
 * organization": https://docs.aws.amazon.com/inspector/v2/APIReference/API_ListMembers.html).
 * One never associated is CREATED: known, not yet a member; one disassociated is REMOVED.
 */
function memberOf(regional: InspectorOrganization, accountId: string): MemberView | undefined {
  const account = regional.organization.accounts.get(accountId);
  if (!account || accountId === regional.delegatedAdmin?.accountId) return undefined;
  const membership = regional.members.get(accountId);
  return membership ? memberView(regional, membership) : { accountId, relationshipStatus: 'CREATED', updatedAt: account.joinedAt };
}

function memberView(regional: InspectorOrganization, membership: Membership): MemberView {
  return {
    ...membership,
    ...(regional.isAssociated(membership.accountId) ? { delegatedAdminAccountId: regional.delegatedAdmin!.accountId } : {}),
  };
}

export interface OrganizationConfiguration {
  autoEnable: Set<ScanType>;
  maxAccountLimitReached: boolean;
}

export function describeOrganizationConfiguration(world: World, caller: Caller): OrganizationConfiguration {
  const regional = administeredBy(world, caller, 'describe the organization configuration');
  return { autoEnable: new Set(regional.autoEnable), maxAccountLimitReached: regional.associatedCount() >= world.options.maxMembers };
}

export function updateOrganizationConfiguration(world: World, caller: Caller, autoEnable: Set<ScanType>): Set<ScanType> {
  const regional = administeredBy(world, caller, 'update the organization configuration');
  if (autoEnable.has('LAMBDA_CODE') && !autoEnable.has('LAMBDA')) {
    throw new WorldError('Invalid', 'Automatic Lambda code scanning requires automatic Lambda standard scanning (lambda: true).');
  }
  regional.autoEnable = new Set(autoEnable);
  world.changed();
  return new Set(regional.autoEnable);
}

/**
 * An account joins an organization (through the control plane). In every region where the
 * organization has a delegated administrator that auto-enables scan types, the account is
 * associated and those types are enabled, unless the member limit is reached.
 */
export function joinOrganization(world: World, organization: Organization, accountId: string, name: string): void {
  if (organizationOf(world, accountId)) {
    throw new WorldError('Conflict', `Account ${accountId} is already in an organization.`, { id: accountId, type: 'AWS::Organizations::Account' });
  }
  organization.accounts.set(accountId, { id: accountId, name, joinedAt: world.clock.now() });
  world.changed();
  for (const regional of inspectorOrganizationsOf(world, organization)) {
    if (regional.delegatedAdmin?.status !== 'ENABLED' || regional.autoEnable.size === 0) continue;
    if (regional.associatedCount() >= world.options.maxMembers) {
      // The administrator hears of it (https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html#event-auto-enable).
      world.events.autoEnableFailed(
        regional.region,
        regional.delegatedAdmin.accountId,
        `The number of member accounts enabled with AWS Inspector has reached the maximum limit of ${world.options.maxMembers.toLocaleString('en-US')}`,
      );
      continue;
    }
    startAssociation(world, regional, accountId);
    startEnabling(
      world,
      world.accountRegion(accountId, regional.region),
      SCAN_TYPES.filter((t) => regional.autoEnable.has(t)),
    );
  }
}

/** An account leaves its organization: it is disassociated everywhere and keeps its scans. */
export function leaveOrganization(world: World, organization: Organization, accountId: string): void {
  if (!organization.accounts.has(accountId)) {
    throw new WorldError('NotFound', `Account ${accountId} is not in the organization ${organization.id}.`);
  }
  if (accountId === organization.managementAccountId) {
    throw new WorldError('Invalid', `The management account ${accountId} cannot leave its organization.`);
  }
  for (const regional of inspectorOrganizationsOf(world, organization)) {
    if (regional.delegatedAdmin?.accountId === accountId) {
      throw new WorldError('Invalid', `Account ${accountId} is the delegated administrator in ${regional.region}; remove it first.`);
    }
  }
  for (const regional of inspectorOrganizationsOf(world, organization)) regional.members.delete(accountId);
  organization.accounts.delete(accountId);
  for (const regional of inspectorOrganizationsOf(world, organization)) recomputeSuppression(world, regional.region, [accountId]);
  world.changed();
}

declare module '../platform/tasks.js' {
  interface TaskKinds {
    'remove-delegated-admin': { organizationId: string; region: string };
    'activate-member': { organizationId: string; region: string; accountId: string; createdAt: number };
  }
}

registerTask('remove-delegated-admin', z.strictObject({ organizationId: taskId, region: taskRegion }), (world, task) => {
  const regional = inspectorOrganizationById(world, task.organizationId, task.region);
  if (regional) removeDelegatedAdmin(world, regional);
});
registerTask(
  'activate-member',
  z.strictObject({ organizationId: taskId, region: taskRegion, accountId: taskAccountId, createdAt: taskTime }),
  (world, task) => {
    const regional = inspectorOrganizationById(world, task.organizationId, task.region);
    if (regional) activateMember(world, regional, task.accountId, task.createdAt);
  },
);
