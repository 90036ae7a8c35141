// The scanner's view of the catalog: language packages match on the upstream ranges;
// distribution packages only on their vendor's advisories (advisory-matching.test.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_FILE, readCatalog } from '../../src/world/scanning/catalog.js';
import { packageManagerOf } from '../../src/world/scanning/ecosystems.js';
import { VulnerabilityCatalog } from '../../src/world/scanning/vulnerabilities.js';

const catalog = new VulnerabilityCatalog(readCatalog(DEFAULT_CATALOG_FILE));
const ids = (pkg: Parameters<VulnerabilityCatalog['matches']>[0], platform?: string) => catalog.matches(pkg, platform).map((m) => m.vulnerability.id);

describe('matching installed packages', () => {
  it('never matches a distribution package on upstream ranges', () => {
    // zlib1g has upstream ranges in the catalog; without the vendor's advisories for the release there is no finding.
    expect(ids({ name: 'zlib1g', version: '1:1.2.11.dfsg-2ubuntu9', ecosystem: 'dpkg' }, 'UBUNTU_22_04')).toEqual([]);
    expect(ids({ name: 'zlib1g', version: '1:1.2.11.dfsg-2ubuntu9', ecosystem: 'dpkg' })).toEqual([]);
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

describe('package managers as Inspector names them', () => {
  it('names a package by the file it was found in', () => {
    expect(packageManagerOf({ ecosystem: 'npm', filePath: '/app/node_modules/lodash/package.json' })).toBe('NODEPKG');
    expect(packageManagerOf({ ecosystem: 'npm', filePath: '/app/package-lock.json' })).toBe('NPM');
    expect(packageManagerOf({ ecosystem: 'npm', filePath: '/app/yarn.lock' })).toBe('YARN');
    expect(packageManagerOf({ ecosystem: 'pypi', filePath: 'requirements.txt' })).toBe('PIP');
    expect(packageManagerOf({ ecosystem: 'pypi', filePath: '/usr/lib/python3/site-packages/requests-2.25.1.dist-info/METADATA' })).toBe('PYTHONPKG');
    expect(packageManagerOf({ ecosystem: 'maven', filePath: '/usr/lib/app/lib/log4j-core-2.14.1.jar' })).toBe('JAR');
    expect(packageManagerOf({ ecosystem: 'maven', filePath: '/src/pom.xml' })).toBe('POM');
    expect(packageManagerOf({ ecosystem: 'go', filePath: '/src/go.mod' })).toBe('GOMOD');
    expect(packageManagerOf({ ecosystem: 'go', filePath: '/usr/local/bin/server' })).toBe('GOBINARY');
    for (const ecosystem of ['dpkg', 'rpm', 'apk'] as const) expect(packageManagerOf({ ecosystem })).toBe('OS');
  });
});
