// The IAM side of Inspector: the service-linked role AWSServiceRoleForAmazonInspector2,
// created once per account (IAM is global) when Inspector is first enabled there.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { declareState, savedDate } from '../platform/state.js';
import type { World } from '../world.js';

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

const INSPECTOR_ROLE_NAME = 'AWSServiceRoleForAmazonInspector2';
const INSPECTOR_ROLE_PATH = '/aws-service-role/inspector2.amazonaws.com/';
const INSPECTOR_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'inspector2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const INSPECTOR_ROLE_POLICY = {
  policyName: 'AmazonInspector2ServiceRolePolicy',
  policyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonInspector2ServiceRolePolicy',
};

declare module '../platform/state.js' {
  interface AccountState {
    /** The account's IAM roles that Inspector made, by name (IAM is global: one set for every region). */
    roles: Map<string, Role>;
  }
}

declareState('account', 'roles', {
  empty: () => new Map(),
  schema: z.map(
    z.string().max(64),
    z.strictObject({
      roleName: z.string().max(64),
      roleId: z.string().max(128),
      arn: z.string().max(2048),
      path: z.string().max(512),
      createDate: savedDate,
      description: z.string().max(1000),
      assumeRolePolicyDocument: z.string().max(10_000),
      maxSessionDuration: z.number().int(),
      attachedPolicies: z.array(z.strictObject({ policyName: z.string().max(128), policyArn: z.string().max(2048) })).max(20),
    }),
  ),
});

export function roleOf(world: World, accountId: string, roleName: string): Role | undefined {
  return world.state.existingAccount(accountId)?.roles.get(roleName);
}

/** The account's roles in IAM's order (by path, then name). */
export function rolesOf(world: World, accountId: string): Role[] {
  return [...(world.state.existingAccount(accountId)?.roles.values() ?? [])].sort(
    (a, b) => a.path.localeCompare(b.path) || a.roleName.localeCompare(b.roleName),
  );
}

/** Creates Inspector's service-linked role in the account unless it exists. */
export function ensureInspectorRole(world: World, accountId: string): Role {
  const roles = world.state.account(accountId).roles;
  const existing = roles.get(INSPECTOR_ROLE_NAME);
  if (existing) return existing;
  const role: Role = {
    roleName: INSPECTOR_ROLE_NAME,
    // IAM role ids are AROA + 17 characters; derived from the account so that worlds repeat.
    roleId: `AROA${createHash('sha256').update(`${accountId}/${INSPECTOR_ROLE_NAME}`).digest('hex').slice(0, 17).toUpperCase()}`,
    arn: `arn:aws:iam::${accountId}:role${INSPECTOR_ROLE_PATH}${INSPECTOR_ROLE_NAME}`,
    path: INSPECTOR_ROLE_PATH,
    // IAM keeps whole seconds.
    createDate: new Date(Math.floor(world.clock.nowMs() / 1000) * 1000),
    description: 'Service-linked role for Amazon Inspector',
    assumeRolePolicyDocument: JSON.stringify(INSPECTOR_TRUST_POLICY),
    maxSessionDuration: 3600,
    attachedPolicies: [INSPECTOR_ROLE_POLICY],
  };
  roles.set(role.roleName, role);
  world.changed();
  return role;
}
