// The IAM side of Inspector: its service-linked roles, created once per account (IAM is
// global). AWSServiceRoleForAmazonInspector2 when Inspector is first enabled there;
// AWSServiceRoleForAmazonInspector2Agentless when an instance is first scanned agentlessly.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { declareState, savedDate } from '../platform/state.js';
import type { World } from '../world.js';
import { arnOf, partitionOf } from '../platform/partition.js';

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

/** A service-linked role as Inspector defines it: its name, the service that assumes it, its managed policy. */
interface ServiceLinkedRole {
  roleName: string;
  service: string;
  description: string;
  policyName: string;
}

/** https://docs.aws.amazon.com/inspector/latest/user/slr-permissions.html */
const INSPECTOR_ROLE: ServiceLinkedRole = {
  roleName: 'AWSServiceRoleForAmazonInspector2',
  service: 'inspector2.amazonaws.com',
  description: 'Service-linked role for Amazon Inspector',
  policyName: 'AmazonInspector2ServiceRolePolicy',
};

/** https://docs.aws.amazon.com/inspector/latest/user/slr-permissions-agentless.html */
const AGENTLESS_ROLE: ServiceLinkedRole = {
  roleName: 'AWSServiceRoleForAmazonInspector2Agentless',
  service: 'agentless.inspector2.amazonaws.com',
  description: 'Service-linked role for Amazon Inspector agentless scanning',
  policyName: 'AmazonInspector2AgentlessServiceRolePolicy',
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

/**
 * Creates Inspector's service-linked role in the account unless it exists. IAM is global, but
 * its ARNs name the partition: the region where Inspector is enabled tells which.
 */
export function ensureInspectorRole(world: World, accountId: string, region: string): Role {
  return ensureServiceLinkedRole(world, accountId, region, INSPECTOR_ROLE);
}

/** Creates the service-linked role of agentless scanning in the account unless it exists. */
export function ensureAgentlessRole(world: World, accountId: string, region: string): Role {
  return ensureServiceLinkedRole(world, accountId, region, AGENTLESS_ROLE);
}

function ensureServiceLinkedRole(world: World, accountId: string, region: string, definition: ServiceLinkedRole): Role {
  const roles = world.state.account(accountId).roles;
  const existing = roles.get(definition.roleName);
  if (existing) return existing;
  const path = `/aws-service-role/${definition.service}/`;
  const role: Role = {
    roleName: definition.roleName,
    // IAM role ids are AROA + 17 characters; derived from the account so that worlds repeat.
    roleId: `AROA${createHash('sha256').update(`${accountId}/${definition.roleName}`).digest('hex').slice(0, 17).toUpperCase()}`,
    arn: arnOf('iam', '', accountId, `role${path}${definition.roleName}`, region),
    path,
    // IAM keeps whole seconds.
    createDate: new Date(Math.floor(world.clock.nowMs() / 1000) * 1000),
    description: definition.description,
    assumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: definition.service }, Action: 'sts:AssumeRole' }],
    }),
    maxSessionDuration: 3600,
    attachedPolicies: [
      { policyName: definition.policyName, policyArn: `arn:${partitionOf(region)}:iam::aws:policy/aws-service-role/${definition.policyName}` },
    ],
  };
  roles.set(role.roleName, role);
  world.changed();
  return role;
}
