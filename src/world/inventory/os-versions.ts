// Real versions of distribution packages, per platform, for the worlds the emulator makes up
// (the default inventory and the generator). The vendors' advisories (seeds/advisories/*.json)
// give each fixed build per release: each is a published version, and one fixed by an earlier
// advisory is affected by the later advisories of the same package. Where no advisory speaks
// of a release, the ladders of generate-data.ts (real releases too) are used.
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OsEcosystem } from '../scanning/ecosystems.js';
import { compareVersions } from '../scanning/versions.js';
import { OS_PACKAGES } from './generate-data.js';

/** Packages built from one source share its version: a group's names are installed together, at one of its versions (oldest first). */
interface OsPackageGroup {
  names: readonly string[];
  versions: readonly string[];
  /** Whether an advisory fixes it: then each version but the newest is affected by a later advisory. */
  advised: boolean;
}

export interface OsPlatform {
  ecosystem: OsEcosystem;
  groups: readonly OsPackageGroup[];
}

const ADVISORIES_DIR = new URL('../../../seeds/advisories/', import.meta.url);

/** The platform (as Inspector names it) of each vendor release the advisory files speak of. */
const PLATFORMS: Record<string, { platform: string; ecosystem: OsEcosystem }> = {
  'UBUNTU|20.04': { platform: 'UBUNTU_20_04', ecosystem: 'dpkg' },
  'UBUNTU|22.04': { platform: 'UBUNTU_22_04', ecosystem: 'dpkg' },
  'UBUNTU|24.04': { platform: 'UBUNTU_24_04', ecosystem: 'dpkg' },
  'DEBIAN|11': { platform: 'DEBIAN_11', ecosystem: 'dpkg' },
  'DEBIAN|12': { platform: 'DEBIAN_12', ecosystem: 'dpkg' },
  'AMAZON|2': { platform: 'AMAZON_LINUX_2', ecosystem: 'rpm' },
  'AMAZON|2023': { platform: 'AMAZON_LINUX_2023', ecosystem: 'rpm' },
  'REDHAT|8': { platform: 'RHEL_8', ecosystem: 'rpm' },
  'REDHAT|9': { platform: 'RHEL_9', ecosystem: 'rpm' },
  'ROCKY|9': { platform: 'ROCKY_LINUX_9', ecosystem: 'rpm' },
  'ALMALINUX|9': { platform: 'ALMA_LINUX_9', ecosystem: 'rpm' },
  'ALPINE|3.18': { platform: 'ALPINE_LINUX_3_18', ecosystem: 'apk' },
  'ALPINE|3.19': { platform: 'ALPINE_LINUX_3_19', ecosystem: 'apk' },
  'ALPINE|3.20': { platform: 'ALPINE_LINUX_3_20', ecosystem: 'apk' },
  'ALPINE|3.21': { platform: 'ALPINE_LINUX_3_21', ecosystem: 'apk' },
};

const fixSchema = z.object({ release: z.string().max(16), package: z.string().min(1).max(256), fixed: z.string().min(1).max(256) });
type Fix = z.infer<typeof fixSchema>;
const fileSchema = z.object({ vendor: z.string().max(32), advisories: z.array(z.unknown()) });
const advisorySchema = z.object({ fixes: z.array(z.unknown()) });

/** The fixes of every advisory file that reads well; a file being written, missing or garbled adds nothing, as does a fix that is not one. */
function readAdvisoryFixes(dir: URL): { vendor: string; fixes: Fix[] }[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const advisories: { vendor: string; fixes: Fix[] }[] = [];
  for (const file of files.sort()) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    } catch {
      continue;
    }
    const parsed = fileSchema.safeParse(data);
    if (!parsed.success) continue;
    for (const advisory of parsed.data.advisories) {
      const fixes = advisorySchema.safeParse(advisory);
      if (!fixes.success) continue;
      const good = fixes.data.fixes.flatMap((fix) => {
        const checked = fixSchema.safeParse(fix);
        return checked.success ? [checked.data] : [];
      });
      if (good.length > 0) advisories.push({ vendor: parsed.data.vendor, fixes: good });
    }
  }
  return advisories;
}

/** Names joined into groups (union-find), each with the versions any of its names had. */
class Groups {
  private readonly parent = new Map<string, string>();
  private readonly versions = new Map<string, Set<string>>();
  private readonly advised = new Set<string>();

  add(name: string, versions: Iterable<string>, advised = false): void {
    if (!this.parent.has(name)) this.parent.set(name, name);
    if (advised) this.advised.add(name);
    const own = this.versions.get(name) ?? new Set<string>();
    for (const version of versions) own.add(version);
    this.versions.set(name, own);
  }

