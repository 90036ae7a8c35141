// CIS scans: scan configurations (a name, a CIS profile level, a schedule and targets —
// accounts and EC2 instance tags), the scans they run on the virtual clock, and the
// sessions through which the Amazon Inspector SSM plugin on an instance reports a scan job.
//
// A configuration's schedule runs as a scheduled task: oneTime at once (the next request),
// daily/weekly/monthly at each start time, each run scheduling the next. A run is a scan,
// IN_PROGRESS until the scan time (`scanMs`) has passed, over the running EC2 instances of
// the target accounts (with EC2 scanning enabled) whose tags match: each is a scan job.
// An instance SSM does not manage, or whose platform no benchmark of seeds/cis-checks.json
// covers, is CANCELLED at once with SSM_UNMANAGED or UNSUPPORTED_OS. When the scan time
// has passed, every job without an agent session gets its simulated results (cis-checks.ts)
// and is COMPLETED; a job whose session the SSM plugin (or a test playing it) started
// finishes when the session stops — with the rule statuses the plugin reported — or times
// out without health reports. The scan is COMPLETED when every job has finished (FAILED
// when every job that could run was cancelled or timed out). Scans stay after their
// configuration is deleted. A delegated administrator may target its associated members.
import type { components } from '../../../openapi/inspector2.js';
import { benchmarkById, benchmarkForPlatform, checkOfRule, checksAtLevel, simulatedOutcome, type CisFindingStatus } from './checks.js';
import { checkSchedule, nextRunAfter, normalizedSchedule, type CisSchedule } from './schedule.js';
import { WorldError } from '../platform/errors.js';
import { nextId } from '../platform/ids.js';
import { enabledState } from '../accounts/accounts.js';
import type { Caller } from '../world.js';
import type { World } from '../world.js';
import { z } from 'zod';
import { declareState, savedCounter, savedDate, savedRecords } from '../platform/state.js';
import { registerTask, taskId, taskTime } from '../platform/tasks.js';
import { standingOf } from '../accounts/organizations.js';
import { forgetTags } from '../accounts/tags.js';
import { arnOf } from '../platform/partition.js';

type Shapes = components['schemas'];
type CisSecurityLevel = Shapes['CisSecurityLevel'];
type CisScanStatus = Shapes['CisScanStatus'];
type CisTargetStatus = Shapes['CisTargetStatus'];
type CisTargetStatusReason = Shapes['CisTargetStatusReason'];
export type CisRuleStatus = Shapes['CisRuleStatus'];
/** Tag keys to the values that select an instance (any of them). */
export type CisTargetResourceTags = Record<string, string[]>;

export interface CisScanConfigurationRecord {
  arn: string;
  /** The account that created it (and owns its tags). */
  accountId: string;
  region: string;
  /** The account, or for a delegated administrator its organization, that schedules its scans. */
  ownerId: string;
  scanName: string;
  securityLevel: CisSecurityLevel;
  schedule: CisSchedule;
  /** As given: 12-digit account ids, SELF or ALL_ACCOUNTS; resolved each time a scan runs. */
  accountIds: string[];
  targetResourceTags: CisTargetResourceTags;
  createdAt: Date;
  updatedAt: Date;
  /** When the schedule runs next (epoch milliseconds); undefined when no run is pending. */
  nextRunAt?: number;
}

export interface CisCheckResult {
  checkId: string;
  status: CisFindingStatus;
  statusReason: string;
}

/** The SSM plugin's session on a scan job. */
interface CisSession {
  token: string;
  state: 'ACTIVE' | 'STOPPED';
  startedAt: Date;
  lastHealthAt: Date;
  /** The latest status the plugin reported for each rule, by rule id. */
  rules: Record<string, CisRuleStatus>;
  /** What the plugin said when it stopped the session. */
  stop?: {
    at: Date;
    status: Shapes['StopCisSessionStatus'];
    reason?: string;
    progress: Shapes['StopCisMessageProgress'];
    benchmarkVersion?: string;
    benchmarkProfile?: string;
    computePlatform?: Shapes['ComputePlatform'];
  };
}

