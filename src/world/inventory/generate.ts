// A deterministic world generator, for benchmarks and big demos: N accounts in one
// organization, each with about M resources per region (EC2 instances, ECR images, Lambda
// functions) and an ECS or EKS cluster, written in the seed file format (world/seed.ts).
//
// The same options give a byte-identical world, in any process: every random choice comes
// from one faker instance seeded with the seed, and every time is counted back from a
// reference date derived from the seed (never from the clock). When the vulnerability
// catalog (seeds/vulnerabilities.json) is there, some packages are given versions it lists
// as affected, so the world has findings; the world then also depends on that file.
import { readFileSync } from 'node:fs';
import { base, en, Faker } from '@faker-js/faker';
import { z } from 'zod';
import { ECOSYSTEMS, type Ecosystem } from '../scanning/ecosystems.js';
import type { CodeIssue, Ec2Instance, EcrImage, EcrRepository, ImageLayer, InstalledPackage, Inventory, LambdaFunction, SecurityGroup } from './inventory.js';
import type { Seed } from './seed.js';
import { isAffected, type VersionRange } from '../scanning/versions.js';

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
export const DEFAULT_VULNERABILITIES_FILE = new URL('../../../seeds/vulnerabilities.json', import.meta.url);
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
export type AccountInventoryJson = { accountId: string; region: string } & AsJson<Inventory>;
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
type LinuxPlatform = keyof typeof OS_PACKAGES;
type LanguageEcosystem = Exclude<Ecosystem, 'dpkg' | 'rpm'>;

interface Place {
  accountId: string;
  region: string;
  environment: Environment;
  network: Network;
  /** Names already used in this account-region, by kind, so that generated names stay unique. */
  names: Set<string>;
}

interface Network {
  vpcId: string;
  vpcCidr: string;
  internetGatewayId: string;
  publicSubnet: { id: string; cidr: string };
  privateSubnets: { id: string; cidr: string }[];
  groups: Record<'webPublic' | 'sshAnywhere' | 'rdpAnywhere' | 'appInternal' | 'sshInternal', SecurityGroup>;
}

class WorldBuilder {
  private readonly faker: Faker;
  private readonly now: number;
  private readonly usedAccountIds = new Set<string>();
  /** Public AMIs per region and platform: instances of many accounts share them. */
  private readonly amis = new Map<string, string[]>();
  /** Base image layers per platform, architecture and patch level: images share them. */
  private readonly baseLayers = new Map<string, AsJson<ImageLayer>>();

  constructor(
    seed: number,
    private readonly catalog: CatalogHints,
  ) {
    this.faker = new Faker({ locale: [en, base], seed });
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
    return {
      vpcId: `vpc-${this.hex(17)}`,
      vpcCidr,
      internetGatewayId: `igw-${this.hex(17)}`,
      publicSubnet: { id: `subnet-${this.hex(17)}`, cidr: `10.${octet}.0.0/20` },
      privateSubnets: [16, 32, 48].map((third) => ({ id: `subnet-${this.hex(17)}`, cidr: `10.${octet}.${third}.0/20` })),
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
    const platform = this.weighted(INSTANCE_PLATFORMS);
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
      ...(exposed ? { internetGatewayId: network.internetGatewayId, publicIp: this.publicIp() } : {}),
      privateIp: this.faker.internet.ipv4({ cidrBlock: subnet.cidr }),
      securityGroups: this.securityGroups(network, exposed, windows),
      ...(ssmManaged ? { iamInstanceProfileArn: `arn:aws:iam::${accountId}:instance-profile/${this.pick(['AmazonSSMRoleForInstancesQuickSetup', 'ec2-ssm-core', `${service}-instance-profile`])}` } : {}),
      ...(keyName ? { keyName } : {}),
      launchedAt: this.ago(launchedDaysAgo * DAY + this.faker.number.int(86_400) * SECOND),
      packages: windows ? this.windowsPackages(service, staleness) : this.instancePackages(platform, arm, service, staleness),
    };
  }

