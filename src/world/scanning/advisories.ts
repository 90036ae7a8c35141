// The distributions' security advisories, EPSS scores and exploit intelligence, as the seed
// files hold them (seeds/advisories/<vendor>.json, seeds/epss.json, seeds/exploits.json),
// and the whole vulnerability data set read and cross-checked at load: the catalog files,
// then the advisories (every CVE they name must be in the catalog). Errors name the file,
// the path inside it and the problem. A missing optional file means no data of its kind.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { z } from 'zod';
import { readCheckedJson } from '../platform/checked-json.js';
import { CatalogError, isoDate, readCatalog, type Vulnerability } from './catalog.js';
import type { OsEcosystem } from './ecosystems.js';
import { isValidVersion } from './versions.js';

export const VENDORS = ['UBUNTU', 'DEBIAN', 'AMAZON', 'REDHAT', 'ROCKY', 'ALMALINUX', 'ALPINE'] as const;
export type Vendor = (typeof VENDORS)[number];

type Severity = 'UNTRIAGED' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

interface VendorProfile {
  ecosystem: OsEcosystem;
  releases: readonly string[];
  /** The vendor's advisory id format; undefined where the vendor publishes none (Alpine's secdb). */
  advisoryId?: RegExp;
  /**
   * PackageVulnerabilityDetails.source. UBUNTU_CVE, DEBIAN_CVE, AMAZON_CVE and REDHAT_CVE are
   * the strings of real Inspector findings; Rocky's, Alma's and Alpine's follow the same
   * <VENDOR>_CVE pattern, an assumption no published finding confirmed (the README says so).
   */
  source: string;
  /** The vendor's page for a CVE, as AWS's findings give it in sourceUrl; undefined: the first advisory's page. */
  trackerUrl?: (cve: string) => string;
  /**
   * Whether findings from this vendor carry an inspectorScore. AWS: "Amazon Inspector score
   * isn't available for Linux instances running Ubuntu", because Ubuntu rates by its own
   * priorities; for the others the base score is the vendor's CVSS v3.1 or else NVD's.
   */
  scored: boolean;
}

const VENDOR_PROFILES: Readonly<Record<Vendor, VendorProfile>> = {
  UBUNTU: {
    ecosystem: 'dpkg',
    releases: ['20.04', '22.04', '24.04'],
    advisoryId: /^USN-\d+-\d+$/,
    source: 'UBUNTU_CVE',
    trackerUrl: (cve) => `https://people.canonical.com/~ubuntu-security/cve/${cve.slice(4, 8)}/${cve}.html`,
    scored: false,
  },
  DEBIAN: {
    ecosystem: 'dpkg',
    releases: ['11', '12'],
    advisoryId: /^D[SL]A-\d+-\d+$/,
    source: 'DEBIAN_CVE',
    trackerUrl: (cve) => `https://security-tracker.debian.org/tracker/${cve}`,
    scored: true,
  },
  AMAZON: {
    ecosystem: 'rpm',
    releases: ['2', '2023'],
    advisoryId: /^ALAS(?:2|2023)?-\d{4}-\d+$/,
    source: 'AMAZON_CVE',
    trackerUrl: (cve) => `https://alas.aws.amazon.com/cve/json/v1/${cve}.json`,
    scored: true,
  },
  REDHAT: {
    ecosystem: 'rpm',
    releases: ['8', '9'],
    advisoryId: /^RHSA-\d{4}:\d+$/,
    source: 'REDHAT_CVE',
    // As Inspector's Red Hat findings give it (REDHAT_CVE with this page, vendorSeverity such as "Moderate").
    trackerUrl: (cve) => `https://access.redhat.com/security/cve/${cve}`,
    scored: true,
  },
  ROCKY: { ecosystem: 'rpm', releases: ['8', '9'], advisoryId: /^RLSA-\d{4}:\d+$/, source: 'ROCKY_CVE', scored: true },
  ALMALINUX: { ecosystem: 'rpm', releases: ['8', '9'], advisoryId: /^ALSA-\d{4}:\d+$/, source: 'ALMALINUX_CVE', scored: true },
  ALPINE: { ecosystem: 'apk', releases: ['3.18', '3.19', '3.20', '3.21'], source: 'ALPINE_CVE', scored: true },
};