/** One instance of a scan: a scan job. */
export interface CisScanTarget {
  scanJobId: string;
  accountId: string;
  instanceId: string;
  platform: string;
  /** The instance's tags when the scan started. */
  tags: Record<string, string>;
  /** The benchmark its platform gets; absent for an unsupported platform. */
  benchmarkId?: string;
  /** Absent while the job runs. */
  targetStatus?: CisTargetStatus;
  targetStatusReason?: CisTargetStatusReason;
  /** Filled when the job finishes. */
  results: CisCheckResult[];
  session?: CisSession;
}

export interface CisScanRecord {
  scanArn: string;
  configurationArn: string;
  /** The account whose configuration scheduled it. */
  accountId: string;
  region: string;
  ownerId: string;
  scanName: string;
  securityLevel: CisSecurityLevel;
  status: CisScanStatus;
  /** When it started. */
  scanDate: Date;
  completedAt?: Date;
  /** The configuration's targets when it started, accounts resolved. */
  targets: { accountIds: string[]; targetResourceTags: CisTargetResourceTags };
  resources: CisScanTarget[];
}

/** An account's CIS scanning in one region. */
interface CisState {
  configurations: Map<string, CisScanConfigurationRecord>;
  /** The scans its configurations ran, by ARN, in the order they started. */
  scans: Map<string, CisScanRecord>;
  /** Report files written for this account, by `<scan ARN>|<format>|<accounts>`: their URL. */
  reports: Map<string, string>;
}

/** The CIS state of the account-region an ARN names (arn:<partition>:inspector2:<region>:<account>:...), if any. */
function cisOfArn(world: World, arn: string): CisState | undefined {
  const [, , , region = '', accountId = ''] = arn.split(':');
  return world.existingAccountRegion(accountId, region)?.cis;
}

/** A scan by its ARN, wherever it lives. */
export function scanByArn(world: World, scanArn: string): CisScanRecord | undefined {
  return cisOfArn(world, scanArn)?.scans.get(scanArn);
}

/** The scan a scan job belongs to (jobs are looked up across accounts: the instance's account asks). */
function scanOfJob(world: World, scanJobId: string): CisScanRecord | undefined {
  const scanArn = world.global.cisJobs.get(scanJobId);
  return scanArn === undefined ? undefined : scanByArn(world, scanArn);
}

/** The plugin reports health every few minutes; a session silent this long has lost its instance. */
const CIS_SESSION_TIMEOUT_MS = 30 * 60_000;

const SCAN_JOB_RESOURCE = 'CIS_SCAN_JOB';

// ---------------------------------------------------------------- targets

/** The accounts a delegated administrator may target besides itself: its associated members. */
function memberAccounts(world: World, accountId: string, region: string): string[] {
  const standing = standingOf(world, accountId, region);
  if (!standing.isDelegatedAdmin) return [];
  const regional = standing.inspectorOrganization!;
  return [...regional.members.keys()].filter((id) => id !== accountId && regional.isAssociated(id)).sort();
}

/**
 * The account ids a target list names for its owner: SELF is the owner, ALL_ACCOUNTS the
 * owner and (for a delegated administrator) its associated members. An account it may not
 * target is refused, or (`skip`, when a scan runs) left out: a member may have left since.
 */
function resolveAccounts(world: World, accountId: string, region: string, given: readonly string[], refuse: boolean): string[] {
  const members = memberAccounts(world, accountId, region);
  const resolved = new Set<string>();
  for (const id of given) {
    if (id === 'SELF' || id === accountId) resolved.add(accountId);
    else if (id === 'ALL_ACCOUNTS') [accountId, ...members].forEach((m) => resolved.add(m));
    else if (members.includes(id)) resolved.add(id);
    else if (refuse) {
      throw new WorldError(
        'AccessDenied',
        standingOf(world, accountId, region).isDelegatedAdmin
          ? `Account ${id} is not a member associated with the delegated administrator ${accountId} in ${region}: a CIS scan can target only those.`
          : `Account ${accountId} can target only itself (SELF): only a delegated administrator can target other accounts, its members.`,
      );
    }
  }
  return [...resolved];
}

