// Tags of Inspector's own resources (filters, CIS scan configurations, code security
// integrations and scan configurations), by the resource's ARN. They live in the
// account-region that the ARN names (arn:<partition>:inspector2:<region>:<account>:...),
// which owns the resource: an account reset takes them with it.
import { z } from 'zod';
import { declareState } from '../platform/state.js';
import type { AccountRegion, World } from '../world.js';

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Tags by the tagged resource's ARN. */
    tags: Map<string, Record<string, string>>;
  }
}

declareState('account-region', 'tags', {
  empty: () => new Map(),
  schema: z.map(z.string().min(1).max(2048), z.record(z.string().min(1).max(128), z.string().max(256))),
});

/** The account-region an ARN names, if the world has it. */
function ownerOf(world: World, arn: string): AccountRegion | undefined {
  const [, , , region = '', accountId = ''] = arn.split(':');
  return world.existingAccountRegion(accountId, region);
}

export function tagsOf(world: World, arn: string): Record<string, string> | undefined {
  return ownerOf(world, arn)?.tags.get(arn);
}

/** Sets a resource's tags; the resource, and so its account-region, exists (the caller checked it is its own). */
export function setTags(world: World, arn: string, tags: Record<string, string>): void {
  ownerOf(world, arn)?.tags.set(arn, tags);
  world.changed();
}

/** A deleted resource's tags go with it. */
export function forgetTags(world: World, arn: string): void {
  ownerOf(world, arn)?.tags.delete(arn);
  world.changed();
}
