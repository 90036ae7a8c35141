// An inventory read from a sibling AWS endpoint (LocalStack, moto_server): what the sibling
// says of each resource (src/neighbours/ reads it) becomes the world's resources here. The
// packages are derived from what the resource says — the AMI's distribution, the image's
// name and tags, the function's runtime — out of the package tables generated worlds use
// (generate-data.ts), or read from the function's own manifests when the sibling serves its
// code. This is world logic (which packages a platform has, which platform a name means), so
// it lives with the inventory; the neighbour knows only the wire.
//
// With a neighbour, the made-up default world is never used: an account-region enabled gets
// an empty inventory until the sibling's arrives, and what the sibling reads replaces the
// account-region's inventory (resources gone leave coverage and their findings close, through
// the same rescan as a change from the control plane).
import { createHash } from 'node:crypto';
import type { AccountRegion, World } from '../world.js';
import { rescan } from './changes.js';
import { osPlatforms } from './os-versions.js';
import { IMAGE_PLATFORMS, LANGUAGE_PACKAGES, OS_PACKAGES, HOST_ONLY_PACKAGES, type LanguageEcosystem, type LinuxPlatform } from './generate-data.js';
import {
  emptyInventory,
  type Ec2Instance,
  type EcrImage,
  type EcrRepository,
  type InstalledPackage,
  type Inventory,
  type LambdaFunction,
} from './inventory.js';

/** An EC2 instance as the sibling describes it (DescribeInstances, with its AMI from DescribeImages). */
export interface DiscoveredInstance {
  instanceId: string;
  imageId: string;
  /** The AMI's name, description and platform details, as far as the sibling knows the AMI. */
  imageText: string;
  windows: boolean;
  /** x86_64 or arm64. */
  architecture: string;
  instanceType: string;
  /** AWS's state name: pending, running, stopping, stopped, shutting-down, terminated. */
  state: string;
  tags: Record<string, string>;
  vpcId?: string;
  subnetId?: string;
  publicIp?: string;
  privateIp?: string;
  securityGroupIds: string[];
  iamInstanceProfileArn?: string;
  keyName?: string;
  launchedAt?: Date;
}

export interface DiscoveredImage {
  digest: string;
  tags: string[];
  pushedAt?: Date;
  lastPulledAt?: Date;
  /** The manifest's layers (BatchGetImage), oldest first; empty when the sibling does not serve manifests. */
  layerDigests: string[];
  architecture?: string;
}

export interface DiscoveredRepository {
  name: string;
  images: DiscoveredImage[];
}

export interface DiscoveredFunction {
  name: string;
  /** Lambda's runtime id (python3.11, nodejs18.x ...); absent for an image function. */
  runtime?: string;
  role?: string;
  codeSha256: string;
  lastModified?: Date;
  tags: Record<string, string>;
  architectures: string[];
  packageType: string;
  layerArns: string[];
  /** The dependencies its code's manifests declare, when the sibling served the code; otherwise derived from the runtime. */
  packages?: InstalledPackage[];
}

/** What one discovery read; a kind that could not be read is absent (the account-region keeps what it had of it). */
export interface DiscoveredInventory {
  instances?: DiscoveredInstance[];
  repositories?: DiscoveredRepository[];
  functions?: DiscoveredFunction[];
}

/** The emulator's side of a neighbour: told when an account-region needs its inventory. */
export interface InventoryNeighbour {
  requested(accountId: string, region: string): void;
}

const neighbours = new WeakMap<World, InventoryNeighbour>();
/** Inventories this module made: only their kinds are kept when a discovery could not read them. */
const discovered = new WeakSet<Inventory>();

export function useInventoryNeighbour(world: World, neighbour: InventoryNeighbour): void {
  neighbours.set(world, neighbour);
}

/**
 * Enable's question: does a neighbour supply this account-region's inventory? If one does, it
 * is asked for it, and the account-region starts empty rather than with the default world.
 */
export function askInventoryNeighbour(world: World, state: AccountRegion): boolean {
  const neighbour = neighbours.get(world);
  if (!neighbour) return false;
  state.inventory ??= emptyInventory();
  neighbour.requested(state.accountId, state.region);
  return true;
}

/**
 * Replaces the account-region's inventory by what the sibling said, and rescans when it
 * changed: new resources are queued, resources gone leave coverage and their findings close.
 * Answers whether anything changed.
 */