/** A configuration's targets with its account list resolved (as the API shows them). */
export function resolvedTargets(world: World, configuration: CisScanConfigurationRecord): CisScanRecord['targets'] {
  return {
    accountIds: resolveAccounts(world, configuration.accountId, configuration.region, configuration.accountIds, false),
    targetResourceTags: structuredClone(configuration.targetResourceTags),
  };
}

/** Whether an instance's tags select it: for every key, the instance has one of the key's values. */
function tagsSelect(tags: Record<string, string>, targetResourceTags: CisTargetResourceTags): boolean {
  return Object.entries(targetResourceTags).every(([key, values]) => key in tags && values.includes(tags[key]!));
}

/** The tags of a target that selected it, as the API's TargetResourceTags. */
export function selectingTags(target: CisScanTarget, targetResourceTags: CisTargetResourceTags): CisTargetResourceTags {
  const selected: CisTargetResourceTags = {};
  for (const key of Object.keys(targetResourceTags)) if (key in target.tags) selected[key] = [target.tags[key]!];
  return selected;
}

// ---------------------------------------------------------------- configurations

export interface NewCisScanConfiguration {
  scanName: string;
  securityLevel: CisSecurityLevel;
  schedule: CisSchedule;
  accountIds: string[];
  targetResourceTags: CisTargetResourceTags;
}

/** The caller's configurations in its region, in creation order. */
export function configurationsOf(world: World, caller: Caller): CisScanConfigurationRecord[] {
  enabledState(world, caller);
  return [...(world.existingAccountRegion(caller.accountId, caller.region)?.cis.configurations.values() ?? [])];
}

function configurationOf(world: World, caller: Caller, arn: string): CisScanConfigurationRecord {
  enabledState(world, caller);
  const configuration = world.existingAccountRegion(caller.accountId, caller.region)?.cis.configurations.get(arn);
  if (!configuration) {
    throw new WorldError('NotFound', `There is no CIS scan configuration ${arn} in account ${caller.accountId} in ${caller.region}.`);
  }
  return configuration;
}

/** Plans the next run: a oneTime schedule at once, a recurring one at its next start time. */
function scheduleNextRun(world: World, configuration: CisScanConfigurationRecord): void {
  const now = world.clock.nowMs();
  configuration.nextRunAt = configuration.schedule.oneTime ? now : nextRunAfter(configuration.schedule, now);
  if (configuration.nextRunAt !== undefined) {
    world.scheduler.schedule(configuration.nextRunAt, { kind: 'cis-scan-due', configurationArn: configuration.arn, dueAt: configuration.nextRunAt });
  }
}

export function createConfiguration(world: World, caller: Caller, spec: NewCisScanConfiguration): CisScanConfigurationRecord {
  enabledState(world, caller);
  checkSchedule(spec.schedule);
  resolveAccounts(world, caller.accountId, caller.region, spec.accountIds, true);
  const standing = standingOf(world, caller.accountId, caller.region);
  const ownerId = standing.isDelegatedAdmin ? standing.organization!.id : caller.accountId;
  const id = nextId(world.global.cisIds, caller.accountId, caller.region, 'cis-configuration', spec.scanName);
  const now = world.clock.now();
  const configuration: CisScanConfigurationRecord = {
    arn: arnOf('inspector2', caller.region, caller.accountId, `owner/${ownerId}/cis-configuration/${id}`),
    accountId: caller.accountId,
    region: caller.region,
    ownerId,
    scanName: spec.scanName,
    securityLevel: spec.securityLevel,
    schedule: normalizedSchedule(spec.schedule),
    accountIds: [...spec.accountIds],
    targetResourceTags: structuredClone(spec.targetResourceTags),
    createdAt: now,
    updatedAt: now,
  };
  world.accountRegion(caller.accountId, caller.region).cis.configurations.set(configuration.arn, configuration);
  scheduleNextRun(world, configuration);
  world.changed();
  return configuration;
}

