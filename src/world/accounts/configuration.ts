// Scan configuration of an account in a region: ECR rescan durations, the EC2 scan mode and
// EC2 deep inspection. A member account scans with its delegated administrator's settings.
import { z } from 'zod';
import { declareState } from '../platform/state.js';

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
export function defaultConfiguration(now: Date): ScanConfiguration {
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
  schema: z.map(z.string().max(128), z.string().max(2048)),
});
