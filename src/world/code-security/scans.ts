// On-demand code security scans: a scan of one project's default branch, IN_PROGRESS until
// the scan time has passed, then SUCCESSFUL or FAILED with the scanner's outcome.
import { WorldError } from '../platform/errors.js';
import { nextId } from '../platform/ids.js';
import { enabledState } from '../accounts/accounts.js';
import type { Caller } from '../world.js';
import { coverageOf, queueScan, reconcile } from '../scanning/coverage.js';
import { codeRepositoryId } from '../scanning/resources.js';
import type { World } from '../world.js';
import { z } from 'zod';
import { registerTask, taskAccountId, taskId, taskRegion } from '../platform/tasks.js';
import type { CodeSecurityScan } from './state.js';

/** Starts an on-demand scan of one of the caller's projects: IN_PROGRESS until the scan time has passed. */
export function startScan(world: World, caller: Caller, projectId: string): CodeSecurityScan {
  const state = enabledState(world, caller);
  const repository = state.inventory?.codeRepositories?.find((r) => r.projectId === projectId);
  if (!repository) {
    throw new WorldError(
      'NotFound',
      `There is no project ${projectId} in account ${caller.accountId} in ${caller.region}: projects come from ACTIVE code security integrations.`,
    );
  }
  const running = [...state.codeSecurity.scans.values()].find((s) => s.projectId === projectId && s.status === 'IN_PROGRESS');
  if (running) {
    throw new WorldError('Conflict', `A scan of project ${projectId} is in progress already: ${running.scanId}.`, { id: projectId, type: 'CODE_REPOSITORY' });
  }
  const now = world.clock.now();
  const scan: CodeSecurityScan = {
    scanId: nextId(world.global.codeSecurityIds, caller.accountId, caller.region, 'scan', projectId),
    projectId,
    accountId: caller.accountId,
    region: caller.region,
    status: 'IN_PROGRESS',
    statusReason: 'The default branch is being scanned.',
    createdAt: now,
    updatedAt: now,
  };
  state.codeSecurity.scans.set(scan.scanId, scan);
  // A project scanned on demand is covered, with or without a scan configuration; the
  // scanner scans it as it scans every resource, and the scan reads the outcome after.
  reconcile(world, state);
  queueScan(world, state, codeRepositoryId(repository), 'CODE');
  // Due no earlier than the scanner's scan, and scheduled after it: it reads that scan's outcome.
  world.scheduler.schedule(world.clock.nowMs() + world.options.scanMs, {
    kind: 'complete-code-security-scan',
    accountId: caller.accountId,
    region: caller.region,
    scanId: scan.scanId,
  });
  world.changed();
  return scan;
}

export function scanOf(world: World, caller: Caller, projectId: string, scanId: string): CodeSecurityScan {
  const scan = enabledState(world, caller).codeSecurity.scans.get(scanId);
  if (!scan || scan.projectId !== projectId) {
    throw new WorldError('NotFound', `There is no scan ${scanId} of project ${projectId} in account ${caller.accountId} in ${caller.region}.`);
  }
  return scan;
}

/** An on-demand scan's time has come: its outcome is that of the scanner's scan of the project. */
function completeOnDemandScan(world: World, accountId: string, region: string, scanId: string): void {
  const state = world.existingAccountRegion(accountId, region);
  const scan = state?.codeSecurity.scans.get(scanId);
  if (!state || scan?.status !== 'IN_PROGRESS') return;
  const repository = state.inventory?.codeRepositories?.find((r) => r.projectId === scan.projectId);
  const row = repository ? coverageOf(state, codeRepositoryId(repository), 'CODE') : undefined;
  const commit = row?.resource.resourceMetadata?.codeRepository?.lastScannedCommitId;
  let failure: string | undefined;
  if (!repository) failure = 'The project was removed (its integration was deleted) before the scan completed.';
  else if (!row) failure = `Code repository scanning is not enabled for account ${scan.accountId} in ${scan.region}: enable CODE_REPOSITORY to scan projects.`;
  else if (row.resource.scanStatus?.statusCode !== 'ACTIVE') failure = `The project is not scanned: ${row.resource.scanStatus?.reason ?? 'it is not covered'}.`;
  else if (!commit || (row.resource.lastScannedAt?.getTime() ?? 0) < scan.createdAt.getTime()) failure = 'The scan did not complete; start another.';
  scan.status = failure ? 'FAILED' : 'SUCCESSFUL';
  scan.statusReason = failure ?? `Scanned commit ${commit} of the default branch.`;
  if (!failure) scan.lastCommitId = commit;
  scan.updatedAt = world.clock.now();
  // The project's coverage shows its latest on-demand scan.
  reconcile(world, state);
}

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** An on-demand code security scan completes. */
    'complete-code-security-scan': { accountId: string; region: string; scanId: string };
  }
}

registerTask('complete-code-security-scan', z.strictObject({ accountId: taskAccountId, region: taskRegion, scanId: taskId }), (world, task) =>
  completeOnDemandScan(world, task.accountId, task.region, task.scanId),
);
