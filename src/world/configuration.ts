// Scan configuration of an account in a region: ECR rescan durations, the EC2 scan mode and
// EC2 deep inspection. A member account scans with its delegated administrator's settings.
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
