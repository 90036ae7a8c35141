// A vulnerability catalog file: real, public vulnerabilities with the facts a finding
// reports (NVD CVSS v3.x score and vector, CWEs, publication date, exploitation, EPSS) and
// the package versions they affect, as OSV-style ranges per ecosystem. Checked at load, with
// errors that name the file, the path inside it and the problem. The catalog is several
// such files (seeds/vulnerabilities.json and seeds/catalog/*.json), read with the vendors'
// advisories by advisories.ts.
import { z } from 'zod';
import { baseScore, parseVector, severityOf } from './cvss.js';
import { readCheckedJson } from '../platform/checked-json.js';
import { ECOSYSTEMS } from './ecosystems.js';
import { compareVersions, isValidVersion } from './versions.js';

export const DEFAULT_CATALOG_FILE = new URL('../../../seeds/vulnerabilities.json', import.meta.url);

/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2021-12-10')
  .refine((text) => {
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
  }, 'must be a real calendar date');

const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

const cvss3Schema = z
  .object({
    version: z.enum(['3.0', '3.1']),
    baseScore: z.number().min(0.1).max(10),
    vector: z
      .string()
      .regex(
        /^CVSS:3\.[01]\/AV:[NALP]\/AC:[LH]\/PR:[NLH]\/UI:[NR]\/S:[UC]\/C:[HLN]\/I:[HLN]\/A:[HLN]$/,
        'must be a CVSS v3 base vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      ),
    /** Who scored it: NVD itself, or the CNA where NVD published the CNA's score without its own. */
    source: z.enum(['NVD', 'CNA']),
  })
  .strict()
  .superRefine((cvss, context) => {
    if (!cvss.vector.startsWith(`CVSS:${cvss.version}/`)) {
      context.addIssue({ code: 'custom', message: `the vector is not a CVSS ${cvss.version} vector`, path: ['vector'] });
      return;
    }
    const metrics = parseVector(cvss.vector);
    if (metrics === undefined) return; // the regex above has reported it
    const computed = baseScore(metrics);
    if (computed !== cvss.baseScore) {
      context.addIssue({ code: 'custom', message: `the vector scores ${computed}, not ${cvss.baseScore}`, path: ['baseScore'] });
    }
  });

const versionText = z.string().min(1).max(128);

const rangeSchema = z
  .object({
    /** Inclusive; absent (or OSV's "0") = from the beginning. */
    introduced: versionText.optional(),
    /** Exclusive: the first version that is no longer affected. */
    fixed: versionText.optional(),
    /** Inclusive: the last affected version, where no fix exists. */
    lastAffected: versionText.optional(),
  })
  .strict()
  .refine((range) => range.introduced !== undefined || range.fixed !== undefined || range.lastAffected !== undefined, {
    message: 'a range needs introduced, fixed or lastAffected',
  })
  .refine((range) => range.fixed === undefined || range.lastAffected === undefined, {
    message: 'a range has either fixed or lastAffected, not both',
  });

const affectedSchema = z
  .object({
    ecosystem: z.enum(ECOSYSTEMS),
    /** The name the ecosystem uses: a dpkg or rpm binary package, group:artifact for Maven, a Go module path. */
    package: z.string().min(1).max(256),
    ranges: z.array(rangeSchema).min(1),
  })
  .strict()
  .superRefine((affected, context) => {
    affected.ranges.forEach((range, index) => {
      const bounds = (['introduced', 'fixed', 'lastAffected'] as const).filter((key) => range[key] !== undefined);
      for (const key of bounds) {
        const version = range[key] as string;
        if (key === 'introduced' && version === '0') continue;
        if (!isValidVersion(affected.ecosystem, version)) {
          context.addIssue({
            code: 'custom',
            message: `${JSON.stringify(version)} is not a valid ${affected.ecosystem} version`,
            path: ['ranges', index, key],
          });
        }
      }
      const upper = range.fixed ?? range.lastAffected;
      const lower = range.introduced;
      if (upper === undefined || lower === undefined || lower === '0') return;
      if (!isValidVersion(affected.ecosystem, upper) || !isValidVersion(affected.ecosystem, lower)) return;
      const order = compareVersions(affected.ecosystem, lower, upper);
      if (range.fixed !== undefined ? order >= 0 : order > 0) {
        context.addIssue({
          code: 'custom',
          message: `introduced ${lower} is not before ${range.fixed !== undefined ? 'fixed' : 'lastAffected'} ${upper}`,
          path: ['ranges', index],
        });
      }
    });
  });

export const vulnerabilitySchema = z
  .object({
    id: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'must be a CVE id such as CVE-2021-44228'),
    title: z.string().min(1).max(256),
    /** In the catalog's own words: what is wrong and what an attacker can do. */
    description: z.string().min(1).max(1024),
    /** NVD's publication date. */
    published: isoDate,
    cwes: z.array(z.string().regex(/^(CWE-\d+|NVD-CWE-Other|NVD-CWE-noinfo)$/, 'must be a CWE id such as CWE-79')).min(1),
    cvss3: cvss3Schema,
    /** The CVSS v3 qualitative band of cvss3.baseScore. */
    severity: z.enum(SEVERITIES),
    /** FIRST EPSS, as published on the asOf date. */
    epss: z
      .object({ score: z.number().min(0).max(1), percentile: z.number().min(0).max(1), asOf: isoDate })
      .strict()
      .optional(),
    exploit: z
      .object({
        /** Public exploitation or a well-known public exploit is documented. */
        known: z.boolean(),
        /** When CISA added it to the Known Exploited Vulnerabilities catalog. */
        cisaKevDateAdded: isoDate.optional(),
      })
      .strict()
      .refine((exploit) => exploit.cisaKevDateAdded === undefined || exploit.known, {
        message: 'a vulnerability in the KEV catalog is known to be exploited',
        path: ['known'],
      }),
    /** Upstream ranges (NVD/GitHub style). May be absent for an OS vulnerability whose fixes the vendors' advisories give. */
    affected: z.array(affectedSchema).min(1).optional(),
    references: z.array(z.url({ protocol: /^https?$/ })).min(1),
  })
  .strict()
  .superRefine((entry, context) => {
    const band = severityOf(entry.cvss3.baseScore);
    if (band !== entry.severity) {
      context.addIssue({ code: 'custom', message: `a base score of ${entry.cvss3.baseScore} is ${band}, not ${entry.severity}`, path: ['severity'] });
    }
    if (entry.exploit.cisaKevDateAdded !== undefined && entry.exploit.cisaKevDateAdded < entry.published) {
      context.addIssue({ code: 'custom', message: 'added to the KEV catalog before it was published', path: ['exploit', 'cisaKevDateAdded'] });
    }
    const seen = new Set<string>();
    entry.affected?.forEach((affected, index) => {
      const key = `${affected.ecosystem}:${affected.package}`;
      if (seen.has(key)) context.addIssue({ code: 'custom', message: `${key} is listed twice`, path: ['affected', index] });
      seen.add(key);
    });
  });

const catalogSchema = z.array(vulnerabilitySchema).superRefine((entries, context) => {
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const first = seen.get(entry.id);
    if (first !== undefined) context.addIssue({ code: 'custom', message: `${entry.id} is already entry ${first}`, path: [index, 'id'] });
    else seen.set(entry.id, index);
  });
});

export type Vulnerability = z.infer<typeof vulnerabilitySchema>;

export class CatalogError extends Error {}

/** Reads and checks a catalog file (a JSON array of vulnerabilities). */
export function readCatalog(file: string | URL): Vulnerability[] {
  return readCheckedJson(
    file,
    catalogSchema,
    (message) => new CatalogError(message),
    (path, data) => {
      // Name the entry too, when the path points into one that has an id.
      const index = path[0];
      const id = typeof index === 'number' && Array.isArray(data) ? (data[index] as { id?: unknown } | undefined)?.id : undefined;
      return typeof id === 'string' ? ` (${id})` : '';
    },
  );
}
