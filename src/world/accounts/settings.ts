// Changing the scan configuration: who may (a standalone account, or the delegated
// administrator for its whole organization; never a member), and what follows — the
// change is PENDING until the transition time has passed, then applies and every account
// it governs is rescanned.
import { WorldError } from '../platform/errors.js';
import type { PullDateRescanDuration, PullDateRescanMode, RescanDuration, ScanMode } from './configuration.js';
import { rescanAll } from '../scanning/coverage.js';
import type { Caller } from '../world.js';
import type { AccountRegion, World } from '../world.js';
import { z } from 'zod';
import { registerTask, taskAccountId, taskRegion } from '../platform/tasks.js';
import { standingOf } from './organizations.js';

export interface ConfigurationChange {
  ecr?: { rescanDuration: RescanDuration; pullDateRescanDuration?: PullDateRescanDuration; pullDateRescanMode?: PullDateRescanMode };
  ec2?: { scanMode: ScanMode };
}

/** The account-regions a caller's configuration governs: its own, and a delegated administrator's members. */
function governed(world: World, caller: Caller): AccountRegion[] {
  const standing = standingOf(world, caller.accountId, caller.region);
  const own = world.accountRegion(caller.accountId, caller.region);
  if (!standing.isDelegatedAdmin) return [own];
  const organization = standing.inspectorOrganization!;
  return [own, ...[...organization.members.keys()].filter((id) => organization.isAssociated(id)).map((id) => world.accountRegion(id, caller.region))];
}

function refuseMembers(world: World, caller: Caller, what: string): void {
  if (standingOf(world, caller.accountId, caller.region).delegatedAdminAccountId) {
    throw new WorldError(
      'AccessDenied',
      `Member accounts in an organization cannot ${what}; account ${caller.accountId} is a member of ${standingOf(world, caller.accountId, caller.region).delegatedAdminAccountId}.`,
    );
  }
}

export function updateConfiguration(world: World, caller: Caller, change: ConfigurationChange): void {
  if (!change.ecr && !change.ec2) throw new WorldError('Invalid', 'Give ecrConfiguration, ec2Configuration or both.');
  refuseMembers(world, caller, 'update the scan configuration');
  const state = world.accountRegion(caller.accountId, caller.region);
  const configuration = state.configuration;
  const dueAt = world.clock.nowMs() + world.options.transitionMs;
  if (change.ecr) {
    configuration.ecr = {
      rescanDuration: change.ecr.rescanDuration,
      pullDateRescanDuration: change.ecr.pullDateRescanDuration ?? configuration.ecr.pullDateRescanDuration,
      pullDateRescanMode: change.ecr.pullDateRescanMode ?? configuration.ecr.pullDateRescanMode,
      updatedAt: world.clock.now(),
    };
    configuration.pending.ecrUntil = dueAt;
  }
  if (change.ec2) {
    configuration.ec2 = { scanMode: change.ec2.scanMode };
    configuration.pending.ec2Until = dueAt;
  }
  world.afterTransition({ kind: 'rescan-governed', accountId: caller.accountId, region: caller.region });
  world.changed();
}

/** Rescans the caller's account-region and, for a delegated administrator, its members'. */
function rescanGoverned(world: World, caller: Caller): void {
  for (const target of governed(world, caller)) rescanAll(world, target);
}

export function updateDeepInspection(world: World, caller: Caller, change: { activate?: boolean; packagePaths?: string[] }): void {
  if (change.activate === false) refuseMembers(world, caller, 'deactivate deep inspection');
  const state = world.accountRegion(caller.accountId, caller.region);
  if (change.activate !== undefined) state.configuration.deepInspection.activated = change.activate;
  if (change.packagePaths !== undefined) state.configuration.deepInspection.packagePaths = [...change.packagePaths];
  rescanAll(world, state);
  world.changed();
}

export function updateOrgDeepInspectionPaths(world: World, caller: Caller, paths: string[]): void {
  const standing = standingOf(world, caller.accountId, caller.region);
  if (!standing.isDelegatedAdmin) {
    throw new WorldError('AccessDenied', `Only the delegated administrator can set the organization's deep inspection paths; ${caller.accountId} is not.`);
  }
  standing.inspectorOrganization!.orgPackagePaths = [...paths];
  for (const target of governed(world, caller)) rescanAll(world, target);
  world.changed();
}

export interface MemberDeepInspection {
  accountId: string;
  activated?: boolean;
  /** Why the administrator cannot see or change it. */
  failure?: string;
}

/** Deep inspection of the administrator's members (the administrator itself included when named). */
export function memberDeepInspection(world: World, caller: Caller, changes: { accountId: string; activate?: boolean }[]): MemberDeepInspection[] {
  const standing = standingOf(world, caller.accountId, caller.region);
  if (!standing.isDelegatedAdmin) {
    throw new WorldError('AccessDenied', `Only the delegated administrator can manage its members' deep inspection; ${caller.accountId} is not.`);
  }
  const organization = standing.inspectorOrganization!;
  return changes.map(({ accountId, activate }) => {
    if (accountId !== caller.accountId && !organization.isAssociated(accountId)) {
      return { accountId, failure: `Account ${accountId} is not a member of the delegated administrator ${caller.accountId}.` };
    }
    const state = world.accountRegion(accountId, caller.region);
    if (activate !== undefined && state.configuration.deepInspection.activated !== activate) {
      state.configuration.deepInspection.activated = activate;
      rescanAll(world, state);
    }
    return { accountId, activated: state.configuration.deepInspection.activated };
  });
}

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** A configuration change applies: rescan the account and its members. */
    'rescan-governed': { accountId: string; region: string };
  }
}

registerTask('rescan-governed', z.strictObject({ accountId: taskAccountId, region: taskRegion }), (world, task) =>
  rescanGoverned(world, { accountId: task.accountId, region: task.region }),
);
