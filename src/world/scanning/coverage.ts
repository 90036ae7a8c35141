// The scanner: what Inspector covers in an account and region, and what it finds there.
//
// `reconcile` decides every resource's coverage row from the enabled scan types, the
// inventory, the configuration and the clock: new active rows wait in
// PENDING_INITIAL_SCAN until their scan runs (after the scan time, on the virtual clock);
// rows that go inactive or disappear close their findings. `scan` matches a resource's
// packages against the catalog (package findings), its security groups against the
// internet (network reachability) and its code issues (code findings), opening, keeping,
// reopening and closing findings as AWS does. Code repositories (code security projects)
// are covered while a scan configuration or an on-demand scan asks for them, and scanned
// with the rule sets their scan configurations name (SAST, IaC, SCA).
import { createHash } from 'node:crypto';
import { durationOf, DEFAULT_DEEP_INSPECTION_PATHS, type ScanConfiguration } from '../accounts/configuration.js';
import { baseScore, formatVector, parseVector } from './cvss.js';
import type { CoverageRow, CoveredResource, Finding, ScanStatusReason } from '../findings/documents.js';
import { PACKAGE_MANAGER } from './ecosystems.js';
import { applySuppression } from '../findings/filters.js';
import type { ScanType } from '../accounts/enablement.js';
import type { CodeIssue, CodeRepository, Ec2Instance, EcrImage, EcrRepository, InstalledPackage, LambdaFunction } from '../inventory/inventory.js';
import { projectScanning, ruleSetsOf } from '../code-security/code-security.js';
import type { UsageType } from '../accounts/usage.js';
import type { Vulnerability } from './catalog.js';
import type { PackageMatch } from './vulnerabilities.js';
import { z } from 'zod';
import { declareState, intact } from '../platform/state.js';
import { registerTask, taskAccountId, taskRegion, taskId } from '../platform/tasks.js';
import type { AccountRegion, World } from '../world.js';

type CoverageScanType = CoveredResource['scanType'];

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Coverage rows by `<resourceId>|<scanType>`. */
    coverage: Map<string, CoverageRow>;
  }
}

const coverageRowSchema = z.strictObject({
  resource: z.looseObject({
    resourceId: z.string().min(1).max(2048),
    resourceType: z.enum(['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_ECR_REPOSITORY', 'AWS_LAMBDA_FUNCTION', 'CODE_REPOSITORY']),
    accountId: z.string().regex(/^\d{12}$/),
    scanType: z.enum(['NETWORK', 'PACKAGE', 'CODE']),
    scanStatus: z.looseObject({ statusCode: z.enum(['ACTIVE', 'INACTIVE']), reason: z.string() }).optional(),
  }),
  expiredAt: z.number().finite().optional(),
  scanQueued: z.boolean().optional(),
});

declareState('account-region', 'coverage', {
  empty: () => new Map(),
  schema: z.map(z.string().max(4096), intact<CoverageRow>(coverageRowSchema)),
});

/** The model's ScanStatusReason values. */
const SCAN_STATUS_REASONS = ['PENDING_INITIAL_SCAN', 'ACCESS_DENIED', 'INTERNAL_ERROR', 'UNMANAGED_EC2_INSTANCE', 'UNSUPPORTED_OS', 'SCAN_ELIGIBILITY_EXPIRED', 'RESOURCE_TERMINATED', 'SUCCESSFUL', 'NO_RESOURCES_FOUND', 'IMAGE_SIZE_EXCEEDED', 'SCAN_FREQUENCY_MANUAL', 'SCAN_FREQUENCY_SCAN_ON_PUSH', 'EC2_INSTANCE_STOPPED', 'PENDING_DISABLE', 'NO_INVENTORY', 'STALE_INVENTORY', 'EXCLUDED_BY_TAG', 'UNSUPPORTED_RUNTIME', 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CONFIG_FILE', 'DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED', 'DEEP_INSPECTION_DAILY_SSM_INVENTORY_LIMIT_EXCEEDED', 'DEEP_INSPECTION_COLLECTION_TIME_LIMIT_EXCEEDED', 'DEEP_INSPECTION_NO_INVENTORY', 'AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED', 'AGENTLESS_INSTANCE_COLLECTION_TIME_LIMIT_EXCEEDED', 'PENDING_REVIVAL_SCAN', 'INTEGRATION_CONNECTION_LOST', 'ACCESS_DENIED_TO_ENCRYPTION_KEY', 'UNSUPPORTED_LANGUAGE', 'NO_SCAN_CONFIGURATION_ASSOCIATED', 'SCAN_IN_PROGRESS', 'IMAGE_ARCHIVED', 'UNSUPPORTED_CODE_ARTIFACTS'] as const satisfies readonly ScanStatusReason[];

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** Coverage is looked at again (a rescan window closes). */
    reconcile: { accountId: string; region: string };
    /** A queued resource scan completes. */
    scan: { accountId: string; region: string; coverageKey: string; activeReason?: ScanStatusReason };
  }
}

registerTask('reconcile', z.strictObject({ accountId: taskAccountId, region: taskRegion }), (world, task) => {
  const state = world.existingAccountRegion(task.accountId, task.region);
  if (state) reconcile(world, state);
});
registerTask(
  'scan',
  z.strictObject({ accountId: taskAccountId, region: taskRegion, coverageKey: taskId, activeReason: z.enum(SCAN_STATUS_REASONS).optional() }),
  (world, task) => {
    const state = world.existingAccountRegion(task.accountId, task.region);
    if (state) completeScan(world, state, task.coverageKey, task.activeReason);
  },
);

/** A coverage row as the rules decide it, before scanning. */
interface Eligibility {
  resourceType: CoveredResource['resourceType'];
  resourceId: string;
  scanType: CoverageScanType;
  enabledBy: ScanType;
  /** ACTIVE rows are scanned; INACTIVE ones say why not. */
  inactive?: ScanStatusReason;
  /** An ACTIVE status other than the scan result (e.g. SCAN_FREQUENCY_SCAN_ON_PUSH). */
  activeReason?: ScanStatusReason;
  scanMode?: CoveredResource['scanMode'];
  metadata: CoveredResource['resourceMetadata'];
  /** When the row would expire on its own (ECR push/pull windows, Lambda's 90 days). */
  expiresAt?: number;
}