/** Replaces the members given; a changed schedule is planned again from now (a oneTime one runs at once). */
export function updateConfiguration(world: World, caller: Caller, arn: string, changes: Partial<NewCisScanConfiguration>): CisScanConfigurationRecord {
  const configuration = configurationOf(world, caller, arn);
  if (changes.schedule) checkSchedule(changes.schedule);
  if (changes.accountIds) resolveAccounts(world, caller.accountId, caller.region, changes.accountIds, true);
  if (changes.scanName !== undefined) configuration.scanName = changes.scanName;
  if (changes.securityLevel) configuration.securityLevel = changes.securityLevel;
  if (changes.accountIds) configuration.accountIds = [...changes.accountIds];
  if (changes.targetResourceTags) configuration.targetResourceTags = structuredClone(changes.targetResourceTags);
  configuration.updatedAt = world.clock.now();
  if (changes.schedule) {
    const schedule = normalizedSchedule(changes.schedule);
    if (JSON.stringify(schedule) !== JSON.stringify(configuration.schedule)) {
      configuration.schedule = schedule;
      // The task already scheduled sees another nextRunAt and does nothing.
      scheduleNextRun(world, configuration);
    }
  }
  world.changed();
  return configuration;
}

/** Deletes a configuration: no more runs; the scans it ran stay (a running one finishes). */
export function deleteConfiguration(world: World, caller: Caller, arn: string): void {
  configurationOf(world, caller, arn);
  world.accountRegion(caller.accountId, caller.region).cis.configurations.delete(arn);
  forgetTags(world, arn);
  world.changed();
}

/** Whether the ARN is a CIS scan configuration of the account in the region (tags can be put on it). */
export function ownsCisScanConfiguration(world: World, accountId: string, region: string, arn: string): boolean {
  return world.existingAccountRegion(accountId, region)?.cis.configurations.has(arn) ?? false;
}

// ---------------------------------------------------------------- scans

/** How far back a recurring schedule catches up the runs it missed while the clock jumped. */
const CIS_CATCH_UP_MS = 31 * 86_400_000;

/**
 * A scheduled run is due: the scan starts, and a recurring schedule plans its next run.
 * Runs missed while the clock jumped (moved by years, or a server stopped for days) are
 * caught up only over the last 31 days: the first missed run, then those of the 31 days
 * before now — so a jump of any length costs a daily schedule at most 32 scans.
 */
function runScheduledScan(world: World, configurationArn: string, dueAt: number): void {
  const configuration = cisOfArn(world, configurationArn)?.configurations.get(configurationArn);
  if (!configuration || configuration.nextRunAt !== dueAt) return;
  startScan(world, configuration, dueAt);
  configuration.nextRunAt = nextRunAfter(configuration.schedule, Math.max(dueAt, world.clock.catchUpMs() - CIS_CATCH_UP_MS));
  if (configuration.nextRunAt !== undefined) {
    world.scheduler.schedule(configuration.nextRunAt, { kind: 'cis-scan-due', configurationArn, dueAt: configuration.nextRunAt });
  }
}

function startScan(world: World, configuration: CisScanConfigurationRecord, startedAt: number): CisScanRecord {
  const targets = resolvedTargets(world, configuration);
  const id = nextId(world.global.cisIds, configuration.arn, 'cis-scan', String(startedAt));
  const scan: CisScanRecord = {
    scanArn: arnOf('inspector2', configuration.region, configuration.accountId, `owner/${configuration.ownerId}/cis-scan/${id}`),
    configurationArn: configuration.arn,
    accountId: configuration.accountId,
    region: configuration.region,
    ownerId: configuration.ownerId,
    scanName: configuration.scanName,
    securityLevel: configuration.securityLevel,
    status: 'IN_PROGRESS',
    scanDate: new Date(startedAt),
    targets,
    resources: [],
  };
  for (const accountId of targets.accountIds) {
    const state = world.existingAccountRegion(accountId, configuration.region);
    // CIS scans run through the SSM associations that EC2 scanning sets up.
    if (!state?.enablement.isEnabledOrEnabling('EC2')) continue;
    for (const instance of state.inventory?.ec2Instances ?? []) {
      if (instance.state !== 'running' || !tagsSelect(instance.tags, targets.targetResourceTags)) continue;
      const benchmark = benchmarkForPlatform(instance.platform);
      const target: CisScanTarget = {
        scanJobId: nextId(world.global.cisIds, scan.scanArn, accountId, instance.instanceId),
        accountId,
        instanceId: instance.instanceId,
        platform: instance.platform,
        tags: { ...instance.tags },
        ...(benchmark ? { benchmarkId: benchmark.id } : {}),
        results: [],
      };
      if (!instance.ssmManaged) Object.assign(target, { targetStatus: 'CANCELLED', targetStatusReason: 'SSM_UNMANAGED' });
      else if (!benchmark) Object.assign(target, { targetStatus: 'CANCELLED', targetStatusReason: 'UNSUPPORTED_OS' });
      else target.targetStatusReason = 'SCAN_IN_PROGRESS';
      scan.resources.push(target);
      world.global.cisJobs.set(target.scanJobId, scan.scanArn);
    }
  }
  world.accountRegion(configuration.accountId, configuration.region).cis.scans.set(scan.scanArn, scan);
  world.scheduler.schedule(startedAt + world.options.scanMs, { kind: 'cis-scan-complete', scanArn: scan.scanArn });
  return scan;
}

