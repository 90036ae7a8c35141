// Customer managed KMS keys for the data Inspector keeps about a scan type and resource
// type (e.g. Lambda code snippets): GetEncryptionKey, UpdateEncryptionKey,
// ResetEncryptionKey. Without one, an AWS owned key is used, and GetEncryptionKey answers
// ResourceNotFoundException, as AWS does.
import { encryptionKeyOf, resetEncryptionKey, updateEncryptionKey } from '../world/accounts/configuration.js';
import type { World } from '../world/world.js';
import { modeledError } from './errors.js';
import type { Handlers } from './types.js';

export function encryptionKeyHandlers(world: World): Handlers {
  return {
    GetEncryptionKey(input, { caller }) {
      const kmsKeyId = encryptionKeyOf(world, caller, input);
      if (!kmsKeyId) {
        throw modeledError('ResourceNotFoundException', {
          message: `No customer managed key is set for ${input.scanType} scans of ${input.resourceType}: an AWS owned key is in use.`,
        });
      }
      return { kmsKeyId };
    },

    UpdateEncryptionKey(input, { caller }) {
      updateEncryptionKey(world, caller, input, input.kmsKeyId);
      return {};
    },

    ResetEncryptionKey(input, { caller }) {
      resetEncryptionKey(world, caller, input);
      return {};
    },
  };
}