const LAMBDA_ELIGIBILITY_MS = 90 * 86_400_000;

/** Operating systems Inspector scans (EC2 platforms and image platforms). */
const SUPPORTED_PLATFORMS = new Set([
  'AMAZON_LINUX_2',
  'AMAZON_LINUX_2023',
  'UBUNTU_20_04',
  'UBUNTU_22_04',
  'UBUNTU_24_04',
  'DEBIAN_11',
  'DEBIAN_12',
  'RHEL_8',
  'RHEL_9',
  'ROCKY_LINUX_9',
  'ALMA_LINUX_9',
  'SUSE_15',
  'WINDOWS_SERVER_2019',
  'WINDOWS_SERVER_2022',
]);

/** Lambda runtimes Inspector scans (the model's Runtime values less the deprecated ones). */
const SUPPORTED_RUNTIMES = new Set([
  'NODEJS_18_X',
  'NODEJS_24_X',
  'JAVA_8_AL2',
  'JAVA_11',
  'JAVA_17',
  'PYTHON_3_9',
  'PYTHON_3_10',
  'PYTHON_3_11',
  'GO_1_X',
  'RUBY_3_2',
  'DOTNET_6',
  'DOTNET_7',
  'DOTNET_10',
]);

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

function ec2OsFamily(platform: string): 'WINDOWS' | 'LINUX' | 'MACOS' | 'UNKNOWN' {
  if (platform.startsWith('WINDOWS')) return 'WINDOWS';
  if (platform.startsWith('MACOS')) return 'MACOS';
  return /^(AMAZON_LINUX|UBUNTU|DEBIAN|RHEL|ROCKY|ALMA|SUSE|CENTOS|FEDORA|ORACLE)/.test(platform) ? 'LINUX' : 'UNKNOWN';
}

export function ecrRepositoryArn(state: AccountRegion, repository: string): string {
  return `arn:aws:ecr:${state.region}:${state.accountId}:repository/${repository}`;
}

export function lambdaFunctionArn(state: AccountRegion, name: string): string {
  return `arn:aws:lambda:${state.region}:${state.accountId}:function:${name}:$LATEST`;
}

/** A code repository's resource id: its integration's ARN and its project id. */
export function codeRepositoryId(repository: CodeRepository): string {
  return `${repository.integrationArn}/${repository.projectId}`;
}

export function findCodeRepository(state: AccountRegion, resourceId: string): CodeRepository | undefined {
  return state.inventory?.codeRepositories?.find((r) => codeRepositoryId(r) === resourceId);
}

/** Whether the internet reaches the instance through an internet gateway. */
function internetFacing(instance: Ec2Instance): boolean {
  return instance.state === 'running' && instance.internetGatewayId !== undefined && instance.publicIp !== undefined;
}

function ec2Rows(instance: Ec2Instance, configuration: ScanConfiguration): Eligibility[] {
  if (instance.state === 'terminated') return [];
  const metadata = { ec2: { tags: instance.tags, amiId: instance.amiId, platform: ec2OsFamily(instance.platform) } };
  const base = { resourceType: 'AWS_EC2_INSTANCE' as const, resourceId: instance.instanceId, enabledBy: 'EC2' as const, metadata };
  const excluded = 'InspectorEc2Exclusion' in instance.tags;
  const stopped = instance.state === 'stopped';

  let packageRow: Eligibility;
  if (excluded) packageRow = { ...base, scanType: 'PACKAGE', inactive: 'EXCLUDED_BY_TAG' };
  else if (stopped) packageRow = { ...base, scanType: 'PACKAGE', inactive: 'EC2_INSTANCE_STOPPED' };
  else if (!SUPPORTED_PLATFORMS.has(instance.platform)) packageRow = { ...base, scanType: 'PACKAGE', inactive: 'UNSUPPORTED_OS' };
  else if (instance.ssmManaged) packageRow = { ...base, scanType: 'PACKAGE', scanMode: 'EC2_SSM_AGENT_BASED' };
  else if (configuration.ec2.scanMode === 'EC2_HYBRID') packageRow = { ...base, scanType: 'PACKAGE', scanMode: 'EC2_AGENTLESS' };
  else packageRow = { ...base, scanType: 'PACKAGE', inactive: 'UNMANAGED_EC2_INSTANCE', scanMode: 'EC2_SSM_AGENT_BASED' };

  // Network reachability needs no agent: it reads the network configuration.
  const networkRow: Eligibility = excluded
    ? { ...base, scanType: 'NETWORK', inactive: 'EXCLUDED_BY_TAG' }
    : stopped
      ? { ...base, scanType: 'NETWORK', inactive: 'EC2_INSTANCE_STOPPED' }
      : { ...base, scanType: 'NETWORK' };
  return [packageRow, networkRow];
}

function ecrRows(state: AccountRegion, repository: EcrRepository, configuration: ScanConfiguration, now: number): Eligibility[] {
  const repositoryArn = ecrRepositoryArn(state, repository.name);
  const frequency = repository.scanFrequency;
  const repositoryMetadata = { ecrRepository: { name: repository.name, scanFrequency: frequency } };
  const byFrequency: Pick<Eligibility, 'inactive' | 'activeReason'> =
    frequency === 'MANUAL' ? { inactive: 'SCAN_FREQUENCY_MANUAL' } : frequency === 'SCAN_ON_PUSH' ? { activeReason: 'SCAN_FREQUENCY_SCAN_ON_PUSH' } : {};
  const rows: Eligibility[] = [
    { resourceType: 'AWS_ECR_REPOSITORY', resourceId: repositoryArn, scanType: 'PACKAGE', enabledBy: 'ECR', metadata: repositoryMetadata, ...byFrequency },
  ];
  for (const image of repository.images) {
    const metadata = {
      ecrRepository: repositoryMetadata.ecrRepository,
      ecrImage: {
        tags: image.tags,
        ...(image.lastPulledAt ? { imagePulledAt: image.lastPulledAt } : {}),
        ...(image.lastInUseAt ? { lastInUseAt: image.lastInUseAt } : {}),
        ...(image.inUseCount !== undefined ? { inUseCount: image.inUseCount } : {}),
      },
    };
    const row: Eligibility = {
      resourceType: 'AWS_ECR_CONTAINER_IMAGE',
      resourceId: `${repositoryArn}/${image.digest}`,
      scanType: 'PACKAGE',
      enabledBy: 'ECR',
      metadata,
      ...byFrequency,
    };
    if (!row.inactive && !SUPPORTED_PLATFORMS.has(image.platform)) row.inactive = 'UNSUPPORTED_OS';
    if (!row.inactive) {
      const expiresAt = imageExpiry(image, configuration);
      if (expiresAt <= now) row.inactive = 'SCAN_ELIGIBILITY_EXPIRED';
      else if (Number.isFinite(expiresAt)) row.expiresAt = expiresAt;
    }
    rows.push(row);
  }
  return rows;
}

