// How many findings reports and SBOM exports the world keeps: at most MAX_JOBS_PER_ACCOUNT
// of each kind per account and region, and MAX_JOBS of each kind in all. Making room evicts
// the oldest finished ones (SUCCEEDED, FAILED, CANCELLED), the caller's first; when every one
// is still IN_PROGRESS, the new one is refused. Jobs are kept in creation order (a Map's), so
// the oldest come first.
import { WorldError } from '../platform/errors.js';
import type { AccountRegion, World } from '../world.js';

const MAX_JOBS_PER_ACCOUNT = 1_000;
const MAX_JOBS = 10_000;

interface Job {
  status: string;
}

/** Removes up to `excess` of the oldest finished jobs; answers how many are still too many. */
function evict(jobs: Map<string, Job>, excess: number): number {
  for (const [id, job] of jobs) {
    if (excess <= 0) break;
    if (job.status === 'IN_PROGRESS') continue;
    jobs.delete(id);
    excess--;
  }
  return excess;
}

/**
 * Makes room for one more job in `jobs` (the caller's, in its account-region); `of` finds
 * the same kind of jobs in every account-region, for the cap over all.
 */
export function makeRoomForJob(
  world: World,
  jobs: Map<string, Job>,
  of: (state: AccountRegion) => Map<string, Job>,
  what: string,
  limits = { perAccount: MAX_JOBS_PER_ACCOUNT, total: MAX_JOBS },
): void {
  if (jobs.size >= limits.perAccount && evict(jobs, jobs.size - limits.perAccount + 1) > 0) {
    throw new WorldError(
      'Invalid',
      `This account has ${jobs.size} ${what} in progress in this region, the most inspector2-local keeps (${limits.perAccount}); wait for one to finish.`,
    );
  }
  let total = 0;
  for (const state of world.allAccountRegions()) total += of(state).size;
  if (total < limits.total) return;
  // Over the cap for all: the caller's oldest finished ones go first, then anyone's.
  let excess = evict(jobs, total - limits.total + 1);
  for (const state of world.allAccountRegions()) if (excess > 0) excess = evict(of(state), excess);
  if (excess > 0)
    throw new WorldError('Invalid', `inspector2-local has ${total} ${what} in progress, the most it keeps (${limits.total}); wait for one to finish.`);
}