function running(target: CisScanTarget): boolean {
  return target.targetStatusReason === 'SCAN_IN_PROGRESS';
}

/**
 * A job finishes. COMPLETED: every check of the scan's level has a result, the plugin's
 * report where it gave one, else the simulated outcome. CANCELLED or TIMED_OUT: the checks
 * the plugin reported before it stopped.
 */
function finishTarget(scan: CisScanRecord, target: CisScanTarget, status: CisTargetStatus, reason?: CisTargetStatusReason): void {
  const benchmark = target.benchmarkId && reason !== 'UNSUPPORTED_OS' ? benchmarkById(target.benchmarkId) : undefined;
  const reported = new Map<string, CisRuleStatus>();
  for (const [ruleId, ruleStatus] of Object.entries(target.session?.rules ?? {})) {
    const check = benchmark && checkOfRule(benchmark, ruleId);
    if (check) reported.set(check.id, ruleStatus);
  }
  target.results = [];
  for (const check of benchmark ? checksAtLevel(benchmark, scan.securityLevel) : []) {
    const ruleStatus = reported.get(check.id);
    if (ruleStatus) target.results.push({ checkId: check.id, ...reportedOutcome(ruleStatus) });
    else if (status === 'COMPLETED') target.results.push({ checkId: check.id, ...simulatedOutcome(target.instanceId, benchmark!, check) });
  }
  target.targetStatus = status;
  if (reason) target.targetStatusReason = reason;
  else delete target.targetStatusReason;
}

/** The plugin's rule statuses as outcomes: anything but PASSED or FAILED was not decided. */
function reportedOutcome(status: CisRuleStatus): Omit<CisCheckResult, 'checkId'> {
  if (status === 'PASSED') return { status: 'PASSED', statusReason: 'The system configuration meets the recommendation.' };
  if (status === 'FAILED') return { status: 'FAILED', statusReason: 'The system configuration does not meet the recommendation.' };
  return { status: 'SKIPPED', statusReason: `The Amazon Inspector SSM plugin reported the rule as ${status}.` };
}

/** The scan is over once every job is: FAILED when no job that could run completed. */
function finishScanIfDone(world: World, scan: CisScanRecord): void {
  if (scan.status !== 'IN_PROGRESS' || scan.resources.some(running)) return;
  const ran = scan.resources.filter((t) => t.benchmarkId && t.targetStatusReason === undefined);
  scan.status = ran.length > 0 && ran.every((t) => t.targetStatus !== 'COMPLETED') ? 'FAILED' : 'COMPLETED';
  scan.completedAt = world.clock.now();
}

/** The scan time has passed: jobs without an agent session get their simulated results. */
function completeScanRun(world: World, scanArn: string): void {
  const scan = scanByArn(world, scanArn);
  if (scan?.status !== 'IN_PROGRESS') return;
  for (const target of scan.resources) if (running(target) && !target.session) finishTarget(scan, target, 'COMPLETED');
  finishScanIfDone(world, scan);
}

// ---------------------------------------------------------------- sessions (the SSM plugin's side)

