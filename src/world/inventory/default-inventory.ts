// The default world: an account-region the seeds say nothing about gets this inventory when
// it first enables Inspector, so that the tutorial works with any credentials. Every account
// gets the same well-known demo resources (web-1, legacy-1, web-app, orders-api ...), and
// around them a world of its own: how many more instances, images and functions, which
// distributions and releases, which package versions, names and tags are all drawn from a
// generator seeded with the account id. The same account always finds the same world, in any
// process; ids also derive from the region. Versions are real: distribution packages at
// versions their vendors published (os-versions.ts), language libraries at real releases.
import { createHash } from 'node:crypto';
import { base, en, Faker } from '@faker-js/faker';
import type { CodeIssue, Ec2Instance, EcrImage, EcrRepository, ImageLayer, InstalledPackage, Inventory, LambdaFunction, SecurityGroup } from './inventory.js';
import { CODE_DETECTORS, codeIssue } from '../scanning/code-detectors.js';
import { arnOf, partitionOf } from '../platform/partition.js';
import { CODE_ISSUES, LANGUAGE_PACKAGES, SERVICES, TEAMS, type LanguageEcosystem } from './generate-data.js';
import { archOf, isCoreGroup, isCorePackage, osPlatforms, type OsPlatform } from './os-versions.js';

const DAY = 86_400_000;
const INTERNET = '0.0.0.0/0';

/** A small, fast generator (sfc32) seeded from a digest: the same digest, the same draws. */
class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Buffer) {
    [this.a, this.b, this.c, this.d] = [seed.readUInt32BE(0), seed.readUInt32BE(4), seed.readUInt32BE(8), seed.readUInt32BE(12)];
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A number in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(choices: readonly T[]): T {
    return choices[Math.floor(this.next() * choices.length)]!;
  }

  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [value, weight] of choices) if ((at -= weight) < 0) return value;
    return choices.at(-1)![0];
  }

  /** `count` of the choices, in their order. */
  sample<T>(choices: readonly T[], count: number): T[] {
    const indexes = choices.map((_, index) => index);
    for (let i = indexes.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
    }
    return indexes
      .slice(0, Math.min(count, choices.length))
      .sort((x, y) => x - y)
      .map((index) => choices[index]!);
  }
}

/** How far behind on updates a resource is: oldest known builds, some update behind the newest, or the newest. */
type Patching = 'oldest' | 'behind' | 'current';

/** The distribution packages of an instance or image: the base system, and some more. */
function osPackages(random: Random, platform: OsPlatform, patching: Patching, options: { arm?: boolean; container?: boolean } = {}): InstalledPackage[] {
  const ecosystem = platform.ecosystem;
  const arch = archOf(ecosystem, options.arm ?? false);
  // A container image has no kernel.
  const groups = platform.groups.filter((g) => !options.container || !g.names.some((name) => name === 'kernel' || name.startsWith('linux-')));
  const core = groups.filter(isCoreGroup).slice(0, 6);
  // Of the rest, a few; behind on updates, those that have updates (an advisory's, if there are such).
  const rest = groups.filter((g) => !isCoreGroup(g));
  const updated = rest.filter((g) => g.versions.length >= 2);
  const advised = updated.filter((g) => g.advised);
  const pool = patching === 'current' ? rest : advised.length >= 3 ? advised : updated.length > 0 ? updated : rest;
  const others = random.sample(pool, random.int(options.container ? 1 : 2, options.container ? 3 : 6));
  const packages: InstalledPackage[] = [];
  for (const group of [...core, ...others]) {
    const last = group.versions.length - 1;
    const index = patching === 'current' ? last : patching === 'oldest' ? 0 : random.int(0, Math.max(0, last - 1));
    const version = group.versions[index]!;
    // Packages built from one source (openssl and libssl3) share its version; of a big source, a few of its packages.
    for (const name of installedNames(group.names)) packages.push({ name, version, ecosystem, arch });
  }
  return packages;
}

/** The packages of a group an ordinary system has: the base system's first, no headers or documentation. */
function installedNames(names: readonly string[]): string[] {
  const wanted = names.filter((name) => !/-(dev|devel|doc|headers|static|dbg|debuginfo)$/.test(name));
  return [...wanted.filter((name) => isCorePackage(name)), ...wanted.filter((name) => !isCorePackage(name))].slice(0, 3);
}