/** When an image leaves coverage: the later of its push window and its pull (or in-use) window. */
function imageExpiry(image: EcrImage, configuration: ScanConfiguration): number {
  const byPush = image.pushedAt.getTime() + durationOf(configuration.ecr.rescanDuration);
  const pulled = configuration.ecr.pullDateRescanMode === 'LAST_IN_USE_AT' ? (image.lastInUseAt ?? image.lastPulledAt) : image.lastPulledAt;
  const byPull = pulled ? pulled.getTime() + durationOf(configuration.ecr.pullDateRescanDuration) : Number.NEGATIVE_INFINITY;
  return Math.max(byPush, byPull);
}

function lambdaRows(state: AccountRegion, fn: LambdaFunction, codeEnabled: boolean, now: number): Eligibility[] {
  const metadata = {
    lambdaFunction: {
      functionName: fn.name,
      runtime: fn.runtime as NonNullable<NonNullable<CoveredResource['resourceMetadata']>['lambdaFunction']>['runtime'],
      functionTags: fn.tags,
      ...(fn.layers.length ? { layers: fn.layers.map((l) => l.arn) } : {}),
    },
  };
  const base = { resourceType: 'AWS_LAMBDA_FUNCTION' as const, resourceId: lambdaFunctionArn(state, fn.name), metadata };
  const lastActivity = Math.max(fn.lastModifiedAt.getTime(), fn.lastInvokedAt?.getTime() ?? 0);
  const exclusion = fn.tags.InspectorExclusion;
  const common = (): Pick<Eligibility, 'inactive' | 'expiresAt'> => {
    if (!SUPPORTED_RUNTIMES.has(fn.runtime)) return { inactive: 'UNSUPPORTED_RUNTIME' };
    if (lastActivity + LAMBDA_ELIGIBILITY_MS <= now) return { inactive: 'SCAN_ELIGIBILITY_EXPIRED' };
    return { expiresAt: lastActivity + LAMBDA_ELIGIBILITY_MS };
  };
  const rows: Eligibility[] = [
    { ...base, scanType: 'PACKAGE', enabledBy: 'LAMBDA', ...(exclusion === 'LambdaStandardScanning' ? { inactive: 'EXCLUDED_BY_TAG' } : common()) },
  ];
  if (codeEnabled) {
    rows.push({ ...base, scanType: 'CODE', enabledBy: 'LAMBDA_CODE', ...(exclusion === 'LambdaCodeScanning' ? { inactive: 'EXCLUDED_BY_TAG' } : common()) });
  }
  return rows;
}

/** A project is covered while a scan configuration is associated with it or it was scanned on demand. */
function codeRepositoryRow(world: World, state: AccountRegion, repository: CodeRepository): Eligibility {
  const resourceId = codeRepositoryId(repository);
  const { scanned, ...scanning } = projectScanning(world, state, repository);
  // The commit last scanned is the scanner's record, kept on the row.
  const lastScannedCommitId = state.coverage.get(rowKey(resourceId, 'CODE'))?.resource.resourceMetadata?.codeRepository?.lastScannedCommitId;
  return {
    resourceType: 'CODE_REPOSITORY',
    resourceId,
    scanType: 'CODE',
    enabledBy: 'CODE_REPOSITORY',
    metadata: {
      codeRepository: {
        projectName: repository.name,
        integrationArn: repository.integrationArn,
        providerType: repository.providerType,
        providerTypeVisibility: repository.visibility,
        ...(lastScannedCommitId ? { lastScannedCommitId } : {}),
        ...scanning,
      },
    },
    ...(scanned ? {} : { inactive: 'NO_SCAN_CONFIGURATION_ASSOCIATED' as const }),
  };
}

/** The hour-billed usage type of an active coverage row, if it is billed by the hour. */
function billedAs(resource: CoveredResource): UsageType | undefined {
  if (resource.resourceType === 'AWS_EC2_INSTANCE' && resource.scanType === 'PACKAGE') {
    return resource.scanMode === 'EC2_AGENTLESS' ? 'EC2_AGENTLESS_INSTANCE_HOURS' : 'EC2_INSTANCE_HOURS';
  }
  if (resource.resourceType === 'AWS_LAMBDA_FUNCTION') return resource.scanType === 'CODE' ? 'LAMBDA_FUNCTION_CODE_HOURS' : 'LAMBDA_FUNCTION_HOURS';
  return undefined;
}

function rowKey(resourceId: string, scanType: string): string {
  return `${resourceId}|${scanType}`;
}

/** Every row the rules give for the account-region now, for the scan types that are enabled. */
function eligibleRows(world: World, state: AccountRegion): Eligibility[] {
  const inventory = state.inventory;
  if (!inventory) return [];
  const configuration = effectiveConfiguration(world, state);
  const now = world.clock.nowMs();
  // A type being disabled keeps its rows, inactive, until it is disabled.
  const covers = (type: ScanType) => ['ENABLED', 'DISABLING'].includes(state.enablement.status(type));
  const rows: Eligibility[] = [];
  if (covers('EC2')) for (const instance of inventory.ec2Instances) rows.push(...ec2Rows(instance, configuration));
  if (covers('ECR')) for (const repository of inventory.ecrRepositories) rows.push(...ecrRows(state, repository, configuration, now));
  if (covers('LAMBDA')) for (const fn of inventory.lambdaFunctions) rows.push(...lambdaRows(state, fn, covers('LAMBDA_CODE'), now));
  if (covers('CODE_REPOSITORY')) for (const repository of inventory.codeRepositories ?? []) rows.push(codeRepositoryRow(world, state, repository));
  for (const row of rows) if (state.enablement.status(row.enabledBy) === 'DISABLING') row.inactive = 'PENDING_DISABLE';
  return rows;
}