  private securityGroups(network: Network, exposed: boolean, windows: boolean): SecurityGroup[] {
    return this.chooseGroups(network.groups, exposed, windows).map((group) => ({ groupId: group.groupId, ingress: group.ingress.map((rule) => ({ ...rule })) }));
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

  private ami(region: string, platform: string, arm: boolean): string {
    const key = `${region}|${platform}|${arm}`;
    let choices = this.amis.get(key);
    if (!choices) {
      choices = Array.from({ length: 3 }, () => `ami-${this.hex(17)}`);
      this.amis.set(key, choices);
    }
    return this.pick(choices);
  }

  private publicIp(): string {
    // Documentation ranges (RFC 5737): realistic, and never someone's real address.
    return this.faker.internet.ipv4({ network: this.pick(['test-net-1', 'test-net-2', 'test-net-3'] as const) });
  }

  private instancePackages(platform: LinuxPlatform, arm: boolean, service: string, staleness: number): InstalledPackage[] {
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

  private osPackages(platform: LinuxPlatform, arm: boolean, staleness: number, container = false): InstalledPackage[] {
    const { ecosystem, groups } = OS_PACKAGES[platform];
    const arch = ecosystem === 'dpkg' ? (arm ? 'arm64' : 'amd64') : arm ? 'aarch64' : 'x86_64';
    const packages: InstalledPackage[] = [];
    for (const [index, group] of groups.entries()) {
      // The first groups (openssl, the C library) are on every system; the others mostly.
      if (index >= 2 && !this.chance(0.85)) continue;
      if (container && group.names.some((name) => HOST_ONLY_PACKAGES.has(name))) continue;
      // Packages built from one source (openssl and libssl3) share its version.
      const version = this.version(ecosystem, group.names[0]!, group.versions, staleness);
      for (const name of group.names) packages.push({ name, version, ecosystem, arch });
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
    const platform = this.weighted(IMAGE_PLATFORMS);
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
    return { name, scanFrequency: this.weighted([['CONTINUOUS_SCAN', 70], ['SCAN_ON_PUSH', 25], ['MANUAL', 5]] as const), images };
  }

  private baseLayer(platform: LinuxPlatform, architecture: string, staleness: number): AsJson<ImageLayer> {
    const key = `${platform}|${architecture}|${staleness}`;
    let layer = this.baseLayers.get(key);
    if (!layer) {
      layer = { digest: this.digest(), packages: this.osPackages(platform, architecture === 'arm64', staleness, true) };
      this.baseLayers.set(key, layer);
    }
    // A copy each time: the world is a plain tree, which callers may change in one place.
    return { digest: layer.digest, packages: layer.packages.map((p) => ({ ...p })) };
  }

  private cluster(place: Place, images: { repository: string; digest: string }[]): AsJson<Inventory['clusters'][number]> {
    const kind = this.chance(0.6) ? 'ecs' : 'eks';
    const name = `${place.environment}-${this.pick(['web', 'platform', 'services', 'apps', 'main'])}`;
    return { arn: `arn:aws:${kind}:${place.region}:${place.accountId}:cluster/${name}`, images };
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
        ? [{ arn: `arn:aws:lambda:${region}:${accountId}:layer:${layerName}:${this.faker.number.int({ min: 1, max: 12 })}`, packages: this.appPackages(ecosystem, staleness, layerPath, { min: 1, max: 3 }) }]
        : [];
    const language = CODE_LANGUAGE[runtime];
    const codeIssues = language && this.chance(0.2) ? this.codeIssues(language, service) : [];

    return {
      name,
      runtime,
      executionRoleArn: `arn:aws:iam::${accountId}:role/${name}-role`,
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
      const { code, ...issue } = template(this.faker, service);
      const startLine = this.faker.number.int({ min: 5, max: 240 });
      return { ...issue, code, startLine, endLine: startLine + code.length - 1 };
    });
  }

  // ---- small helpers

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
      if (ecosystem === 'dpkg' || ecosystem === 'rpm') continue; // a distribution's versions do not fit another's
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
  for (const { ecosystem, groups } of Object.values(OS_PACKAGES)) {
    for (const group of groups) for (const name of group.names) for (const version of group.versions) addTo(known, `${ecosystem}:${name}`, version);
  }
  for (const ecosystem of LANGUAGE_ECOSYSTEMS) {
    for (const [name, versions] of LANGUAGE_PACKAGES[ecosystem]) for (const version of versions) addTo(known, `${ecosystem}:${name}`, version);
  }
  return known;
}

// ---- what the world is made of

const SERVICES = [
  'orders', 'payments', 'checkout', 'inventory', 'catalog', 'search', 'auth', 'users', 'billing', 'notifications',
  'shipping', 'reports', 'analytics', 'media', 'recommendations', 'gateway', 'ledger', 'pricing', 'cart', 'reviews',
  'invoices', 'profiles', 'exports', 'audit', 'events', 'scheduler', 'mailer', 'fraud', 'loyalty', 'support',
] as const;
const TEAMS = ['platform', 'data', 'commerce', 'identity', 'growth', 'infra'] as const;
const LINUX_ROLES = ['web', 'api', 'worker', 'batch', 'bastion', 'db', 'cache', 'queue', 'jenkins', 'proxy'] as const;
const WINDOWS_ROLES = ['ad', 'iis', 'sql', 'rdgw', 'app'] as const;
const FUNCTION_ROLES = ['api', 'worker', 'handler', 'processor', 'sync', 'cron', 'webhook', 'resizer', 'exporter', 'notifier', 'ingest', 'authorizer'] as const;

const LINUX_INSTANCE_TYPES = [
  't3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'm5.xlarge', 'c5.xlarge', 'r5.large', 'm6i.large', 'c6i.2xlarge',
  't4g.small', 't4g.medium', 'm7g.large', 'c7g.xlarge', 'r6g.large',
] as const;
const WINDOWS_INSTANCE_TYPES = ['t3.large', 'm5.xlarge', 'm6i.large', 'r5.xlarge'] as const;

const INSTANCE_PLATFORMS = [
  ['UBUNTU_22_04', 25],
  ['AMAZON_LINUX_2023', 22],
  ['AMAZON_LINUX_2', 15],
  ['UBUNTU_20_04', 12],
  ['DEBIAN_12', 8],
  ['RHEL_9', 8],
  ['WINDOWS_SERVER_2022', 10],
] as const;
const IMAGE_PLATFORMS = [
  ['DEBIAN_12', 40],
  ['UBUNTU_22_04', 20],
  ['AMAZON_LINUX_2023', 20],
  ['UBUNTU_20_04', 8],
  ['AMAZON_LINUX_2', 7],
  ['RHEL_9', 5],
] as const;
const LANGUAGE_ECOSYSTEMS = ['npm', 'pypi', 'maven', 'go', 'rubygems'] as const;
const IMAGE_ECOSYSTEMS = [
  ['npm', 30],
  ['pypi', 30],
  ['maven', 20],
  ['go', 10],
  ['rubygems', 10],
] as const;

const RUNTIMES = [
  ['PYTHON_3_11', 30],
  ['NODEJS_18_X', 30],
  ['JAVA_17', 15],
  ['GO_1_X', 10],
  ['RUBY_3_2', 8],
  ['PYTHON_3_7', 7],
] as const;
type Runtime = (typeof RUNTIMES)[number][0];
const RUNTIME_ECOSYSTEM: Record<Runtime, LanguageEcosystem> = {
  PYTHON_3_11: 'pypi',
  PYTHON_3_7: 'pypi',
  NODEJS_18_X: 'npm',
  JAVA_17: 'maven',
  GO_1_X: 'go',
  RUBY_3_2: 'rubygems',
};

// OS packages per platform: each group's versions are real releases of the distribution,
// oldest first; names in one group come from one source package and share its version.
interface PackageGroup {
  names: readonly string[];
  versions: readonly string[];
}
/** Packages of a host that container images do not have. */
const HOST_ONLY_PACKAGES = new Set(['kernel']);
const group = (names: string | string[], ...versions: string[]): PackageGroup => ({ names: typeof names === 'string' ? [names] : names, versions });

const OS_PACKAGES = {
  UBUNTU_22_04: {
    ecosystem: 'dpkg',
    groups: [
      group(['openssl', 'libssl3'], '3.0.2-0ubuntu1', '3.0.2-0ubuntu1.6', '3.0.2-0ubuntu1.10', '3.0.2-0ubuntu1.15', '3.0.2-0ubuntu1.18'),
      group(['libc6', 'libc-bin'], '2.35-0ubuntu3', '2.35-0ubuntu3.1', '2.35-0ubuntu3.4', '2.35-0ubuntu3.6', '2.35-0ubuntu3.8'),
      group(['curl', 'libcurl4'], '7.81.0-1ubuntu1', '7.81.0-1ubuntu1.4', '7.81.0-1ubuntu1.13', '7.81.0-1ubuntu1.15', '7.81.0-1ubuntu1.20'),
      group('sudo', '1.9.9-1ubuntu2', '1.9.9-1ubuntu2.4'),
      group('zlib1g', '1:1.2.11.dfsg-2ubuntu9', '1:1.2.11.dfsg-2ubuntu9.2'),
      group(['openssh-server', 'openssh-client'], '1:8.9p1-3', '1:8.9p1-3ubuntu0.1', '1:8.9p1-3ubuntu0.6', '1:8.9p1-3ubuntu0.10'),
      group('bash', '5.1-6ubuntu1', '5.1-6ubuntu1.1'),
      group('libxml2', '2.9.13+dfsg-1build1', '2.9.13+dfsg-1ubuntu0.3', '2.9.13+dfsg-1ubuntu0.4'),
      group('git', '1:2.34.1-1ubuntu1', '1:2.34.1-1ubuntu1.9', '1:2.34.1-1ubuntu1.11'),
      group(['vim', 'vim-common'], '2:8.2.3995-1ubuntu2', '2:8.2.3995-1ubuntu2.13', '2:8.2.3995-1ubuntu2.21'),
      group(['systemd', 'libsystemd0'], '249.11-0ubuntu3', '249.11-0ubuntu3.9', '249.11-0ubuntu3.12'),
      group(['python3.10', 'libpython3.10'], '3.10.4-3', '3.10.6-1~22.04.2', '3.10.12-1~22.04.3'),
      group('libexpat1', '2.4.7-1', '2.4.7-1ubuntu0.2', '2.4.7-1ubuntu0.3'),
      group('libgnutls30', '3.7.3-4ubuntu1', '3.7.3-4ubuntu1.2', '3.7.3-4ubuntu1.5'),
      group('libsqlite3-0', '3.37.2-2', '3.37.2-2ubuntu0.1', '3.37.2-2ubuntu0.3'),
      group('tar', '1.34+dfsg-1build3', '1.34+dfsg-1ubuntu0.1.22.04.1', '1.34+dfsg-1ubuntu0.1.22.04.2'),
      group(['libpam-modules', 'libpam0g'], '1.4.0-11ubuntu2', '1.4.0-11ubuntu2.4'),
      group(['xz-utils', 'liblzma5'], '5.2.5-2ubuntu1'),
      group('tzdata', '2022a-0ubuntu1', '2023c-0ubuntu0.22.04.2', '2024a-0ubuntu0.22.04'),
      group('ca-certificates', '20211016', '20230311ubuntu0.22.04.1'),
    ],
  },
  UBUNTU_20_04: {
    ecosystem: 'dpkg',
    groups: [
      group(['openssl', 'libssl1.1'], '1.1.1f-1ubuntu2', '1.1.1f-1ubuntu2.8', '1.1.1f-1ubuntu2.16', '1.1.1f-1ubuntu2.22'),
      group(['libc6', 'libc-bin'], '2.31-0ubuntu9', '2.31-0ubuntu9.2', '2.31-0ubuntu9.9', '2.31-0ubuntu9.16'),
      group(['curl', 'libcurl4'], '7.68.0-1ubuntu2', '7.68.0-1ubuntu2.7', '7.68.0-1ubuntu2.18', '7.68.0-1ubuntu2.22'),
      group('sudo', '1.8.31-1ubuntu1', '1.8.31-1ubuntu1.2', '1.8.31-1ubuntu1.5'),
      group(['openssh-server', 'openssh-client'], '1:8.2p1-4', '1:8.2p1-4ubuntu0.5', '1:8.2p1-4ubuntu0.11'),
      group('bash', '5.0-6ubuntu1', '5.0-6ubuntu1.2'),
      group('zlib1g', '1:1.2.11.dfsg-2ubuntu1', '1:1.2.11.dfsg-2ubuntu1.3', '1:1.2.11.dfsg-2ubuntu1.5'),
      group('libxml2', '2.9.10+dfsg-5', '2.9.10+dfsg-5ubuntu0.20.04.1', '2.9.10+dfsg-5ubuntu0.20.04.7'),
      group('git', '1:2.25.1-1ubuntu3', '1:2.25.1-1ubuntu3.6', '1:2.25.1-1ubuntu3.11'),
      group(['python3.8', 'libpython3.8'], '3.8.2-1ubuntu1', '3.8.10-0ubuntu1~20.04.4', '3.8.10-0ubuntu1~20.04.9'),
      group(['systemd', 'libsystemd0'], '245.4-4ubuntu3', '245.4-4ubuntu3.15', '245.4-4ubuntu3.23'),
      group('libexpat1', '2.2.9-1build1', '2.2.9-1ubuntu0.6', '2.2.9-1ubuntu0.7'),
      group(['policykit-1', 'libpolkit-gobject-1-0'], '0.105-26ubuntu1', '0.105-26ubuntu1.2', '0.105-26ubuntu1.3'),
      group('tzdata', '2019c-3ubuntu1', '2023c-0ubuntu0.20.04.2', '2024a-0ubuntu0.20.04'),
      group('ca-certificates', '20190110ubuntu1', '20230311ubuntu0.20.04.1'),
    ],
  },
  DEBIAN_12: {
    ecosystem: 'dpkg',
    groups: [
      group(['openssl', 'libssl3'], '3.0.9-1', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1', '3.0.15-1~deb12u1'),
      group(['libc6', 'libc-bin'], '2.36-9', '2.36-9+deb12u3', '2.36-9+deb12u9'),
      group(['curl', 'libcurl4'], '7.88.1-10', '7.88.1-10+deb12u4', '7.88.1-10+deb12u8'),
      group('zlib1g', '1:1.2.13.dfsg-1'),
      group(['openssh-server', 'openssh-client'], '1:9.2p1-2', '1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3'),
      group('bash', '5.2.15-2+b2', '5.2.15-2+b7'),
      group('libxml2', '2.9.14+dfsg-1.2', '2.9.14+dfsg-1.3~deb12u1'),
      group('perl-base', '5.36.0-7', '5.36.0-7+deb12u1'),
      group('tar', '1.34+dfsg-1.2', '1.34+dfsg-1.2+deb12u1'),
      group('libsqlite3-0', '3.40.1-2', '3.40.1-2+deb12u1'),
      group('libexpat1', '2.5.0-1', '2.5.0-1+deb12u1'),
      group(['libsystemd0', 'libudev1'], '252.6-1', '252.22-1~deb12u1', '252.33-1~deb12u1'),
      group('libgnutls30', '3.7.9-2', '3.7.9-2+deb12u3'),
      group(['libpam-modules', 'libpam0g'], '1.5.2-6', '1.5.2-6+deb12u1'),
      group('liblzma5', '5.4.1-0.2'),
      group('tzdata', '2023c-5', '2024a-0+deb12u1', '2025b-0+deb12u1'),
    ],
  },
  AMAZON_LINUX_2023: {
    ecosystem: 'rpm',
    groups: [
      group(['openssl', 'openssl-libs'], '3.0.8-1.amzn2023.0.3', '3.0.8-1.amzn2023.0.9', '3.0.8-1.amzn2023.0.14'),
      group(['glibc', 'glibc-common'], '2.34-52.amzn2023.0.3', '2.34-52.amzn2023.0.8', '2.34-117.amzn2023.0.1'),
      group(['curl-minimal', 'libcurl-minimal'], '8.0.1-1.amzn2023', '8.3.0-1.amzn2023.0.1', '8.5.0-1.amzn2023.0.4'),
      group('bash', '5.2.15-1.amzn2023.0.2'),
      group(['openssh', 'openssh-server', 'openssh-clients'], '8.7p1-8.amzn2023.0.4', '8.7p1-8.amzn2023.0.10', '8.7p1-8.amzn2023.0.11'),
      group('sudo', '1.9.13-1.p2.amzn2023.0.2', '1.9.15-1.p5.amzn2023.0.1'),
      group(['python3', 'python3-libs'], '3.9.16-1.amzn2023.0.3', '3.9.16-1.amzn2023.0.8', '3.9.16-1.amzn2023.0.9'),
      group('libxml2', '2.10.4-1.amzn2023.0.1', '2.10.4-1.amzn2023.0.6'),
      group('expat', '2.5.0-1.amzn2023.0.1', '2.5.0-1.amzn2023.0.4'),
      group(['systemd', 'systemd-libs'], '252.4-1161.amzn2023.0.4', '252.16-1.amzn2023.0.2', '252.23-2.amzn2023'),
      group(['vim-minimal', 'vim-data'], '2:9.0.1592-1.amzn2023.0.1', '2:9.0.2153-1.amzn2023.0.1'),
      group('krb5-libs', '1.21-3.amzn2023.0.2', '1.21.3-1.amzn2023.0.1'),
      group('sqlite-libs', '3.40.0-1.amzn2023.0.3', '3.40.0-1.amzn2023.0.4'),
      group('tzdata', '2023c-1.amzn2023.0.1', '2024a-1.amzn2023.0.1'),
    ],
  },
  AMAZON_LINUX_2: {
    ecosystem: 'rpm',
    groups: [
      group(['openssl', 'openssl-libs'], '1.0.2k-19.amzn2.0.1', '1.0.2k-24.amzn2.0.7', '1.0.2k-24.amzn2.0.12'),
      group(['glibc', 'glibc-common'], '2.26-48.amzn2', '2.26-59.amzn2', '2.26-64.amzn2.0.2'),
      group(['curl', 'libcurl'], '7.79.1-1.amzn2.0.1', '8.3.0-1.amzn2.0.4', '8.3.0-1.amzn2.0.7'),
      group('sudo', '1.8.23-9.amzn2', '1.8.23-10.amzn2.1', '1.8.23-10.amzn2.3.3'),
      group('bash', '4.2.46-34.amzn2'),
      group(['openssh', 'openssh-server', 'openssh-clients'], '7.4p1-21.amzn2.0.1', '7.4p1-22.amzn2.0.6', '7.4p1-22.amzn2.0.9'),
      group(['python', 'python-libs'], '2.7.18-1.amzn2.0.5', '2.7.18-1.amzn2.0.8'),
      group('kernel', '4.14.336-257.562.amzn2', '5.10.210-201.852.amzn2', '5.10.228-219.884.amzn2'),
      group('libxml2', '2.9.1-6.amzn2.5.8', '2.9.1-6.amzn2.5.13'),
      group('expat', '2.1.0-12.amzn2', '2.1.0-15.amzn2.0.3'),
      group(['nss', 'nss-util'], '3.79.0-4.amzn2', '3.90.0-2.amzn2.0.1'),
      group('polkit', '0.112-26.amzn2', '0.112-26.amzn2.1'),
      group('tzdata', '2020a-1.amzn2', '2024a-1.amzn2.0.1'),
    ],
  },
  RHEL_9: {
    ecosystem: 'rpm',
    groups: [
      group(['openssl', 'openssl-libs'], '3.0.1-43.el9_0', '3.0.7-24.el9', '3.0.7-27.el9', '3.2.2-6.el9_5'),
      group(['glibc', 'glibc-common'], '2.34-28.el9_0', '2.34-60.el9', '2.34-100.el9_4.2', '2.34-125.el9_5.1'),
      group(['curl', 'libcurl'], '7.76.1-14.el9', '7.76.1-26.el9_3.2', '7.76.1-31.el9'),
      group('sudo', '1.9.5p2-7.el9', '1.9.5p2-10.el9_3'),
      group(['openssh', 'openssh-server', 'openssh-clients'], '8.7p1-10.el9', '8.7p1-34.el9', '8.7p1-43.el9'),
      group('bash', '5.1.8-4.el9', '5.1.8-9.el9'),
      group(['python3', 'python3-libs'], '3.9.10-2.el9', '3.9.18-3.el9', '3.9.19-8.el9_5.1'),
      group('libxml2', '2.9.13-1.el9', '2.9.13-6.el9_4'),
      group(['systemd', 'systemd-libs'], '250-6.el9_0', '252-18.el9', '252-46.el9_5.2'),
      group('expat', '2.5.0-1.el9', '2.5.0-3.el9_5.1'),
      group('krb5-libs', '1.19.1-15.el9_0', '1.21.1-4.el9_5'),
      group('tzdata', '2022a-1.el9_0', '2024a-1.el9'),
    ],
  },
} as const satisfies Record<string, { ecosystem: 'dpkg' | 'rpm'; groups: PackageGroup[] }>;

// Language libraries: real releases, oldest first, from long-known vulnerable ones to current.
const LANGUAGE_PACKAGES: Record<LanguageEcosystem, readonly (readonly [string, readonly string[]])[]> = {
  npm: [
    ['lodash', ['4.17.15', '4.17.19', '4.17.21']],
    ['express', ['4.16.4', '4.17.1', '4.18.2', '4.21.2']],
    ['axios', ['0.21.0', '0.21.1', '0.27.2', '1.6.0', '1.7.9']],
    ['jsonwebtoken', ['8.5.1', '9.0.0', '9.0.2']],
    ['minimist', ['1.2.5', '1.2.8']],
    ['semver', ['5.7.1', '7.5.1', '7.6.3']],
    ['moment', ['2.29.1', '2.29.4']],
    ['ws', ['7.4.5', '8.11.0', '8.17.1']],
    ['node-fetch', ['2.6.1', '2.6.7', '2.7.0']],
    ['follow-redirects', ['1.14.7', '1.15.4', '1.15.6']],
    ['qs', ['6.5.2', '6.10.3', '6.13.0']],
    ['tough-cookie', ['2.5.0', '4.1.3']],
    ['debug', ['2.6.8', '2.6.9', '4.3.7']],
    ['body-parser', ['1.19.0', '1.20.1', '1.20.3']],
    ['path-to-regexp', ['0.1.7', '0.1.10', '0.1.12']],
    ['cross-spawn', ['7.0.3', '7.0.6']],
    ['braces', ['3.0.2', '3.0.3']],
    ['micromatch', ['4.0.5', '4.0.8']],
    ['handlebars', ['4.7.6', '4.7.7', '4.7.8']],
    ['ejs', ['3.1.6', '3.1.9', '3.1.10']],
    ['cookie', ['0.4.1', '0.7.1']],
    ['xml2js', ['0.4.23', '0.6.2']],
    ['pg', ['8.7.1', '8.13.1']],
    ['aws-sdk', ['2.814.0', '2.1354.0', '2.1692.0']],
  ],
  pypi: [
    ['requests', ['2.25.1', '2.28.1', '2.31.0', '2.32.3']],
    ['urllib3', ['1.26.4', '1.26.18', '2.2.3']],
    ['pyyaml', ['5.3.1', '5.4.1', '6.0.2']],
    ['django', ['3.2.0', '3.2.25', '4.2.16', '5.1.3']],
    ['flask', ['1.1.2', '2.2.5', '3.0.3']],
    ['jinja2', ['2.11.2', '3.1.2', '3.1.4']],
    ['werkzeug', ['1.0.1', '2.2.3', '3.0.6']],
    ['cryptography', ['3.3.2', '39.0.1', '42.0.8', '43.0.3']],
    ['pillow', ['8.1.0', '9.5.0', '10.4.0']],
    ['numpy', ['1.19.5', '1.24.4', '1.26.4']],
    ['boto3', ['1.17.112', '1.28.85', '1.35.70']],
    ['certifi', ['2020.12.5', '2023.7.22', '2024.8.30']],
    ['idna', ['2.10', '3.4', '3.10']],
    ['setuptools', ['50.3.2', '65.5.0', '75.6.0']],
    ['sqlalchemy', ['1.3.23', '1.4.46', '2.0.36']],
    ['paramiko', ['2.7.2', '2.12.0', '3.5.0']],
    ['lxml', ['4.6.2', '4.9.3', '5.3.0']],
    ['aiohttp', ['3.8.1', '3.9.5', '3.11.7']],
    ['gunicorn', ['20.0.4', '21.2.0', '23.0.0']],
    ['psycopg2-binary', ['2.8.6', '2.9.10']],
  ],
  maven: [
    ['org.apache.logging.log4j:log4j-core', ['2.14.1', '2.17.1', '2.24.1']],
    ['com.fasterxml.jackson.core:jackson-databind', ['2.9.10.1', '2.12.6.1', '2.13.4.2', '2.17.2']],
    ['org.springframework:spring-web', ['5.2.9.RELEASE', '5.3.17', '5.3.39', '6.1.14']],
    ['org.springframework:spring-beans', ['5.3.17', '5.3.18', '6.1.14']],
    ['org.springframework.boot:spring-boot', ['2.5.6', '2.7.18', '3.3.5']],
    ['org.yaml:snakeyaml', ['1.26', '1.33', '2.2']],
    ['commons-collections:commons-collections', ['3.2.1', '3.2.2']],
    ['org.apache.commons:commons-text', ['1.9', '1.10.0', '1.12.0']],
    ['com.google.guava:guava', ['29.0-jre', '31.1-jre', '33.3.1-jre']],
    ['io.netty:netty-codec-http', ['4.1.68.Final', '4.1.94.Final', '4.1.115.Final']],
    ['org.apache.tomcat.embed:tomcat-embed-core', ['9.0.43', '9.0.83', '10.1.33']],
    ['ch.qos.logback:logback-classic', ['1.2.3', '1.2.13', '1.5.12']],
    ['com.h2database:h2', ['1.4.200', '2.2.224', '2.3.232']],
    ['org.postgresql:postgresql', ['42.2.18', '42.5.1', '42.7.4']],
    ['commons-io:commons-io', ['2.6', '2.11.0', '2.17.0']],
    ['com.google.protobuf:protobuf-java', ['3.11.4', '3.21.7', '3.25.5']],
    ['org.bouncycastle:bcprov-jdk15on', ['1.60', '1.70']],
  ],
  go: [
    ['github.com/gin-gonic/gin', ['v1.6.3', 'v1.7.7', 'v1.9.1', 'v1.10.0']],
    ['golang.org/x/net', ['v0.0.0-20210226172049-e18ecbb05110', 'v0.7.0', 'v0.17.0', 'v0.33.0']],
    ['golang.org/x/crypto', ['v0.0.0-20201221181555-eec23a3978ad', 'v0.14.0', 'v0.31.0']],
    ['golang.org/x/text', ['v0.3.5', 'v0.3.8', 'v0.21.0']],
    ['github.com/aws/aws-sdk-go', ['v1.34.0', 'v1.44.122', 'v1.55.5']],
    ['github.com/aws/aws-lambda-go', ['v1.26.0', 'v1.47.0']],
    ['google.golang.org/grpc', ['v1.40.0', 'v1.56.3', 'v1.68.1']],
    ['google.golang.org/protobuf', ['v1.26.0', 'v1.31.0', 'v1.35.2']],
    ['github.com/dgrijalva/jwt-go', ['v3.2.0+incompatible']],
    ['github.com/golang-jwt/jwt/v4', ['v4.4.1', 'v4.5.1']],
    ['gopkg.in/yaml.v3', ['v3.0.0-20210107192922-496545a6307b', 'v3.0.1']],
    ['github.com/gorilla/websocket', ['v1.4.0', 'v1.4.2', 'v1.5.3']],
    ['github.com/sirupsen/logrus', ['v1.8.1', 'v1.9.3']],
  ],
  rubygems: [
    ['rails', ['6.1.4', '6.1.7.10', '7.0.8.6', '7.1.5']],
    ['rack', ['2.2.3', '2.2.8.1', '3.1.8']],
    ['nokogiri', ['1.11.1', '1.13.10', '1.16.8']],
    ['actionpack', ['6.1.4', '7.0.8.6']],
    ['activesupport', ['6.1.4', '7.0.8.6', '7.1.5']],
    ['puma', ['5.5.2', '5.6.9', '6.4.3']],
    ['json', ['2.5.1', '2.7.2']],
    ['rexml', ['3.2.4', '3.2.5', '3.3.9']],
    ['sinatra', ['2.1.0', '2.2.4', '4.1.0']],
    ['aws-sdk-s3', ['1.96.0', '1.170.0']],
    ['jwt', ['2.2.2', '2.9.3']],
    ['faraday', ['1.4.1', '2.12.1']],
  ],
};

// ---- code issues of Lambda functions, as Amazon CodeGuru detectors report them

type CodeLanguage = 'python' | 'javascript' | 'java';
const CODE_LANGUAGE: Record<Runtime, CodeLanguage | undefined> = {
  PYTHON_3_11: 'python',
  PYTHON_3_7: 'python',
  NODEJS_18_X: 'javascript',
  JAVA_17: 'java',
  GO_1_X: undefined,
  RUBY_3_2: undefined,
};

type IssueTemplate = (faker: Faker, service: string) => Omit<CodeIssueJson, 'startLine' | 'endLine'>;
const cwe = (n: number) => `https://cwe.mitre.org/data/definitions/${n}.html`;
const javaClass = (service: string) => `${service[0]!.toUpperCase()}${service.slice(1)}`;

const CODE_ISSUES: Record<CodeLanguage, IssueTemplate[]> = {
  python: [
    (faker, service) => ({
      detectorId: 'python/hardcoded-credentials@v1.0',
      detectorName: 'Hardcoded credentials',
      ruleId: 'python-hardcoded-credentials',
      title: 'Hardcoded credentials',
      description: 'A password is written into the source code, where anyone who can read the code or the package can use it.',
      cwes: ['CWE-798'],
      severity: 'CRITICAL',
      detectorTags: ['secrets', 'security'],
      filePath: `src/${service}/settings.py`,
      code: [`DB_PASSWORD = "${faker.internet.password({ length: 16 })}"`],
      suggestedFix: 'Read the password from AWS Secrets Manager or an environment variable at run time.',
      referenceUrls: [cwe(798)],
    }),
    (_faker, service) => ({
      detectorId: 'python/sql-injection@v1.0',
      detectorName: 'SQL injection',
      ruleId: 'python-avoid-string-formatted-sql',
      title: 'SQL built from user input',
      description: 'The query is formatted from a request parameter, so a crafted value can change what the query does.',
      cwes: ['CWE-89'],
      severity: 'HIGH',
      detectorTags: ['injection', 'sql', 'security'],
      filePath: `src/${service}/queries.py`,
      code: [`    query = f"SELECT * FROM ${service} WHERE id = '{event['id']}'"`, '    cursor.execute(query)'],
      suggestedFix: 'Pass the values as parameters of cursor.execute instead of formatting them into the SQL.',
      referenceUrls: [cwe(89)],
    }),
    (_faker, service) => ({
      detectorId: 'python/os-command-injection@v1.0',
      detectorName: 'OS command injection',
      ruleId: 'python-oscommandinjectionrule',
      title: 'Shell command built from user input',
      description: 'A shell runs a command line that includes a value from the event.',
      cwes: ['CWE-77', 'CWE-78', 'CWE-88'],
      severity: 'HIGH',
      detectorTags: ['injection', 'subprocess', 'security'],
      filePath: `src/${service}/convert.py`,
      code: ["    subprocess.run(f\"convert {event['file']} /tmp/out.png\", shell=True)"],
      suggestedFix: 'Pass the arguments as a list and leave shell=False.',
      referenceUrls: [cwe(78)],
    }),
    (_faker, service) => ({
      detectorId: 'python/insecure-hashing@v1.0',
      detectorName: 'Insecure hashing',
      ruleId: 'python-crypto-compliance-message-digest',
      title: 'Weak hash algorithm',
      description: 'MD5 is broken for collision resistance and must not protect passwords or integrity.',
      cwes: ['CWE-327', 'CWE-328'],
      severity: 'MEDIUM',
      detectorTags: ['cryptography', 'security'],
      filePath: `src/${service}/tokens.py`,
      code: ['    digest = hashlib.md5(secret.encode()).hexdigest()'],
      suggestedFix: 'Use hashlib.sha256, or a password hash such as scrypt for passwords.',
      referenceUrls: [cwe(327), cwe(328)],
    }),
  ],
  javascript: [
    (faker, service) => ({
      detectorId: 'javascript/hardcoded-credentials@v1.0',
      detectorName: 'Hardcoded credentials',
      ruleId: 'javascript-hardcoded-credentials',
      title: 'Hardcoded credentials',
      description: 'An API key is written into the source code, where anyone who can read the code or the package can use it.',
      cwes: ['CWE-798'],
      severity: 'CRITICAL',
      detectorTags: ['secrets', 'security'],
      filePath: `src/${service}/client.js`,
      code: [`const API_KEY = "${faker.string.alphanumeric(32)}";`],
      suggestedFix: 'Read the key from AWS Secrets Manager at run time.',
      referenceUrls: [cwe(798)],
    }),
    (_faker, service) => ({
      detectorId: 'javascript/path-traversal@v1.0',
      detectorName: 'Path traversal',
      ruleId: 'javascript-path-traversal',
      title: 'File path built from user input',
      description: 'A file name from the request is joined to a folder without checking it, so ../ can reach any file.',
      cwes: ['CWE-22'],
      severity: 'HIGH',
      detectorTags: ['injection', 'security'],
      filePath: `src/${service}/files.js`,
      code: ['  const file = path.join(UPLOAD_DIR, event.queryStringParameters.name);', "  return fs.readFileSync(file, 'utf8');"],
      suggestedFix: 'Resolve the path and check that it is still inside UPLOAD_DIR.',
      referenceUrls: [cwe(22)],
    }),
    (_faker, service) => ({
      detectorId: 'javascript/log-injection@v1.0',
      detectorName: 'Log injection',
      ruleId: 'javascript-log-injection',
      title: 'Unsanitized input in a log line',
      description: 'A request value is logged as it is: new lines in it can forge log entries.',
      cwes: ['CWE-117'],
      severity: 'LOW',
      detectorTags: ['logging', 'security'],
      filePath: `src/${service}/handler.js`,
      code: ['  console.log(`login failed for ${body.username}`);'],
      referenceUrls: [cwe(117)],
    }),
  ],
  java: [
    (_faker, service) => ({
      detectorId: 'java/sql-injection@v1.0',
      detectorName: 'SQL injection',
      ruleId: 'java-sql-injection',
      title: 'SQL built from user input',
      description: 'The query is concatenated from a request parameter, so a crafted value can change what the query does.',
      cwes: ['CWE-89'],
      severity: 'HIGH',
      detectorTags: ['injection', 'sql', 'security'],
      filePath: `src/main/java/com/example/${service}/${javaClass(service)}Repository.java`,
      code: [`        String sql = "SELECT * FROM ${service} WHERE name = '" + name + "'";`, '        ResultSet rows = statement.executeQuery(sql);'],
      suggestedFix: 'Use a PreparedStatement with parameters.',
      referenceUrls: [cwe(89)],
    }),
    (_faker, service) => ({
      detectorId: 'java/xml-external-entity@v1.0',
      detectorName: 'XML External Entity',
      ruleId: 'java-xxe-document-builder',
      title: 'XML parser resolves external entities',
      description: 'The parser reads documents from the request with external entities enabled, which can disclose local files.',
      cwes: ['CWE-611'],
      severity: 'HIGH',
      detectorTags: ['xml', 'security'],
      filePath: `src/main/java/com/example/${service}/${javaClass(service)}Parser.java`,
      code: ['        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();', '        Document document = factory.newDocumentBuilder().parse(input);'],
      suggestedFix: 'Enable FEATURE_SECURE_PROCESSING and disallow DOCTYPE declarations.',
      referenceUrls: [cwe(611)],
    }),
    (_faker, service) => ({
      detectorId: 'java/insecure-cryptography@v1.0',
      detectorName: 'Insecure cryptography',
      ruleId: 'java-weak-cipher',
      title: 'Weak cipher',
      description: 'DES in ECB mode is broken: it leaks patterns and its key is too short.',
      cwes: ['CWE-327'],
      severity: 'MEDIUM',
      detectorTags: ['cryptography', 'security'],
      filePath: `src/main/java/com/example/${service}/${javaClass(service)}Crypto.java`,
      code: ['        Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");'],
      suggestedFix: 'Use AES/GCM/NoPadding with a 256-bit key.',
      referenceUrls: [cwe(327)],
    }),
  ],
};
