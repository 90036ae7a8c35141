// A scan of one resource: what it finds and how its findings change. Its packages are
// matched against the catalog (package findings), its security groups against the internet
// (network reachability) and its code issues read (code findings); findings are opened,
// kept, reopened and closed as AWS does (when closed findings are deleted, and which ARN
// an issue that recurs takes, is lifecycle.ts's). A code repository is scanned with the
// rule sets its scan configurations name (SAST, IaC, SCA).
import { createHash } from 'node:crypto';
import { DEFAULT_DEEP_INSPECTION_PATHS } from '../accounts/configuration.js';
import { baseScore, formatVector, parseVector } from './cvss.js';
import type { CoveredResource, Finding } from '../findings/documents.js';
import { isOsEcosystem, packageManagerOf } from './ecosystems.js';
import { splitOsVersion } from './versions.js';
import type { VendorView } from './advisories.js';
import { applySuppression } from '../findings/filters.js';
import type { CodeIssue, CodeRepository, Ec2Instance, EcrImage, EcrRepository, InstalledPackage, LambdaFunction } from '../inventory/inventory.js';
import { ruleSetsOf } from '../code-security/projects.js';
import { codeRepositoryId, ecrRepositoryArn, findCodeRepository, findImage, lambdaFunctionArn } from './resources.js';
import type { Vulnerability } from './catalog.js';
import type { PackageMatch } from './vulnerabilities.js';
import type { AccountRegion, World } from '../world.js';
import { standingOf } from '../accounts/organizations.js';
import { arnOf, partitionOf } from '../platform/partition.js';
import { currentArn, epochParts, findingCovers, scheduleDeletion, type CloseReason } from '../findings/lifecycle.js';

type CoverageScanType = CoveredResource['scanType'];

/**
 * Closes the open findings of a resource's scan type because the resource is gone (deleted,
 * terminated, its scan type disabled) or no longer eligible for scanning: they are deleted
 * after the shorter retention (AWS: 3 days).
 */
export function closeFindings(world: World, state: AccountRegion, resourceId: string, scanType: CoverageScanType, now: Date): void {
  close(world, state, resourceId, scanType, now, 'resource');
}

/** Closes the open findings of a resource's scan type (but those to keep), and schedules their deletion. */
function close(world: World, state: AccountRegion, resourceId: string, scanType: CoverageScanType, now: Date, reason: CloseReason, keep?: Set<string>): void {
  let closed = false;
  for (const arn of state.findings.arnsOf(resourceId)) {
    const finding = state.findings.get(arn)!;
    if (finding.status !== 'CLOSED' && findingCovers(finding, resourceId, scanType) && !keep?.has(arn)) {
      world.events.finding(state.region, state.findings.update(finding, { status: 'CLOSED', updatedAt: now }));
      closed = true;
    }
  }
  if (closed) scheduleDeletion(world, state, resourceId, scanType, now.getTime(), reason);
}

/** Scans one resource for one scan type, and brings its findings up to date; returns its open findings. */
export function scan(world: World, state: AccountRegion, resource: CoveredResource): Finding[] {
  const now = world.clock.now();
  // Each issue under the ARN its history gives: a remediated one that recurs after the reopen window is a new finding.
  const found = findingsFor(world, state, resource).map((observed) => {
    const arn = currentArn(world, state, observed.findingArn, now.getTime());
    return arn === observed.findingArn ? observed : { ...observed, findingArn: arn };
  });
  const current = new Set(found.map((f) => f.findingArn));
  for (const finding of found) {
    const existing = state.findings.get(finding.findingArn);
    let changed: Finding | undefined;
    if (!existing) {
      changed = { ...finding, firstObservedAt: now, lastObservedAt: now, updatedAt: now, status: 'ACTIVE' };
    } else if (existing.status === 'CLOSED') {
      // A remediated issue that comes back within the reopen window reopens its finding, under the same ARN.
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
  // What the scan no longer finds was remediated.
  close(world, state, resource.resourceId, resource.scanType, now, 'remediated', current);
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
      const instance = findIn(inventory.ec2Instances, resource.resourceId, (i) => i.instanceId)!;
      const details = ec2Resource(state, instance);
      if (resource.scanType === 'NETWORK') return networkFindings(state, instance, details);
      const own = state.configuration.deepInspection;
      const organization = standingOf(world, state.accountId, state.region).inspectorOrganization;
      const deepPaths = [...DEFAULT_DEEP_INSPECTION_PATHS, ...own.packagePaths, ...(organization?.orgPackagePaths ?? [])];
      // Deep inspection (language packages) is per account, and needs the SSM agent.
      const deep = own.activated && resource.scanMode === 'EC2_SSM_AGENT_BASED';
      const packages = instance.packages.filter(
        (p) => isOsEcosystem(p.ecosystem) || (deep && p.filePath !== undefined && deepPaths.some((path) => p.filePath!.startsWith(path))),
      );
      return packageFindings(
        world,
        state,
        details,
        packages.map((p) => ({ pkg: p })),
        { internetFacing: internetFacing(instance), platform: instance.platform },
      );
    }
    case 'AWS_ECR_CONTAINER_IMAGE': {
      const { repository, image } = findImage(state, resource.resourceId)!;
      const details = ecrImageResource(state, repository, image);
      const packages = image.layers.flatMap((layer) => layer.packages.map((pkg) => ({ pkg, sourceLayerHash: layer.digest })));
      return packageFindings(world, state, details, packages, { platform: image.platform });
    }
    case 'AWS_LAMBDA_FUNCTION': {
      const fn = findIn(inventory.lambdaFunctions, resource.resourceId, (f) => lambdaFunctionArn(state, f.name))!;
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
        ...(rules.has('SCA')
          ? packageFindings(
              world,
              state,
              details,
              repository.packages.map((pkg) => ({ pkg })),
              {},
            )
          : []),
      ];
    }
    default:
      return [];
  }
}
type FindingResource = Finding['resources'][number];

