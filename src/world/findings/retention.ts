// How many findings reports and SBOM exports the world keeps: at most MAX_JOBS_PER_ACCOUNT
// of each kind per account, and MAX_JOBS of each kind in all. Making room evicts the oldest
// finished ones (SUCCEEDED, FAILED, CANCELLED); when every one is still IN_PROGRESS, the
// new one is refused. Jobs are kept in creation order (a Map's), so the oldest come first.
import { WorldError } from '../platform/errors.js';

export const MAX_JOBS_PER_ACCOUNT = 1_000;
export const MAX_JOBS = 10_000;

interface Job {
  accountId: string;
  status: string;
}

/** Evicts the oldest finished jobs so that one more of `accountId` fits; refuses when none can go. */
export function makeRoomForJob(jobs: Map<string, Job>, accountId: string, what: string, limits = { perAccount: MAX_JOBS_PER_ACCOUNT, total: MAX_JOBS }): void {
  let own = 0;
  for (const job of jobs.values()) if (job.accountId === accountId) own++;
  const evict = (excess: number, mine: boolean) => {
    for (const [id, job] of jobs) {
      if (excess <= 0) break;
      if (job.status === 'IN_PROGRESS' || (mine && job.accountId !== accountId)) continue;
      jobs.delete(id);
      if (job.accountId === accountId) own--;
      excess--;
    }
    return excess <= 0;
  };
  if (own >= limits.perAccount && !evict(own - limits.perAccount + 1, true)) {
    throw new WorldError('Invalid', `Account ${accountId} has ${own} ${what} in progress, the most inspector2-local keeps (${limits.perAccount}); wait for one to finish.`);
  }
  if (jobs.size >= limits.total && !evict(jobs.size - limits.total + 1, false)) {
    throw new WorldError('Invalid', `inspector2-local has ${jobs.size} ${what} in progress, the most it keeps (${limits.total}); wait for one to finish.`);
  }
}
