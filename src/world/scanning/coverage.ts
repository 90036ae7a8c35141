// Coverage: what Inspector covers in an account and region, and why.
//
// `reconcile` decides every resource's coverage row from the enabled scan types, the
// inventory, the configuration and the clock: new active rows wait in
// PENDING_INITIAL_SCAN until their scan runs (after the scan time, on the virtual clock);
// rows that go inactive or disappear close their findings. Code repositories (code security
// projects) are covered while a scan configuration or an on-demand scan asks for them.
// What a scan finds is scan.ts's.
import { durationOf, type ScanConfiguration } from '../accounts/configuration.js';
import { closeFindings, scan } from './scan.js';
import type { CoverageRow, CoveredResource, Finding, ScanStatusReason } from '../findings/documents.js';
import type { ScanType } from '../accounts/enablement.js';
import type { CodeRepository, Ec2Instance, EcrImage, EcrRepository, LambdaFunction } from '../inventory/inventory.js';
import { projectScanning } from '../code-security/projects.js';
import { codeRepositoryId, ecrRepositoryArn, findCodeRepository, findImage, lambdaFunctionArn } from './resources.js';
import type { UsageType } from '../accounts/usage.js';
import { z } from 'zod';
import { declareState, intact } from '../platform/state.js';
import { registerTask, taskAccountId, taskRegion, taskId } from '../platform/tasks.js';
import type { AccountRegion, World } from '../world.js';
import { standingOf } from '../accounts/organizations.js';
import { ensureAgentlessRole } from '../accounts/iam.js';

type CoverageScanType = CoveredResource['scanType'];

/**
 * Coverage rows by key, with a count of changes: `set` and `delete` count themselves, and
 * each change made to a stored row in place (below, in this file only) calls `touch`.
 * Persistence then skips an unchanged account-region's coverage without encoding it.
 */
class CoverageMap extends Map<string, CoverageRow> {
  revision = 0;
  override set(key: string, row: CoverageRow): this {
    this.revision++;
    return super.set(key, row);
  }
  override delete(key: string): boolean {
    this.revision++;
    return super.delete(key);
  }
  override clear(): void {
    this.revision++;
    super.clear();
  }
  touch(): void {
    this.revision++;
  }
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Coverage rows by `<resourceId>|<scanType>`. */
    coverage: CoverageMap;
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

const coverageSchema = z.map(z.string().max(4096), intact<CoverageRow>(coverageRowSchema));
const resourceShape = coverageRowSchema.shape.resource.shape;
const RESOURCE_TYPES: ReadonlySet<unknown> = new Set(resourceShape.resourceType.options);
const SCAN_TYPES: ReadonlySet<unknown> = new Set(resourceShape.scanType.options);
const STATUS_CODES: ReadonlySet<unknown> = new Set(['ACTIVE', 'INACTIVE']);
const ROW_KEYS: ReadonlySet<string> = new Set(Object.keys(coverageRowSchema.shape));
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * What coverageSchema accepts, tested without zod (a large world restores 100,000 rows). It
 * may refuse more than the schema, never less: what it refuses is checked by the schema,
 * which accepts it or names what is wrong.
 */
function surelyCoverage(value: unknown): boolean {
  if (!(value instanceof Map)) return false;
  for (const [key, row] of value as Map<unknown, unknown>) {
    if (typeof key !== 'string' || key.length > 4096 || !isPlainObject(row)) return false;
    for (const name of Object.keys(row)) if (!ROW_KEYS.has(name)) return false;
    if (row.expiredAt !== undefined && !(typeof row.expiredAt === 'number' && Number.isFinite(row.expiredAt))) return false;
    if (row.scanQueued !== undefined && typeof row.scanQueued !== 'boolean') return false;
    const resource = row.resource;
    if (!isPlainObject(resource)) return false;
    const { resourceId, accountId, scanStatus } = resource;
    if (typeof resourceId !== 'string' || resourceId.length < 1 || resourceId.length > 2048) return false;
    if (!RESOURCE_TYPES.has(resource.resourceType) || !SCAN_TYPES.has(resource.scanType)) return false;
    if (typeof accountId !== 'string' || !/^\d{12}$/.test(accountId)) return false;
    if (scanStatus !== undefined && (!isPlainObject(scanStatus) || !STATUS_CODES.has(scanStatus.statusCode) || typeof scanStatus.reason !== 'string'))
      return false;
  }
  return true;
}

declareState('account-region', 'coverage', {
  empty: () => new CoverageMap(),
  version: (value) => value.revision,
  schema: z.unknown().superRefine((value, context) => {
    if (surelyCoverage(value)) return;
    const checked = coverageSchema.safeParse(value);
    if (!checked.success) for (const issue of checked.error.issues.slice(0, 1)) context.addIssue({ ...issue, message: issue.message });
  }) as unknown as z.ZodType<Map<string, CoverageRow>>,
  save: (value) => value,
  load: (saved) => new CoverageMap(saved),
});

/** The model's ScanStatusReason values. */
const SCAN_STATUS_REASONS = [
  'PENDING_INITIAL_SCAN',
  'ACCESS_DENIED',
  'INTERNAL_ERROR',
  'UNMANAGED_EC2_INSTANCE',
  'UNSUPPORTED_OS',
  'SCAN_ELIGIBILITY_EXPIRED',
  'RESOURCE_TERMINATED',
  'SUCCESSFUL',
  'NO_RESOURCES_FOUND',
  'IMAGE_SIZE_EXCEEDED',
  'SCAN_FREQUENCY_MANUAL',
  'SCAN_FREQUENCY_SCAN_ON_PUSH',
  'EC2_INSTANCE_STOPPED',
  'PENDING_DISABLE',
  'NO_INVENTORY',
  'STALE_INVENTORY',
  'EXCLUDED_BY_TAG',
  'UNSUPPORTED_RUNTIME',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNSUPPORTED_CONFIG_FILE',
  'DEEP_INSPECTION_PACKAGE_COLLECTION_LIMIT_EXCEEDED',
  'DEEP_INSPECTION_DAILY_SSM_INVENTORY_LIMIT_EXCEEDED',
  'DEEP_INSPECTION_COLLECTION_TIME_LIMIT_EXCEEDED',
  'DEEP_INSPECTION_NO_INVENTORY',
  'AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED',
  'AGENTLESS_INSTANCE_COLLECTION_TIME_LIMIT_EXCEEDED',
  'PENDING_REVIVAL_SCAN',
  'INTEGRATION_CONNECTION_LOST',
  'ACCESS_DENIED_TO_ENCRYPTION_KEY',
  'UNSUPPORTED_LANGUAGE',
  'NO_SCAN_CONFIGURATION_ASSOCIATED',
  'SCAN_IN_PROGRESS',
  'IMAGE_ARCHIVED',
  'UNSUPPORTED_CODE_ARTIFACTS',
] as const satisfies readonly ScanStatusReason[];

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

/** Operating systems Inspector scans in container images only (ECR scanning supports Alpine; EC2 scanning does not). */
const IMAGE_ONLY_PLATFORMS = new Set(['ALPINE_LINUX_3_18', 'ALPINE_LINUX_3_19', 'ALPINE_LINUX_3_20', 'ALPINE_LINUX_3_21']);

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

function ec2OsFamily(platform: string): 'WINDOWS' | 'LINUX' | 'MACOS' | 'UNKNOWN' {
  if (platform.startsWith('WINDOWS')) return 'WINDOWS';
  if (platform.startsWith('MACOS')) return 'MACOS';
  return /^(AMAZON_LINUX|UBUNTU|DEBIAN|RHEL|ROCKY|ALMA|SUSE|CENTOS|FEDORA|ORACLE)/.test(platform) ? 'LINUX' : 'UNKNOWN';
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
    if (!row.inactive && !SUPPORTED_PLATFORMS.has(image.platform) && !IMAGE_ONLY_PLATFORMS.has(image.platform)) row.inactive = 'UNSUPPORTED_OS';
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
  const admin = standingOf(world, state.accountId, state.region).delegatedAdminAccountId;
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
  world.changed();
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
  state.coverage.touch();
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
    state.coverage.touch();
    world.events.coverage(state.region, row.resource);
  }
  scheduleScan(world, state, key);
  world.changed();
  return true;
}