export function applyDiscoveredInventory(world: World, accountId: string, region: string, found: DiscoveredInventory): boolean {
  const state = world.existingAccountRegion(accountId, region);
  if (!state) return false;
  const current = state.inventory;
  const kept = current && discovered.has(current) ? current : undefined;
  const now = world.clock.now();
  const next: Inventory = {
    ec2Instances: found.instances ? found.instances.filter((i) => usableId(i.instanceId)).map(instanceOf) : (kept?.ec2Instances ?? []),
    ecrRepositories: found.repositories ? found.repositories.filter((r) => usableId(r.name)).map(repositoryOf) : (kept?.ecrRepositories ?? []),
    lambdaFunctions: found.functions ? found.functions.filter((f) => usableId(f.name)).map((fn) => functionOf(fn, now)) : (kept?.lambdaFunctions ?? []),
    clusters: [],
    // Imported code repositories come from code security integrations, not from the sibling.
    ...(current?.codeRepositories ? { codeRepositories: current.codeRepositories } : {}),
  };
  discovered.add(next);
  if (current && JSON.stringify(current) === JSON.stringify(next)) {
    // Nothing changed: no rescan (a poll that finds the same resources changes nothing).
    discovered.add(current);
    return false;
  }
  state.inventory = next;
  rescan(world, accountId, region);
  return true;
}

// What the sibling says is hostile input: ids and tags within what the inventory's saved form accepts.
const MAX_ID_LENGTH = 2048;
const MAX_TAGS = 50;
const usableId = (id: string) => id.length > 0 && id.length <= MAX_ID_LENGTH;

function tagsWithin(tags: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags).slice(0, MAX_TAGS)) if (key.length <= 128 && value.length <= 256) kept[key] = value;
  return kept;
}

// ---------------------------------------------------------------- what a resource says

/** The operating system a name says (an AMI's name or description, an image's name and tags): UBUNTU_22_04, AMAZON_LINUX_2023 ... */
function platformNamed(text: string, windows = false): string | undefined {
  const t = text.toLowerCase();
  if (windows || /windows/.test(t)) {
    const year = /windows[_ -]?server[_ -]?(\d{4})/.exec(t)?.[1] ?? /\b(20(?:1[2-9]|2\d))\b/.exec(t)?.[1];
    return year ? `WINDOWS_SERVER_${year}` : 'WINDOWS';
  }
  const ubuntuCodenames: Record<string, string> = { bionic: '18_04', focal: '20_04', jammy: '22_04', noble: '24_04' };
  if (/ubuntu|jammy|focal|noble|bionic/.test(t)) {
    const version = /ubuntu[^0-9]{0,40}?(\d{2})\.(\d{2})/.exec(t) ?? /\b(\d{2})\.(04|10)\b/.exec(t);
    if (version) return `UBUNTU_${version[1]}_${version[2]}`;
    const codename = /(bionic|focal|jammy|noble)/.exec(t)?.[1];
    if (codename) return `UBUNTU_${ubuntuCodenames[codename]}`;
  }
  if (/al2023|amazon[ -]?linux[ -]?2023|amzn-?2023/.test(t)) return 'AMAZON_LINUX_2023';
  if (/amzn2|\bal2\b|amazon[ -]?linux[ -]?2\b/.test(t)) return 'AMAZON_LINUX_2';
  const debianCodenames: Record<string, string> = { buster: '10', bullseye: '11', bookworm: '12', trixie: '13' };
  const debian = /debian[^0-9a-z]{0,3}(\d{1,2})\b/.exec(t)?.[1] ?? debianCodenames[/(buster|bullseye|bookworm|trixie)/.exec(t)?.[1] ?? ''];
  if (debian) return `DEBIAN_${debian}`;
  const rhel = /(?:rhel|red ?hat[a-z ]{0,30}?)[^0-9]{0,3}(\d{1,2})(?:\.\d+)?\b/.exec(t)?.[1];
  if (rhel) return `RHEL_${rhel}`;
  const rocky = /rocky[^0-9]{0,10}(\d{1,2})/.exec(t)?.[1];
  if (rocky) return `ROCKY_LINUX_${rocky}`;
  const alma = /alma[^0-9]{0,10}(\d{1,2})/.exec(t)?.[1];
  if (alma) return `ALMA_LINUX_${alma}`;
  const suse = /(?:sles|suse)[^0-9]{0,20}(\d{2})/.exec(t)?.[1];
  if (suse) return `SUSE_${suse}`;
  return undefined;
}