function jobOf(world: World, caller: Caller, scanJobId: string): { scan: CisScanRecord; target: CisScanTarget } {
  enabledState(world, caller);
  const scan = scanOfJob(world, scanJobId);
  const target = scan?.resources.find((t) => t.scanJobId === scanJobId);
  // The plugin runs on the instance: the job must be of the calling account, in its region.
  if (!scan || !target || target.accountId !== caller.accountId || scan.region !== caller.region) {
    throw new WorldError('Invalid', `There is no CIS scan job ${scanJobId} for account ${caller.accountId} in ${caller.region}.`);
  }
  return { scan, target };
}

function conflict(scanJobId: string, message: string): WorldError {
  return new WorldError('Conflict', message, { id: scanJobId, type: SCAN_JOB_RESOURCE });
}

/** The job's active session, if the token is its token. */
function activeSession(world: World, caller: Caller, scanJobId: string, token: string): { scan: CisScanRecord; target: CisScanTarget; session: CisSession } {
  const { scan, target } = jobOf(world, caller, scanJobId);
  const session = target.session;
  if (!session) throw conflict(scanJobId, `No CIS session was started for scan job ${scanJobId}: call StartCisSession first.`);
  if (session.token !== token) throw conflict(scanJobId, `The session token does not match the session of scan job ${scanJobId}.`);
  if (session.state !== 'ACTIVE') throw conflict(scanJobId, `The CIS session of scan job ${scanJobId} was stopped.`);
  return { scan, target, session };
}

function scheduleTimeout(world: World, scanJobId: string, session: CisSession): void {
  const dueAt = session.lastHealthAt.getTime() + CIS_SESSION_TIMEOUT_MS;
  world.scheduler.schedule(dueAt, { kind: 'cis-session-timeout', scanJobId, dueAt });
  world.changed();
}

/** The plugin starts the job's session; starting it again with the same token changes nothing. */
export function startSession(world: World, caller: Caller, scanJobId: string, token: string): void {
  const { scan, target } = jobOf(world, caller, scanJobId);
  if (target.session) {
    if (target.session.token === token && target.session.state === 'ACTIVE') return;
    throw conflict(
      scanJobId,
      target.session.state === 'ACTIVE'
        ? `A CIS session with another token is active for scan job ${scanJobId}.`
        : `The CIS session of scan job ${scanJobId} was stopped; a scan job has one session.`,
    );
  }
  if (scan.status !== 'IN_PROGRESS' || !running(target)) {
    throw conflict(
      scanJobId,
      `Scan job ${scanJobId} is not running: it is ${target.targetStatus ?? 'done'}${target.targetStatusReason ? ` (${target.targetStatusReason})` : ''}.`,
    );
  }
  const now = world.clock.now();
  target.session = { token, state: 'ACTIVE', startedAt: now, lastHealthAt: now, rules: {} };
  scheduleTimeout(world, scanJobId, target.session);
}

export function sessionHealth(world: World, caller: Caller, scanJobId: string, token: string): void {
  const { session } = activeSession(world, caller, scanJobId, token);
  session.lastHealthAt = world.clock.now();
  scheduleTimeout(world, scanJobId, session);
}

export function sessionTelemetry(world: World, caller: Caller, scanJobId: string, token: string, messages: { ruleId: string; status: CisRuleStatus }[]): void {
  const { session } = activeSession(world, caller, scanJobId, token);
  for (const message of messages) session.rules[message.ruleId] = message.status;
  // Telemetry is a sign of life too.
  session.lastHealthAt = world.clock.now();
  scheduleTimeout(world, scanJobId, session);
}

/**
 * The plugin stops the session: SUCCESS completes the job (the reported rules over the
 * simulated outcomes), UNSUPPORTED_OS cancels it for that reason, FAILED and INTERRUPTED
 * cancel it with the rules reported so far.
 */
