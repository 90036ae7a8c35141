// The vulnerability catalog as the scanner asks it: which vulnerabilities affect this
// installed package, and in which version are they fixed. Indexed by ecosystem and
// package name; vulnerabilities published at run time join the same index.
import type { Vulnerability } from './catalog.js';
import type { InstalledPackage } from '../inventory/inventory.js';
import { isAffected, isValidVersion, type VersionRange } from './versions.js';

export interface PackageMatch {
  vulnerability: Vulnerability;
  /** The first version of the affected range that is no longer affected, when there is one. */
  fixedInVersion?: string;
}

export class VulnerabilityCatalog {
  private readonly byId = new Map<string, Vulnerability>();
  private readonly byPackage = new Map<string, Vulnerability[]>();
  /** Called on every addition after construction (the world that holds the catalog marks itself changed). */
  onChange?: () => void;

  constructor(entries: readonly Vulnerability[] = []) {
    for (const entry of entries) this.add(entry);
  }

  /** Adds (or replaces) a vulnerability. */
  add(vulnerability: Vulnerability): void {
    if (this.byId.has(vulnerability.id)) this.remove(vulnerability.id);
    this.byId.set(vulnerability.id, vulnerability);
    for (const affected of vulnerability.affected) {
      const key = `${affected.ecosystem}:${affected.package}`;
      this.byPackage.set(key, [...(this.byPackage.get(key) ?? []), vulnerability]);
    }
    this.onChange?.();
  }

  private remove(id: string): void {
    this.byId.delete(id);
    for (const [key, list] of this.byPackage)
      this.byPackage.set(
        key,
        list.filter((v) => v.id !== id),
      );
  }

  get(id: string): Vulnerability | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  all(): Vulnerability[] {
    return [...this.byId.values()];
  }

  matches(pkg: InstalledPackage): PackageMatch[] {
    const found: PackageMatch[] = [];
    // A version its ecosystem cannot order matches nothing (as a scanner that cannot parse it).
    if (!isValidVersion(pkg.ecosystem, pkg.version) || !isValidVersion(pkg.ecosystem, comparableVersion(pkg))) return found;
    for (const vulnerability of this.byPackage.get(`${pkg.ecosystem}:${pkg.name}`) ?? []) {
      for (const affected of vulnerability.affected) {
        if (affected.ecosystem !== pkg.ecosystem || affected.package !== pkg.name) continue;
        const version = comparableVersion(pkg);
        const range = affected.ranges.find((r: VersionRange) => isAffected(pkg.ecosystem, version, [r]));
        if (range) found.push({ vulnerability, ...(range.fixed ? { fixedInVersion: range.fixed } : {}) });
      }
    }
    return found;
  }
}

/**
 * The version to compare with the catalog's ranges. OS packages are matched on their
 * upstream version (epoch and distribution revision set aside), because the catalog gives
 * upstream ranges: `1:1.2.11.dfsg-2ubuntu9` is zlib 1.2.11.dfsg. Distribution backports of
 * a fix into an older upstream version are therefore not recognised.
 */
export function comparableVersion(pkg: Pick<InstalledPackage, 'ecosystem' | 'version'>): string {
  if (pkg.ecosystem !== 'dpkg' && pkg.ecosystem !== 'rpm') return pkg.version;
  const withoutEpoch = pkg.version.replace(/^\d+:/, '');
  const hyphen = withoutEpoch.lastIndexOf('-');
  return hyphen > 0 ? withoutEpoch.slice(0, hyphen) : withoutEpoch;
}