/** Each inventory list's places by id (a world of 10,000 instances would otherwise search the list once per scan). */
const places = new WeakMap<readonly object[], Map<string, number>>();

/** The first item of `list` whose id is `id`, as `list.find` answers; the places are checked, and found again when the list changed. */
function findIn<T extends object>(list: readonly T[], id: string, idOf: (item: T) => string): T | undefined {
  const known = places.get(list)?.get(id);
  if (known !== undefined && list[known] !== undefined && idOf(list[known]) === id) return list[known];
  const byId = new Map<string, number>();
  list.forEach((item, at) => {
    const key = idOf(item);
    if (!byId.has(key)) byId.set(key, at);
  });
  places.set(list, byId);
  const at = byId.get(id);
  return at === undefined ? undefined : list[at];
}

function ec2Resource(state: AccountRegion, instance: Ec2Instance): FindingResource {
  return {
    type: 'AWS_EC2_INSTANCE',
    id: instance.instanceId,
    partition: partitionOf(state.region),
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
    partition: partitionOf(state.region),
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
    partition: partitionOf(state.region),
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
    partition: partitionOf(state.region),
    region: state.region,
    details: {
      codeRepository: { projectName: repository.name, integrationArn: repository.integrationArn, providerType: repository.providerType },
    },
  };
}

/** A finding's ARN: the same resource and issue always give the same one. */
function findingArn(state: AccountRegion, ...parts: string[]): string {
  const id = createHash('sha256')
    .update([state.accountId, state.region, ...epochParts(state), ...parts].join('|'))
    .digest('hex')
    .slice(0, 32);
  return arnOf('inspector2', state.region, state.accountId, `finding/${id}`);
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
    case 'apk':
      return `apk upgrade ${pkg.name}`;
    default:
      return 'Upgrade your installed software packages to the proposed fixed in version and release.';
  }
}

function packageFindings(
  world: World,
  state: AccountRegion,
  resource: FindingResource,
  packages: Located[],
  environment: { internetFacing?: boolean; platform?: string },
): Observed[] {
  // One finding per vulnerability, source and resource, listing every vulnerable package.
  const bySource = new Map<string, (PackageMatch & Located)[]>();
  for (const located of packages) {
    for (const match of matchesOf(world, located.pkg, environment.platform)) {
      const key = `${match.vulnerability.id}|${match.vendor?.source ?? ''}`;
      const list = bySource.get(key);
      if (list) list.push({ ...match, ...located });
      else bySource.set(key, [{ ...match, ...located }]);
    }
  }
  const findings: Observed[] = [];
  // Every finding of the resource shares its resource part.
  const resources = deepFreeze([resource]);
  for (const [key, matches] of [...bySource].sort(([a], [b]) => collator.compare(a, b))) {
    const { vulnerability, vendor } = matches[0]!;
    const vulnerabilityId = vulnerability.id;
    const shared = sharedParts(world, vulnerability, vendor);
    const score = resource.type === 'AWS_EC2_INSTANCE' && environment.internetFacing === false ? shared.unreachableScore : shared.score;
    const { details, title, fixAvailable } = packageDetails(vulnerabilityId, shared, matches);
    findings.push({
      // A vendor's finding is its own (the same CVE can also be found in a language package of the resource).
      findingArn: findingArn(state, resource.id, 'PACKAGE_VULNERABILITY', ...(vendor ? [key] : [vulnerabilityId])),
      awsAccountId: state.accountId,
      type: 'PACKAGE_VULNERABILITY',
      title,
      description: shared.description,
      remediation: NO_RECOMMENDATION,
      severity: shared.severity,
      resources,
      // AWS gives no Inspector score where the vendor rates by its own scale (Ubuntu).
      ...(score ? { inspectorScore: score.score, inspectorScoreDetails: score.details } : {}),
      packageVulnerabilityDetails: details,
      fixAvailable,
      exploitAvailable: shared.exploitAvailable ? 'YES' : 'NO',
      ...(shared.exploitabilityDetails ? { exploitabilityDetails: shared.exploitabilityDetails } : {}),
      ...(shared.epss ? { epss: shared.epss } : {}),
    });
  }
  return findings;
}

