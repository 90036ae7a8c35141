// The vulnerability catalog: the default file loads and holds real, consistent facts; a
// malformed file is refused with errors that name the file, the path and the problem.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError, DEFAULT_CATALOG_FILE, readCatalog, type Vulnerability } from '../../src/world/scanning/catalog.js';
import { baseScore, parseVector } from '../../src/world/scanning/cvss.js';
import { ECOSYSTEMS, type Ecosystem } from '../../src/world/scanning/ecosystems.js';
import { isValidVersion } from '../../src/world/scanning/versions.js';
import { VulnerabilityCatalog } from '../../src/world/scanning/vulnerabilities.js';
import { useTempDirs } from '../temp-dirs.js';

const catalog = readCatalog(DEFAULT_CATALOG_FILE);
const tempDir = useTempDirs('inspector2-catalog-');

function catalogFile(content: unknown): string {
  const file = join(tempDir(), 'vulnerabilities.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function refusal(file: string): Error {
  try {
    readCatalog(file);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the catalog to be refused');
}

/** The CVSS v3 qualitative bands, written out independently of the code under test. */
function band(score: number): string {
  if (score >= 9.0) return 'CRITICAL';
  if (score >= 7.0) return 'HIGH';
  if (score >= 4.0) return 'MEDIUM';
  if (score >= 0.1) return 'LOW';
  return 'NONE';
}

const valid: Vulnerability = {
  id: 'CVE-2021-44228',
  title: 'Apache Log4j2 JNDI lookup remote code execution (Log4Shell)',
  description: 'Log messages can trigger JNDI lookups that load remote code.',
  published: '2021-12-10',
  cwes: ['CWE-502', 'CWE-917'],
  cvss3: { version: '3.1', baseScore: 10.0, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', source: 'NVD' },
  severity: 'CRITICAL',
  exploit: { known: true, cisaKevDateAdded: '2021-12-10' },
  affected: [{ ecosystem: 'maven', package: 'org.apache.logging.log4j:log4j-core', ranges: [{ introduced: '2.0-beta9', fixed: '2.15.0' }] }],
  references: ['https://nvd.nist.gov/vuln/detail/CVE-2021-44228'],
};

describe('the default vulnerability catalog', () => {
  it('loads, with at least 150 entries', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(150);
  });

  it('has unique CVE ids', () => {
    for (const entry of catalog) expect(entry.id).toMatch(/^CVE-\d{4}-\d{4,}$/);
    const ids = catalog.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every ecosystem', () => {
    const seen = new Set(catalog.flatMap((entry) => (entry.affected ?? []).map((affected) => affected.ecosystem)));
    // Alpine's packages are matched on its secdb only (seeds/advisories/alpine.json), never on upstream ranges.
    expect([...seen].sort()).toEqual(ECOSYSTEMS.filter((ecosystem) => ecosystem !== 'apk').sort());
  });

  it('covers the core OS packages under both dpkg and rpm', () => {
    const components: Record<string, { dpkg: string[]; rpm: string[] }> = {
      openssl: { dpkg: ['openssl', 'libssl3'], rpm: ['openssl-libs'] },
      glibc: { dpkg: ['libc6'], rpm: ['glibc'] },
      curl: { dpkg: ['curl', 'libcurl4'], rpm: ['curl', 'libcurl'] },
      zlib: { dpkg: ['zlib1g'], rpm: ['zlib'] },
      sudo: { dpkg: ['sudo'], rpm: ['sudo'] },
    };
    for (const [component, names] of Object.entries(components)) {
      for (const ecosystem of ['dpkg', 'rpm'] as const) {
        for (const name of names[ecosystem]) {
          const entries = catalog.filter((entry) => entry.affected?.some((a) => a.ecosystem === ecosystem && a.package === name));
          expect(entries.length, `${component}: ${ecosystem} ${name}`).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it('lists an OS package under dpkg and rpm with the same upstream ranges', () => {
    for (const entry of catalog) {
      const dpkg = (entry.affected ?? []).filter((a) => a.ecosystem === 'dpkg');
      const rpm = (entry.affected ?? []).filter((a) => a.ecosystem === 'rpm');
      expect(dpkg.length > 0, `${entry.id} has dpkg and rpm packages, or neither`).toBe(rpm.length > 0);
      const rangesOf = (list: typeof dpkg) => [...new Set(list.map((a) => JSON.stringify(a.ranges)))].sort();
      expect(rangesOf(rpm), `${entry.id} ranges`).toEqual(rangesOf(dpkg));
    }
  });

  it('has severities that agree with the CVSS band of the NVD base score', () => {
    const fromNvd = catalog.filter((entry) => entry.cvss3.source === 'NVD');
    expect(fromNvd.length).toBeGreaterThanOrEqual(150);
    for (const entry of catalog) {
      expect(entry.severity, `${entry.id} (${entry.cvss3.baseScore})`).toBe(band(entry.cvss3.baseScore));
    }
  });

  it('has base scores that their vectors produce', () => {
    for (const entry of catalog) {
      const metrics = parseVector(entry.cvss3.vector);
      expect(metrics, `${entry.id} vector`).toBeDefined();
      expect(baseScore(metrics!), `${entry.id} ${entry.cvss3.vector}`).toBe(entry.cvss3.baseScore);
      expect(entry.cvss3.vector.startsWith(`CVSS:${entry.cvss3.version}/`)).toBe(true);
    }
  });

  it('writes every version bound in its ecosystem syntax', () => {
    for (const entry of catalog) {
      for (const affected of entry.affected ?? []) {
        for (const range of affected.ranges) {
          for (const version of [range.introduced, range.fixed, range.lastAffected]) {
            if (version === undefined || version === '0') continue;
            expect(isValidVersion(affected.ecosystem, version), `${entry.id} ${affected.ecosystem} ${affected.package} ${version}`).toBe(true);
            if (affected.ecosystem === 'go') expect(version.startsWith('v'), `${entry.id} Go version ${version}`).toBe(true);
          }
        }
      }
    }
  });

  it('keeps exploit and date facts consistent', () => {
    for (const entry of catalog) {
      if (entry.exploit.cisaKevDateAdded !== undefined) {
        expect(entry.exploit.known, entry.id).toBe(true);
        expect(entry.exploit.cisaKevDateAdded >= entry.published, entry.id).toBe(true);
      }
      expect(entry.published <= new Date().toISOString().slice(0, 10), `${entry.id} published in the future`).toBe(true);
      expect(entry.references[0], entry.id).toBe(`https://nvd.nist.gov/vuln/detail/${entry.id}`);
    }
  });

  it('carries the public facts of well-known vulnerabilities', () => {
    const byId = new Map(catalog.map((entry) => [entry.id, entry]));
    expect(byId.get('CVE-2021-44228')).toMatchObject({
      published: '2021-12-10',
      cvss3: { baseScore: 10, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
      severity: 'CRITICAL',
      exploit: { known: true, cisaKevDateAdded: '2021-12-10' },
    });
    expect(byId.get('CVE-2022-3602')).toMatchObject({ published: '2022-11-01', cvss3: { baseScore: 7.5 }, severity: 'HIGH', cwes: ['CWE-787'] });
    expect(byId.get('CVE-2021-4034')).toMatchObject({ exploit: { cisaKevDateAdded: '2022-06-27' }, cvss3: { baseScore: 7.8 } });
    expect(byId.get('CVE-2023-48795')?.affected?.map((a) => a.ecosystem)).toEqual(expect.arrayContaining(['dpkg', 'rpm', 'go', 'pypi']));
  });

  it('matches the versions the scanner sees, with the upstream fixed version', () => {
    const index = new VulnerabilityCatalog(catalog);
    const found = (ecosystem: Ecosystem, name: string, version: string) =>
      index.matches({ name, version, ecosystem }).map((match) => `${match.vulnerability.id}@${match.fixedInVersion ?? '-'}`);

    expect(found('maven', 'org.apache.logging.log4j:log4j-core', '2.14.1')).toEqual(expect.arrayContaining(['CVE-2021-44228@2.15.0', 'CVE-2021-45046@2.16.0']));
    expect(found('maven', 'org.apache.logging.log4j:log4j-core', '2.17.1')).toEqual([]);
    // Distribution packages are matched on their vendor's advisories for a known release (advisory-matching.test.ts), never on upstream ranges.
    expect(found('dpkg', 'libssl3', '3.0.2-0ubuntu1.6')).toEqual([]);
    expect(found('rpm', 'openssl-libs', '1.0.2k-19.amzn2.0.1')).toEqual([]);
    expect(found('pypi', 'requests', '2.25.1')).toContain('CVE-2023-32681@2.31.0');
    expect(found('npm', 'semver', '7.5.1')).toContain('CVE-2022-25883@7.5.2');
    expect(found('go', 'golang.org/x/net', 'v0.16.0')).toEqual(expect.arrayContaining(['CVE-2023-44487@v0.17.0', 'CVE-2023-39325@v0.17.0']));
    expect(found('rubygems', 'rack', '2.2.3')).toContain('CVE-2022-30123@2.2.3.1');
  });
});

describe('catalog files', () => {
  it('accepts a minimal well-formed file', () => {
    expect(readCatalog(catalogFile([valid]))).toEqual([valid]);
  });

  it('names the file, the path and the problem', () => {
    const file = catalogFile([
      valid,
      {
        ...valid,
        id: 'CVE-2022-3602',
        cvss3: { ...valid.cvss3, baseScore: 9.8 },
        severity: 'HIGH',
        affected: [{ ecosystem: 'go', package: 'golang.org/x/net', ranges: [{ fixed: '0.17.0' }] }],
      },
      { ...valid, id: 'CVE-2021-44228' },
      { ...valid, id: 'log4shell', published: '2021-02-30' },
    ]);
    const error = refusal(file);
    expect(error).toBeInstanceOf(CatalogError);
    expect(error.message).toContain(`${file}: 1.cvss3.baseScore (CVE-2022-3602): the vector scores 10, not 9.8`);
    expect(error.message).toContain(`${file}: 1.severity (CVE-2022-3602): a base score of 9.8 is CRITICAL, not HIGH`);
    expect(error.message).toContain(`${file}: 1.affected.0.ranges.0.fixed (CVE-2022-3602): "0.17.0" is not a valid go version`);
    expect(error.message).toContain(`${file}: 2.id (CVE-2021-44228): CVE-2021-44228 is already entry 0`);
    expect(error.message).toContain(`${file}: 3.id (log4shell): must be a CVE id`);
    expect(error.message).toContain(`${file}: 3.published (log4shell): must be a real calendar date`);
  });

  it('refuses inverted ranges, unknown ecosystems and KEV entries not marked exploited', () => {
    const file = catalogFile([
      {
        ...valid,
        exploit: { known: false, cisaKevDateAdded: '2021-12-10' },
        affected: [
          { ecosystem: 'maven', package: 'org.apache.logging.log4j:log4j-core', ranges: [{ introduced: '2.15.0', fixed: '2.0-beta9' }] },
          { ecosystem: 'cargo', package: 'log4rs', ranges: [{ fixed: '1.0.0' }] },
        ],
      },
    ]);
    const error = refusal(file);
    expect(error.message).toContain(`${file}: 0.affected.0.ranges.0 (CVE-2021-44228): introduced 2.15.0 is not before fixed 2.0-beta9`);
    expect(error.message).toContain(`${file}: 0.affected.1.ecosystem (CVE-2021-44228):`);
    expect(error.message).toContain(`${file}: 0.exploit.known (CVE-2021-44228): a vulnerability in the KEV catalog is known to be exploited`);
  });

  it('refuses malformed JSON, unknown fields and a top level that is not a list', () => {
    const broken = catalogFile('[{"id": "CVE-2021-44228",');
    expect(() => readCatalog(broken)).toThrow(CatalogError);
    expect(refusal(broken).message.startsWith(`${broken}: `)).toBe(true);
    expect(refusal(catalogFile([{ ...valid, cvss: valid.cvss3 }])).message).toMatch(/: 0 \(CVE-2021-44228\): Unrecognized key/);
    expect(refusal(catalogFile({ vulnerabilities: [valid] })).message).toMatch(/\(top level\): /);
  });
});
