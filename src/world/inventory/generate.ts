// A deterministic world generator, for benchmarks and big demos: N accounts in one
// organization, each with about M resources per region (EC2 instances, ECR images, Lambda
// functions) and an ECS or EKS cluster, written in the seed file format (world/seed.ts).
//
// The same options give a byte-identical world, in any process: every random choice comes
// from one faker instance seeded with the seed, and every time is counted back from a
// reference date derived from the seed (never from the clock). Each account-region's
// inventory is drawn from the faker reseeded with the seed, the account id and the region, so
// an account's world depends on who it is, not on where it comes in the organization; what
// accounts share (public AMIs, base image layers) is derived the same way from what it is. When the vulnerability
// catalog (seeds/vulnerabilities.json) is there, some packages are given versions it lists
// as affected, so the world has findings; the world then also depends on that file.
// What the world is made of (names, platforms, package ladders, code issues) is data, in
// generate-data.ts; this file makes the choices.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { base, en, Faker } from '@faker-js/faker';
import { z } from 'zod';
import { ECOSYSTEMS, type Ecosystem } from '../scanning/ecosystems.js';
import { codeIssue } from '../scanning/code-detectors.js';
import type { CodeIssue, Ec2Instance, EcrImage, EcrRepository, ImageLayer, InstalledPackage, Inventory, LambdaFunction, SecurityGroup } from './inventory.js';
import type { Seed } from './seed.js';
import { isAffected, type VersionRange } from '../scanning/versions.js';
import {
  CODE_ISSUES,
  CODE_LANGUAGE,
  FUNCTION_ROLES,
  HOST_ONLY_PACKAGES,
  IMAGE_ECOSYSTEMS,
  IMAGE_PLATFORMS,
  INSTANCE_PLATFORMS,
  LANGUAGE_ECOSYSTEMS,
  LANGUAGE_PACKAGES,
  LINUX_INSTANCE_TYPES,
  LINUX_ROLES,
  RUNTIME_ECOSYSTEM,
  RUNTIMES,
  SERVICES,
  TEAMS,
  WINDOWS_INSTANCE_TYPES,
  WINDOWS_ROLES,
  type CodeLanguage,
  type LanguageEcosystem,
} from './generate-data.js';
import { archOf, isCoreGroup, osPlatforms, type OsPlatform } from './os-versions.js';
import { arnOf, partitionOf } from '../platform/partition.js';

export interface GenerateOptions {
  /** Accounts in the organization; the first is its management account. */
  accounts: number;
  /** Resources (instances + images + functions) per account and region. */
  resources: number;
  /** Any whole number from 0 to 2^32 - 1: the same seed gives the same world. */
  seed: number;
  /** Default: DEFAULT_REGIONS. */
  regions?: string[];
  /** Called after each account-region; total is accounts × regions. */
  onProgress?: (done: number, total: number) => void;
  /** The catalog to draw vulnerable versions from; false: none. Default: seeds/vulnerabilities.json, if it is there and readable. */
  vulnerabilitiesFile?: string | URL | false;
}

export const DEFAULT_REGIONS: readonly string[] = ['us-east-1'];
const DEFAULT_VULNERABILITIES_FILE = new URL('../../../seeds/vulnerabilities.json', import.meta.url);
export const MAX_ACCOUNTS = 100_000;
export const MAX_RESOURCES = 100_000;
export const MAX_SEED = 2 ** 32 - 1;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** An inventory type as a seed file writes it: times as ISO 8601 text. */
type AsJson<T> = T extends Date ? string : T extends readonly (infer U)[] ? AsJson<U>[] : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T;
type InstanceJson = AsJson<Ec2Instance>;
type ImageJson = AsJson<EcrImage>;
type RepositoryJson = AsJson<EcrRepository>;
type FunctionJson = AsJson<LambdaFunction>;
type CodeIssueJson = AsJson<CodeIssue>;
type AccountInventoryJson = { accountId: string; region: string } & AsJson<Inventory>;
export interface GeneratedWorld {
  organizations: { id: string; managementAccountId: string; accounts: { id: string; name: string }[] }[];
  accounts: AccountInventoryJson[];
}

/** Builds the world the options describe; throws a RangeError for options out of range. */
export function generateWorld(options: GenerateOptions): GeneratedWorld {
  const regions = options.regions ?? [...DEFAULT_REGIONS];
  checkGenerateOptions({ ...options, regions });
  const catalog = loadCatalogHints(options.vulnerabilitiesFile ?? DEFAULT_VULNERABILITIES_FILE);
  const world = new WorldBuilder(options.seed, catalog).build(options.accounts, options.resources, regions, options.onProgress);
  // The generator's types follow the inventory's; this ties them to the seed file schema too.
  return world satisfies Seed;
}

