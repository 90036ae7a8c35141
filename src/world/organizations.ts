// AWS Organizations as Inspector sees it. The organization and its accounts are global;
// Inspector's side of it — the delegated administrator, the associated members and the
// auto-enable settings — is regional, one `InspectorOrganization` per organization and region.
import type { ScanType } from './enablement.js';

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
export type MemberStatus = 'CREATED' | 'ENABLED' | 'REMOVED';

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