  join(a: string, b: string): void {
    const [ra, rb] = [this.root(a), this.root(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }

  private root(name: string): string {
    let at = name;
    while (this.parent.get(at) !== at) at = this.parent.get(at)!;
    return at;
  }

  build(ecosystem: OsEcosystem): OsPackageGroup[] {
    const byRoot = new Map<string, { names: string[]; versions: Set<string>; advised: boolean }>();
    for (const name of [...this.parent.keys()].sort()) {
      const root = this.root(name);
      if (!byRoot.has(root)) byRoot.set(root, { names: [], versions: new Set(), advised: false });
      const group = byRoot.get(root)!;
      group.names.push(name);
      group.advised ||= this.advised.has(name);
      for (const version of this.versions.get(name) ?? []) group.versions.add(version);
    }
    const groups: OsPackageGroup[] = [];
    for (const { names, versions, advised } of byRoot.values()) {
      const ordered = orderVersions(ecosystem, versions);
      if (ordered.length > 0) groups.push({ names, versions: ordered, advised });
    }
    return groups.sort((a, b) => (a.names[0]! < b.names[0]! ? -1 : 1));
  }
}

/** The versions the ecosystem can order, oldest first; the others are left out. */
function orderVersions(ecosystem: OsEcosystem, versions: Iterable<string>): string[] {
  const valid = [...versions].filter((version) => {
    try {
      compareVersions(ecosystem, version, version);
      return true;
    } catch {
      return false;
    }
  });
  return valid.sort((a, b) => compareVersions(ecosystem, a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Every platform's package groups: the fallback ladders merged with the advisories' fixed versions. */
function loadOsPlatforms(dir: URL = ADVISORIES_DIR): ReadonlyMap<string, OsPlatform> {
  const builders = new Map<string, { ecosystem: OsEcosystem; groups: Groups }>();
  const builderOf = (platform: string, ecosystem: OsEcosystem) => {
    if (!builders.has(platform)) builders.set(platform, { ecosystem, groups: new Groups() });
    return builders.get(platform)!.groups;
  };
  for (const [platform, { ecosystem, groups }] of Object.entries(OS_PACKAGES)) {
    const builder = builderOf(platform, ecosystem);
    for (const group of groups) {
      for (const name of group.names) builder.add(name, group.versions);
      for (const name of group.names.slice(1)) builder.join(group.names[0]!, name);
    }
  }
  for (const { vendor, fixes } of readAdvisoryFixes(dir)) {
    // The binary packages one advisory fixes at the same version come from one source package.
    const sameBuild = new Map<string, string>();
    for (const fix of fixes) {
      const target = PLATFORMS[`${vendor}|${fix.release}`];
      if (!target) continue;
      const builder = builderOf(target.platform, target.ecosystem);
      builder.add(fix.package, [fix.fixed], true);
      const key = `${target.platform}|${fix.fixed}`;
      const first = sameBuild.get(key);
      if (first === undefined) sameBuild.set(key, fix.package);
      else builder.join(first, fix.package);
    }
  }
  const platforms = new Map<string, OsPlatform>();
  for (const [platform, { ecosystem, groups }] of [...builders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const built = groups.build(ecosystem);
    if (usable(built)) platforms.set(platform, { ecosystem, groups: built });
  }
  return platforms;
}

/** Enough to make a system of: some of the base system, and some packages with updates to be behind on. */
function usable(groups: readonly OsPackageGroup[]): boolean {
  return groups.filter(isCoreGroup).length >= 2 && groups.filter((g) => g.versions.length >= 2).length >= 3;
}

let cached: ReadonlyMap<string, OsPlatform> | undefined;

/** The platforms of the advisory files as they were when first asked for in this process. */
export function osPlatforms(): ReadonlyMap<string, OsPlatform> {
  cached ??= loadOsPlatforms();
  return cached;
}

/** The packages of a base system, which every instance and image has. */
const CORE_PACKAGES = new Set([
  'openssl',
  'libssl3',
  'libssl3t64',
  'libssl1.1',
  'openssl-libs',
  'libcrypto3',
  'libc6',
  'glibc',
  'musl',
  'curl',
  'libcurl4',
  'libcurl4t64',
  'libcurl',
  'curl-minimal',
  'sudo',
  'zlib1g',
  'zlib',
  'bash',
  'busybox',
]);

export function isCorePackage(name: string): boolean {
  return CORE_PACKAGES.has(name);
}

/** Whether a group holds a package of the base system. */
export function isCoreGroup(group: OsPackageGroup): boolean {
  return group.names.some(isCorePackage);
}

/** The architecture a package manager writes for x86-64 or ARM. */
export function archOf(ecosystem: OsEcosystem, arm: boolean): string {
  if (ecosystem === 'dpkg') return arm ? 'arm64' : 'amd64';
  return arm ? 'aarch64' : 'x86_64';
}