/** Throws a RangeError that says what is wrong with the options. */
export function checkGenerateOptions(options: Pick<GenerateOptions, 'accounts' | 'resources' | 'seed' | 'regions'>): void {
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  };
  whole('accounts', options.accounts, 1, MAX_ACCOUNTS);
  whole('resources', options.resources, 1, MAX_RESOURCES);
  whole('seed', options.seed, 0, MAX_SEED);
  const regions = options.regions ?? DEFAULT_REGIONS;
  if (regions.length === 0) throw new RangeError('regions must name at least one region');
  for (const region of regions) if (!REGION.test(region)) throw new RangeError(`not a region: '${region}' (such as eu-west-1)`);
  if (new Set(regions).size !== regions.length) throw new RangeError(`a region is listed twice: ${regions.join(',')}`);
}

const SECOND = 1000;
const DAY = 86_400 * SECOND;
// The worlds of different seeds are set at different dates in 2026, all of them fixed.
const REFERENCE_EPOCH = Date.UTC(2026, 0, 1);

type Environment = 'production' | 'staging' | 'development';

interface Place {
  accountId: string;
  region: string;
  environment: Environment;
  network: Network;
  /** Names already used in this account-region, by kind, so that generated names stay unique. */
  names: Set<string>;
}

interface Subnet {
  id: string;
  cidr: string;
  /** The network ACL associated with the subnet. */
  aclId: string;
}

interface Network {
  vpcId: string;
  vpcCidr: string;
  internetGatewayId: string;
  publicSubnet: Subnet;
  privateSubnets: Subnet[];
  groups: Record<'webPublic' | 'sshAnywhere' | 'rdpAnywhere' | 'appInternal' | 'sshInternal', SecurityGroup>;
}

class WorldBuilder {
  private faker: Faker;
  /** The faker base image layers are drawn with, reseeded for each. */
  private readonly layerFaker: Faker;
  private readonly seed: number;
  private readonly now: number;
  private readonly usedAccountIds = new Set<string>();
  /** Base image layers per platform, architecture and patch level: images share them. */
  private readonly baseLayers = new Map<string, AsJson<ImageLayer>>();

  constructor(
    seed: number,
    private readonly catalog: CatalogHints,
  ) {
    this.seed = seed;
    this.faker = new Faker({ locale: [en, base], seed });
    this.layerFaker = new Faker({ locale: [en, base], seed });
    this.now = REFERENCE_EPOCH + (seed % 300) * DAY;
    this.faker.setDefaultRefDate(new Date(this.now));
  }

  build(accountCount: number, resources: number, regions: readonly string[], onProgress?: (done: number, total: number) => void): GeneratedWorld {
    const members = Array.from({ length: accountCount }, (_, index) => this.account(index));
    const organization = {
      id: `o-${this.faker.string.alphanumeric({ length: 10, casing: 'lower' })}`,
      managementAccountId: members[0]!.id,
      accounts: members.map(({ id, name }) => ({ id, name })),
    };
    const total = members.length * regions.length;
    const accounts: AccountInventoryJson[] = [];
    for (const member of members) {
      for (const region of regions) {
        this.faker.seed(this.seedOf('account-region', member.id, region));
        accounts.push(this.accountRegion(member.id, region, member.environment, resources));
        onProgress?.(accounts.length, total);
      }
    }
    return { organizations: [organization], accounts };
  }

  // ---- accounts and networks

  private account(index: number): { id: string; name: string; environment: Environment } {
    let id: string;
    do id = this.faker.string.numeric({ length: 12, allowLeadingZeros: true });
    while (this.usedAccountIds.has(id));
    this.usedAccountIds.add(id);
    if (index === 0) return { id, name: 'management', environment: 'production' };
    const environment = this.weighted<Environment>([
      ['production', 4],
      ['staging', 3],
      ['development', 3],
    ]);
    const short = { production: 'prod', staging: 'staging', development: 'dev' }[environment];
    return { id, name: `${this.pick(SERVICES)}-${short}`, environment };
  }

