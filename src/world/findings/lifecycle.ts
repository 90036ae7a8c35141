// Findings over time, as AWS keeps them
// (https://docs.aws.amazon.com/inspector/latest/user/findings-understanding.html):
//   - a finding closed because its resource was deleted, terminated or is no longer eligible
//     for scanning is deleted after 3 days (closedResourceRetentionMs); one closed for any
//     other reason (remediated) after 30 days (closedRetentionMs);
//   - a remediated finding whose issue recurs within 7 days of closing reopens, under its
//     ARN; later, the issue is a new finding with a new ARN (reopenWindowMs);
//   - when Inspector is disabled, findings are removed after 24 hours
//     (deactivationRetentionMs), and the scan settings — filters, suppression rules, the
//     scan configuration — are deleted at once
//     (https://docs.aws.amazon.com/inspector/latest/user/deactivating-best-practices.html).
//     A scan type reactivated "scans all eligible resources to generate new findings"
//     (https://docs.aws.amazon.com/inspector/latest/user/deactivate-scans.html): after a
//     deactivation, findings start new ARNs (a new epoch), and the old, closed ones are
//     deleted on time whether or not Inspector was enabled again meanwhile.
//
// Deletions are scheduled tasks (data: they are saved with the state and carried out after
// a restart), on the virtual clock. A finding's ARN is never used twice in an
// account-region: a deleted one is remembered (`retired`) until the next deactivation.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CoveredResource, Finding } from './documents.js';
import { declareState, savedCounter } from '../platform/state.js';
import { registerTask, taskAccountId, taskId, taskRegion, taskTime } from '../platform/tasks.js';
import type { AccountRegion, World } from '../world.js';

type CoverageScanType = CoveredResource['scanType'];

/** Why findings closed: their resource is gone or no longer eligible, or their issue was remediated. */
export type CloseReason = 'resource' | 'remediated';

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Which ARNs findings take: the epoch (one more at each deactivation) and the ARNs of deleted findings. */
    findingLineage: { epoch: number; retired: Set<string> };
  }
}

declareState('account-region', 'findingLineage', {
  empty: () => ({ epoch: 0, retired: new Set<string>() }),
  schema: z.strictObject({ epoch: savedCounter, retired: z.set(z.string().min(1).max(2048)) }),
});

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** A resource's findings of a scan type, closed at `closedAt` (or before) and not changed since, are deleted. */
    'delete-closed-findings': { accountId: string; region: string; resourceId: string; scanType: CoverageScanType; closedAt: number };
    /** The findings of a deactivated account-region not changed since its deactivation are deleted. */
    'delete-deactivated-findings': { accountId: string; region: string; deactivatedAt: number };
  }
}

/** Whether a finding is one of the resource's findings of the scan type. */
export function findingCovers(finding: Finding, resourceId: string, scanType: CoverageScanType): boolean {
  if (finding.resources[0]?.id !== resourceId) return false;
  if (scanType === 'NETWORK') return finding.type === 'NETWORK_REACHABILITY';
  // A code repository's scan covers its dependencies (SCA) too.
  if (scanType === 'CODE') return finding.type === 'CODE_VULNERABILITY' || finding.resources[0]?.type === 'CODE_REPOSITORY';
  return finding.type === 'PACKAGE_VULNERABILITY';
}

/** When a finding last changed: for a closed one, when it closed. */
function changedAt(finding: Finding): number {
  return (finding.updatedAt ?? finding.lastObservedAt).getTime();
}

/** The parts of a finding's ARN for its issue in the account-region's current epoch (none in the first). */
export function epochParts(state: AccountRegion): string[] {
  return state.findingLineage.epoch ? [`epoch ${state.findingLineage.epoch}`] : [];
}

/** The ARN a recurrence takes after `arn`: the same prefix, a new id. */
function successor(arn: string): string {
  const slash = arn.lastIndexOf('/');
  const id = createHash('sha256').update(`${arn}|recurred`).digest('hex').slice(0, 32);
  return `${arn.slice(0, slash + 1)}${id}`;
}