/** The language an image's name or tags say it is built on. */
function languageNamed(text: string): LanguageEcosystem | undefined {
  const t = text.toLowerCase();
  if (/node|npm|express|next|react/.test(t)) return 'npm';
  if (/python|django|flask|fastapi|\bpy\b/.test(t)) return 'pypi';
  if (/java|spring|jdk|jre|maven|gradle|tomcat/.test(t)) return 'maven';
  if (/golang|\bgo\b/.test(t)) return 'go';
  if (/ruby|rails/.test(t)) return 'rubygems';
  return undefined;
}

/** The model's Runtime value of a Lambda runtime id (python3.11 → PYTHON_3_11); UNSUPPORTED when the model has none. */
function runtimeOf(runtime: string | undefined): string {
  const match = /^(nodejs|python|java|go|ruby|dotnetcore|dotnet)(\d+(?:\.\d+)?)?(\.x|\.al2)?$/.exec(runtime ?? '');
  if (!match) return 'UNSUPPORTED';
  const value = [match[1]!.toUpperCase(), ...(match[2] ? match[2].split('.') : []), ...(match[3] ? [match[3].slice(1).toUpperCase()] : [])].join('_');
  return MODEL_RUNTIMES.has(value) ? value : 'UNSUPPORTED';
}

// The model's Runtime enum (inspector2 2020-06-08).
// prettier-ignore
const MODEL_RUNTIMES = new Set([
  'NODEJS', 'NODEJS_12_X', 'NODEJS_14_X', 'NODEJS_16_X', 'NODEJS_18_X', 'NODEJS_24_X', 'JAVA_8', 'JAVA_8_AL2', 'JAVA_11', 'JAVA_17',
  'PYTHON_3_7', 'PYTHON_3_8', 'PYTHON_3_9', 'PYTHON_3_10', 'PYTHON_3_11', 'GO_1_X', 'DOTNETCORE_3_1', 'DOTNET_6', 'DOTNET_7', 'DOTNET_10',
  'RUBY_2_7', 'RUBY_3_2',
]);

const RUNTIME_LANGUAGE: Record<string, LanguageEcosystem> = { NODEJS: 'npm', PYTHON: 'pypi', JAVA: 'maven', GO: 'go', RUBY: 'rubygems' };

// ---------------------------------------------------------------- packages, deterministically

/** A number from the resource's identity and a name: the same resource always gets the same packages. */
function pick(key: string, name: string, count: number): number {
  return createHash('sha256').update(`${key}|${name}`).digest().readUInt32BE(0) % count;
}

/** The OS packages of a platform the package tables know, their versions chosen by `key` (an AMI, a base layer). */
function osPackages(platform: string, key: string, arm: boolean, host: boolean): InstalledPackage[] {
  // The versions the vendors' advisories name (as the default worlds use), else the generator's tables.
  const table = osPlatforms().get(platform) ?? (Object.hasOwn(OS_PACKAGES, platform) ? OS_PACKAGES[platform as LinuxPlatform] : undefined);
  if (!table) return [];
  const { ecosystem, groups } = table;
  const arch = ecosystem === 'dpkg' ? (arm ? 'arm64' : 'amd64') : arm ? 'aarch64' : 'x86_64';
  const packages: InstalledPackage[] = [];
  for (const group of groups) {
    if (!host && group.names.some((n) => HOST_ONLY_PACKAGES.has(n))) continue;
    const version = group.versions[pick(key, group.names[0]!, group.versions.length)]!;
    for (const name of group.names) packages.push({ name, version, ecosystem, arch });
  }
  return packages;
}

const LANGUAGE_PACKAGE_COUNT = 4;

/** A few libraries of a language, chosen by `key`, where `pathOf` says they sit. */
function languagePackages(ecosystem: LanguageEcosystem, key: string, pathOf: (name: string, version: string) => string): InstalledPackage[] {
  const pool = [...LANGUAGE_PACKAGES[ecosystem]].sort(([a], [b]) => pick(key, a, 1 << 30) - pick(key, b, 1 << 30));
  return pool.slice(0, LANGUAGE_PACKAGE_COUNT).map(([name, versions]) => {
    const version = versions[pick(key, `${name}@`, versions.length)]!;
    return { name, version, ecosystem, filePath: pathOf(name, version) };
  });
}

const IMAGE_PATH: Record<LanguageEcosystem, (name: string, version: string) => string> = {
  npm: (name) => `/app/node_modules/${name}/package.json`,
  pypi: (name, version) => `/usr/local/lib/python3/site-packages/${name}-${version}.dist-info/METADATA`,
  maven: (name, version) => `/app/lib/${name.slice(name.indexOf(':') + 1)}-${version}.jar`,
  go: () => '/usr/local/bin/app',
  rubygems: (name, version) => `/usr/local/bundle/specifications/${name}-${version}.gemspec`,
};