  private accountRegion(accountId: string, region: string, environment: Environment, resources: number): AccountInventoryJson {
    const place: Place = { accountId, region, environment, network: this.network(), names: new Set() };
    // Every account-region has exactly `resources` resources, split differently in each.
    const instanceCount = Math.round(resources * this.faker.number.float({ min: 0.3, max: 0.5 }));
    const functionCount = Math.min(Math.round(resources * this.faker.number.float({ min: 0.15, max: 0.3 })), resources - instanceCount);
    const imageCount = resources - instanceCount - functionCount;

    const ec2Instances = Array.from({ length: instanceCount }, () => this.instance(place));
    const { repositories, running } = this.repositories(place, imageCount);
    const lambdaFunctions = Array.from({ length: functionCount }, () => this.lambdaFunction(place));
    const clusters = running.length === 0 ? [] : [this.cluster(place, running)];
    return { accountId, region, ec2Instances, ecrRepositories: repositories, lambdaFunctions, clusters };
  }

  private network(): Network {
    const octet = this.faker.number.int({ min: 0, max: 255 });
    const vpcCidr = `10.${octet}.0.0/16`;
    const group = (ingress: SecurityGroup['ingress']): SecurityGroup => ({ groupId: `sg-${this.hex(17)}`, ingress });
    const internet = '0.0.0.0/0';
    // The private subnets keep the VPC's default network ACL; the public one has its own.
    const defaultAcl = `acl-${this.hex(17)}`;
    return {
      vpcId: `vpc-${this.hex(17)}`,
      vpcCidr,
      internetGatewayId: `igw-${this.hex(17)}`,
      publicSubnet: { id: `subnet-${this.hex(17)}`, cidr: `10.${octet}.0.0/20`, aclId: `acl-${this.hex(17)}` },
      privateSubnets: [16, 32, 48].map((third) => ({ id: `subnet-${this.hex(17)}`, cidr: `10.${octet}.${third}.0/20`, aclId: defaultAcl })),
      groups: {
        webPublic: group([
          { protocol: 'TCP', fromPort: 80, toPort: 80, cidr: internet },
          { protocol: 'TCP', fromPort: 443, toPort: 443, cidr: internet },
        ]),
        sshAnywhere: group([{ protocol: 'TCP', fromPort: 22, toPort: 22, cidr: internet }]),
        rdpAnywhere: group([{ protocol: 'TCP', fromPort: 3389, toPort: 3389, cidr: internet }]),
        appInternal: group([{ protocol: 'TCP', fromPort: 8080, toPort: 8080, cidr: vpcCidr }]),
        sshInternal: group([{ protocol: 'TCP', fromPort: 22, toPort: 22, cidr: vpcCidr }]),
      },
    };
  }

  // ---- EC2

  private instance(place: Place): InstanceJson {
    const { accountId, region, network } = place;
    const platform = this.weighted(available(INSTANCE_PLATFORMS, ['WINDOWS_SERVER_2022']));
    const windows = platform === 'WINDOWS_SERVER_2022';
    const instanceType = this.pick(windows ? WINDOWS_INSTANCE_TYPES : LINUX_INSTANCE_TYPES);
    const arm = /^[a-z]+\d+g/.test(instanceType); // Graviton: t4g, m7g, c7g ...
    const service = this.pick(SERVICES);
    const role = this.pick(windows ? WINDOWS_ROLES : LINUX_ROLES);
    const name = this.uniqueName(place, 'instance', `${service}-${role}`);
    const launchedDaysAgo = this.faker.number.int({ min: 1, max: 900 });
    // Long-running instances tend to be the least patched.
    const staleness = launchedDaysAgo > 365 ? Math.max(this.staleness(), 0.5) : this.staleness();
    const exposed = this.chance(0.1);
    const subnet = exposed ? network.publicSubnet : this.pick(network.privateSubnets);
    const ssmManaged = this.chance(0.85);
    const keyName = this.chance(0.4) ? this.pick(['ops', `${place.environment}-key`, `${this.faker.person.firstName().toLowerCase()}-laptop`]) : undefined;

    return {
      instanceId: `i-${this.hex(17)}`,
      amiId: this.ami(region, platform, arm),
      platform,
      instanceType,
      state: this.chance(0.08) ? 'stopped' : 'running',
      ssmManaged,
      tags: { Name: name, ...this.ownerTags(place, service) },
      vpcId: network.vpcId,
      subnetId: subnet.id,
      networkAclId: subnet.aclId,
      networkInterfaceId: `eni-${this.hex(17)}`,
      ...(exposed ? { internetGatewayId: network.internetGatewayId, publicIp: this.publicIp() } : {}),
      privateIp: this.faker.internet.ipv4({ cidrBlock: subnet.cidr }),
      securityGroups: this.securityGroups(network, exposed, windows),
      ...(ssmManaged
        ? {
            iamInstanceProfileArn: `arn:${partitionOf(place.region)}:iam::${accountId}:instance-profile/${this.pick(['AmazonSSMRoleForInstancesQuickSetup', 'ec2-ssm-core', `${service}-instance-profile`])}`,
          }
        : {}),
      ...(keyName ? { keyName } : {}),
      launchedAt: this.ago(launchedDaysAgo * DAY + this.faker.number.int(86_400) * SECOND),
      packages: windows ? this.windowsPackages(service, staleness) : this.instancePackages(osPlatforms().get(platform)!, arm, service, staleness),
    };
  }

