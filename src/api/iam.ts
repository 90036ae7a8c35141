// The IAM read operations that show Inspector's service-linked role: GetRole, ListRoles,
// ListAttachedRolePolicies (query protocol, XML). IAM is global: the region is ignored.
import { AwsError } from '../protocol/errors.js';
import type { QueryAction, XmlValue } from '../protocol/query.js';
import { roleOf, rolesOf, type Role } from '../world/accounts/iam.js';
import type { World } from '../world/world.js';

function validation(member: string, value: string | null, constraint: string): AwsError {
  // Input is shown cut to 100 characters, as the inspector2 validator shows it.
  const shown = value === null ? 'null' : `'${value.length > 100 ? `${value.slice(0, 100)}...` : value}'`;
  return new AwsError(
    'ValidationError',
    400,
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: Member must ${constraint}`,
  );
}

function roleName(params: URLSearchParams): string {
  const name = params.get('RoleName');
  if (!name) throw validation('roleName', name, 'not be null');
  if (name.length > 64) throw validation('roleName', name, 'have length less than or equal to 64');
  return name;
}

function noSuchRole(name: string): AwsError {
  return new AwsError('NoSuchEntity', 404, `The role with name ${name} cannot be found.`);
}

function maxItems(params: URLSearchParams): number {
  const text = params.get('MaxItems');
  if (text === null) return 100;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw validation('maxItems', text, 'have value between 1 and 1000');
  return value;
}

/** IAM's Marker pagination over an ordered list. */
function page<T>(items: T[], params: URLSearchParams): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const marker = params.get('Marker');
  const start = marker === null ? 0 : Number.parseInt(Buffer.from(marker, 'base64url').toString(), 10);
  if (!Number.isInteger(start) || start < 0) throw validation('marker', marker, 'be a Marker returned by a previous call');
  const size = maxItems(params);
  const more = start + size < items.length;
  return {
    items: items.slice(start, start + size),
    IsTruncated: more,
    ...(more ? { Marker: Buffer.from(String(start + size)).toString('base64url') } : {}),
  };
}

function roleXml(role: Role): XmlValue {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    // IAM returns policy documents URL-encoded.
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
  };
}

export function iamActions(world: World): Record<string, QueryAction> {
  return {
    GetRole(params, caller) {
      const name = roleName(params);
      const role = roleOf(world, caller.accountId, name);
      if (!role) throw noSuchRole(name);
      return { Role: roleXml(role) };
    },

    ListRoles(params, caller) {
      const prefix = params.get('PathPrefix') ?? '/';
      const roles = rolesOf(world, caller.accountId).filter((r) => r.path.startsWith(prefix));
      const { items, ...rest } = page(roles, params);
      return { Roles: items.map(roleXml), ...rest };
    },

    ListAttachedRolePolicies(params, caller) {
      const name = roleName(params);
      const role = roleOf(world, caller.accountId, name);
      if (!role) throw noSuchRole(name);
      const { items, ...rest } = page(role.attachedPolicies, params);
      return { AttachedPolicies: items.map((p) => ({ PolicyName: p.policyName, PolicyArn: p.policyArn })), ...rest };
    },
  };
}
