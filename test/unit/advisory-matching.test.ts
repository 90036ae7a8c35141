// Backport-aware matching: a distribution package is compared with its vendor's fixed
// version for the release it is installed on, in the distribution's own ordering. Built on
// the seeds' advisories (real USN and ALAS data), with the facts checked against published
// advisories: USN-5402-1 fixed jammy's openssl in 3.0.2-0ubuntu1.1, USN-5844-1 in
// 3.0.2-0ubuntu1.8 (libssl3), ALAS2-2023-2073 AL2's openssl-libs in 1.0.2k-24.amzn2.0.7.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readVulnerabilityData } from '../../src/world/scanning/advisories.js';
import { CatalogError } from '../../src/world/scanning/catalog.js';
import type { Ecosystem } from '../../src/world/scanning/ecosystems.js';
import { catalogOf } from '../../src/world/scanning/vulnerabilities.js';
import { useTempDirs } from '../temp-dirs.js';

const data = readVulnerabilityData();
const catalog = catalogOf(data);
const matches = (platform: string | undefined, ecosystem: Ecosystem, name: string, version: string) => catalog.matches({ name, version, ecosystem }, platform);
const fixes = (...args: Parameters<typeof matches>) => new Map(matches(...args).map((m) => [m.vulnerability.id, m.fixedInVersion]));

describe('Ubuntu packages on their release', () => {
  it('does not flag a CVE that Ubuntu fixed for jammy in an earlier revision (USN-5402-1)', () => {
    expect(fixes('UBUNTU_22_04', 'dpkg', 'openssl', '3.0.2-0ubuntu1.6').has('CVE-2022-1292')).toBe(false);
    expect(fixes('UBUNTU_22_04', 'dpkg', 'openssl', '3.0.2-0ubuntu1').get('CVE-2022-1292')).toBe('0:3.0.2-0ubuntu1.1');
  });

  it('reports the vendor fix for the release, and closes it once that revision is installed (USN-5844-1)', () => {
    const [match] = matches('UBUNTU_22_04', 'dpkg', 'libssl3', '3.0.2-0ubuntu1.6').filter((m) => m.vulnerability.id === 'CVE-2023-0286');
    expect(match?.fixedInVersion).toBe('0:3.0.2-0ubuntu1.8');
    expect(match?.vendor).toMatchObject({
      source: 'UBUNTU_CVE',
      scored: false,
      advisoryIds: expect.arrayContaining(['USN-5844-1']),
      sourceUrl: 'https://people.canonical.com/~ubuntu-security/cve/2023/CVE-2023-0286.html',
    });
    expect(match?.vendor?.advisoryUrls).toContain('https://ubuntu.com/security/notices/USN-5844-1');
    expect(fixes('UBUNTU_22_04', 'dpkg', 'libssl3', '3.0.2-0ubuntu1.8').has('CVE-2023-0286')).toBe(false);
    // The upstream fix (3.0.8) is never what an Ubuntu finding points at.
    for (const fixed of fixes('UBUNTU_22_04', 'dpkg', 'libssl3', '3.0.2-0ubuntu1.6').values()) expect(fixed).toMatch(/^0:3\.0\.2-0ubuntu1\.\d+$/);
  });

  it('matches only the advisories of the release the package is installed on', () => {
    // jammy's libssl3 does not exist on focal: no focal fix names it.
    expect(matches('UBUNTU_20_04', 'dpkg', 'libssl3', '3.0.2-0ubuntu1.6')).toEqual([]);
    // No vendor data for the platform (or none given): no OS finding at all, as AWS reports OS CVEs from vendor data.
    expect(matches('WINDOWS_SERVER_2022', 'dpkg', 'libssl3', '3.0.2-0ubuntu1.6')).toEqual([]);
    expect(matches(undefined, 'dpkg', 'libssl3', '3.0.2-0ubuntu1.6')).toEqual([]);
    // An Ubuntu package never matches Amazon's advisories, nor the other way round.
    expect(matches('AMAZON_LINUX_2', 'dpkg', 'openssl', '3.0.2-0ubuntu1.6')).toEqual([]);
  });
});

