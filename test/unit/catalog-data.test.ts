// The data set itself: every catalog file, advisory file, EPSS and exploit file passes the
// loader's schema and cross-checks; CVSS base scores are recomputed from their vectors by an
// independent implementation (ae-cvss-calculator, not our cvss.ts); fixed versions come
// after the ranges they close in the ecosystem's own ordering; advisory ids are in their
// vendor's format.
import cvssCalculator from 'ae-cvss-calculator';
import { describe, expect, it } from 'vitest';
import { readVulnerabilityData, VENDORS } from '../../src/world/scanning/advisories.js';
import { compareVersions, isValidVersion } from '../../src/world/scanning/versions.js';

const { Cvss3P0, Cvss3P1 } = cvssCalculator;
const data = readVulnerabilityData();
const ids = new Set(data.vulnerabilities.map((v) => v.id));

describe('the catalog files', () => {
  it('load with every schema and cross-file check passing', () => {
    expect(data.vulnerabilities.length).toBeGreaterThanOrEqual(150);
    expect(ids.size).toBe(data.vulnerabilities.length);
  });

  it('have base scores that an independent CVSS calculator computes from the vectors', () => {
    for (const { id, cvss3 } of data.vulnerabilities) {
      const vector = cvss3.version === '3.1' ? new Cvss3P1(cvss3.vector) : new Cvss3P0(cvss3.vector);
      expect(vector.calculateScores().base, `${id} ${cvss3.vector}`).toBe(cvss3.baseScore);
    }
  });

  it('close every range with a fixed version after where it starts, in the ecosystem’s ordering', () => {
    for (const entry of data.vulnerabilities) {
      for (const affected of entry.affected ?? []) {
        for (const range of affected.ranges) {
          const label = `${entry.id} ${affected.ecosystem} ${affected.package}`;
          for (const bound of [range.introduced, range.fixed, range.lastAffected]) {
            if (bound !== undefined && bound !== '0') expect(isValidVersion(affected.ecosystem, bound), `${label} ${bound}`).toBe(true);
          }
          if (range.introduced !== undefined && range.introduced !== '0' && range.fixed !== undefined) {
            expect(compareVersions(affected.ecosystem, range.introduced, range.fixed), `${label} ${range.introduced} < ${range.fixed}`).toBe(-1);
          }
        }
      }
    }
  });

  it('name the NVD page of each CVE among its references', () => {
    for (const entry of data.vulnerabilities) expect(entry.references, entry.id).toContain(`https://nvd.nist.gov/vuln/detail/${entry.id}`);
  });
});

describe('the vendor advisories', () => {
  const formats: Record<string, RegExp> = {
    UBUNTU: /^USN-\d+-\d+$/,
    DEBIAN: /^D[SL]A-\d+-\d+$/,
    AMAZON: /^ALAS(2|2023)?-\d{4}-\d+$/,
    REDHAT: /^RHSA-\d{4}:\d+$/,
    ROCKY: /^RLSA-\d{4}:\d+$/,
    ALMALINUX: /^ALSA-\d{4}:\d+$/,
  };

  it('use each vendor’s id format, and name only CVEs of the catalog', () => {
    for (const file of data.advisories) {
      expect(VENDORS).toContain(file.vendor);
      for (const advisory of file.advisories) {
        if (file.vendor === 'ALPINE') expect(advisory.id).toBeUndefined();
        else expect(advisory.id, `${file.vendor} ${advisory.id}`).toMatch(formats[file.vendor]!);
        for (const cve of advisory.cves) expect(ids.has(cve), `${advisory.id ?? advisory.url} names ${cve}`).toBe(true);
      }
    }
  });

  it('give a fix for the same package and release at most once per advisory, each a valid version', () => {
    for (const file of data.advisories) {
      const ecosystem = file.vendor === 'UBUNTU' || file.vendor === 'DEBIAN' ? 'dpkg' : file.vendor === 'ALPINE' ? 'apk' : 'rpm';
      for (const advisory of file.advisories) {
        const seen = new Set<string>();
        for (const fix of advisory.fixes) {
          expect(isValidVersion(ecosystem, fix.fixed), `${advisory.id ?? advisory.url} ${fix.package} ${fix.fixed}`).toBe(true);
          const key = `${fix.release}|${fix.package}`;
          expect(seen.has(key), `${advisory.id ?? advisory.url} lists ${key} twice`).toBe(false);
          seen.add(key);
        }
      }
    }
  });
});

describe('EPSS and exploit intelligence', () => {
  it('has EPSS scores in [0, 1], with the date they are as of, for (nearly) every CVE of the catalog', () => {
    if (!data.epss) return;
    expect(data.epss.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [id, { score, percentile }] of Object.entries(data.epss.scores)) {
      expect(score, id).toBeGreaterThanOrEqual(0);
      expect(score, id).toBeLessThanOrEqual(1);
      expect(percentile, id).toBeGreaterThanOrEqual(0);
      expect(percentile, id).toBeLessThanOrEqual(1);
    }
    const scored = [...ids].filter((id) => data.epss!.scores[id] !== undefined);
    expect(scored.length / ids.size).toBeGreaterThanOrEqual(0.9);
  });

  it('dates KEV listings no earlier than the CVE’s publication', () => {
    const published = new Map(data.vulnerabilities.map((v) => [v.id, v.published]));
    for (const [id, exploit] of Object.entries(data.exploits?.vulnerabilities ?? {})) {
      if (exploit.cisa && published.has(id)) expect(exploit.cisa.dateAdded >= published.get(id)!, id).toBe(true);
    }
  });
});