/** `localeCompare`'s order (the same collation), without its set-up per comparison. */
const collator = new Intl.Collator();

/**
 * The catalog's matches of a package, kept by what they depend on (its ecosystem, name and
 * version, and for a distribution's package the platform) until the catalog changes: a world's
 * resources install the same package versions many times over. The lists are only read.
 */
const MAX_CACHED_MATCHES = 200_000;
const matchesByCatalog = new WeakMap<World['catalog'], { revision: number; matches: Map<string, PackageMatch[]> }>();

function matchesOf(world: World, pkg: InstalledPackage, platform: string | undefined): PackageMatch[] {
  const catalog = world.catalog;
  let cache = matchesByCatalog.get(catalog);
  if (cache?.revision !== catalog.revision) matchesByCatalog.set(catalog, (cache = { revision: catalog.revision, matches: new Map() }));
  const key = `${pkg.ecosystem}\u0000${pkg.name}\u0000${pkg.version}\u0000${isOsEcosystem(pkg.ecosystem) ? (platform ?? '') : ''}`;
  let found = cache.matches.get(key);
  if (!found) {
    // Inventory changes may bring any number of versions: the cache starts again rather than grow without bound.
    if (cache.matches.size >= MAX_CACHED_MATCHES) cache.matches.clear();
    cache.matches.set(key, (found = catalog.matches(pkg, platform)));
  }
  return found;
}

type PackageVulnerabilityDetails = NonNullable<Finding['packageVulnerabilityDetails']>;
type VulnerablePackage = NonNullable<PackageVulnerabilityDetails['vulnerablePackages']>[number];

/**
 * What a package finding says of its vulnerable packages, built once per vulnerability (and
 * source) and list of packages, and shared (frozen) by every finding with the same: the same
 * package versions are installed on many resources. A large world then holds, and a saved
 * state writes, one copy.
 */
interface PackageDetails {
  details: PackageVulnerabilityDetails;
  title: string;
  fixAvailable: Finding['fixAvailable'];
}
const detailsByParts = new WeakMap<VulnerabilityParts, Map<string, PackageDetails>>();

function packageDetails(vulnerabilityId: string, shared: VulnerabilityParts, matches: (PackageMatch & Located)[]): PackageDetails {
  const keys = matches.map(packageKey);
  const key = keys.join('\u0001');
  let byPackages = detailsByParts.get(shared);
  if (!byPackages) detailsByParts.set(shared, (byPackages = new Map<string, PackageDetails>()));
  let found = byPackages.get(key);
  if (!found) {
    const fixed = matches.filter((m) => m.fixedInVersion !== undefined).length;
    const names = [...new Set(matches.map((m) => m.pkg.name))];
    found = {
      title: `${vulnerabilityId} - ${names.join(', ')}`.slice(0, 1024),
      fixAvailable: fixed === matches.length ? 'YES' : fixed === 0 ? 'NO' : 'PARTIAL',
      details: deepFreeze({
        vulnerabilityId,
        vulnerablePackages: matches.map((m, i) => vulnerablePackage(m, keys[i]!)),
        source: shared.source,
        cvss: shared.cvss,
        relatedVulnerabilities: shared.relatedVulnerabilities,
        sourceUrl: shared.sourceUrl,
        ...(shared.vendorSeverity ? { vendorSeverity: shared.vendorSeverity } : {}),
        vendorCreatedAt: shared.vendorCreatedAt,
        referenceUrls: shared.referenceUrls,
      }),
    };
    byPackages.set(key, found);
  }
  return found;
}

