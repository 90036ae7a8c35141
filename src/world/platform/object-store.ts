// Where reports and exports are written: the emulator gives a folder or an S3 endpoint
// (src/storage). The world knows only this face.
import type { components } from '../../../openapi/inspector2.js';

type ReportErrorCode = components['schemas']['ReportingErrorCode'];

/** Where report objects are written. Fails with an ObjectStoreError for a known cause. */
export interface ObjectStore {
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

export class ObjectStoreError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