/** The configuration the account scans with: its delegated administrator's, if it is a member. */
export function effectiveConfiguration(world: World, state: AccountRegion): ScanConfiguration {
  const admin = world.standing(state.accountId, state.region).delegatedAdminAccountId;
  return admin ? world.accountRegion(admin, state.region).configuration : state.configuration;
}

/**
 * Brings the account-region's coverage in line with the rules now. Active rows that are new
 * (or back) are queued for a scan; rows that are gone or inactive close their findings.
 */
export function reconcile(world: World, state: AccountRegion): void {
  const now = world.clock.now();
  const seen = new Set<string>();
  let nextExpiry = Number.POSITIVE_INFINITY;
  for (const eligibility of eligibleRows(world, state)) {
    const key = rowKey(eligibility.resourceId, eligibility.scanType);
    seen.add(key);
    const existing = state.coverage.get(key);
    // An expired image or function stays out until it is pushed, pulled, invoked or updated again.
    const stillExpired = existing?.expiredAt !== undefined && !eligibility.inactive && !revived(state, eligibility, existing.expiredAt);
    const inactive = stillExpired ? 'SCAN_ELIGIBILITY_EXPIRED' : eligibility.inactive;
    if (!inactive && eligibility.expiresAt !== undefined) nextExpiry = Math.min(nextExpiry, eligibility.expiresAt);

    const resource: CoveredResource = {
      resourceType: eligibility.resourceType,
      resourceId: eligibility.resourceId,
      accountId: state.accountId,
      scanType: eligibility.scanType,
      scanStatus: inactive
        ? { statusCode: 'INACTIVE', reason: inactive }
        : existing?.resource.scanStatus?.statusCode === 'ACTIVE'
          ? existing.resource.scanStatus
          : { statusCode: 'ACTIVE', reason: 'PENDING_INITIAL_SCAN' },
      ...(eligibility.metadata ? { resourceMetadata: eligibility.metadata } : {}),
      ...(eligibility.scanMode ? { scanMode: eligibility.scanMode } : {}),
      ...(existing?.resource.lastScannedAt ? { lastScannedAt: existing.resource.lastScannedAt } : {}),
    };
    const row: CoverageRow = {
      resource,
      ...(inactive === 'SCAN_ELIGIBILITY_EXPIRED' ? { expiredAt: existing?.expiredAt ?? now.getTime() } : {}),
      ...(existing?.scanQueued && !inactive ? { scanQueued: true } : {}),
    };
    state.coverage.set(key, row);
    const before = existing?.resource.scanStatus;
    if (before?.statusCode !== resource.scanStatus?.statusCode || before?.reason !== resource.scanStatus?.reason) world.events.coverage(state.region, resource);
    const billed = billedAs(resource);
    if (inactive || !billed) state.usage.close(key, now.getTime());
    else state.usage.open(billed, key, now.getTime());

    if (!inactive) {
      if (resource.scanStatus?.reason === 'PENDING_INITIAL_SCAN' || existing?.resource.scanStatus?.statusCode !== 'ACTIVE') {
        scheduleScan(world, state, key, eligibility.activeReason);
      }
    } else if (inactive !== 'EC2_INSTANCE_STOPPED') {
      // An inactive row closes its findings; a stopped instance keeps them until it is terminated.
      closeFindings(world, state, eligibility.resourceId, eligibility.scanType, now);
    }
  }
  for (const [key, row] of state.coverage) {
    if (seen.has(key)) continue;
    state.coverage.delete(key);
    state.usage.close(key, now.getTime());
    closeFindings(world, state, row.resource.resourceId, row.resource.scanType, now);
  }
  // Coverage changes on its own when a window closes: look again then.
  if (Number.isFinite(nextExpiry)) world.scheduler.schedule(nextExpiry, { kind: 'reconcile', accountId: state.accountId, region: state.region });
}

function revived(state: AccountRegion, eligibility: Eligibility, expiredAt: number): boolean {
  const inventory = state.inventory!;
  if (eligibility.resourceType === 'AWS_ECR_CONTAINER_IMAGE') {
    const image = findImage(state, eligibility.resourceId)?.image;
    const activity = Math.max(image?.pushedAt.getTime() ?? 0, image?.lastPulledAt?.getTime() ?? 0, image?.lastInUseAt?.getTime() ?? 0);
    return activity > expiredAt;
  }
  if (eligibility.resourceType === 'AWS_LAMBDA_FUNCTION') {
    const fn = inventory.lambdaFunctions.find((f) => lambdaFunctionArn(state, f.name) === eligibility.resourceId);
    return Math.max(fn?.lastModifiedAt.getTime() ?? 0, fn?.lastInvokedAt?.getTime() ?? 0) > expiredAt;
  }
  return true;
}

/** Queues a resource's scan; it completes once the scan time has passed on the clock. */
function scheduleScan(world: World, state: AccountRegion, key: string, activeReason?: ScanStatusReason): void {
  const queued = state.coverage.get(key);
  if (!queued || queued.scanQueued) return;
  queued.scanQueued = true;
  world.scheduler.schedule(world.clock.nowMs() + world.options.scanMs, {
    kind: 'scan',
    accountId: state.accountId,
    region: state.region,
    coverageKey: key,
    ...(activeReason ? { activeReason } : {}),
  });
}

/**
 * Queues a scan of an actively covered resource outside its schedule (a code repository
 * scanned on demand, or after its scan configuration changed): the row says
 * SCAN_IN_PROGRESS until the scan completes. False when the resource is not actively covered.
 */