  private securityGroups(network: Network, exposed: boolean, windows: boolean): SecurityGroup[] {
    return this.chooseGroups(network.groups, exposed, windows).map((group) => ({
      groupId: group.groupId,
      ingress: group.ingress.map((rule) => ({ ...rule })),
    }));
  }

  private chooseGroups(groups: Network['groups'], exposed: boolean, windows: boolean): SecurityGroup[] {
    if (exposed) {
      if (windows) return [groups.rdpAnywhere, groups.webPublic];
      return this.chance(0.5) ? [groups.webPublic, groups.sshAnywhere] : [groups.webPublic];
    }
    // Open to the internet but without a route from it: a misconfiguration, not an exposure.
    if (this.chance(0.03)) return [groups.appInternal, groups.sshAnywhere];
    return this.chance(0.5) ? [groups.appInternal, groups.sshInternal] : [groups.appInternal];
  }

  /** One of three public AMIs of a platform in a region, which instances of every account share. */
  private ami(region: string, platform: string, arm: boolean): string {
    const n = this.faker.number.int(2);
    return `ami-${createHash('sha256').update(`${this.seed}|ami|${region}|${platform}|${arm}|${n}`).digest('hex').slice(0, 17)}`;
  }

  private publicIp(): string {
    // Documentation ranges (RFC 5737): realistic, and never someone's real address.
    return this.faker.internet.ipv4({ network: this.pick(['test-net-1', 'test-net-2', 'test-net-3'] as const) });
  }

  private instancePackages(platform: OsPlatform, arm: boolean, service: string, staleness: number): InstalledPackage[] {
    const packages = this.osPackages(platform, arm, staleness);
    if (this.chance(0.3)) packages.push(...this.appPackages(this.pick(LANGUAGE_ECOSYSTEMS), staleness, instancePath(`/opt/${service}`, '/')));
    return packages;
  }

  private windowsPackages(service: string, staleness: number): InstalledPackage[] {
    // Windows updates are not packages of a catalogued ecosystem; the applications on it are.
    if (!this.chance(0.5)) return [];
    const folder = `C:\\Program Files\\${service[0]!.toUpperCase()}${service.slice(1)}`;
    return this.appPackages(this.pick(['maven', 'npm'] as const), staleness, instancePath(folder, '\\'));
  }

  // ---- packages

  /** How far behind on updates a resource is: 0 fully patched, 1 as old as the version ladders go. */
  private staleness(): number {
    return this.weighted([
      [0, 30],
      [0.25, 20],
      [0.5, 20],
      [0.75, 15],
      [1, 15],
    ]);
  }

  private osPackages(platform: OsPlatform, arm: boolean, staleness: number, container = false): InstalledPackage[] {
    const { ecosystem } = platform;
    const arch = archOf(ecosystem, arm);
    const groups = platform.groups.filter((group) => !container || !group.names.some((name) => HOST_ONLY_PACKAGES.has(name) || name.startsWith('linux-')));
    // The base system (openssl, the C library ...) is on every system; of the rest, some.
    const core = groups.filter(isCoreGroup);
    const others = groups.filter((group) => !isCoreGroup(group));
    const chosen = [...core, ...this.faker.helpers.arrayElements(others, Math.min(others.length, this.faker.number.int({ min: 4, max: 12 })))];
    const packages: InstalledPackage[] = [];
    for (const group of chosen) {
      // Packages built from one source (openssl and libssl3) share its version.
      const version = this.version(ecosystem, group.names[0]!, group.versions, staleness);
      for (const name of group.names.slice(0, 4)) packages.push({ name, version, ecosystem, arch });
    }
    return packages;
  }

