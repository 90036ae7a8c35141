// The package ecosystems the vulnerability catalog and the inventory speak of. Each has
// its own version ordering (world/versions.ts) and maps to the package manager that
// Inspector reports in a finding.
export const ECOSYSTEMS = ['dpkg', 'rpm', 'npm', 'pypi', 'maven', 'go', 'rubygems'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** The model's PackageManager value for packages of each ecosystem. */
export const PACKAGE_MANAGER = {
  dpkg: 'OS',
  rpm: 'OS',
  npm: 'NPM',
  pypi: 'PIP',
  maven: 'JAR',
  go: 'GOMOD',
  rubygems: 'BUNDLER',
} as const satisfies Record<Ecosystem, string>;
