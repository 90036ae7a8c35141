// The documents Inspector keeps about the world — findings and coverage rows — in the
// model's own shapes, so that what the world holds is what the API answers.
import type { components } from '../../../openapi/inspector2.js';

type Shapes = components['schemas'];
export type Finding = Shapes['Finding'];
export type CoveredResource = Shapes['CoveredResource'];
export type ScanStatusReason = Shapes['ScanStatusReason'];

export interface CoverageRow {
  resource: CoveredResource;
  /** When an ECR image or Lambda function left coverage for good (it stays out until pushed, pulled or updated again). */
  expiredAt?: number;
  /** A scan of the row is queued and has not run yet. */
  scanQueued?: boolean;
}