/** The distribution release of an EC2 instance's or ECR image's platform (UBUNTU_22_04, AMAZON_LINUX_2023, ALPINE_LINUX_3_19 ...). */
export function releaseOf(platform: string | undefined): { vendor: Vendor; release: string } | undefined {
  if (platform === undefined) return undefined;
  // Asked once per installed package: a large world has few platforms.
  if (releases.has(platform)) return releases.get(platform);
  const found = readRelease(platform);
  if (releases.size < 1000) releases.set(platform, found);
  return found;
}

const releases = new Map<string, { vendor: Vendor; release: string } | undefined>();

function readRelease(platform: string): { vendor: Vendor; release: string } | undefined {
  const patterns: [RegExp, Vendor, (m: RegExpExecArray) => string][] = [
    [/^UBUNTU_(\d\d)_(\d\d)$/, 'UBUNTU', (m) => `${m[1]}.${m[2]}`],
    [/^DEBIAN_(\d+)$/, 'DEBIAN', (m) => m[1]!],
    [/^AMAZON_LINUX_(2|2023)$/, 'AMAZON', (m) => m[1]!],
    [/^(?:RHEL|REDHAT(?:_ENTERPRISE_LINUX)?)_(\d+)$/, 'REDHAT', (m) => m[1]!],
    [/^ROCKY(?:_LINUX)?_(\d+)$/, 'ROCKY', (m) => m[1]!],
    [/^ALMA(?:_?LINUX)?_(\d+)$/, 'ALMALINUX', (m) => m[1]!],
    [/^ALPINE(?:_LINUX)?_(\d+)_(\d+)$/, 'ALPINE', (m) => `${m[1]}.${Number(m[2])}`],
  ];
  for (const [pattern, vendor, release] of patterns) {
    const match = pattern.exec(platform);
    if (match) return { vendor, release: release(match) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// The files' schemas

const cveId = z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'must be a CVE id such as CVE-2021-44228');
const url = z.url({ protocol: /^https?$/ });
const vendorWord = z.string().min(1).max(64);

const advisorySchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    url,
    published: isoDate.optional(),
    /** The vendor's own word for the advisory (ALAS, RHSA: Low, Moderate/Medium, Important, Critical). */
    severity: vendorWord.optional(),
    cves: z.array(cveId).min(1),
    /** Per-CVE priorities where the vendor rates CVEs rather than advisories (Ubuntu, Debian). */
    cveSeverity: z.record(cveId, vendorWord).optional(),
    fixes: z.array(z.object({ release: z.string().min(1).max(16), package: z.string().min(1).max(256), fixed: z.string().min(1).max(128) }).strict()).min(1),
  })
  .strict();

