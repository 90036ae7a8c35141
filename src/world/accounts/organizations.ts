// AWS Organizations as Inspector sees it. The organization and its accounts are global;
// Inspector's side of it — the delegated administrator, the associated members and the
// auto-enable settings — is regional, one `InspectorOrganization` per organization and region.
import { z } from 'zod';
import { SCAN_TYPES, type ScanType } from './enablement.js';
import { declareState, StateError, type GlobalState } from '../platform/state.js';
import type { World } from '../world.js';

export interface OrganizationAccount {
  id: string;
  name: string;
  joinedAt: Date;
}

export class Organization {
  readonly accounts = new Map<string, OrganizationAccount>();

  constructor(
    readonly id: string,
    readonly managementAccountId: string,
  ) {}
}

/** The model's RelationshipStatus values that Inspector uses for members. */
type MemberStatus = 'CREATED' | 'ENABLED' | 'REMOVED';

export interface Membership {
  accountId: string;
  relationshipStatus: MemberStatus;
  updatedAt: Date;
}

export interface DelegatedAdmin {
  accountId: string;
  status: 'ENABLED' | 'DISABLE_IN_PROGRESS';
}

export class InspectorOrganization {
  delegatedAdmin?: DelegatedAdmin;
  /** Accounts associated now (CREATED, ENABLED) or before (REMOVED). */
  readonly members = new Map<string, Membership>();
  /** Scan types enabled for accounts that join the organization later. */
  autoEnable = new Set<ScanType>();
  /** Deep inspection paths the administrator sets for every member (at most 5). */
  orgPackagePaths: string[] = [];

  constructor(
    readonly organization: Organization,
    readonly region: string,
  ) {}

  isAssociated(accountId: string): boolean {
    const status = this.members.get(accountId)?.relationshipStatus;
    return status === 'CREATED' || status === 'ENABLED';
  }

  associatedCount(): number {
    let count = 0;
    for (const member of this.members.values()) if (this.isAssociated(member.accountId)) count++;
    return count;
  }
}

/**
 * Every organization (global) and Inspector's side of each, per region: one piece of state,
 * since each regional side refers to its organization.
 */
class Organizations {
  readonly organizations = new Map<string, Organization>();
  /** By `<organization id>/<region>`. */
  readonly regional = new Map<string, InspectorOrganization>();

  organizationOf(accountId: string): Organization | undefined {
    for (const organization of this.organizations.values()) if (organization.accounts.has(accountId)) return organization;
    return undefined;
  }

  inspector(organization: Organization, region: string): InspectorOrganization {
    const key = `${organization.id}/${region}`;
    let state = this.regional.get(key);
    if (!state) {
      state = new InspectorOrganization(organization, region);
      this.regional.set(key, state);
    }
    return state;
  }
}

declare module '../platform/state.js' {
  interface GlobalState {
    organizations: Organizations;
  }
}

const accountId = z.string().regex(/^\d{12}$/);
const date = z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date');
const savedOrganizations = z.strictObject({
  organizations: z.array(
    z.strictObject({
      id: z.string().regex(/^o-[a-z0-9]{10,32}$/),
      managementAccountId: accountId,
      accounts: z.array(z.strictObject({ id: accountId, name: z.string().max(256), joinedAt: date })),
    }),
  ),
  regional: z.array(
    z.strictObject({
      organizationId: z.string(),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/),
      delegatedAdmin: z.strictObject({ accountId, status: z.enum(['ENABLED', 'DISABLE_IN_PROGRESS']) }).optional(),
      members: z.array(z.strictObject({ accountId, relationshipStatus: z.enum(['CREATED', 'ENABLED', 'REMOVED']), updatedAt: date })),
      autoEnable: z.array(z.enum(SCAN_TYPES)),
      orgPackagePaths: z.array(z.string().max(512)).max(5),
    }),
  ),
});

declareState('global', 'organizations', {
  empty: () => new Organizations(),
  schema: savedOrganizations,
  save: (value) => ({
    organizations: [...value.organizations.values()].map((o) => ({ id: o.id, managementAccountId: o.managementAccountId, accounts: [...o.accounts.values()] })),
    regional: [...value.regional.values()].map((r) => ({
      organizationId: r.organization.id,
      region: r.region,
      ...(r.delegatedAdmin ? { delegatedAdmin: r.delegatedAdmin } : {}),
      members: [...r.members.values()],
      autoEnable: [...r.autoEnable],
      orgPackagePaths: r.orgPackagePaths,
    })),
  }),
  load: (saved) => {
    const value = new Organizations();
    for (const o of saved.organizations) {
      const organization = new Organization(o.id, o.managementAccountId);
      for (const account of o.accounts) organization.accounts.set(account.id, account);
      value.organizations.set(o.id, organization);
    }
    for (const r of saved.regional) {
      const organization = value.organizations.get(r.organizationId);
      if (!organization) throw new StateError(`organizations: Inspector settings of an unknown organization ${r.organizationId.slice(0, 64)}`);
      const regional = value.inspector(organization, r.region);
      if (r.delegatedAdmin) regional.delegatedAdmin = r.delegatedAdmin;
      for (const member of r.members) regional.members.set(member.accountId, member);
      regional.autoEnable = new Set(r.autoEnable);
      regional.orgPackagePaths = r.orgPackagePaths;
    }
    return value;
  },
  // The organizations come from the seed and stay; an account's Inspector relations go.
  forgetAccount: (value, accountId) => {
    for (const regional of value.regional.values()) {
      regional.members.delete(accountId);
      if (regional.delegatedAdmin?.accountId === accountId) {
        regional.delegatedAdmin = undefined;
        regional.members.clear();
      }
    }
  },
});

/** The world's organizations. */
function organizationsOf(world: { global: GlobalState }): Organizations {
  return world.global.organizations;
}

export function organizationOf(world: World, accountId: string): Organization | undefined {
  return organizationsOf(world).organizationOf(accountId);
}

/** Inspector's side of an organization in a region, made the first time it is asked for. */
export function inspectorOrganization(world: World, organization: Organization, region: string): InspectorOrganization {
  return organizationsOf(world).inspector(organization, region);
}

/** Inspector's organization state in every region where it exists. */
export function inspectorOrganizationsOf(world: World, organization: Organization): InspectorOrganization[] {
  return [...organizationsOf(world).regional.values()].filter((s) => s.organization === organization);
}

export function inspectorOrganizationById(world: World, organizationId: string, region: string): InspectorOrganization | undefined {
  return organizationsOf(world).regional.get(`${organizationId}/${region}`);
}

/** What an account is, in a region, for Inspector. */
export interface Standing {
  organization?: Organization;
  inspectorOrganization?: InspectorOrganization;
  isManagementAccount: boolean;
  isDelegatedAdmin: boolean;
  /** The delegated administrator this account is an associated member of. */
  delegatedAdminAccountId?: string;
}

/** What an account is, in a region, for Inspector: in which organization, and in what role. */
export function standingOf(world: World, accountId: string, region: string): Standing {
  const organization = organizationOf(world, accountId);
  if (!organization) return { isManagementAccount: false, isDelegatedAdmin: false };
  const regional = inspectorOrganization(world, organization, region);
  const delegatedAdmin = regional.delegatedAdmin;
  return {
    organization,
    inspectorOrganization: regional,
    isManagementAccount: organization.managementAccountId === accountId,
    isDelegatedAdmin: delegatedAdmin?.accountId === accountId,
    ...(delegatedAdmin && regional.isAssociated(accountId) ? { delegatedAdminAccountId: delegatedAdmin.accountId } : {}),
  };
}