  /** The libraries of one application, with where each was found. */
  private appPackages(ecosystem: LanguageEcosystem, staleness: number, pathOf: PathOf, count = { min: 4, max: 10 }): InstalledPackage[] {
    const pool = LANGUAGE_PACKAGES[ecosystem];
    const chosen = this.faker.helpers.arrayElements(pool, { min: Math.min(count.min, pool.length), max: Math.min(count.max, pool.length) });
    const packages = chosen.map(([name, versions]) => ({ name, version: this.version(ecosystem, name, versions, staleness) }));
    // Now and then a library only the catalog knows, at a version it lists as affected.
    const extras = this.catalog.extras(ecosystem).filter((extra) => !packages.some((p) => p.name === extra.name));
    if (extras.length > 0 && this.chance(0.3)) packages.push(this.pick(extras));
    return packages
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, version }) => ({ name, version, ecosystem, filePath: pathOf(ecosystem, name, version) }));
  }

  private version(ecosystem: Ecosystem, name: string, ladder: readonly string[], staleness: number): string {
    const vulnerable = this.catalog.vulnerableVersions(ecosystem, name, ladder);
    if (vulnerable.length > 0 && staleness >= 0.5 && this.chance(0.5)) return this.pick(vulnerable);
    const last = ladder.length - 1;
    let index = Math.round((1 - staleness) * last);
    if (this.chance(0.2)) index += this.pick([-1, 1]);
    return ladder[Math.min(Math.max(index, 0), last)]!;
  }

  // ---- ECR and clusters

  private repositories(place: Place, imageCount: number): { repositories: RepositoryJson[]; running: { repository: string; digest: string }[] } {
    if (imageCount === 0) return { repositories: [], running: [] };
    const repositoryCount = Math.max(1, Math.round(imageCount / 4));
    // Every repository gets one image, the rest go anywhere.
    const sizes = Array.from({ length: repositoryCount }, () => 1);
    for (let i = repositoryCount; i < imageCount; i++) sizes[this.faker.number.int({ max: repositoryCount - 1 })]! += 1;
    const running: { repository: string; digest: string }[] = [];
    const repositories = sizes.map((size, index) => {
      const repository = this.repository(place, size);
      // The newest image of the first repository always runs, so that the cluster runs something.
      const newest = repository.images.at(-1)!;
      if (index === 0 || this.chance(0.5)) {
        const startedAt = Math.max(this.instant(newest.pushedAt), this.now - this.faker.number.int({ max: 2 * 86_400 }) * SECOND);
        newest.lastInUseAt = this.relative(startedAt);
        newest.lastPulledAt = newest.lastInUseAt;
        newest.inUseCount = this.faker.number.int({ min: 1, max: 12 });
        running.push({ repository: repository.name, digest: newest.digest });
      }
      return repository;
    });
    return { repositories, running };
  }

  private repository(place: Place, imageCount: number): RepositoryJson {
    const service = this.pick(SERVICES);
    const name = this.uniqueName(place, 'repository', this.chance(0.3) ? `${this.pick(TEAMS)}/${service}` : service);
    // One service is built the same way each time: one base OS, one language, one architecture.
    const platform = this.weighted(available(IMAGE_PLATFORMS));
    const ecosystem = this.weighted(IMAGE_ECOSYSTEMS);
    const architecture = this.chance(0.2) ? 'arm64' : 'amd64';
    const author = this.chance(0.5) ? this.faker.internet.exampleEmail().toLowerCase() : undefined;
    const pushedAt = Array.from({ length: imageCount }, () => this.now - this.faker.number.int({ min: 600, max: 60 * 86_400 }) * SECOND).sort((a, b) => a - b);
    const major = this.faker.number.int({ min: 0, max: 4 });
    const minor = this.faker.number.int({ max: 20 });
    const images = pushedAt.map((pushed, index): ImageJson => {
      const newest = index === imageCount - 1;
      // Older images were built on older bases and libraries.
      const staleness = Math.min(1, this.staleness() + (newest ? 0 : 0.25));
      const layers = [
        this.baseLayer(platform, architecture, staleness),
        { digest: this.digest(), packages: this.appPackages(ecosystem, staleness, imagePath) },
        ...(this.chance(0.3) ? [{ digest: this.digest(), packages: [] }] : []),
      ];
      const pulled = this.chance(0.6) ? pushed + this.faker.number.int({ max: Math.floor((this.now - pushed) / SECOND) }) * SECOND : undefined;
      return {
        digest: this.digest(),
        tags: [`v${major}.${minor}.${index}`, ...(newest ? ['latest'] : []), ...(this.chance(0.3) ? [this.faker.git.commitSha({ length: 7 })] : [])],
        pushedAt: this.relative(pushed),
        ...(pulled !== undefined ? { lastPulledAt: this.relative(pulled) } : {}),
        architecture,
        platform,
        ...(author ? { author } : {}),
        layers,
      };
    });
    return {
      name,
      scanFrequency: this.weighted([
        ['CONTINUOUS_SCAN', 70],
        ['SCAN_ON_PUSH', 25],
        ['MANUAL', 5],
      ] as const),
      images,
    };
  }

  private baseLayer(platform: string, architecture: string, staleness: number): AsJson<ImageLayer> {
    const key = `${platform}|${architecture}|${staleness}`;
    let layer = this.baseLayers.get(key);
    if (!layer) {
      // Drawn from what the layer is, not from the account that first needs it.
      const digest = `sha256:${createHash('sha256').update(`${this.seed}|layer|${key}`).digest('hex')}`;
      const faker = this.faker;
      this.faker = this.layerFaker;
      this.faker.seed(this.seedOf('layer', key));
      layer = { digest, packages: this.osPackages(osPlatforms().get(platform)!, architecture === 'arm64', staleness, true) };
      this.faker = faker;
      this.baseLayers.set(key, layer);
    }
    // A copy each time: the world is a plain tree, which callers may change in one place.
    return { digest: layer.digest, packages: layer.packages.map((p) => ({ ...p })) };
  }

  private cluster(place: Place, images: { repository: string; digest: string }[]): AsJson<Inventory['clusters'][number]> {
    const kind = this.chance(0.6) ? 'ecs' : 'eks';
    const name = `${place.environment}-${this.pick(['web', 'platform', 'services', 'apps', 'main'])}`;
    return { arn: arnOf(kind, place.region, place.accountId, `cluster/${name}`), images };
  }

  // ---- Lambda

  private lambdaFunction(place: Place): FunctionJson {
    const { accountId, region } = place;
    const runtime = this.weighted(RUNTIMES);
    const ecosystem = RUNTIME_ECOSYSTEM[runtime];
    const service = this.pick(SERVICES);
    const name = this.uniqueName(place, 'function', `${service}-${this.pick(FUNCTION_ROLES)}`);
    // Functions on a retired runtime have not been touched in a long time.
    const legacy = runtime === 'PYTHON_3_7';
    const staleness = legacy ? 1 : this.staleness();
    const modifiedDaysAgo = legacy ? this.faker.number.int({ min: 400, max: 1200 }) : this.faker.number.int({ min: 0, max: 400 });
    const layerName = `shared-${ecosystem}-libs`;
    const layers =
      ecosystem !== 'go' && this.chance(0.25)
        ? [
            {
              arn: `arn:${partitionOf(region)}:lambda:${region}:${accountId}:layer:${layerName}:${this.faker.number.int({ min: 1, max: 12 })}`,
              packages: this.appPackages(ecosystem, staleness, layerPath, { min: 1, max: 3 }),
            },
          ]
        : [];
    const language = CODE_LANGUAGE[runtime];
    const codeIssues = language && this.chance(0.2) ? this.codeIssues(language, service) : [];

    return {
      name,
      runtime,
      executionRoleArn: `arn:${partitionOf(region)}:iam::${accountId}:role/${name}-role`,
      codeSha256: Buffer.from(Array.from({ length: 32 }, () => this.faker.number.int(255))).toString('base64'),
      lastModifiedAt: this.ago(modifiedDaysAgo * DAY + this.faker.number.int(86_400) * SECOND),
      ...(this.chance(0.7) ? { lastInvokedAt: this.ago(this.faker.number.int({ max: 30 * 86_400 }) * SECOND) } : {}),
      tags: this.ownerTags(place, service),
      architectures: [this.chance(0.3) ? 'ARM64' : 'X86_64'],
      packageType: this.chance(0.05) ? 'IMAGE' : 'ZIP',
      layers,
      packages: this.appPackages(ecosystem, staleness, functionPath),
      codeIssues,
    };
  }

  private codeIssues(language: CodeLanguage, service: string): CodeIssueJson[] {
    const templates = this.faker.helpers.arrayElements(CODE_ISSUES[language], { min: 1, max: 2 });
    return templates.map((template) => {
      const { detector, filePath, code } = template(this.faker, service);
      return codeIssue(detector, { filePath, startLine: this.faker.number.int({ min: 5, max: 240 }), code });
    });
  }

  // ---- small helpers

  /** A seed for the faker from the world's seed and what is drawn. */
  private seedOf(...parts: string[]): number {
    return createHash('sha256')
      .update([String(this.seed), ...parts].join('|'))
      .digest()
      .readUInt32BE(0);
  }

  private ownerTags(place: Place, service: string): Record<string, string> {
    const firstName = this.faker.person.firstName();
    const lastName = this.faker.person.lastName();
    return {
      Environment: place.environment,
      Service: service,
      Owner: this.faker.internet.exampleEmail({ firstName, lastName }).toLowerCase(),
      ...(this.chance(0.5) ? { CostCenter: `CC-${this.faker.string.numeric(4)}` } : {}),
    };
  }

  /** `base`, then `base-2`, `base-3` ...: unique among the account-region's resources of a kind. */
  private uniqueName(place: Place, kind: 'instance' | 'repository' | 'function', base: string): string {
    let name = base;
    for (let n = 2; place.names.has(`${kind}:${name}`); n++) name = `${base}-${n}`;
    place.names.add(`${kind}:${name}`);
    return name;
  }

  /**
   * Times are written relative to the moment the world is loaded ("-90061000ms"), so a
   * generated world stays as fresh as when it was made (ECR and Lambda windows count from now).
   */
  private ago(ms: number): string {
    return `-${Math.round(ms)}ms`;
  }

  private relative(at: number): string {
    return this.ago(this.now - at);
  }

  private instant(relative: string): number {
    return this.now - Number(relative.slice(1, -'ms'.length));
  }

  private hex(length: number): string {
    return this.faker.string.hexadecimal({ length, casing: 'lower', prefix: '' });
  }

  private digest(): string {
    return `sha256:${this.hex(64)}`;
  }

  private chance(probability: number): boolean {
    return this.faker.datatype.boolean({ probability });
  }

  private pick<T>(choices: readonly T[]): T {
    return this.faker.helpers.arrayElement(choices);
  }

  private weighted<T>(choices: readonly (readonly [T, number])[]): T {
    return this.faker.helpers.weightedArrayElement(choices.map(([value, weight]) => ({ value, weight })));
  }
}