const advisoryFileSchema = z
  .object({ vendor: z.enum(VENDORS), advisories: z.array(advisorySchema) })
  .strict()
  .superRefine((file, context) => {
    const profile = VENDOR_PROFILES[file.vendor];
    const ids = new Map<string, number>();
    file.advisories.forEach((advisory, index) => {
      if (profile.advisoryId && (advisory.id === undefined || !profile.advisoryId.test(advisory.id))) {
        context.addIssue({
          code: 'custom',
          message: `an ${file.vendor} advisory id must match ${String(profile.advisoryId)}`,
          path: ['advisories', index, 'id'],
        });
      }
      if (!profile.advisoryId && advisory.id !== undefined) {
        context.addIssue({ code: 'custom', message: `${file.vendor} publishes no advisory ids`, path: ['advisories', index, 'id'] });
      }
      if (advisory.id !== undefined) {
        const first = ids.get(advisory.id);
        if (first !== undefined)
          context.addIssue({ code: 'custom', message: `${advisory.id} is already advisory ${first}`, path: ['advisories', index, 'id'] });
        else ids.set(advisory.id, index);
      }
      for (const cve of Object.keys(advisory.cveSeverity ?? {})) {
        if (!advisory.cves.includes(cve))
          context.addIssue({ code: 'custom', message: `${cve} is not among the advisory's cves`, path: ['advisories', index, 'cveSeverity', cve] });
      }
      advisory.fixes.forEach((fix, fixIndex) => {
        const path = ['advisories', index, 'fixes', fixIndex];
        if (!profile.releases.includes(fix.release)) {
          context.addIssue({ code: 'custom', message: `${file.vendor} releases are ${profile.releases.join(', ')}`, path: [...path, 'release'] });
        }
        if (!isValidVersion(profile.ecosystem, fix.fixed)) {
          context.addIssue({ code: 'custom', message: `${JSON.stringify(fix.fixed)} is not a valid ${profile.ecosystem} version`, path: [...path, 'fixed'] });
        }
      });
    });
  });

type AdvisoryFile = z.infer<typeof advisoryFileSchema>;
type Advisory = AdvisoryFile['advisories'][number];

const epssFileSchema = z
  .object({
    asOf: isoDate,
    modelVersion: z.string().min(1).max(64).optional(),
    source: url.optional(),
    scores: z.record(cveId, z.object({ score: z.number().min(0).max(1), percentile: z.number().min(0).max(1) }).strict()),
  })
  .strict();

export type EpssData = z.infer<typeof epssFileSchema>;

const exploitSchema = z
  .object({
    cisa: z
      .object({ dateAdded: isoDate, dateDue: isoDate.optional(), action: z.string().min(1).max(1024).optional() })
      .strict()
      .optional(),
    tools: z.array(z.string().min(1).max(256)).max(100).optional(),
    ttps: z
      .array(z.string().regex(/^T\d{4}(?:\.\d{3})?$/, 'must be a MITRE ATT&CK technique id such as T1190'))
      .max(100)
      .optional(),
    firstSeen: isoDate.optional(),
    lastSeen: isoDate.optional(),
    references: z.array(url).max(100).optional(),
  })
  .strict()
  .refine((exploit) => exploit.cisa?.dateDue === undefined || exploit.cisa.dateDue >= exploit.cisa.dateAdded, {
    message: 'due before it was added',
    path: ['cisa', 'dateDue'],
  })
  .refine((exploit) => exploit.firstSeen === undefined || exploit.lastSeen === undefined || exploit.firstSeen <= exploit.lastSeen, {
    message: 'last seen before first seen',
    path: ['lastSeen'],
  });

/** `sources`: where the facts come from (URLs, and notes such as the KEV catalog's version). */
const exploitsFileSchema = z
  .object({ sources: z.record(z.string().min(1).max(64), z.string().min(1).max(2048)).optional(), vulnerabilities: z.record(cveId, exploitSchema) })
  .strict();

export type ExploitIntel = z.infer<typeof exploitSchema>;

// ---------------------------------------------------------------------------------------
// What a vendor says about one CVE on one release

/** What findings from a vendor say of one CVE: source, severity, advisory ids and pages. */
export interface VendorView {
  source: string;
  scored: boolean;
  advisoryIds: string[];
  vendorSeverity?: string;
  /** The Inspector severity the vendor's word maps to; undefined: NVD's band decides. */
  severity?: Severity;
  sourceUrl: string;
  advisoryUrls: string[];
}

/**
 * The vendor's word mapped to Inspector's severity (as AWS's examples show: Ubuntu "medium"
 * is MEDIUM, Amazon "Important" is HIGH). Ubuntu's "negligible" and Debian's "unimportant"
 * map to LOW as Trivy maps them; a word the vendor has not settled ("not yet assigned")
 * leaves NVD's band, as AWS's Debian example does.
 */
