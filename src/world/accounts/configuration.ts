// Scan configuration of an account in a region: ECR rescan durations, the EC2 scan mode and
// EC2 deep inspection. A member account scans with its delegated administrator's settings.
import { z } from 'zod';
import { declareState } from '../platform/state.js';
import type { Caller, World } from '../world.js';

export type RescanDuration = 'LIFETIME' | 'DAYS_14' | 'DAYS_30' | 'DAYS_60' | 'DAYS_90' | 'DAYS_180';
export type PullDateRescanDuration = Exclude<RescanDuration, 'LIFETIME'>;
export type PullDateRescanMode = 'LAST_PULL_DATE' | 'LAST_IN_USE_AT';
export type ScanMode = 'EC2_SSM_AGENT_BASED' | 'EC2_HYBRID';

export interface ScanConfiguration {
  ecr: {
    rescanDuration: RescanDuration;
    pullDateRescanDuration: PullDateRescanDuration;
    pullDateRescanMode: PullDateRescanMode;
    updatedAt: Date;
  };
  ec2: { scanMode: ScanMode };
  deepInspection: {
    activated: boolean;
    /** Custom paths of the account (at most 5). */
    packagePaths: string[];
  };
  /** Until when a change is still being applied (status PENDING), per part. */
  pending: { ecrUntil?: number; ec2Until?: number };
}

/** Where deep inspection always looks for language packages. */
export const DEFAULT_DEEP_INSPECTION_PATHS = ['/usr/lib', '/usr/lib64', '/usr/local/lib', '/usr/local/lib64'];

/** The settings of an account new to Inspector (AWS's defaults for new accounts). */
function defaultConfiguration(now: Date): ScanConfiguration {
  return {
    ecr: { rescanDuration: 'DAYS_14', pullDateRescanDuration: 'DAYS_14', pullDateRescanMode: 'LAST_IN_USE_AT', updatedAt: now },
    ec2: { scanMode: 'EC2_HYBRID' },
    deepInspection: { activated: true, packagePaths: [] },
    pending: {},
  };
}

const DAY_MS = 86_400_000;

/** The duration in milliseconds (Infinity for LIFETIME). */
export function durationOf(duration: RescanDuration): number {
  return duration === 'LIFETIME' ? Number.POSITIVE_INFINITY : Number(duration.slice('DAYS_'.length)) * DAY_MS;
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    configuration: ScanConfiguration;
    /** Customer managed KMS keys by `<scanType>/<resourceType>`; absent: an AWS owned key. */
    encryptionKeys: Map<string, string>;
  }
}

const RESCAN = ['LIFETIME', 'DAYS_14', 'DAYS_30', 'DAYS_60', 'DAYS_90', 'DAYS_180'] as const;
const instant = z.number().finite().optional();

declareState('account-region', 'configuration', {
  empty: ({ now }) => defaultConfiguration(now),
  // Deactivating Inspector deletes its scan settings: back to the defaults (deactivating-best-practices).
  deactivation: 'delete',
  schema: z.strictObject({
    ecr: z.strictObject({
      rescanDuration: z.enum(RESCAN),
      pullDateRescanDuration: z.enum(RESCAN).exclude(['LIFETIME']),
      pullDateRescanMode: z.enum(['LAST_PULL_DATE', 'LAST_IN_USE_AT']),
      updatedAt: z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date'),
    }),
    ec2: z.strictObject({ scanMode: z.enum(['EC2_SSM_AGENT_BASED', 'EC2_HYBRID']) }),
    deepInspection: z.strictObject({ activated: z.boolean(), packagePaths: z.array(z.string().max(512)).max(5) }),
    pending: z.strictObject({ ecrUntil: instant, ec2Until: instant }),
  }),
});

declareState('account-region', 'encryptionKeys', {
  empty: () => new Map(),
  deactivation: 'delete',
  schema: z.map(z.string().max(128), z.string().max(2048)),
});

/** What a customer managed key protects: data of a scan type about a resource type. */
export interface EncryptionKeyScope {
  scanType: string;
  resourceType: string;
}

const keyOf = (scope: EncryptionKeyScope) => `${scope.scanType}/${scope.resourceType}`;

/** The caller's customer managed key for the scope, or undefined when an AWS owned key is in use. */
export function encryptionKeyOf(world: World, caller: Caller, scope: EncryptionKeyScope): string | undefined {
  return world.accountRegion(caller.accountId, caller.region).encryptionKeys.get(keyOf(scope));
}

export function updateEncryptionKey(world: World, caller: Caller, scope: EncryptionKeyScope, kmsKeyId: string): void {
  world.accountRegion(caller.accountId, caller.region).encryptionKeys.set(keyOf(scope), kmsKeyId);
  world.changed();
}

/** Back to an AWS owned key. */
export function resetEncryptionKey(world: World, caller: Caller, scope: EncryptionKeyScope): void {
  world.accountRegion(caller.accountId, caller.region).encryptionKeys.delete(keyOf(scope));
  world.changed();
}
