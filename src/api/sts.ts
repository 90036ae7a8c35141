// STS's GetCallerIdentity (query protocol, XML), which tools call first to learn who they
// are. The caller is the one the rest of the emulator sees: the account its access key
// names (see protocol/identity.ts), as the account's root user — what AWS answers for an
// account's own access key: UserId is the account id, Arn `arn:<partition>:iam::<account>:root`.
// Nothing here reads or changes the world.
import type { QueryAction } from '../protocol/query.js';
import { partitionOf } from '../world/platform/partition.js';

export function stsActions(): Record<string, QueryAction> {
  return {
    GetCallerIdentity(_params, caller) {
      return {
        UserId: caller.accountId,
        Account: caller.accountId,
        // IAM's ARNs have no region; the region the request is signed for names the partition.
        Arn: `arn:${partitionOf(caller.region)}:iam::${caller.accountId}:root`,
      };
    },
  };
}