/** The weighted platforms there are package versions for (and those that need none). */
function available<T extends string>(choices: readonly (readonly [T, number])[], without: readonly string[] = []): (readonly [T, number])[] {
  const platforms = osPlatforms();
  return choices.filter(([platform]) => platforms.has(platform) || without.includes(platform));
}

// ---- where language packages are found

type PathOf = (ecosystem: LanguageEcosystem, name: string, version: string) => string;

const artifactOf = (name: string) => name.slice(name.indexOf(':') + 1);

/** Under an application folder on an instance. */
function instancePath(root: string, sep: '/' | '\\'): PathOf {
  const join = (...parts: string[]) => [root, ...parts].join(sep);
  return (ecosystem, name, version) => {
    switch (ecosystem) {
      case 'npm':
        return join('node_modules', ...name.split('/'), 'package.json');
      case 'pypi':
        return join('venv', 'lib', 'python3.10', 'site-packages', `${name}-${version}.dist-info`, 'METADATA');
      case 'maven':
        return join('lib', `${artifactOf(name)}-${version}.jar`);
      case 'go':
        return join('bin', root.slice(root.lastIndexOf(sep) + 1).toLowerCase());
      case 'rubygems':
        return join('Gemfile.lock');
    }
  };
}

const imagePath: PathOf = (ecosystem, name, version) => {
  switch (ecosystem) {
    case 'npm':
      return `/app/node_modules/${name}/package.json`;
    case 'pypi':
      return `/usr/local/lib/python3.11/site-packages/${name}-${version}.dist-info/METADATA`;
    case 'maven':
      return `/app/lib/${artifactOf(name)}-${version}.jar`;
    case 'go':
      return '/usr/local/bin/app';
    case 'rubygems':
      return `/usr/local/bundle/specifications/${name}-${version}.gemspec`;
  }
};