export function stopSession(world: World, caller: Caller, scanJobId: string, token: string, message: Shapes['StopCisSessionMessage']): void {
  const { scan, target, session } = activeSession(world, caller, scanJobId, token);
  session.state = 'STOPPED';
  session.stop = {
    at: world.clock.now(),
    status: message.status,
    progress: { ...message.progress },
    ...(message.reason !== undefined ? { reason: message.reason } : {}),
    ...(message.benchmarkVersion !== undefined ? { benchmarkVersion: message.benchmarkVersion } : {}),
    ...(message.benchmarkProfile !== undefined ? { benchmarkProfile: message.benchmarkProfile } : {}),
    ...(message.computePlatform ? { computePlatform: { ...message.computePlatform } } : {}),
  };
  if (message.status === 'SUCCESS') finishTarget(scan, target, 'COMPLETED');
  else if (message.status === 'UNSUPPORTED_OS') finishTarget(scan, target, 'CANCELLED', 'UNSUPPORTED_OS');
  else finishTarget(scan, target, 'CANCELLED');
  finishScanIfDone(world, scan);
  world.changed();
}

/** A session sent nothing for too long: its job timed out with what it reported. */
function timeOutSession(world: World, scanJobId: string, dueAt: number): void {
  const scan = scanOfJob(world, scanJobId);
  const target = scan?.resources.find((t) => t.scanJobId === scanJobId);
  const session = target?.session;
  if (!scan || !target || session?.state !== 'ACTIVE' || session.lastHealthAt.getTime() + CIS_SESSION_TIMEOUT_MS > dueAt) return;
  session.state = 'STOPPED';
  finishTarget(scan, target, 'TIMED_OUT');
  finishScanIfDone(world, scan);
}

/** The scan jobs of a scan, as the service hands them to the SSM plugin of each instance. */
export function scanJobsOf(world: World, scanArn: string): { scanJobId: string; accountId: string; instanceId: string }[] {
  return (scanByArn(world, scanArn)?.resources ?? []).map(({ scanJobId, accountId, instanceId }) => ({ scanJobId, accountId, instanceId }));
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** The account's CIS scan configurations in the region, the scans they ran and the reports written. */
    cis: CisState;
  }
  interface GlobalState {
    /** Counts the CIS ids made, so that the same calls give the same ids. */
    cisIds: { sequence: number };
    /**
     * The scan of each scan job, by scanJobId: an index across accounts, since a member's
     * agent reports on the administrator's scan. A job whose scan is gone is not found.
     */
    cisJobs: Map<string, string>;
  }
}

declareState('account-region', 'cis', {
  empty: () => ({ configurations: new Map(), scans: new Map(), reports: new Map() }),
  schema: z.strictObject({
    configurations: savedRecords<CisScanConfigurationRecord>({
      arn: z.string(),
      ownerId: z.string(),
      scanName: z.string().max(256),
      schedule: z.looseObject({}),
      accountIds: z.array(z.string().max(32)).max(10_000),
      createdAt: savedDate,
      updatedAt: savedDate,
      nextRunAt: z.number().finite().optional(),
    }),
    scans: savedRecords<CisScanRecord>({
      scanArn: z.string(),
      configurationArn: z.string(),
      scanDate: savedDate,
      resources: z.array(z.looseObject({ scanJobId: z.string() })),
    }),
    reports: z.map(z.string().max(4096), z.string().max(4096)),
  }),
});

declareState('global', 'cisIds', {
  empty: () => ({ sequence: 0 }),
  schema: z.strictObject({ sequence: savedCounter }),
});

declareState('global', 'cisJobs', {
  empty: () => new Map(),
  schema: z.map(z.string().max(2048), z.string().max(2048)),
});

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** A CIS scan configuration's scheduled run is due: a scan starts. */
    'cis-scan-due': { configurationArn: string; dueAt: number };
    /** A CIS scan's scan time has passed: its jobs without an agent session complete. */
    'cis-scan-complete': { scanArn: string };
    /** A CIS session may have sent no health report for too long. */
    'cis-session-timeout': { scanJobId: string; dueAt: number };
  }
}

registerTask('cis-scan-due', z.strictObject({ configurationArn: taskId, dueAt: taskTime }), (world, task) =>
  runScheduledScan(world, task.configurationArn, task.dueAt),
);
registerTask('cis-scan-complete', z.strictObject({ scanArn: taskId }), (world, task) => completeScanRun(world, task.scanArn));
registerTask('cis-session-timeout', z.strictObject({ scanJobId: taskId, dueAt: taskTime }), (world, task) => timeOutSession(world, task.scanJobId, task.dueAt));