const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  untriaged: 'UNTRIAGED',
  negligible: 'LOW',
  unimportant: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  important: 'HIGH',
  high: 'HIGH',
  critical: 'CRITICAL',
};
const SEVERITY_RANK: readonly string[] = ['UNTRIAGED', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The advisories of every vendor, indexed by release and package. */
export class AdvisoryIndex {
  private readonly fixes = new Map<string, { cve: string; fixed: string; advisory: Advisory }[]>();
  private readonly byCve = new Map<string, Advisory[]>();
  private readonly views = new Map<string, VendorView>();

  constructor(files: readonly AdvisoryFile[] = []) {
    for (const file of files) {
      for (const advisory of file.advisories) {
        for (const cve of advisory.cves) {
          const key = `${file.vendor}|${cve}`;
          this.byCve.set(key, [...(this.byCve.get(key) ?? []), advisory]);
          for (const fix of advisory.fixes) {
            const fixKey = `${file.vendor}|${fix.release}|${fix.package}`;
            const list = this.fixes.get(fixKey) ?? [];
            list.push({ cve, fixed: fix.fixed, advisory });
            this.fixes.set(fixKey, list);
          }
        }
      }
    }
  }

  /** Every CVE an advisory of any vendor names. */
  cves(): Set<string> {
    return new Set([...this.byCve.keys()].map((key) => key.slice(key.indexOf('|') + 1)));
  }

  /** The vendor's fixes of a package on a release, by CVE: each CVE's fixed versions as printed (several when advisories were reissued). */
  fixesFor(vendor: Vendor, release: string, pkg: string): Map<string, string[]> {
    const byCve = new Map<string, string[]>();
    for (const { cve, fixed } of this.fixes.get(`${vendor}|${release}|${pkg}`) ?? []) byCve.set(cve, [...(byCve.get(cve) ?? []), fixed]);
    return byCve;
  }

  ecosystemOf(vendor: Vendor): OsEcosystem {
    return VENDOR_PROFILES[vendor].ecosystem;
  }

  /** What the vendor's findings say of a CVE on a release (built once, shared). */
  viewOf(vendor: Vendor, release: string, cve: string): VendorView {
    const key = `${vendor}|${release}|${cve}`;
    let view = this.views.get(key);
    if (view) return view;
    const profile = VENDOR_PROFILES[vendor];
    const advisories = this.byCve.get(`${vendor}|${cve}`) ?? [];
    // Ubuntu and Debian rate the CVE; the others rate the advisory that fixes it on this release (the highest, if several).
    const onRelease = advisories.filter((a) => a.fixes.some((f) => f.release === release));
    const words = [
      ...advisories.map((a) => a.cveSeverity?.[cve]).filter((w): w is string => w !== undefined),
      ...(onRelease.length ? onRelease : advisories).map((a) => a.severity).filter((w): w is string => w !== undefined),
    ];
    const word = words.sort(
      (a, b) => SEVERITY_RANK.indexOf(SEVERITY_WORDS[b.toLowerCase()] ?? '') - SEVERITY_RANK.indexOf(SEVERITY_WORDS[a.toLowerCase()] ?? ''),
    )[0];
    const severity = word === undefined ? undefined : SEVERITY_WORDS[word.toLowerCase()];
    const advisoryUrls = [...new Set(advisories.map((a) => a.url))];
    view = {
      source: profile.source,
      scored: profile.scored,
      advisoryIds: [...new Set(advisories.map((a) => a.id).filter((id): id is string => id !== undefined))],
      ...(word !== undefined ? { vendorSeverity: word } : {}),
      ...(severity !== undefined ? { severity } : {}),
      sourceUrl: profile.trackerUrl?.(cve) ?? advisoryUrls[0] ?? `https://nvd.nist.gov/vuln/detail/${cve}`,
      advisoryUrls,
    };
    this.views.set(key, view);
    return view;
  }
}

// ---------------------------------------------------------------------------------------
// Reading the whole data set

const DEFAULT_SEEDS_DIR = new URL('../../../seeds/', import.meta.url);

export interface VulnerabilityData {
  vulnerabilities: Vulnerability[];
  advisories: AdvisoryFile[];
  epss?: EpssData;
  exploits?: z.infer<typeof exploitsFileSchema>;
}

const fail = (message: string) => new CatalogError(message);

/** Whether an optional data file holds something: a missing or empty file (its helper has not written it yet) is no data. */
function present(file: URL): boolean {
  return existsSync(file) && statSync(file).isFile() && statSync(file).size > 0;
}

/** The JSON files of a directory that hold something, in name order; none when it does not exist. */
function jsonFiles(dir: URL): URL[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => new URL(name, dir))
    .filter(present);
}