export function coverageOf(state: AccountRegion, resourceId: string, scanType: CoverageScanType): CoverageRow | undefined {
  return state.coverage.get(rowKey(resourceId, scanType));
}

/** A queued scan's time has come: scan the resource if it is still covered. */
function completeScan(world: World, state: AccountRegion, key: string, activeReason?: ScanStatusReason): void {
  {
    const row = state.coverage.get(key);
    if (!row?.scanQueued) return;
    row.scanQueued = false;
    state.coverage.touch();
    if (row.resource.scanStatus?.statusCode !== 'ACTIVE') return;
    const initial = row.resource.lastScannedAt === undefined;
    // An agentless scan snapshots the instance's volumes under its own service-linked role.
    if (row.resource.scanMode === 'EC2_AGENTLESS') ensureAgentlessRole(world, state.accountId, state.region);
    scan(world, state, row.resource);
    if (initial) initialScanCompleted(world, state, row.resource);
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
    // The changes above (and the commit scanned) were made to the stored row.
    state.coverage.touch();
  }
}

/** The scan types a resource has a coverage row for (an EC2 instance: PACKAGE and NETWORK). */
const ROW_SCAN_TYPES: readonly CoverageScanType[] = ['PACKAGE', 'NETWORK', 'CODE'];

/**
 * One `Inspector2 Scan` INITIAL_SCAN_COMPLETE event per resource, as AWS sends it (its detail
 * names the resource, never a scan type: https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html#event-initial-scan):
 * sent when the last of the resource's queued initial scans completes, counting all its open
 * findings (an EC2 instance's package and network findings together).
 */
function initialScanCompleted(world: World, state: AccountRegion, resource: CoveredResource): void {
  for (const scanType of ROW_SCAN_TYPES) {
    if (scanType === resource.scanType) continue;
    const other = state.coverage.get(rowKey(resource.resourceId, scanType));
    if (other?.scanQueued && other.resource.scanStatus?.statusCode === 'ACTIVE' && other.resource.lastScannedAt === undefined) return;
  }
  const open: Finding[] = [];
  for (const arn of state.findings.arnsOf(resource.resourceId)) {
    const finding = state.findings.get(arn);
    if (finding && finding.status !== 'CLOSED') open.push(finding);
  }
  world.events.scan(state.region, resource, open);
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