export function queueScan(world: World, state: AccountRegion, resourceId: string, scanType: CoverageScanType): boolean {
  const key = rowKey(resourceId, scanType);
  const row = state.coverage.get(key);
  if (row?.resource.scanStatus?.statusCode !== 'ACTIVE') return false;
  if (row.resource.scanStatus.reason !== 'SCAN_IN_PROGRESS') {
    row.resource.scanStatus = { statusCode: 'ACTIVE', reason: 'SCAN_IN_PROGRESS' };
    world.events.coverage(state.region, row.resource);
  }
  scheduleScan(world, state, key);
  return true;
}

export function coverageOf(state: AccountRegion, resourceId: string, scanType: CoverageScanType): CoverageRow | undefined {
  return state.coverage.get(rowKey(resourceId, scanType));
}

/** A queued scan's time has come: scan the resource if it is still covered. */
export function completeScan(world: World, state: AccountRegion, key: string, activeReason?: ScanStatusReason): void {
  {
    const row = state.coverage.get(key);
    if (!row?.scanQueued) return;
    row.scanQueued = false;
    if (row.resource.scanStatus?.statusCode !== 'ACTIVE') return;
    const initial = row.resource.lastScannedAt === undefined;
    const found = scan(world, state, row.resource);
    if (initial) world.events.scan(state.region, row.resource, found);
    const repository = row.resource.resourceType === 'CODE_REPOSITORY' ? findCodeRepository(state, row.resource.resourceId) : undefined;
    if (repository && row.resource.resourceMetadata?.codeRepository) row.resource.resourceMetadata.codeRepository.lastScannedCommitId = repository.headCommitId;
    if (row.resource.resourceType === 'AWS_ECR_CONTAINER_IMAGE') {
      state.usage.scanned(row.resource.lastScannedAt ? 'ECR_RESCAN' : 'ECR_INITIAL_SCAN', world.clock.nowMs());
    }
    const reason = activeReason ?? 'SUCCESSFUL';
    if (row.resource.scanStatus.reason !== reason) {
      row.resource.scanStatus = { statusCode: 'ACTIVE', reason };
      world.events.coverage(state.region, row.resource);
    }
    row.resource.lastScannedAt = world.clock.now();
  }
}

/** Rescans every active resource of the account-region (a new vulnerability, a configuration change). */
export function rescanAll(world: World, state: AccountRegion): void {
  reconcile(world, state);
  for (const [key, row] of state.coverage) {
    const status = row.resource.scanStatus;
    if (status?.statusCode === 'ACTIVE' && status.reason !== 'PENDING_INITIAL_SCAN') {
      const reason = status.reason;
      scheduleScan(world, state, key, reason === 'SUCCESSFUL' ? undefined : reason);
    }
  }
}

function findingCovers(finding: Finding, resourceId: string, scanType: CoverageScanType): boolean {
  if (finding.resources[0]?.id !== resourceId) return false;
  if (scanType === 'NETWORK') return finding.type === 'NETWORK_REACHABILITY';
  // A code repository's scan covers its dependencies (SCA) too.
  if (scanType === 'CODE') return finding.type === 'CODE_VULNERABILITY' || finding.resources[0]?.type === 'CODE_REPOSITORY';
  return finding.type === 'PACKAGE_VULNERABILITY';
}

/** Closes the open findings of a resource's scan type (but those to keep). */
function closeFindings(world: World, state: AccountRegion, resourceId: string, scanType: CoverageScanType, now: Date, keep?: Set<string>): void {
  for (const arn of state.findings.arnsOf(resourceId)) {
    const finding = state.findings.get(arn)!;
    if (finding.status !== 'CLOSED' && findingCovers(finding, resourceId, scanType) && !keep?.has(arn)) {
      world.events.finding(state.region, state.findings.update(finding, { status: 'CLOSED', updatedAt: now }));
    }
  }
}

/** Scans one resource for one scan type, and brings its findings up to date; returns its open findings. */
function scan(world: World, state: AccountRegion, resource: CoveredResource): Finding[] {
  const found = findingsFor(world, state, resource);
  const now = world.clock.now();
  const current = new Set(found.map((f) => f.findingArn));
  for (const finding of found) {
    const existing = state.findings.get(finding.findingArn);
    let changed: Finding | undefined;
    if (!existing) {
      changed = { ...finding, firstObservedAt: now, lastObservedAt: now, updatedAt: now, status: 'ACTIVE' };
    } else if (existing.status === 'CLOSED') {
      // A remediated issue that comes back reopens its finding, under the same ARN.
      changed = { ...finding, firstObservedAt: existing.firstObservedAt, lastObservedAt: now, updatedAt: now, status: 'ACTIVE' };
    } else if (JSON.stringify({ ...finding, status: existing.status }) !== JSON.stringify(sansTimes(existing))) {
      // The finding changed (a package, a score, a resource detail): its status is kept.
      changed = { ...finding, firstObservedAt: existing.firstObservedAt, lastObservedAt: now, updatedAt: now, status: existing.status };
    }
    if (changed) {
      state.findings.set(finding.findingArn, changed);
      // Suppression rules decide the status before the world hears of the finding.
      applySuppression(world, state, [changed], { quiet: true });
      world.events.finding(state.region, state.findings.get(finding.findingArn)!);
    }
  }
  closeFindings(world, state, resource.resourceId, resource.scanType, now, current);
  return found.map((f) => state.findings.get(f.findingArn)!).filter((f) => f.status !== 'CLOSED');
}

function sansTimes(finding: Finding): Omit<Finding, 'firstObservedAt' | 'lastObservedAt' | 'updatedAt'> {
  const { firstObservedAt: _first, lastObservedAt: _last, updatedAt: _updated, ...rest } = finding;
  return rest;
}

/** A finding as the scan sees it, without the times and status that its history decides. */
type Observed = Omit<Finding, 'firstObservedAt' | 'lastObservedAt' | 'updatedAt' | 'status'>;