/** Past this many recurrences of one issue, the last ARN is taken as it is (a bound on a corrupt history). */
const MAX_RECURRENCES = 10_000;

/**
 * The ARN under which an issue that a scan finds now is kept: its first ARN, unless that
 * finding closed more than the reopen window ago or was deleted; then the next, and so on.
 */
export function currentArn(world: World, state: AccountRegion, firstArn: string, now: number): string {
  let arn = firstArn;
  for (let i = 0; i < MAX_RECURRENCES; i++) {
    const existing = state.findings.get(arn);
    const past = existing ? existing.status === 'CLOSED' && now - changedAt(existing) > world.options.reopenWindowMs : state.findingLineage.retired.has(arn);
    if (!past) return arn;
    arn = successor(arn);
  }
  return arn;
}

/** Schedules the deletion of findings just closed, after the retention their reason gives. */
export function scheduleDeletion(
  world: World,
  state: AccountRegion,
  resourceId: string,
  scanType: CoverageScanType,
  closedAt: number,
  reason: CloseReason,
): void {
  const keep = reason === 'resource' ? world.options.closedResourceRetentionMs : world.options.closedRetentionMs;
  world.scheduler.schedule(closedAt + keep, {
    kind: 'delete-closed-findings',
    accountId: state.accountId,
    region: state.region,
    resourceId,
    scanType,
    closedAt,
  });
}

/** Deletes findings, remembering their ARNs so that none is used again. */
function deleteFindings(world: World, state: AccountRegion, arns: string[], remember: boolean): void {
  for (const arn of arns) {
    state.findings.delete(arn);
    if (remember) state.findingLineage.retired.add(arn);
  }
  if (arns.length) world.changed();
}

registerTask(
  'delete-closed-findings',
  z.strictObject({
    accountId: taskAccountId,
    region: taskRegion,
    resourceId: taskId,
    scanType: z.enum(['NETWORK', 'PACKAGE', 'CODE']),
    closedAt: taskTime,
  }),
  (world, task) => {
    const state = world.existingAccountRegion(task.accountId, task.region);
    if (!state) return;
    // A finding reopened since (or closed again later, with its own deletion) stays.
    const due = [...state.findings.arnsOf(task.resourceId)].filter((arn) => {
      const finding = state.findings.get(arn)!;
      return finding.status === 'CLOSED' && changedAt(finding) <= task.closedAt && findingCovers(finding, task.resourceId, task.scanType);
    });
    deleteFindings(world, state, due, true);
  },
);

/**
 * Inspector is deactivated in the account-region (its last scan type is DISABLED): the
 * scan settings are deleted now, the findings after the deactivation retention. Findings
 * found from now on take new ARNs.
 */
export function deactivated(world: World, state: AccountRegion): void {
  const now = world.clock.nowMs();
  for (const [, value] of world.state.deactivate(state)) {
    // What was deleted by ARN (filters) takes its tags with it.
    if (value instanceof Map) for (const key of value.keys()) if (typeof key === 'string') state.tags.delete(key);
  }
  state.findingLineage = { epoch: state.findingLineage.epoch + 1, retired: new Set() };
  world.scheduler.schedule(now + world.options.deactivationRetentionMs, {
    kind: 'delete-deactivated-findings',
    accountId: state.accountId,
    region: state.region,
    deactivatedAt: now,
  });
  world.changed();
}

registerTask('delete-deactivated-findings', z.strictObject({ accountId: taskAccountId, region: taskRegion, deactivatedAt: taskTime }), (world, task) => {
  const state = world.existingAccountRegion(task.accountId, task.region);
  if (!state) return;
  const due = [...state.findings.values()].filter((finding) => changedAt(finding) <= task.deactivatedAt).map((finding) => finding.findingArn);
  // The epoch changed at deactivation: these ARNs cannot come back, nothing to remember.
  deleteFindings(world, state, due, false);
});
