// Tags on Inspector resources: TagResource, UntagResource, ListTagsForResource. A resource
// is taggable when the caller owns it in the request's region: filters, CIS scan
// configurations, code security integrations and account-level code security scan configurations.
import { ownsCisScanConfiguration } from '../world/cis/scans.js';
import { ownsTaggableCodeSecurityResource } from '../world/code-security/state.js';
import type { World } from '../world/world.js';
import { modeledError } from './errors.js';
import type { Handlers } from './types.js';
import { setTags, tagsOf } from '../world/accounts/tags.js';

/** AWS allows 50 tags on a resource. */
const MAX_TAGS = 50;

function ownedResource(world: World, accountId: string, region: string, arn: string): void {
  if (
    !world.accountRegion(accountId, region).filters.has(arn) &&
    !ownsCisScanConfiguration(world, accountId, region, arn) &&
    !ownsTaggableCodeSecurityResource(world, accountId, region, arn)
  ) {
    throw modeledError('ResourceNotFoundException', { message: `The resource ${arn} was not found in account ${accountId} in ${region}.` });
  }
}

/**
 * Refuses tag keys with the reserved `aws:` prefix (the model's TagKey pattern `(?!aws:)...`),
 * for TagResource and for the create operations that take tags. TagResource and CreateFilter
 * answer BadRequestException; the operations whose model has no BadRequestException (CIS and
 * code security creates) answer their ValidationException.
 */
export function refuseReservedTagKeys(
  tags: Record<string, string> | undefined,
  as: 'BadRequestException' | 'ValidationException' = 'BadRequestException',
): void {
  const reserved = Object.keys(tags ?? {}).filter((key) => key.toLowerCase().startsWith('aws:'));
  if (!reserved.length) return;
  const message = `Tag keys starting with aws: are reserved for AWS use: ${reserved.join(', ')}.`;
  if (as === 'BadRequestException') throw modeledError('BadRequestException', { message });
  throw modeledError('ValidationException', {
    message,
    reason: 'FIELD_VALIDATION_FAILED',
    fields: [{ name: 'tags', message: 'Tag keys must not start with aws:' }],
  });
}

/** A resource's `tags` member for a response: left out when it has none, as AWS does. */
export function tagsMember(world: World, arn: string): { tags?: Record<string, string> } {
  const tags = tagsOf(world, arn);
  return tags && Object.keys(tags).length ? { tags: { ...tags } } : {};
}

export function tagHandlers(world: World): Handlers {
  return {
    TagResource(input, { caller }) {
      ownedResource(world, caller.accountId, caller.region, input.resourceArn);
      refuseReservedTagKeys(input.tags);
      const tags = { ...tagsOf(world, input.resourceArn), ...input.tags };
      if (Object.keys(tags).length > MAX_TAGS) {
        throw modeledError('BadRequestException', {
          message: `A resource can have at most ${MAX_TAGS} tags; this request would give it ${Object.keys(tags).length}.`,
        });
      }
      setTags(world, input.resourceArn, tags);
      return {};
    },

    UntagResource(input, { caller }) {
      ownedResource(world, caller.accountId, caller.region, input.resourceArn);
      const tags = { ...tagsOf(world, input.resourceArn) };
      for (const key of input.tagKeys) delete tags[key];
      setTags(world, input.resourceArn, tags);
      return {};
    },

    ListTagsForResource(input, { caller }) {
      ownedResource(world, caller.accountId, caller.region, input.resourceArn);
      return { tags: tagsOf(world, input.resourceArn) ?? {} };
    },
  };
}
