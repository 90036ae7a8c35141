// Every kind of delayed change the world schedules, as data: what is pending can be saved
// and resumed after a restart. Each task names what it acts on by id, not by reference,
// and does nothing when that is gone (an account reset, a report deleted).
import type { ScanType } from './enablement.js';
import type { ScanStatusReason } from './documents.js';
import { activateMember, removeDelegatedAdmin } from './delegation.js';
import { produce } from './reports.js';
import { completeScan, reconcile } from './scanner.js';
import { rescanGoverned } from './settings.js';
import type { World } from './world.js';

export type WorldTask =
  /** Enable or Disable of one scan type completes. */
  | { kind: 'complete-transition'; accountId: string; region: string; scanType: ScanType; dueAt: number }
  /** Coverage is looked at again (a rescan window closes). */
  | { kind: 'reconcile'; accountId: string; region: string }
  /** A queued resource scan completes. */
  | { kind: 'scan'; accountId: string; region: string; coverageKey: string; activeReason?: ScanStatusReason }
  /** A configuration change applies: rescan the account and its members. */
  | { kind: 'rescan-governed'; accountId: string; region: string }
  | { kind: 'remove-delegated-admin'; organizationId: string; region: string }
  | { kind: 'activate-member'; organizationId: string; region: string; accountId: string; createdAt: number }
  | { kind: 'produce-report'; reportId: string };

export function runTask(world: World, task: WorldTask): void {
  switch (task.kind) {
    case 'complete-transition': {
      const state = world.existingAccountRegion(task.accountId, task.region);
      if (!state) return;
      state.enablement.complete(task.scanType, task.dueAt);
      reconcile(world, state);
      return;
    }
    case 'reconcile': {
      const state = world.existingAccountRegion(task.accountId, task.region);
      if (state) reconcile(world, state);
      return;
    }
    case 'scan': {
      const state = world.existingAccountRegion(task.accountId, task.region);
      if (state) completeScan(world, state, task.coverageKey, task.activeReason);
      return;
    }
    case 'rescan-governed':
      rescanGoverned(world, { accountId: task.accountId, region: task.region });
      return;
    case 'remove-delegated-admin': {
      const regional = world.inspectorOrganizationById(task.organizationId, task.region);
      if (regional) removeDelegatedAdmin(regional);
      return;
    }
    case 'activate-member': {
      const regional = world.inspectorOrganizationById(task.organizationId, task.region);
      if (regional) activateMember(world, regional, task.accountId, task.createdAt);
      return;
    }
    case 'produce-report': {
      const report = world.reports.get(task.reportId);
      if (report) void produce(world, report);
      return;
    }
  }
}