const functionPath: PathOf = (ecosystem, name, version) => {
  switch (ecosystem) {
    case 'npm':
      return `node_modules/${name}/package.json`;
    case 'pypi':
      return 'requirements.txt';
    case 'maven':
      return `lib/${artifactOf(name)}-${version}.jar`;
    case 'go':
      return 'bootstrap';
    case 'rubygems':
      return 'Gemfile.lock';
  }
};

/** Inside a Lambda layer: the folders each runtime looks in. */
const layerPath: PathOf = (ecosystem, name, version) => {
  switch (ecosystem) {
    case 'npm':
      return `nodejs/node_modules/${name}/package.json`;
    case 'pypi':
      return `python/${name}-${version}.dist-info/METADATA`;
    case 'maven':
      return `java/lib/${artifactOf(name)}-${version}.jar`;
    case 'go':
      return 'bin/extension';
    case 'rubygems':
      return `ruby/gems/3.2.0/specifications/${name}-${version}.gemspec`;
  }
};

// ---- the vulnerability catalog, when there is one

interface CatalogHints {
  /** Versions of the ladder (and, for language packages, other releases) the catalog lists as affected. */
  vulnerableVersions(ecosystem: Ecosystem, name: string, ladder: readonly string[]): readonly string[];
  /** Language packages the catalog lists, each at an affected version. */
  extras(ecosystem: LanguageEcosystem): readonly { name: string; version: string }[];
}

