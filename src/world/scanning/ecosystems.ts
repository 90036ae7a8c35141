// The package ecosystems the vulnerability catalog and the inventory speak of. Each has
// its own version ordering (world/versions.ts) and maps to the package manager that
// Inspector reports in a finding.
export const ECOSYSTEMS = ['dpkg', 'rpm', 'apk', 'npm', 'pypi', 'maven', 'go', 'rubygems'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** The distributions' package managers: Inspector matches their packages on the vendor's advisories, and reports them as `OS`. */
export type OsEcosystem = 'dpkg' | 'rpm' | 'apk';

export function isOsEcosystem(ecosystem: Ecosystem): ecosystem is OsEcosystem {
  return ecosystem === 'dpkg' || ecosystem === 'rpm' || ecosystem === 'apk';
}

/** The model's PackageManager value for packages of each ecosystem, when the file they were found in says no more. */
const PACKAGE_MANAGER = {
  dpkg: 'OS',
  rpm: 'OS',
  apk: 'OS',
  npm: 'NPM',
  pypi: 'PIP',
  maven: 'JAR',
  go: 'GOMOD',
  rubygems: 'BUNDLER',
} as const satisfies Record<Ecosystem, string>;

type PackageManager = (typeof PACKAGE_MANAGER)[Ecosystem] | 'NODEPKG' | 'YARN' | 'PYTHONPKG' | 'PIPENV' | 'POETRY' | 'POM' | 'GEMSPEC' | 'GOBINARY';

/**
 * The PackageManager Inspector names for a package, from the file it was found in: the
 * model's enum has one value per kind of file (NODEPKG for an installed module's
 * node_modules/<name>/package.json, NPM for package-lock.json, YARN for yarn.lock, PIP for
 * requirements.txt, PYTHONPKG for an installed distribution's metadata, POM for pom.xml,
 * JAR for an archive, GOBINARY for a compiled Go program, GEMSPEC for an installed gem).
 */
export function packageManagerOf(pkg: { ecosystem: Ecosystem; filePath?: string }): PackageManager {
  const path = pkg.filePath ?? '';
  const file = path.split('/').at(-1) ?? '';
  switch (pkg.ecosystem) {
    case 'npm':
      if (file === 'yarn.lock') return 'YARN';
      if (file === 'package.json' && path.includes('node_modules/')) return 'NODEPKG';
      return 'NPM';
    case 'pypi':
      if (file === 'Pipfile.lock') return 'PIPENV';
      if (file === 'poetry.lock') return 'POETRY';
      if (/\.(dist|egg)-info(\/|$)/.test(path) || file === 'METADATA' || file === 'PKG-INFO') return 'PYTHONPKG';
      return 'PIP';
    case 'maven':
      return file === 'pom.xml' ? 'POM' : 'JAR';
    case 'go':
      return file === '' || file === 'go.mod' || file === 'go.sum' ? 'GOMOD' : 'GOBINARY';
    case 'rubygems':
      return file.endsWith('.gemspec') ? 'GEMSPEC' : 'BUNDLER';
    default:
      return PACKAGE_MANAGER[pkg.ecosystem];
  }
}
