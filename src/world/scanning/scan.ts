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
import { PACKAGE_MANAGER } from './ecosystems.js';
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
      const instance = inventory.ec2Instances.find((i) => i.instanceId === resource.resourceId)!;
      const details = ec2Resource(state, instance);
      if (resource.scanType === 'NETWORK') return networkFindings(state, instance, details);
      const own = state.configuration.deepInspection;
      const organization = standingOf(world, state.accountId, state.region).inspectorOrganization;
      const deepPaths = [...DEFAULT_DEEP_INSPECTION_PATHS, ...own.packagePaths, ...(organization?.orgPackagePaths ?? [])];
      // Deep inspection (language packages) is per account, and needs the SSM agent.
      const deep = own.activated && resource.scanMode === 'EC2_SSM_AGENT_BASED';
      const packages = instance.packages.filter(
        (p) => p.ecosystem === 'dpkg' || p.ecosystem === 'rpm' || (deep && p.filePath !== undefined && deepPaths.some((path) => p.filePath!.startsWith(path))),
      );
      return packageFindings(
        world,
        state,
        details,
        packages.map((p) => ({ pkg: p })),
        { internetFacing: internetFacing(instance) },
      );
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
  if (!entries) packageEntries.set(m.pkg, (entries = new Map<string, VulnerablePackage>()));
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
      ...(vulnerability.exploit.cisaKevDateAdded
        ? { exploitabilityDetails: { lastKnownExploitAt: new Date(`${vulnerability.exploit.cisaKevDateAdded}T00:00:00Z`) } }
        : {}),
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