const NO_HINTS: CatalogHints = { vulnerableVersions: () => [], extras: () => [] };

const catalogEntrySchema = z.object({
  affected: z.array(
    z.object({
      ecosystem: z.enum(ECOSYSTEMS),
      package: z.string().min(1),
      ranges: z.array(z.object({ introduced: z.string().optional(), fixed: z.string().optional(), lastAffected: z.string().optional() })),
    }),
  ),
});

/**
 * What the catalog file says about the packages the generator knows. A missing or unreadable
 * file (another tool may be writing it) gives no hints rather than an error, and entries
 * that do not parse are skipped.
 */
function loadCatalogHints(file: string | URL | false): CatalogHints {
  if (file === false) return NO_HINTS;
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return NO_HINTS;
  }
  if (!Array.isArray(entries)) return NO_HINTS;

  const ladderVersions = knownVersions();
  const affectedLadder = new Map<string, Set<string>>();
  const otherVersions = new Map<string, Set<string>>();
  const extras = new Map<LanguageEcosystem, Map<string, { name: string; version: string }>>();
  const affects = (ecosystem: Ecosystem, version: string, ranges: readonly VersionRange[]) => {
    try {
      return isAffected(ecosystem, version, ranges);
    } catch {
      return false; // a version or bound the ecosystem cannot order
    }
  };

  for (const entry of entries) {
    const parsed = catalogEntrySchema.safeParse(entry);
    if (!parsed.success) continue;
    for (const { ecosystem, package: name, ranges } of parsed.data.affected) {
      const key = `${ecosystem}:${name}`;
      for (const version of ladderVersions.get(key) ?? []) {
        if (affects(ecosystem, version, ranges)) addTo(affectedLadder, key, version);
      }
      if (ecosystem === 'dpkg' || ecosystem === 'rpm' || ecosystem === 'apk') continue; // a distribution's versions do not fit another's
      // The range bounds that are themselves affected releases: the last affected, or the first.
      for (const range of ranges) {
        const version = range.lastAffected ?? (range.introduced !== '0' ? range.introduced : undefined);
        if (version === undefined || !affects(ecosystem, version, ranges)) continue;
        addTo(otherVersions, key, version);
        if (!extras.has(ecosystem)) extras.set(ecosystem, new Map());
        if (!ladderVersions.has(key) && !extras.get(ecosystem)!.has(name)) extras.get(ecosystem)!.set(name, { name, version });
      }
    }
  }

  const extraLists = new Map([...extras].map(([ecosystem, byName]) => [ecosystem, [...byName.values()]]));
  return {
    vulnerableVersions(ecosystem, name, ladder) {
      const key = `${ecosystem}:${name}`;
      const affected = affectedLadder.get(key);
      return [...ladder.filter((version) => affected?.has(version)), ...[...(otherVersions.get(key) ?? [])].filter((v) => !ladder.includes(v))];
    },
    extras: (ecosystem) => extraLists.get(ecosystem) ?? [],
  };
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key)!.add(value);
}

/** Every version of every package the generator can install, by `ecosystem:name`. */
function knownVersions(): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  for (const { ecosystem, groups } of osPlatforms().values()) {
    for (const group of groups) for (const name of group.names) for (const version of group.versions) addTo(known, `${ecosystem}:${name}`, version);
  }
  for (const ecosystem of LANGUAGE_ECOSYSTEMS) {
    for (const [name, versions] of LANGUAGE_PACKAGES[ecosystem]) for (const version of versions) addTo(known, `${ecosystem}:${name}`, version);
  }
  return known;
}