/** Everything a vulnerable package's entry is made of. */
const packageKey = (m: PackageMatch & Located): string =>
  [
    m.pkg.ecosystem,
    m.pkg.name,
    m.pkg.version,
    m.pkg.arch ?? '',
    m.pkg.filePath ?? '',
    m.fixedInVersion ?? '',
    m.sourceLayerHash ?? '',
    m.sourceLambdaLayerArn ?? '',
  ].join('\u0000');

/** A vulnerable package as findings list it, by its key (above); shared (frozen) by every finding that lists the same. */
const packageEntries = new Map<string, VulnerablePackage>();

function vulnerablePackage(m: PackageMatch & Located, key: string): VulnerablePackage {
  let entry = packageEntries.get(key);
  if (!entry) {
    const ecosystem = m.pkg.ecosystem;
    // A distribution package in Inspector's parts: version, release and epoch apart (3.0.13, 0ubuntu3.2, 0).
    const parts = isOsEcosystem(ecosystem) ? splitOsVersion(ecosystem, m.pkg.version) : undefined;
    entry = Object.freeze({
      name: m.pkg.name,
      version: parts ? parts.version : m.pkg.version,
      ...(parts ? { epoch: parts.epoch, ...(parts.release ? { release: parts.release } : {}) } : {}),
      ...(m.pkg.arch ? { arch: m.pkg.arch } : {}),
      packageManager: packageManagerOf(m.pkg),
      ...(m.pkg.filePath ? { filePath: m.pkg.filePath } : {}),
      ...(m.fixedInVersion ? { fixedInVersion: m.fixedInVersion } : {}),
      remediation: remediationFor(m.pkg),
      ...(m.sourceLayerHash ? { sourceLayerHash: m.sourceLayerHash } : {}),
      ...(m.sourceLambdaLayerArn ? { sourceLambdaLayerArn: m.sourceLambdaLayerArn } : {}),
    });
    packageEntries.set(key, entry);
  }
  return entry;
}

const NO_RECOMMENDATION = deepFreeze({ recommendation: { text: 'None Provided' } });

/**
 * What every finding of one vulnerability (from one source) has in common, built once and
 * shared (frozen) by all of them: a large world holds one copy, and a snapshot writes one.
 */
interface VulnerabilityParts {
  description: string;
  severity: Finding['severity'];
  source: string;
  cvss: NonNullable<Finding['packageVulnerabilityDetails']>['cvss'];
  relatedVulnerabilities: string[];
  sourceUrl: string;
  vendorSeverity?: string;
  vendorCreatedAt: Date;
  referenceUrls: string[];
  exploitAvailable: boolean;
  exploitabilityDetails?: Finding['exploitabilityDetails'];
  epss?: Finding['epss'];
  /** Undefined where AWS gives no Inspector score (Ubuntu's findings). */
  score?: { score: number; details: NonNullable<Finding['inspectorScoreDetails']> };
  unreachableScore?: { score: number; details: NonNullable<Finding['inspectorScoreDetails']> };
}

/** By vulnerability, then by vendor view (NVD_PARTS for upstream matches). */
const vulnerabilityParts = new WeakMap<Vulnerability, WeakMap<object, VulnerabilityParts>>();
const NVD_PARTS = {};