describe('Amazon Linux packages on their release', () => {
  it('points at Amazon builds, never at upstream letters such as 1.0.2za', () => {
    const found = matches('AMAZON_LINUX_2', 'rpm', 'openssl-libs', '1:1.0.2k-19.amzn2.0.1');
    expect(found.length).toBeGreaterThan(0);
    for (const match of found) {
      expect(match.fixedInVersion, match.vulnerability.id).toMatch(/^1:1\.0\.2k-\d+\.amzn2(\.\d+)*$/);
      expect(match.vendor?.source).toBe('AMAZON_CVE');
      expect(match.vendor?.sourceUrl).toBe(`https://alas.aws.amazon.com/cve/json/v1/${match.vulnerability.id}.json`);
      for (const id of match.vendor!.advisoryIds) expect(id).toMatch(/^ALAS(2|2023)?-\d{4}-\d+$/);
    }
    expect(found.find((m) => m.vulnerability.id === 'CVE-2023-0286')?.vendor?.vendorSeverity).toBe('Important');
    expect(found.find((m) => m.vulnerability.id === 'CVE-2023-0286')?.vendor?.severity).toBe('HIGH');
  });

  it('has nothing left to fix once the last ALAS build is installed (ALAS2-2023-2073)', () => {
    expect(matches('AMAZON_LINUX_2', 'rpm', 'openssl-libs', '1:1.0.2k-24.amzn2.0.7')).toEqual([]);
    // Without an epoch on either side, the fix is compared (and written) in the installed epoch.
    expect(matches('AMAZON_LINUX_2', 'rpm', 'openssl-libs', '1.0.2k-24.amzn2.0.6').map((m) => m.fixedInVersion)).toEqual(
      expect.arrayContaining(['0:1.0.2k-24.amzn2.0.7']),
    );
  });
});

describe('reading the vulnerability data', () => {
  const tempDir = useTempDirs('inspector2-advisories-');
  const entry = data.vulnerabilities.find((v) => v.id === 'CVE-2023-0286')!;
  const seeds = (files: Record<string, unknown>): URL => {
    const dir = tempDir();
    mkdirSync(join(dir, 'catalog'));
    mkdirSync(join(dir, 'advisories'));
    for (const [name, content] of Object.entries({ 'vulnerabilities.json': [entry], ...files })) writeFileSync(join(dir, name), JSON.stringify(content));
    return pathToFileURL(`${dir}/`);
  };
  const refusal = (dir: URL): string => {
    try {
      readVulnerabilityData(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(CatalogError);
      return (error as Error).message;
    }
    throw new Error('expected the data to be refused');
  };
  const usn = {
    id: 'USN-5844-1',
    url: 'https://ubuntu.com/security/notices/USN-5844-1',
    cves: ['CVE-2023-0286'],
    fixes: [{ release: '22.04', package: 'libssl3', fixed: '3.0.2-0ubuntu1.8' }],
  };

  it('takes missing or empty optional files as no data', () => {
    const dir = seeds({});
    writeFileSync(new URL('epss.json', dir), '');
    expect(readVulnerabilityData(dir)).toEqual({ vulnerabilities: [entry], advisories: [] });
  });

  it('names the file, the path and the problem', () => {
    const dir = seeds({
      'advisories/ubuntu.json': {
        vendor: 'UBUNTU',
        advisories: [usn, { ...usn, id: 'USN-1', fixes: [{ release: '18.04', package: 'libssl3', fixed: 'not-a-version' }] }],
      },
    });
    const message = refusal(dir);
    const file = new URL('advisories/ubuntu.json', dir).pathname;
    expect(message).toContain(`${file}: advisories.1.id (USN-1): an UBUNTU advisory id must match`);
    expect(message).toContain(`${file}: advisories.1.fixes.0.release (USN-1): UBUNTU releases are 20.04, 22.04, 24.04`);
    expect(message).toContain(`${file}: advisories.1.fixes.0.fixed (USN-1): "not-a-version" is not a valid dpkg version`);
  });

  it('refuses an advisory CVE without a catalog entry, a CVE in two catalog files, and EPSS outside [0, 1]', () => {
    expect(refusal(seeds({ 'advisories/ubuntu.json': { vendor: 'UBUNTU', advisories: [{ ...usn, cves: ['CVE-2023-0286', 'CVE-2022-1292'] }] } }))).toMatch(
      /advisories\.0\.cves\.1 \(USN-5844-1\): CVE-2022-1292 has no catalog entry/,
    );
    expect(refusal(seeds({ 'catalog/os.json': [entry] }))).toMatch(/catalog\/os\.json: 0\.id \(CVE-2023-0286\): already in .*vulnerabilities\.json/);
    expect(refusal(seeds({ 'epss.json': { asOf: '2026-08-16', scores: { 'CVE-2023-0286': { score: 1.5, percentile: 0.5 } } } }))).toMatch(
      /epss\.json: scores\.CVE-2023-0286\.score: /,
    );
    const { affected: _affected, ...withoutRanges } = entry;
    expect(refusal(seeds({ 'vulnerabilities.json': [withoutRanges] }))).toMatch(/CVE-2023-0286: has neither affected packages nor a vendor advisory/);
  });
});