const FUNCTION_PATH: Record<LanguageEcosystem, (name: string, version: string) => string> = {
  npm: (name) => `node_modules/${name}/package.json`,
  pypi: () => 'requirements.txt',
  maven: (name, version) => `lib/${name.slice(name.indexOf(':') + 1)}-${version}.jar`,
  go: () => 'go.mod',
  rubygems: () => 'Gemfile.lock',
};

// ---------------------------------------------------------------- resources

const INSTANCE_STATES: Record<string, Ec2Instance['state']> = {
  pending: 'running',
  running: 'running',
  stopping: 'stopped',
  stopped: 'stopped',
  'shutting-down': 'terminated',
  terminated: 'terminated',
};

function instanceOf(found: DiscoveredInstance): Ec2Instance {
  const platform = platformNamed(found.imageText, found.windows) ?? 'UNKNOWN';
  return {
    instanceId: found.instanceId,
    amiId: found.imageId,
    platform,
    instanceType: found.instanceType,
    state: INSTANCE_STATES[found.state] ?? 'running',
    // The sibling says nothing of SSM: its instances are taken as managed, so that they are scanned.
    ssmManaged: true,
    tags: tagsWithin(found.tags),
    vpcId: found.vpcId ?? '',
    subnetId: found.subnetId ?? '',
    ...(found.publicIp ? { publicIp: found.publicIp } : {}),
    privateIp: found.privateIp ?? '',
    securityGroups: found.securityGroupIds.map((groupId) => ({ groupId, ingress: [] })),
    ...(found.iamInstanceProfileArn ? { iamInstanceProfileArn: found.iamInstanceProfileArn } : {}),
    ...(found.keyName ? { keyName: found.keyName } : {}),
    launchedAt: found.launchedAt ?? new Date(0),
    // Instances of one AMI have the same packages.
    packages: osPackages(platform, found.imageId, found.architecture === 'arm64', true),
  };
}

function repositoryOf(found: DiscoveredRepository): EcrRepository {
  const images = found.images.filter((image) => usableId(image.digest));
  return { name: found.name, scanFrequency: 'CONTINUOUS_SCAN', images: images.map((image) => imageOf(found.name, image)) };
}

function imageOf(repository: string, found: DiscoveredImage): EcrImage {
  const said = `${repository} ${found.tags.join(' ')}`;
  // An image whose name and tags name no distribution: the base most images have (the generator's commonest).
  const platform = platformNamed(said) ?? IMAGE_PLATFORMS[0][0];
  const arm = /arm64|aarch64/.test(found.architecture ?? '');
  const layers = found.layerDigests.filter(usableId);
  const layerDigests = layers.length ? layers : [found.digest];
  const base = osPackages(platform, layerDigests[0]!, arm, false);
  const language = languageNamed(said);
  const libraries = language ? languagePackages(language, found.digest, IMAGE_PATH[language]) : [];
  return {
    digest: found.digest,
    tags: found.tags.filter((tag) => tag.length > 0 && tag.length <= 300),
    pushedAt: found.pushedAt ?? new Date(0),
    ...(found.lastPulledAt ? { lastPulledAt: found.lastPulledAt } : {}),
    architecture: arm ? 'arm64' : 'amd64',
    platform,
    // The base's packages in the first layer, the application's libraries in the last.
    layers: layerDigests.map((digest, index) => ({
      digest,
      packages: [...(index === 0 ? base : []), ...(index === layerDigests.length - 1 ? libraries : [])],
    })),
  };
}

function functionOf(found: DiscoveredFunction, now: Date): LambdaFunction {
  const runtime = runtimeOf(found.runtime);
  const language = RUNTIME_LANGUAGE[runtime.split('_')[0]!];
  const packages = found.packages ?? (language ? languagePackages(language, found.codeSha256, FUNCTION_PATH[language]) : []);
  return {
    name: found.name,
    runtime,
    executionRoleArn: found.role ?? '',
    codeSha256: found.codeSha256,
    lastModifiedAt: found.lastModified ?? now,
    tags: tagsWithin(found.tags),
    architectures: found.architectures.includes('arm64') ? ['ARM64'] : ['X86_64'],
    packageType: found.packageType === 'Image' ? 'IMAGE' : 'ZIP',
    layers: found.layerArns.filter(usableId).map((arn) => ({ arn, packages: [] })),
    packages,
    codeIssues: [],
  };
}