function findingsFor(world: World, state: AccountRegion, resource: CoveredResource): Observed[] {
  const inventory = state.inventory!;
  switch (resource.resourceType) {
    case 'AWS_EC2_INSTANCE': {
      const instance = inventory.ec2Instances.find((i) => i.instanceId === resource.resourceId)!;
      const details = ec2Resource(state, instance);
      if (resource.scanType === 'NETWORK') return networkFindings(state, instance, details);
      const own = state.configuration.deepInspection;
      const organization = world.standing(state.accountId, state.region).inspectorOrganization;
      const deepPaths = [...DEFAULT_DEEP_INSPECTION_PATHS, ...own.packagePaths, ...(organization?.orgPackagePaths ?? [])];
      // Deep inspection (language packages) is per account, and needs the SSM agent.
      const deep = own.activated && resource.scanMode === 'EC2_SSM_AGENT_BASED';
      const packages = instance.packages.filter(
        (p) => p.ecosystem === 'dpkg' || p.ecosystem === 'rpm' || (deep && p.filePath !== undefined && deepPaths.some((path) => p.filePath!.startsWith(path))),
      );
      return packageFindings(world, state, details, packages.map((p) => ({ pkg: p })), { internetFacing: internetFacing(instance) });
    }
    case 'AWS_ECR_CONTAINER_IMAGE': {
      const { repository, image } = findImage(state, resource.resourceId)!;
      const details = ecrImageResource(state, repository, image);
      const packages = image.layers.flatMap((layer) => layer.packages.map((pkg) => ({ pkg, sourceLayerHash: layer.digest })));
      return packageFindings(world, state, details, packages, {});
    }
    case 'AWS_LAMBDA_FUNCTION': {
      const fn = inventory.lambdaFunctions.find((f) => lambdaFunctionArn(state, f.name) === resource.resourceId)!;
      const details = lambdaResource(state, fn);
      if (resource.scanType === 'CODE') return fn.codeIssues.map((issue) => codeFinding(state, details, issue));
      const packages = [...fn.packages.map((pkg) => ({ pkg })), ...fn.layers.flatMap((l) => l.packages.map((pkg) => ({ pkg, sourceLambdaLayerArn: l.arn })))];
      return packageFindings(world, state, details, packages, {});
    }
    case 'CODE_REPOSITORY': {
      const repository = findCodeRepository(state, resource.resourceId)!;
      const details = codeRepositoryResource(state, repository);
      const rules = ruleSetsOf(world, state, repository);
      return [
        ...(rules.has('SAST') ? repository.codeIssues.map((issue) => codeFinding(state, details, issue)) : []),
        ...(rules.has('IAC') ? repository.iacIssues.map((issue) => codeFinding(state, details, issue)) : []),
        ...(rules.has('SCA') ? packageFindings(world, state, details, repository.packages.map((pkg) => ({ pkg })), {}) : []),
      ];
    }
    default:
      return [];
  }
}

/** The code issue behind a code finding, from the function's or the repository's code. */
export function codeIssueOf(state: AccountRegion, finding: Finding): CodeIssue | undefined {
  const details = finding.codeVulnerabilityDetails;
  const resource = finding.resources[0];
  if (!details || !resource) return undefined;
  const repository = resource.type === 'CODE_REPOSITORY' ? findCodeRepository(state, resource.id) : undefined;
  const issues =
    resource.type === 'AWS_LAMBDA_FUNCTION'
      ? state.inventory?.lambdaFunctions.find((f) => lambdaFunctionArn(state, f.name) === resource.id)?.codeIssues
      : repository && [...repository.codeIssues, ...repository.iacIssues];
  return issues?.find(
    (issue) => issue.detectorId === details.detectorId && issue.filePath === details.filePath.filePath && issue.startLine === details.filePath.startLine,
  );
}

export function findImage(state: AccountRegion, imageArn: string): { repository: EcrRepository; image: EcrImage } | undefined {
  for (const repository of state.inventory?.ecrRepositories ?? []) {
    const prefix = `${ecrRepositoryArn(state, repository.name)}/`;
    if (!imageArn.startsWith(prefix)) continue;
    const image = repository.images.find((i) => i.digest === imageArn.slice(prefix.length));
    if (image) return { repository, image };
  }
  return undefined;
}

type FindingResource = Finding['resources'][number];

function ec2Resource(state: AccountRegion, instance: Ec2Instance): FindingResource {
  return {
    type: 'AWS_EC2_INSTANCE',
    id: instance.instanceId,
    partition: 'aws',
    region: state.region,
    // Copies: the finding's parts are frozen, the inventory's are not.
    tags: { ...instance.tags },
    details: {
      awsEc2Instance: {
        type: instance.instanceType,
        imageId: instance.amiId,
        ipV4Addresses: [instance.privateIp, ...(instance.publicIp ? [instance.publicIp] : [])],
        ipV6Addresses: [],
        ...(instance.keyName ? { keyName: instance.keyName } : {}),
        ...(instance.iamInstanceProfileArn ? { iamInstanceProfileArn: instance.iamInstanceProfileArn } : {}),
        vpcId: instance.vpcId,
        subnetId: instance.subnetId,
        launchedAt: instance.launchedAt,
        platform: instance.platform,
      },
    },
  };
}

function ecrImageResource(state: AccountRegion, repository: EcrRepository, image: EcrImage): FindingResource {
  return {
    type: 'AWS_ECR_CONTAINER_IMAGE',
    id: `${ecrRepositoryArn(state, repository.name)}/${image.digest}`,
    partition: 'aws',
    region: state.region,
    details: {
      awsEcrContainerImage: {
        repositoryName: repository.name,
        imageTags: [...image.tags],
        pushedAt: image.pushedAt,
        ...(image.author ? { author: image.author } : {}),
        architecture: image.architecture,
        imageHash: image.digest,
        registry: state.accountId,
        platform: image.platform,
        ...(image.lastInUseAt ? { lastInUseAt: image.lastInUseAt } : {}),
        ...(image.inUseCount !== undefined ? { inUseCount: image.inUseCount } : {}),
      },
    },
  };
}

function lambdaResource(state: AccountRegion, fn: LambdaFunction): FindingResource {
  return {
    type: 'AWS_LAMBDA_FUNCTION',
    id: lambdaFunctionArn(state, fn.name),
    partition: 'aws',
    region: state.region,
    tags: { ...fn.tags },
    details: {
      awsLambdaFunction: {
        functionName: fn.name,
        runtime: fn.runtime as NonNullable<NonNullable<FindingResource['details']>['awsLambdaFunction']>['runtime'],
        codeSha256: fn.codeSha256,
        version: '$LATEST',
        executionRoleArn: fn.executionRoleArn,
        ...(fn.layers.length ? { layers: fn.layers.map((l) => l.arn) } : {}),
        packageType: fn.packageType,
        architectures: [...fn.architectures],
        lastModifiedAt: fn.lastModifiedAt,
      },
    },
  };
}