function sharedParts(world: World, vulnerability: Vulnerability, vendor: VendorView | undefined): VulnerabilityParts {
  let bySource = vulnerabilityParts.get(vulnerability);
  if (!bySource) vulnerabilityParts.set(vulnerability, (bySource = new WeakMap()));
  let parts = bySource.get(vendor ?? NVD_PARTS);
  if (!parts) {
    const scored = (unreachable: boolean) => {
      const { score, details } = inspectorScore(vulnerability.cvss3, unreachable);
      return { score, details: { adjustedCvss: details } };
    };
    const exploit = world.catalog.exploitOf(vulnerability.id);
    const lastKnownExploitAt = exploit?.lastSeen ?? exploit?.cisa?.dateAdded ?? vulnerability.exploit.cisaKevDateAdded;
    const epss = world.catalog.epssOf(vulnerability.id);
    const withScore = vendor === undefined || vendor.scored;
    parts = deepFreeze({
      description: vulnerability.description.slice(0, 1024),
      // The vendor's word decides where it maps to a severity (AWS: Ubuntu "medium" is MEDIUM, Amazon "Important" HIGH); else NVD's band.
      severity: vendor?.severity ?? vulnerability.severity,
      source: vendor?.source ?? 'NVD',
      cvss: [{ baseScore: vulnerability.cvss3.baseScore, scoringVector: vulnerability.cvss3.vector, version: vulnerability.cvss3.version, source: 'NVD' }],
      relatedVulnerabilities: vendor ? [...vendor.advisoryIds] : [],
      sourceUrl: vendor?.sourceUrl ?? `https://nvd.nist.gov/vuln/detail/${vulnerability.id}`,
      ...(vendor?.vendorSeverity ? { vendorSeverity: vendor.vendorSeverity } : vendor ? {} : { vendorSeverity: vulnerability.severity }),
      vendorCreatedAt: new Date(`${vulnerability.published}T00:00:00Z`),
      referenceUrls: [...new Set([...(vendor?.advisoryUrls ?? []), ...vulnerability.references])].slice(0, 100),
      exploitAvailable: vulnerability.exploit.known || exploit !== undefined,
      ...(lastKnownExploitAt ? { exploitabilityDetails: { lastKnownExploitAt: new Date(`${lastKnownExploitAt}T00:00:00Z`) } } : {}),
      ...(epss !== undefined ? { epss: { score: epss } } : {}),
      ...(withScore ? { score: scored(false), unreachableScore: scored(true) } : {}),
    });
    bySource.set(vendor ?? NVD_PARTS, parts);
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
  const details = {
    scoreSource: 'NVD',
    cvssSource: 'NVD',
    version: cvss.version,
    score: cvss.baseScore,
    scoringVector: cvss.vector,
    adjustments: [] as { metric: string; reason: string }[],
  };
  if (!metrics || !unreachable || metrics.AV !== 'N') return { score: cvss.baseScore, details };
  const adjusted = { ...metrics, AV: 'A' };
  const score = baseScore(adjusted);
  return {
    score,
    details: {
      ...details,
      score,
      scoringVector: formatVector(cvss.version, adjusted),
      adjustments: [
        { metric: 'AttackVector', reason: 'The instance is not reachable from the internet, so the network attack vector is adjusted to adjacent.' },
      ],
    },
  };
}

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

/** Whether the internet reaches the instance through an internet gateway. */
function internetFacing(instance: Ec2Instance): boolean {
  return instance.state === 'running' && instance.internetGatewayId !== undefined && instance.publicIp !== undefined;
}

/** An id of the given prefix derived from a resource's id, for inventories (older seeds, snapshots) that do not name it. */
function derivedId(prefix: 'acl' | 'eni', from: string): string {
  return `${prefix}-${createHash('sha256').update(`${prefix}|${from}`).digest('hex').slice(0, 17)}`;
}

/**
 * One finding per security group rule that opens ports to the internet on an instance the
 * internet reaches. The path and the wording are AWS's: internet gateway, the subnet's
 * network ACL, the security group, the instance's network interface, the instance; "On the
 * instance i-..., the port range 22-22 is reachable from the InternetGateway igw-... from an
 * attached ENI eni-...".
 */
function networkFindings(state: AccountRegion, instance: Ec2Instance, resource: FindingResource): Observed[] {
  if (!internetFacing(instance)) return [];
  const gateway = instance.internetGatewayId!;
  const acl = instance.networkAclId ?? derivedId('acl', instance.subnetId);
  const eni = instance.networkInterfaceId ?? derivedId('eni', instance.instanceId);
  const findings: Observed[] = [];
  for (const group of instance.securityGroups) {
    for (const rule of group.ingress) {
      if (!INTERNET.has(rule.cidr)) continue;
      const ports = rule.fromPort === rule.toPort ? `Port ${rule.fromPort}` : `Port range ${rule.fromPort}-${rule.toPort}`;
      findings.push({
        findingArn: findingArn(state, instance.instanceId, 'NETWORK_REACHABILITY', group.groupId, rule.protocol, String(rule.fromPort), String(rule.toPort)),
        awsAccountId: state.accountId,
        type: 'NETWORK_REACHABILITY',
        title: `${ports} is reachable from an Internet Gateway - ${rule.protocol}`,
        description: `On the instance ${instance.instanceId}, the port range ${rule.fromPort}-${rule.toPort} is reachable from the InternetGateway ${gateway} from an attached ENI ${eni}.`,
        remediation: { recommendation: { text: 'You can restrict access to your instance by modifying the Security Groups or ACLs in the network path.' } },
        severity: 'MEDIUM',
        resources: [resource],
        networkReachabilityDetails: {
          openPortRange: { begin: rule.fromPort, end: rule.toPort },
          protocol: rule.protocol,
          networkPath: {
            steps: [
              { componentId: gateway, componentType: 'AWS::EC2::InternetGateway' },
              { componentId: acl, componentType: 'AWS::EC2::NetworkAcl' },
              { componentId: group.groupId, componentType: 'AWS::EC2::SecurityGroup' },
              { componentId: eni, componentType: 'AWS::EC2::NetworkInterface' },
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