/** Language libraries of one application, at real releases (the older ones known to be vulnerable). */
function libraries(random: Random, ecosystem: LanguageEcosystem, count: number, pathOf: (name: string, version: string) => string): InstalledPackage[] {
  return random.sample(LANGUAGE_PACKAGES[ecosystem], count).map(([name, versions]) => {
    const version = random.chance(0.6) ? versions[0]! : random.pick(versions);
    return { name, version, ecosystem, filePath: pathOf(name, version) };
  });
}

const nodeModule = (root: string) => (name: string) => `${root}node_modules/${name}/package.json`;
const sitePackage = (root: string) => (name: string, version: string) => `${root}${name}-${version}.dist-info/METADATA`;
const jar = (root: string) => (name: string, version: string) => `${root}${name.slice(name.indexOf(':') + 1)}-${version}.jar`;

const pathsOf: Record<'npm' | 'pypi' | 'maven', { image: (name: string, version: string) => string; function: (name: string, version: string) => string }> = {
  npm: { image: nodeModule('/app/'), function: nodeModule('') },
  pypi: { image: sitePackage('/usr/local/lib/python3.11/site-packages/'), function: () => 'requirements.txt' },
  maven: { image: jar('/app/lib/'), function: jar('lib/') },
};

export function defaultInventory(account: string, region: string, now: Date): Inventory {
  const seed = createHash('sha256').update(`inspector2-local default world|${account}`).digest();
  const random = new Random(seed);
  const faker = new Faker({ locale: [en, base], seed: seed.readUInt32BE(16) });
  const platforms = osPlatforms();
  const hex = (name: string, length: number) => createHash('sha256').update(`${account}|${region}|${name}`).digest('hex').slice(0, length);
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  const instanceId = (name: string) => `i-${hex(name, 17)}`;
  const eniId = (name: string) => `eni-${hex(`eni|${name}`, 17)}`;
  const digest = (name: string) => `sha256:${hex(name, 64)}`;
  const role = (name: string) => `arn:${partitionOf(region)}:iam::${account}:role/${name}`;
  /** One of the platforms there are versions for, by weight. */
  const platformOf = (choices: readonly (readonly [string, number])[]): [string, OsPlatform] => {
    const known = choices.filter(([name]) => platforms.has(name));
    const name = random.weighted(known.length > 0 ? known : [['UBUNTU_22_04', 1] as const]);
    return [name, platforms.get(name)!];
  };

  const vpcId = `vpc-${hex('vpc', 17)}`;
  const igw = `igw-${hex('igw', 17)}`;
  const publicSubnet = { subnetId: `subnet-${hex('subnet', 17)}`, networkAclId: `acl-${hex('acl', 17)}` };
  const privateSubnet = { subnetId: `subnet-${hex('subnet-private', 17)}`, networkAclId: `acl-${hex('acl-private', 17)}` };
  const sg = (name: string, ingress: SecurityGroup['ingress']): SecurityGroup => ({ groupId: `sg-${hex(`sg-${name}`, 17)}`, ingress });
  const host = () => random.int(10, 250);
  const environment = random.weighted([
    ['production', 5],
    ['staging', 3],
    ['development', 2],
  ] as const);
  const team = faker.helpers.arrayElement(TEAMS);
  const owner = () => {
    const [firstName, lastName] = [faker.person.firstName(), faker.person.lastName()];
    return faker.internet.exampleEmail({ firstName, lastName }).toLowerCase();
  };

  // ---- the demo instances, on releases and patch levels of the account's own

  const [webPlatform, web] = platformOf([
    ['UBUNTU_22_04', 5],
    ['UBUNTU_20_04', 2],
    ['UBUNTU_24_04', 2],
  ]);
  const [workerPlatform, worker] = platformOf([
    ['AMAZON_LINUX_2023', 4],
    ['RHEL_9', 2],
    ['DEBIAN_12', 2],
    ['ROCKY_LINUX_9', 1],
    ['ALMA_LINUX_9', 1],
    ['RHEL_8', 1],
  ]);
  const [legacyPlatform, legacy] = platformOf([
    ['AMAZON_LINUX_2', 4],
    ['UBUNTU_20_04', 2],
    ['DEBIAN_11', 2],
    ['RHEL_8', 1],
  ]);
  const [batchPlatform, batch] = platformOf([
    ['UBUNTU_20_04', 3],
    ['AMAZON_LINUX_2', 2],
    ['DEBIAN_11', 2],
  ]);
  const [bastionPlatform, bastion] = platformOf([
    ['AMAZON_LINUX_2023', 4],
    ['UBUNTU_24_04', 2],
    ['DEBIAN_12', 2],
    ['UBUNTU_22_04', 1],
  ]);

  const ec2Instances: Ec2Instance[] = [
    {
      // Internet-facing, SSM-managed, with vulnerable OS packages and a vulnerable jar deep inspection finds.
      instanceId: instanceId('web-1'),
      amiId: `ami-${hex(`ami-${webPlatform}`, 17)}`,
      platform: webPlatform,
      instanceType: random.pick(['t3.medium', 't3.large', 'm5.large', 'm6i.large']),
      state: 'running',
      ssmManaged: true,
      tags: { Name: 'web-1', Environment: 'production' },
      vpcId,
      ...publicSubnet,
      internetGatewayId: igw,
      networkInterfaceId: eniId('web-1'),
      publicIp: `203.0.113.${host()}`,
      privateIp: `10.0.1.${host()}`,
      securityGroups: [
        sg('web', [
          { protocol: 'TCP', fromPort: 22, toPort: 22, cidr: INTERNET },
          { protocol: 'TCP', fromPort: 443, toPort: 443, cidr: INTERNET },
        ]),
      ],
      iamInstanceProfileArn: `arn:${partitionOf(region)}:iam::${account}:instance-profile/AmazonSSMRoleForInstancesQuickSetup`,
      keyName: 'ops',
      launchedAt: at(random.int(60, 400)),
      packages: [
        ...osPackages(random, web, 'behind'),
        { name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', ecosystem: 'maven', filePath: '/usr/lib/app/lib/log4j-core-2.14.1.jar' },
      ],
    },
    {
      // Private, SSM-managed, with a vulnerable Python library.
      instanceId: instanceId('worker-1'),
      amiId: `ami-${hex(`ami-${workerPlatform}`, 17)}`,
      platform: workerPlatform,
      instanceType: random.pick(['t3.large', 'm5.xlarge', 'c6i.2xlarge', 'm7g.large']),
      state: 'running',
      ssmManaged: true,
      tags: { Name: 'worker-1', Environment: 'production' },
      vpcId,
      ...privateSubnet,
      networkInterfaceId: eniId('worker-1'),
      privateIp: `10.0.2.${host()}`,
      securityGroups: [sg('worker', [{ protocol: 'TCP', fromPort: 8080, toPort: 8080, cidr: '10.0.0.0/16' }])],
      launchedAt: at(random.int(20, 200)),
      packages: [
        ...osPackages(random, worker, 'behind'),
        { name: 'requests', version: '2.25.1', ecosystem: 'pypi', filePath: '/usr/lib/python3.9/site-packages/requests-2.25.1.dist-info' },
      ],
    },
    {
      // Not managed by SSM: covered only in hybrid scan mode (agentless). Never patched.
      instanceId: instanceId('legacy-1'),
      amiId: `ami-${hex(`ami-${legacyPlatform}`, 17)}`,
      platform: legacyPlatform,
      instanceType: random.pick(['t2.small', 't2.medium', 'm4.large']),
      state: 'running',
      ssmManaged: false,
      tags: { Name: 'legacy-1', Environment: 'staging' },
      vpcId,
      ...privateSubnet,
      networkInterfaceId: eniId('legacy-1'),
      privateIp: `10.0.3.${host()}`,
      securityGroups: [],
      launchedAt: at(random.int(700, 1400)),
      packages: osPackages(random, legacy, 'oldest'),
    },
    {
      // Stopped: not scanned while it is.
      instanceId: instanceId('batch-1'),
      amiId: `ami-${hex(`ami-${batchPlatform}`, 17)}`,
      platform: batchPlatform,
      instanceType: random.pick(['c5.xlarge', 'c6i.2xlarge', 'm5.large']),
      state: 'stopped',
      ssmManaged: true,
      tags: { Name: 'batch-1', Environment: 'staging' },
      vpcId,
      ...privateSubnet,
      networkInterfaceId: eniId('batch-1'),
      privateIp: `10.0.3.${host()}`,
      securityGroups: [],
      launchedAt: at(random.int(200, 500)),
      packages: osPackages(random, batch, 'behind'),
    },
    {
      // Up to date: scanned, nothing found.
      instanceId: instanceId('bastion-1'),
      amiId: `ami-${hex(`ami-${bastionPlatform}-new`, 17)}`,
      platform: bastionPlatform,
      instanceType: 't3.nano',
      state: 'running',
      ssmManaged: true,
      tags: { Name: 'bastion-1' },
      vpcId,
      ...publicSubnet,
      networkInterfaceId: eniId('bastion-1'),
      privateIp: `10.0.1.${host()}`,
      securityGroups: [],
      launchedAt: at(random.int(1, 20)),
      packages: osPackages(random, bastion, 'current'),
    },
  ];

  // ---- the account's own instances: how many, which systems, which exposed

  const names = new Set(ec2Instances.map((i) => i.tags.Name!));
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
    names.add(name);
    return name;
  };
  for (let n = random.int(1, 5); n > 0; n--) {
    const service = faker.helpers.arrayElement(SERVICES);
    const name = unique(`${service}-${faker.helpers.arrayElement(['api', 'app', 'worker', 'cache', 'queue', 'proxy'])}`);
    const [platformName, platform] = platformOf([
      ['UBUNTU_22_04', 5],
      ['AMAZON_LINUX_2023', 5],
      ['UBUNTU_24_04', 3],
      ['AMAZON_LINUX_2', 3],
      ['UBUNTU_20_04', 2],
      ['DEBIAN_12', 2],
      ['DEBIAN_11', 1],
      ['RHEL_9', 2],
      ['RHEL_8', 1],
      ['ROCKY_LINUX_9', 1],
      ['ALMA_LINUX_9', 1],
    ]);
    const instanceType = faker.helpers.arrayElement(['t3.micro', 't3.small', 't3.medium', 'm5.large', 'c5.xlarge', 't4g.small', 'm7g.large']);
    const arm = /^[a-z]+\d+g/.test(instanceType);
    const exposed = random.chance(0.3);
    const ssmManaged = random.chance(0.85);
    ec2Instances.push({
      instanceId: instanceId(name),
      amiId: `ami-${hex(`ami-${platformName}-${arm}`, 17)}`,
      platform: platformName,
      instanceType,
      state: random.chance(0.1) ? 'stopped' : 'running',
      ssmManaged,
      tags: { Name: name, Environment: environment, Service: service, Team: team, Owner: owner() },
      vpcId,
      ...(exposed ? publicSubnet : privateSubnet),
      ...(exposed ? { internetGatewayId: igw, publicIp: `198.51.100.${host()}` } : {}),
      networkInterfaceId: eniId(name),
      privateIp: `10.0.${exposed ? 1 : 2}.${host()}`,
      securityGroups: exposed
        ? [
            sg('web-public', [
              { protocol: 'TCP', fromPort: 80, toPort: 80, cidr: INTERNET },
              { protocol: 'TCP', fromPort: 443, toPort: 443, cidr: INTERNET },
            ]),
          ]
        : [sg('app-internal', [{ protocol: 'TCP', fromPort: 8080, toPort: 8080, cidr: '10.0.0.0/16' }])],
      ...(ssmManaged ? { iamInstanceProfileArn: `arn:${partitionOf(region)}:iam::${account}:instance-profile/${service}-instance-profile` } : {}),
      launchedAt: at(random.int(1, 700)),
      packages: osPackages(
        random,
        platform,
        random.weighted([
          ['oldest', 1],
          ['behind', 5],
          ['current', 2],
        ] as const),
        { arm },
      ),
    });
  }

  // ---- ECR: the demo repositories, and the account's own

  const imageOf = (
    name: string,
    platformName: string,
    platform: OsPlatform,
    patching: Patching,
    app: InstalledPackage[],
    details: Omit<EcrImage, 'digest' | 'platform' | 'layers' | 'architecture'> & { architecture?: string },
  ): EcrImage => {
    const layers: ImageLayer[] = [
      { digest: digest(`layer:${name}:base`), packages: osPackages(random, platform, patching, { container: true, arm: details.architecture === 'arm64' }) },
    ];
    if (app.length > 0) layers.push({ digest: digest(`layer:${name}:app`), packages: app });
    return { digest: digest(name), architecture: 'amd64', platform: platformName, layers, ...details };
  };
  const imagePlatforms = [
    ['DEBIAN_12', 6],
    ['UBUNTU_22_04', 3],
    ['UBUNTU_24_04', 2],
    ['AMAZON_LINUX_2023', 3],
    ['ALPINE_LINUX_3_18', 1],
    ['ALPINE_LINUX_3_19', 1],
    ['ALPINE_LINUX_3_20', 1],
    ['ALPINE_LINUX_3_21', 1],
    ['DEBIAN_11', 1],
  ] as const;

  const [webAppPlatform, webApp] = platformOf([
    ['DEBIAN_12', 6],
    ['UBUNTU_22_04', 2],
    ['UBUNTU_24_04', 2],
    ['AMAZON_LINUX_2023', 1],
  ]);
  const [oldPlatform, old] = platformOf([
    ['DEBIAN_11', 3],
    ['UBUNTU_20_04', 1],
  ]);
  const [basePlatform, baseOs] = platformOf([
    ['AMAZON_LINUX_2023', 3],
    ['ALPINE_LINUX_3_21', 1],
    ['DEBIAN_12', 1],
  ]);
  const ecrRepositories: EcrRepository[] = [
    {
      name: 'web-app',
      scanFrequency: 'CONTINUOUS_SCAN',
      images: [
        imageOf(
          'web-app:v2',
          webAppPlatform,
          webApp,
          'behind',
          [
            { name: 'lodash', version: '4.17.15', ecosystem: 'npm', filePath: '/app/node_modules/lodash/package.json' },
            { name: 'express', version: '4.17.1', ecosystem: 'npm', filePath: '/app/node_modules/express/package.json' },
            { name: 'axios', version: '0.21.0', ecosystem: 'npm', filePath: '/app/node_modules/axios/package.json' },
          ],
          { tags: ['latest', 'v2'], pushedAt: at(2), lastInUseAt: at(0.5), inUseCount: random.int(1, 6), author: 'ci@example.com' },
        ),
        // Pushed long ago and not in use: outside the rescan window.
        imageOf('web-app:v1', oldPlatform, old, 'oldest', [], { tags: ['v1'], pushedAt: at(40) }),
      ],
    },
    {
      name: 'base-images',
      scanFrequency: 'SCAN_ON_PUSH',
      images: [
        imageOf(`base-images:${basePlatform}`, basePlatform, baseOs, 'current', [], {
          tags: [basePlatform.toLowerCase().replace(/_/g, '-')],
          pushedAt: at(1),
          architecture: 'arm64',
        }),
      ],
    },
  ];
  const running = [{ repository: 'web-app', digest: ecrRepositories[0]!.images[0]!.digest }];
  const repositoryNames = new Set(ecrRepositories.map((r) => r.name));
  for (let n = random.int(0, 3); n > 0; n--) {
    const service = faker.helpers.arrayElement(SERVICES);
    const name = random.chance(0.4) ? `${team}/${service}` : service;
    if (repositoryNames.has(name)) continue;
    repositoryNames.add(name);
    const [platformName, platform] = platformOf(imagePlatforms);
    const ecosystem = random.pick(['npm', 'pypi', 'maven'] as const);
    const count = random.int(1, 3);
    const images = Array.from({ length: count }, (_, index): EcrImage => {
      const newest = index === count - 1;
      return imageOf(
        `${name}:${index}`,
        platformName,
        platform,
        newest ? random.pick(['behind', 'current'] as const) : 'oldest',
        libraries(random, ecosystem, random.int(2, 5), pathsOf[ecosystem].image),
        {
          tags: [`v1.${index}.0`, ...(newest ? ['latest'] : [])],
          pushedAt: at(newest ? random.int(0, 10) + random.next() : random.int(11, 60)),
          ...(newest ? { author: owner() } : {}),
        },
      );
    });
    const newest = images.at(-1)!;
    if (random.chance(0.5)) {
      Object.assign(newest, { lastInUseAt: at(random.next()), inUseCount: random.int(1, 8) });
      running.push({ repository: name, digest: newest.digest });
    }
    ecrRepositories.push({
      name,
      scanFrequency: random.weighted([
        ['CONTINUOUS_SCAN', 4],
        ['SCAN_ON_PUSH', 1],
      ] as const),
      images,
    });
  }

  // ---- Lambda: the demo functions, and the account's own

  const lambdaFunctions: LambdaFunction[] = [
    {
      name: 'orders-api',
      runtime: 'PYTHON_3_11',
      executionRoleArn: role('orders-api-role'),
      codeSha256: `${hex('orders-api', 43)}=`,
      lastModifiedAt: at(5),
      lastInvokedAt: at(0.1),
      tags: { Service: 'orders' },
      architectures: ['X86_64'],
      packageType: 'ZIP',
      layers: [],
      packages: [
        { name: 'requests', version: '2.25.1', ecosystem: 'pypi', filePath: 'requirements.txt' },
        { name: 'urllib3', version: '1.26.4', ecosystem: 'pypi', filePath: 'requirements.txt' },
        { name: 'pyyaml', version: '5.3.1', ecosystem: 'pypi', filePath: 'requirements.txt' },
      ],
      codeIssues: [
        codeIssue(CODE_DETECTORS.pythonHardcodedCredentials, { filePath: 'src/orders/db.py', startLine: 12, code: ['DB_PASSWORD = "hunter2-prod"'] }),
      ],
    },
    {
      name: 'thumbnailer',
      runtime: 'NODEJS_18_X',
      executionRoleArn: role('thumbnailer-role'),
      codeSha256: `${hex('thumbnailer', 43)}=`,
      lastModifiedAt: at(20),
      tags: { Service: 'media' },
      architectures: ['ARM64'],
      packageType: 'ZIP',
      layers: [
        {
          arn: arnOf('lambda', region, account, 'layer:shared-node-libs:3'),
          packages: [{ name: 'jsonwebtoken', version: '8.5.1', ecosystem: 'npm', filePath: 'nodejs/node_modules/jsonwebtoken/package.json' }],
        },
      ],
      packages: [{ name: 'semver', version: '7.5.1', ecosystem: 'npm', filePath: 'node_modules/semver/package.json' }],
      codeIssues: [],
    },
    {
      // A runtime past its end of support.
      name: 'legacy-cron',
      runtime: 'PYTHON_3_7',
      executionRoleArn: role('legacy-cron-role'),
      codeSha256: `${hex('legacy-cron', 43)}=`,
      lastModifiedAt: at(400),
      lastInvokedAt: at(1),
      tags: {},
      architectures: ['X86_64'],
      packageType: 'ZIP',
      layers: [],
      packages: [],
      codeIssues: [],
    },
  ];
  const functionNames = new Set(lambdaFunctions.map((f) => f.name));
  for (let n = random.int(0, 3); n > 0; n--) {
    const service = faker.helpers.arrayElement(SERVICES);
    const name = `${service}-${faker.helpers.arrayElement(['handler', 'sync', 'webhook', 'exporter', 'notifier', 'ingest'])}`;
    if (functionNames.has(name)) continue;
    functionNames.add(name);
    const [runtime, ecosystem, language] = random.pick([
      ['PYTHON_3_11', 'pypi', 'python'],
      ['NODEJS_18_X', 'npm', 'javascript'],
      ['JAVA_17', 'maven', 'java'],
    ] as const);
    const issues: CodeIssue[] = random.chance(0.3)
      ? [faker.helpers.arrayElement(CODE_ISSUES[language])(faker, service)].map(({ detector, filePath, code }) =>
          codeIssue(detector, { filePath, startLine: random.int(5, 200), code }),
        )
      : [];
    lambdaFunctions.push({
      name,
      runtime,
      executionRoleArn: role(`${name}-role`),
      codeSha256: `${hex(name, 43)}=`,
      lastModifiedAt: at(random.int(0, 80) + random.next()),
      ...(random.chance(0.8) ? { lastInvokedAt: at(random.next() * 10) } : {}),
      tags: { Service: service, Team: team, Owner: owner() },
      architectures: [random.chance(0.3) ? 'ARM64' : 'X86_64'],
      packageType: 'ZIP',
      layers: [],
      packages: libraries(random, ecosystem, random.int(1, 4), pathsOf[ecosystem].function),
      codeIssues: issues,
    });
  }

  return {
    ec2Instances,
    ecrRepositories,
    lambdaFunctions,
    clusters: [{ arn: arnOf('ecs', region, account, 'cluster/web'), images: running }],
  };
}