function codeRepositoryResource(state: AccountRegion, repository: CodeRepository): FindingResource {
  return {
    type: 'CODE_REPOSITORY',
    id: codeRepositoryId(repository),
    partition: 'aws',
    region: state.region,
    details: {
      codeRepository: { projectName: repository.name, integrationArn: repository.integrationArn, providerType: repository.providerType },
    },
  };
}

/** A finding's ARN: the same resource and issue always give the same one. */
function findingArn(state: AccountRegion, ...parts: string[]): string {
  const id = createHash('sha256').update([state.accountId, state.region, ...parts].join('|')).digest('hex').slice(0, 32);
  return `arn:aws:inspector2:${state.region}:${state.accountId}:finding/${id}`;
}

interface Located {
  pkg: InstalledPackage;
  sourceLayerHash?: string;
  sourceLambdaLayerArn?: string;
}

function remediationFor(pkg: InstalledPackage): string {
  switch (pkg.ecosystem) {
    case 'dpkg':
      return `apt-get update && apt-get install --only-upgrade ${pkg.name}`;
    case 'rpm':
      return `yum update ${pkg.name}`;
    default:
      return 'Upgrade your installed software packages to the proposed fixed in version and release.';
  }
}

function packageFindings(
  world: World,
  state: AccountRegion,
  resource: FindingResource,
  packages: Located[],
  environment: { internetFacing?: boolean },
): Observed[] {
  // One finding per vulnerability and resource, listing every vulnerable package.
  const byVulnerability = new Map<string, { matches: (PackageMatch & Located)[] }>();
  for (const located of packages) {
    for (const match of world.catalog.matches(located.pkg)) {
      const entry = byVulnerability.get(match.vulnerability.id) ?? { matches: [] };
      entry.matches.push({ ...match, ...located });
      byVulnerability.set(match.vulnerability.id, entry);
    }
  }
  const findings: Observed[] = [];
  // Every finding of the resource shares its resource part.
  const resources = deepFreeze([resource]);
  for (const [vulnerabilityId, { matches }] of [...byVulnerability].sort(([a], [b]) => a.localeCompare(b))) {
    const vulnerability = matches[0]!.vulnerability;
    const fixed = matches.filter((m) => m.fixedInVersion !== undefined).length;
    const shared = sharedParts(vulnerability);
    const score = resource.type === 'AWS_EC2_INSTANCE' && environment.internetFacing === false ? shared.unreachableScore : shared.score;
    const names = [...new Set(matches.map((m) => m.pkg.name))];
    findings.push({
      findingArn: findingArn(state, resource.id, 'PACKAGE_VULNERABILITY', vulnerabilityId),
      awsAccountId: state.accountId,
      type: 'PACKAGE_VULNERABILITY',
      title: `${vulnerabilityId} - ${names.join(', ')}`.slice(0, 1024),
      description: shared.description,
      remediation: NO_RECOMMENDATION,
      severity: vulnerability.severity,
      resources,
      inspectorScore: score.score,
      inspectorScoreDetails: score.details,
      packageVulnerabilityDetails: {
        vulnerabilityId,
        vulnerablePackages: matches.map(vulnerablePackage),
        source: 'NVD',
        cvss: shared.cvss,
        relatedVulnerabilities: shared.relatedVulnerabilities,
        sourceUrl: shared.sourceUrl,
        vendorSeverity: vulnerability.severity,
        vendorCreatedAt: shared.vendorCreatedAt,
        referenceUrls: shared.referenceUrls,
      },
      fixAvailable: fixed === matches.length ? 'YES' : fixed === 0 ? 'NO' : 'PARTIAL',
      exploitAvailable: vulnerability.exploit.known ? 'YES' : 'NO',
      ...(shared.exploitabilityDetails ? { exploitabilityDetails: shared.exploitabilityDetails } : {}),
      ...(shared.epss ? { epss: shared.epss } : {}),
    });
  }
  return findings;
}

/**
 * A vulnerable package as findings list it; shared (frozen) by every finding of the same
 * installed package with the same fix, as a package often has several vulnerabilities.
 */
const packageEntries = new WeakMap<InstalledPackage, Map<string, VulnerablePackage>>();
type VulnerablePackage = NonNullable<NonNullable<Finding['packageVulnerabilityDetails']>['vulnerablePackages']>[number];

function vulnerablePackage(m: PackageMatch & Located): VulnerablePackage {
  const key = `${m.fixedInVersion ?? ''}|${m.sourceLayerHash ?? ''}|${m.sourceLambdaLayerArn ?? ''}`;
  let entries = packageEntries.get(m.pkg);
  if (!entries) packageEntries.set(m.pkg, (entries = new Map()));
  let entry = entries.get(key);
  if (!entry) {
    entry = Object.freeze({
      name: m.pkg.name,
      version: m.pkg.version,
      ...(m.pkg.arch ? { arch: m.pkg.arch } : {}),
      packageManager: PACKAGE_MANAGER[m.pkg.ecosystem],
      ...(m.pkg.filePath ? { filePath: m.pkg.filePath } : {}),
      ...(m.fixedInVersion ? { fixedInVersion: m.fixedInVersion } : {}),
      remediation: remediationFor(m.pkg),
      ...(m.sourceLayerHash ? { sourceLayerHash: m.sourceLayerHash } : {}),
      ...(m.sourceLambdaLayerArn ? { sourceLambdaLayerArn: m.sourceLambdaLayerArn } : {}),
    });
    entries.set(key, entry);
  }
  return entry;
}

const NO_RECOMMENDATION = deepFreeze({ recommendation: { text: 'None Provided' } });

/**
 * What every finding of one vulnerability has in common, built once and shared (frozen) by
 * all of them: a large world holds one copy, and a snapshot writes one.
 */
