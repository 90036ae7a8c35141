// The scanner's view of the catalog: OS packages match on their upstream version.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_FILE, readCatalog } from '../../src/world/scanning/catalog.js';
import { comparableVersion, VulnerabilityCatalog } from '../../src/world/scanning/vulnerabilities.js';

const catalog = new VulnerabilityCatalog(readCatalog(DEFAULT_CATALOG_FILE));
const ids = (pkg: Parameters<VulnerabilityCatalog['matches']>[0]) => catalog.matches(pkg).map((m) => m.vulnerability.id);

describe('matching installed packages', () => {
  it('sets epoch and distribution revision aside for OS packages', () => {
    expect(comparableVersion({ ecosystem: 'dpkg', version: '1:1.2.11.dfsg-2ubuntu9' })).toBe('1.2.11.dfsg');
    expect(comparableVersion({ ecosystem: 'rpm', version: '3.0.8-1.amzn2023.0.3' })).toBe('3.0.8');
    expect(comparableVersion({ ecosystem: 'npm', version: '4.17.15' })).toBe('4.17.15');
  });

  it('finds OS vulnerabilities behind an epoch', () => {
    expect(ids({ name: 'zlib1g', version: '1:1.2.11.dfsg-2ubuntu9', ecosystem: 'dpkg' }).length).toBeGreaterThan(0);
    expect(ids({ name: 'zlib1g', version: '1:1.3.1.dfsg-1', ecosystem: 'dpkg' })).not.toEqual(
      ids({ name: 'zlib1g', version: '1:1.2.11.dfsg-2ubuntu9', ecosystem: 'dpkg' }),
    );
  });

  it('reports the fixed version of the range that matched', () => {
    const log4shell = catalog
      .matches({ name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', ecosystem: 'maven' })
      .find((m) => m.vulnerability.id === 'CVE-2021-44228');
    expect(log4shell?.fixedInVersion).toBe('2.15.0');
    expect(ids({ name: 'org.apache.logging.log4j:log4j-core', version: '2.17.1', ecosystem: 'maven' })).not.toContain('CVE-2021-44228');
  });

  it('matches nothing for a version its ecosystem cannot read', () => {
    expect(ids({ name: 'lodash', version: 'not a version', ecosystem: 'npm' })).toEqual([]);
  });
});
