// The vulnerability catalog as the scanner asks it: which vulnerabilities affect this
// installed package, and in which version are they fixed. A language package is matched on
// the catalog's upstream ranges (NVD/GitHub style), indexed by ecosystem and package name;
// vulnerabilities published at run time join the same index. A distribution package is
// matched on its vendor's advisories for the release it is installed on, in the
// distribution's own version ordering, so that a backported fix counts.
import type { Vulnerability } from './catalog.js';
import type { InstalledPackage } from '../inventory/inventory.js';
import { AdvisoryIndex, releaseOf, type EpssData, type ExploitIntel, type VendorView, type VulnerabilityData } from './advisories.js';
import { isOsEcosystem } from './ecosystems.js';
import { compareVersions, isAffected, isValidVersion, splitOsVersion, withEpoch, type VersionRange } from './versions.js';

export interface PackageMatch {
  vulnerability: Vulnerability;
  /** The first version no longer affected: upstream for a language package, `epoch:version-release` for a distribution's. */
  fixedInVersion?: string;
  /** For a distribution package: what its vendor says of the vulnerability. */
  vendor?: VendorView;
}

export class VulnerabilityCatalog {
  private readonly byId = new Map<string, Vulnerability>();
  private readonly byPackage = new Map<string, Vulnerability[]>();
  /** The distributions' advisories (fixed at load; not part of snapshots, like the seed files they come from). */
  readonly advisories: AdvisoryIndex;
  private readonly epss?: EpssData;
  private readonly exploits: Readonly<Record<string, ExploitIntel>>;
  /** Called on every addition after construction (the world that holds the catalog marks itself changed). */
  onChange?: () => void;
  /** Additions so far: what persistence compares to tell whether the catalog changed. */
  revision = 0;

  constructor(entries: readonly Vulnerability[] = [], data: Omit<VulnerabilityData, 'vulnerabilities'> = { advisories: [] }) {
    this.advisories = new AdvisoryIndex(data.advisories);
    if (data.epss) this.epss = data.epss;
    this.exploits = data.exploits?.vulnerabilities ?? {};
    for (const entry of entries) this.add(entry);
  }

  /** Adds (or replaces) a vulnerability. */
  add(vulnerability: Vulnerability): void {
    if (this.byId.has(vulnerability.id)) this.remove(vulnerability.id);
    this.byId.set(vulnerability.id, vulnerability);
    for (const affected of vulnerability.affected ?? []) {
      const key = `${affected.ecosystem}:${affected.package}`;
      this.byPackage.set(key, [...(this.byPackage.get(key) ?? []), vulnerability]);
    }
    this.revision++;
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

  /** The EPSS score of a CVE: the EPSS data set's, else the catalog entry's own. */
  epssOf(id: string): number | undefined {
    return this.epss?.scores[id]?.score ?? this.byId.get(id)?.epss?.score;
  }

  /** What is known of a CVE's exploitation (CISA KEV, public tools, ATT&CK techniques, when it was seen). */
  exploitOf(id: string): ExploitIntel | undefined {
    return Object.hasOwn(this.exploits, id) ? this.exploits[id] : undefined;
  }

  /**
   * The vulnerabilities of an installed package. `platform` is the operating system of the
   * instance or image it is installed on (AwsEc2InstanceDetails.platform, the ECR image's
   * platform): a distribution package is matched only on that vendor's advisories for that
   * release. AWS reports OS vulnerabilities from the vendors' data, so a distribution package
   * on a release the catalog has no vendor data for, or that no advisory names, matches
   * nothing; upstream ranges never apply to it (they ignore backports).
   */
  matches(pkg: InstalledPackage, platform?: string): PackageMatch[] {
    // A version its ecosystem cannot order matches nothing (as a scanner that cannot parse it).
    if (!isValidVersion(pkg.ecosystem, pkg.version)) return [];
    if (isOsEcosystem(pkg.ecosystem)) return this.vendorMatches(pkg, platform);
    const found: PackageMatch[] = [];
    for (const vulnerability of this.byPackage.get(`${pkg.ecosystem}:${pkg.name}`) ?? []) {
      for (const affected of vulnerability.affected ?? []) {
        if (affected.ecosystem !== pkg.ecosystem || affected.package !== pkg.name) continue;
        const range = affected.ranges.find((r: VersionRange) => isAffected(pkg.ecosystem, pkg.version, [r]));
        if (range) found.push({ vulnerability, ...(range.fixed ? { fixedInVersion: range.fixed } : {}) });
      }
    }
    return found;
  }

  private vendorMatches(pkg: InstalledPackage, platform: string | undefined): PackageMatch[] {
    const release = releaseOf(platform);
    const ecosystem = pkg.ecosystem;
    if (!release || !isOsEcosystem(ecosystem) || this.advisories.ecosystemOf(release.vendor) !== ecosystem) return [];
    const installedEpoch = splitOsVersion(ecosystem, pkg.version).epoch;
    const found: PackageMatch[] = [];
    for (const [cve, printed] of this.advisories.fixesFor(release.vendor, release.release, pkg.name)) {
      const vulnerability = this.byId.get(cve);
      if (!vulnerability) continue;
      // Where advisories were reissued, the first fixed version is the fix.
      const fixed = printed.map((version) => withEpoch(ecosystem, version, installedEpoch)).sort((a, b) => compareVersions(ecosystem, a, b))[0]!;
      if (compareVersions(ecosystem, pkg.version, fixed) >= 0) continue;
      found.push({ vulnerability, fixedInVersion: fixed, vendor: this.advisories.viewOf(release.vendor, release.release, cve) });
    }
    return found;
  }
}

/** The catalog of a data set read by readVulnerabilityData. */
export function catalogOf(data: VulnerabilityData): VulnerabilityCatalog {
  return new VulnerabilityCatalog(data.vulnerabilities, data);
}