interface VulnerabilityParts {
  description: string;
  cvss: NonNullable<Finding['packageVulnerabilityDetails']>['cvss'];
  relatedVulnerabilities: string[];
  sourceUrl: string;
  vendorCreatedAt: Date;
  referenceUrls: string[];
  exploitabilityDetails?: Finding['exploitabilityDetails'];
  epss?: Finding['epss'];
  score: { score: number; details: NonNullable<Finding['inspectorScoreDetails']> };
  unreachableScore: { score: number; details: NonNullable<Finding['inspectorScoreDetails']> };
}

const vulnerabilityParts = new WeakMap<Vulnerability, VulnerabilityParts>();

function sharedParts(vulnerability: Vulnerability): VulnerabilityParts {
  let parts = vulnerabilityParts.get(vulnerability);
  if (!parts) {
    const scored = (unreachable: boolean) => {
      const { score, details } = inspectorScore(vulnerability.cvss3, unreachable);
      return { score, details: { adjustedCvss: details } };
    };
    parts = deepFreeze({
      description: vulnerability.description.slice(0, 1024),
      cvss: [{ baseScore: vulnerability.cvss3.baseScore, scoringVector: vulnerability.cvss3.vector, version: vulnerability.cvss3.version, source: 'NVD' }],
      relatedVulnerabilities: [],
      sourceUrl: `https://nvd.nist.gov/vuln/detail/${vulnerability.id}`,
      vendorCreatedAt: new Date(`${vulnerability.published}T00:00:00Z`),
      referenceUrls: vulnerability.references.slice(0, 100),
      ...(vulnerability.exploit.cisaKevDateAdded ? { exploitabilityDetails: { lastKnownExploitAt: new Date(`${vulnerability.exploit.cisaKevDateAdded}T00:00:00Z`) } } : {}),
      ...(vulnerability.epss ? { epss: { score: vulnerability.epss.score } } : {}),
      score: scored(false),
      unreachableScore: scored(true),
    });
    vulnerabilityParts.set(vulnerability, parts);
  }
  return parts;
}

/** Freezes a value and everything in it: parts shared by many findings must never change under them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * The Inspector score: the CVSS base score, re-scored where the environment changes a
 * metric. An instance the internet cannot reach lowers a network attack vector to adjacent.
 */
function inspectorScore(
  cvss: { version: string; baseScore: number; vector: string },
  unreachable: boolean,
): { score: number; details: NonNullable<Finding['inspectorScoreDetails']>['adjustedCvss'] & object } {
  const metrics = parseVector(cvss.vector);
  const details = { scoreSource: 'NVD', cvssSource: 'NVD', version: cvss.version, score: cvss.baseScore, scoringVector: cvss.vector, adjustments: [] as { metric: string; reason: string }[] };
  if (!metrics || !unreachable || metrics.AV !== 'N') return { score: cvss.baseScore, details };
  const adjusted = { ...metrics, AV: 'A' };
  const score = baseScore(adjusted);
  return {
    score,
    details: {
      ...details,
      score,
      scoringVector: formatVector(cvss.version, adjusted),
      adjustments: [{ metric: 'AttackVector', reason: 'The instance is not reachable from the internet, so the network attack vector is adjusted to adjacent.' }],
    },
  };
}

function networkFindings(state: AccountRegion, instance: Ec2Instance, resource: FindingResource): Observed[] {
  if (!internetFacing(instance)) return [];
  const findings: Observed[] = [];
  for (const group of instance.securityGroups) {
    for (const rule of group.ingress) {
      if (!INTERNET.has(rule.cidr)) continue;
      const ports = rule.fromPort === rule.toPort ? `Port ${rule.fromPort}` : `Port range ${rule.fromPort}-${rule.toPort}`;
      findings.push({
        findingArn: findingArn(state, instance.instanceId, 'NETWORK_REACHABILITY', group.groupId, rule.protocol, String(rule.fromPort), String(rule.toPort)),
        awsAccountId: state.accountId,
        type: 'NETWORK_REACHABILITY',
        title: `${ports} ${rule.fromPort === rule.toPort ? 'is' : 'are'} reachable from an Internet Gateway - ${rule.protocol}`,
        description: `On the instance ${instance.instanceId}, ${ports.toLowerCase()} is reachable from the internet gateway ${instance.internetGatewayId} through the security group ${group.groupId}.`,
        remediation: { recommendation: { text: 'You can restrict access to your instance by modifying the Security Groups or ACLs in the network path.' } },
        severity: 'MEDIUM',
        resources: [resource],
        networkReachabilityDetails: {
          openPortRange: { begin: rule.fromPort, end: rule.toPort },
          protocol: rule.protocol,
          networkPath: {
            steps: [
              { componentId: instance.internetGatewayId!, componentType: 'AWS::EC2::InternetGateway' },
              { componentId: group.groupId, componentType: 'AWS::EC2::SecurityGroup' },
              { componentId: instance.instanceId, componentType: 'AWS::EC2::Instance' },
            ],
          },
        },
      });
    }
  }
  return findings;
}

function codeFinding(state: AccountRegion, resource: FindingResource, issue: CodeIssue): Observed {
  const fileName = issue.filePath.split('/').at(-1)!;
  return {
    findingArn: findingArn(state, resource.id, 'CODE_VULNERABILITY', issue.detectorId, issue.filePath, String(issue.startLine)),
    awsAccountId: state.accountId,
    type: 'CODE_VULNERABILITY',
    title: `${issue.cwes.join(',')} - ${issue.title}`.slice(0, 1024),
    description: issue.description.slice(0, 1024),
    remediation: { recommendation: { text: issue.suggestedFix ?? 'None Provided' } },
    severity: issue.severity,
    resources: [resource],
    codeVulnerabilityDetails: {
      filePath: { fileName, filePath: issue.filePath, startLine: issue.startLine, endLine: issue.endLine },
      ...(issue.detectorTags.length ? { detectorTags: issue.detectorTags } : {}),
      ...(issue.referenceUrls.length ? { referenceUrls: issue.referenceUrls } : {}),
      ruleId: issue.ruleId,
      detectorId: issue.detectorId,
      detectorName: issue.detectorName,
      cwes: issue.cwes,
    },
  };
}

