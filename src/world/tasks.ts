// Every kind of delayed change the world schedules, as data: what is pending can be saved
// and resumed after a restart. Each task names what it acts on by id, not by reference,
// and does nothing when that is gone (an account reset, a report deleted).
import type { ScanType } from './enablement.js';
import type { ScanStatusReason } from './documents.js';
import { completeScanRun, runScheduledScan, timeOutSession } from './cis.js';
import { activateIntegration, completeOnDemandScan, removeIntegration } from './code-security.js';
import { activateMember, removeDelegatedAdmin } from './delegation.js';
import { produce } from './reports.js';
import { produceSbomExport } from './sbom.js';
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
  | { kind: 'produce-report'; reportId: string }
  /** An SBOM export writes its documents. */
  | { kind: 'produce-sbom-export'; reportId: string }
  /** An authorized code security integration turns ACTIVE and imports its repositories. */
  | { kind: 'activate-code-security-integration'; integrationArn: string }
  /** A deleted code security integration is gone. */
  | { kind: 'remove-code-security-integration'; integrationArn: string }
  /** An on-demand code security scan completes. */
  | { kind: 'complete-code-security-scan'; scanId: string }
  /** A CIS scan configuration's scheduled run is due: a scan starts. */
  | { kind: 'cis-scan-due'; configurationArn: string; dueAt: number }
  /** A CIS scan's scan time has passed: its jobs without an agent session complete. */
  | { kind: 'cis-scan-complete'; scanArn: string }
  /** A CIS session may have sent no health report for too long. */
  | { kind: 'cis-session-timeout'; scanJobId: string; dueAt: number };

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
    case 'produce-sbom-export': {
      const exported = world.sbom.exports.get(task.reportId);
      if (exported) void produceSbomExport(world, exported);
      return;
    }
    case 'activate-code-security-integration':
      activateIntegration(world, task.integrationArn);
      return;
    case 'remove-code-security-integration':
      removeIntegration(world, task.integrationArn);
      return;
    case 'complete-code-security-scan':
      completeOnDemandScan(world, task.scanId);
      return;
    case 'cis-scan-due':
      runScheduledScan(world, task.configurationArn, task.dueAt);
      return;
    case 'cis-scan-complete':
      completeScanRun(world, task.scanArn);
      return;
    case 'cis-session-timeout':
      timeOutSession(world, task.scanJobId, task.dueAt);
      return;
  }
}