/**
 * Reads and cross-checks the vulnerability data under a seeds directory: vulnerabilities.json
 * and catalog/*.json (a CVE in one file only), advisories/*.json (one file per vendor; every
 * CVE named has a catalog entry; an entry without `affected` must be named by an advisory),
 * epss.json and exploits.json. Only vulnerabilities.json must exist.
 */
export function readVulnerabilityData(seedsDir: URL = DEFAULT_SEEDS_DIR): VulnerabilityData {
  const catalogFiles = [new URL('vulnerabilities.json', seedsDir), ...jsonFiles(new URL('catalog/', seedsDir))];
  const vulnerabilities: Vulnerability[] = [];
  const fileOf = new Map<string, string>();
  for (const file of catalogFiles) {
    readCatalog(file).forEach((entry, index) => {
      const first = fileOf.get(entry.id);
      if (first !== undefined) throw fail(`${file.pathname}: ${index}.id (${entry.id}): already in ${first}`);
      fileOf.set(entry.id, file.pathname);
      vulnerabilities.push(entry);
    });
  }
  const advisories: AdvisoryFile[] = [];
  const vendors = new Map<Vendor, string>();
  for (const file of jsonFiles(new URL('advisories/', seedsDir))) {
    const data = readCheckedJson(file, advisoryFileSchema, fail, (path, raw) => {
      const advisory = path[0] === 'advisories' && typeof path[1] === 'number' ? (raw as { advisories?: { id?: unknown }[] }).advisories?.[path[1]] : undefined;
      return typeof advisory?.id === 'string' ? ` (${advisory.id})` : '';
    });
    const first = vendors.get(data.vendor);
    if (first !== undefined) throw fail(`${file.pathname}: vendor: ${data.vendor} advisories are already in ${first}`);
    vendors.set(data.vendor, file.pathname);
    data.advisories.forEach((advisory, index) => {
      advisory.cves.forEach((cve, cveIndex) => {
        if (!fileOf.has(cve))
          throw fail(`${file.pathname}: advisories.${index}.cves.${cveIndex}${advisory.id ? ` (${advisory.id})` : ''}: ${cve} has no catalog entry`);
      });
    });
    advisories.push(data);
  }
  const named = new AdvisoryIndex(advisories).cves();
  for (const entry of vulnerabilities) {
    if (entry.affected === undefined && !named.has(entry.id)) {
      throw fail(`${fileOf.get(entry.id)}: ${entry.id}: has neither affected packages nor a vendor advisory`);
    }
  }
  const epssFile = new URL('epss.json', seedsDir);
  const exploitsFile = new URL('exploits.json', seedsDir);
  return {
    vulnerabilities,
    advisories,
    ...(present(epssFile) ? { epss: readCheckedJson(epssFile, epssFileSchema, fail) } : {}),
    ...(present(exploitsFile) ? { exploits: readCheckedJson(exploitsFile, exploitsFileSchema, fail) } : {}),
  };
}
