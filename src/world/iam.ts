// The IAM side of Inspector: the service-linked role AWSServiceRoleForAmazonInspector2,
// created once per account (IAM is global) when Inspector is first enabled there.
import { createHash } from 'node:crypto';

export interface Role {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: Date;
  description: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  attachedPolicies: { policyName: string; policyArn: string }[];
}

export const INSPECTOR_ROLE_NAME = 'AWSServiceRoleForAmazonInspector2';
const INSPECTOR_ROLE_PATH = '/aws-service-role/inspector2.amazonaws.com/';
const INSPECTOR_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'inspector2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const INSPECTOR_ROLE_POLICY = {
  policyName: 'AmazonInspector2ServiceRolePolicy',
  policyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonInspector2ServiceRolePolicy',
};

export class Iam {
  /** accountId → role name → role. */
  private readonly roles = new Map<string, Map<string, Role>>();

  /** Forgets an account's roles, or every account's. */
  forget(accountId?: string): void {
    if (accountId === undefined) this.roles.clear();
    else this.roles.delete(accountId);
  }

  role(accountId: string, roleName: string): Role | undefined {
    return this.roles.get(accountId)?.get(roleName);
  }

  /** The account's roles in IAM's order (by path, then name). */
  listRoles(accountId: string): Role[] {
    return [...(this.roles.get(accountId)?.values() ?? [])].sort(
      (a, b) => a.path.localeCompare(b.path) || a.roleName.localeCompare(b.roleName),
    );
  }

  /** Creates Inspector's service-linked role in the account unless it exists. */
  ensureInspectorRole(accountId: string, now: Date): Role {
    const existing = this.role(accountId, INSPECTOR_ROLE_NAME);
    if (existing) return existing;
    const role: Role = {
      roleName: INSPECTOR_ROLE_NAME,
      // IAM role ids are AROA + 17 characters; derived from the account so that worlds repeat.
      roleId: `AROA${createHash('sha256').update(`${accountId}/${INSPECTOR_ROLE_NAME}`).digest('hex').slice(0, 17).toUpperCase()}`,
      arn: `arn:aws:iam::${accountId}:role${INSPECTOR_ROLE_PATH}${INSPECTOR_ROLE_NAME}`,
      path: INSPECTOR_ROLE_PATH,
      // IAM keeps whole seconds.
      createDate: new Date(Math.floor(now.getTime() / 1000) * 1000),
      description: 'Service-linked role for Amazon Inspector',
      assumeRolePolicyDocument: JSON.stringify(INSPECTOR_TRUST_POLICY),
      maxSessionDuration: 3600,
      attachedPolicies: [INSPECTOR_ROLE_POLICY],
    };
    const roles = this.roles.get(accountId) ?? new Map<string, Role>();
    roles.set(role.roleName, role);
    this.roles.set(accountId, roles);
    return role;
  }
}
