// Customer managed KMS keys for the data Inspector keeps about a scan type and resource
// type (e.g. Lambda code snippets): GetEncryptionKey, UpdateEncryptionKey,
// ResetEncryptionKey. Without one, an AWS owned key is used, and GetEncryptionKey answers
// ResourceNotFoundException, as AWS does.
import type { World } from '../world/world.js';
import { modeledError } from './errors.js';
import type { Handlers } from './types.js';

export function encryptionKeyHandlers(world: World): Handlers {
  const keyOf = (scanType: string, resourceType: string) => `${scanType}/${resourceType}`;
  return {
    GetEncryptionKey(input, { caller }) {
      const kmsKeyId = world.accountRegion(caller.accountId, caller.region).encryptionKeys.get(keyOf(input.scanType, input.resourceType));
      if (!kmsKeyId) {
        throw modeledError('ResourceNotFoundException', {
          message: `No customer managed key is set for ${input.scanType} scans of ${input.resourceType}: an AWS owned key is in use.`,
        });
      }
      return { kmsKeyId };
    },

    UpdateEncryptionKey(input, { caller }) {
      world.accountRegion(caller.accountId, caller.region).encryptionKeys.set(keyOf(input.scanType, input.resourceType), input.kmsKeyId);
      return {};
    },

    ResetEncryptionKey(input, { caller }) {
      world.accountRegion(caller.accountId, caller.region).encryptionKeys.delete(keyOf(input.scanType, input.resourceType));
      return {};
    },
  };
}
