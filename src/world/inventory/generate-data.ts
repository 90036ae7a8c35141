// What generated worlds are made of: the names, shapes and weights the generator
// (world/inventory/generate.ts) draws from, the OS and language packages with their real
// release ladders, and where code issues sit in a function's source. Data only; the
// choices are made there.
import type { Faker } from '@faker-js/faker';
import type { Ecosystem, OsEcosystem } from '../scanning/ecosystems.js';
import { CODE_DETECTORS, type CodeDetector } from '../scanning/code-detectors.js';

export type LinuxPlatform = keyof typeof OS_PACKAGES;
export type LanguageEcosystem = Exclude<Ecosystem, OsEcosystem>;

// prettier-ignore
export const SERVICES = [
  'orders', 'payments', 'checkout', 'inventory', 'catalog', 'search', 'auth', 'users', 'billing', 'notifications',
  'shipping', 'reports', 'analytics', 'media', 'recommendations', 'gateway', 'ledger', 'pricing', 'cart', 'reviews',
  'invoices', 'profiles', 'exports', 'audit', 'events', 'scheduler', 'mailer', 'fraud', 'loyalty', 'support',
] as const;
export const TEAMS = ['platform', 'data', 'commerce', 'identity', 'growth', 'infra'] as const;
export const LINUX_ROLES = ['web', 'api', 'worker', 'batch', 'bastion', 'db', 'cache', 'queue', 'jenkins', 'proxy'] as const;
export const WINDOWS_ROLES = ['ad', 'iis', 'sql', 'rdgw', 'app'] as const;
// prettier-ignore
export const FUNCTION_ROLES = ['api', 'worker', 'handler', 'processor', 'sync', 'cron', 'webhook', 'resizer', 'exporter', 'notifier', 'ingest', 'authorizer'] as const;

// prettier-ignore
export const LINUX_INSTANCE_TYPES = [
  't3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'm5.xlarge', 'c5.xlarge', 'r5.large', 'm6i.large', 'c6i.2xlarge',
  't4g.small', 't4g.medium', 'm7g.large', 'c7g.xlarge', 'r6g.large',
] as const;
export const WINDOWS_INSTANCE_TYPES = ['t3.large', 'm5.xlarge', 'm6i.large', 'r5.xlarge'] as const;

// Platforms without package versions (os-versions.ts) are left out of a world.
export const INSTANCE_PLATFORMS = [
  ['UBUNTU_22_04', 25],
  ['AMAZON_LINUX_2023', 22],
  ['AMAZON_LINUX_2', 15],
  ['UBUNTU_20_04', 12],
  ['DEBIAN_12', 8],
  ['RHEL_9', 8],
  ['WINDOWS_SERVER_2022', 10],
  ['UBUNTU_24_04', 12],
  ['DEBIAN_11', 4],
  ['RHEL_8', 4],
  ['ROCKY_LINUX_9', 3],
  ['ALMA_LINUX_9', 3],
] as const;
export const IMAGE_PLATFORMS = [
  ['DEBIAN_12', 40],
  ['UBUNTU_22_04', 20],
  ['AMAZON_LINUX_2023', 20],
  ['UBUNTU_20_04', 8],
  ['AMAZON_LINUX_2', 7],
  ['RHEL_9', 5],
  ['UBUNTU_24_04', 12],
  ['DEBIAN_11', 6],
  ['ALPINE_LINUX_3_18', 4],
  ['ALPINE_LINUX_3_19', 6],
  ['ALPINE_LINUX_3_20', 6],
  ['ALPINE_LINUX_3_21', 6],
] as const;
export const LANGUAGE_ECOSYSTEMS = ['npm', 'pypi', 'maven', 'go', 'rubygems'] as const;
export const IMAGE_ECOSYSTEMS = [
  ['npm', 30],
  ['pypi', 30],
  ['maven', 20],
  ['go', 10],
  ['rubygems', 10],
] as const;

export const RUNTIMES = [
  ['PYTHON_3_11', 30],
  ['NODEJS_18_X', 30],
  ['JAVA_17', 15],
  ['GO_1_X', 10],
  ['RUBY_3_2', 8],
  ['PYTHON_3_7', 7],
] as const;
type Runtime = (typeof RUNTIMES)[number][0];
export const RUNTIME_ECOSYSTEM: Record<Runtime, LanguageEcosystem> = {
  PYTHON_3_11: 'pypi',
  PYTHON_3_7: 'pypi',
  NODEJS_18_X: 'npm',
  JAVA_17: 'maven',
  GO_1_X: 'go',
  RUBY_3_2: 'rubygems',
};

// OS packages per platform: each group's versions are real releases of the distribution,
// oldest first; names in one group come from one source package and share its version.
interface PackageGroup {
  names: readonly string[];
  versions: readonly string[];
}
/** Packages of a host that container images do not have. */
export const HOST_ONLY_PACKAGES = new Set(['kernel']);
const group = (names: string | string[], ...versions: string[]): PackageGroup => ({ names: typeof names === 'string' ? [names] : names, versions });

export const OS_PACKAGES = {
  UBUNTU_22_04: {
    ecosystem: 'dpkg',
    groups: [
      group(['openssl', 'libssl3'], '3.0.2-0ubuntu1', '3.0.2-0ubuntu1.6', '3.0.2-0ubuntu1.10', '3.0.2-0ubuntu1.15', '3.0.2-0ubuntu1.18'),
      group(['libc6', 'libc-bin'], '2.35-0ubuntu3', '2.35-0ubuntu3.1', '2.35-0ubuntu3.4', '2.35-0ubuntu3.6', '2.35-0ubuntu3.8'),
      group(['curl', 'libcurl4'], '7.81.0-1ubuntu1', '7.81.0-1ubuntu1.4', '7.81.0-1ubuntu1.13', '7.81.0-1ubuntu1.15', '7.81.0-1ubuntu1.20'),
      group('sudo', '1.9.9-1ubuntu2', '1.9.9-1ubuntu2.4'),
      group('zlib1g', '1:1.2.11.dfsg-2ubuntu9', '1:1.2.11.dfsg-2ubuntu9.2'),
      group(['openssh-server', 'openssh-client'], '1:8.9p1-3', '1:8.9p1-3ubuntu0.1', '1:8.9p1-3ubuntu0.6', '1:8.9p1-3ubuntu0.10'),
      group('bash', '5.1-6ubuntu1', '5.1-6ubuntu1.1'),
      group('libxml2', '2.9.13+dfsg-1build1', '2.9.13+dfsg-1ubuntu0.3', '2.9.13+dfsg-1ubuntu0.4'),
      group('git', '1:2.34.1-1ubuntu1', '1:2.34.1-1ubuntu1.9', '1:2.34.1-1ubuntu1.11'),
      group(['vim', 'vim-common'], '2:8.2.3995-1ubuntu2', '2:8.2.3995-1ubuntu2.13', '2:8.2.3995-1ubuntu2.21'),
      group(['systemd', 'libsystemd0'], '249.11-0ubuntu3', '249.11-0ubuntu3.9', '249.11-0ubuntu3.12'),
      group(['python3.10', 'libpython3.10'], '3.10.4-3', '3.10.6-1~22.04.2', '3.10.12-1~22.04.3'),
      group('libexpat1', '2.4.7-1', '2.4.7-1ubuntu0.2', '2.4.7-1ubuntu0.3'),
      group('libgnutls30', '3.7.3-4ubuntu1', '3.7.3-4ubuntu1.2', '3.7.3-4ubuntu1.5'),
      group('libsqlite3-0', '3.37.2-2', '3.37.2-2ubuntu0.1', '3.37.2-2ubuntu0.3'),
      group('tar', '1.34+dfsg-1build3', '1.34+dfsg-1ubuntu0.1.22.04.1', '1.34+dfsg-1ubuntu0.1.22.04.2'),
      group(['libpam-modules', 'libpam0g'], '1.4.0-11ubuntu2', '1.4.0-11ubuntu2.4'),
      group(['xz-utils', 'liblzma5'], '5.2.5-2ubuntu1'),
      group('tzdata', '2022a-0ubuntu1', '2023c-0ubuntu0.22.04.2', '2024a-0ubuntu0.22.04'),
      group('ca-certificates', '20211016', '20230311ubuntu0.22.04.1'),
    ],
  },
  UBUNTU_20_04: {
    ecosystem: 'dpkg',
    groups: [
      group(['openssl', 'libssl1.1'], '1.1.1f-1ubuntu2', '1.1.1f-1ubuntu2.8', '1.1.1f-1ubuntu2.16', '1.1.1f-1ubuntu2.22'),
      group(['libc6', 'libc-bin'], '2.31-0ubuntu9', '2.31-0ubuntu9.2', '2.31-0ubuntu9.9', '2.31-0ubuntu9.16'),
      group(['curl', 'libcurl4'], '7.68.0-1ubuntu2', '7.68.0-1ubuntu2.7', '7.68.0-1ubuntu2.18', '7.68.0-1ubuntu2.22'),
      group('sudo', '1.8.31-1ubuntu1', '1.8.31-1ubuntu1.2', '1.8.31-1ubuntu1.5'),
      group(['openssh-server', 'openssh-client'], '1:8.2p1-4', '1:8.2p1-4ubuntu0.5', '1:8.2p1-4ubuntu0.11'),
      group('bash', '5.0-6ubuntu1', '5.0-6ubuntu1.2'),
      group('zlib1g', '1:1.2.11.dfsg-2ubuntu1', '1:1.2.11.dfsg-2ubuntu1.3', '1:1.2.11.dfsg-2ubuntu1.5'),
      group('libxml2', '2.9.10+dfsg-5', '2.9.10+dfsg-5ubuntu0.20.04.1', '2.9.10+dfsg-5ubuntu0.20.04.7'),
      group('git', '1:2.25.1-1ubuntu3', '1:2.25.1-1ubuntu3.6', '1:2.25.1-1ubuntu3.11'),
      group(['python3.8', 'libpython3.8'], '3.8.2-1ubuntu1', '3.8.10-0ubuntu1~20.04.4', '3.8.10-0ubuntu1~20.04.9'),
      group(['systemd', 'libsystemd0'], '245.4-4ubuntu3', '245.4-4ubuntu3.15', '245.4-4ubuntu3.23'),
      group('libexpat1', '2.2.9-1build1', '2.2.9-1ubuntu0.6', '2.2.9-1ubuntu0.7'),
      group(['policykit-1', 'libpolkit-gobject-1-0'], '0.105-26ubuntu1', '0.105-26ubuntu1.2', '0.105-26ubuntu1.3'),
      group('tzdata', '2019c-3ubuntu1', '2023c-0ubuntu0.20.04.2', '2024a-0ubuntu0.20.04'),
      group('ca-certificates', '20190110ubuntu1', '20230311ubuntu0.20.04.1'),
    ],
  },
  // Only what the default world has always had; the advisories (os-versions.ts) add the rest.
  DEBIAN_11: {
    ecosystem: 'dpkg',
    groups: [group(['openssl', 'libssl1.1'], '1.1.1n-0+deb11u3')],
  },
  DEBIAN_12: {
    ecosystem: 'dpkg',
    groups: [
      group(['openssl', 'libssl3'], '3.0.9-1', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1', '3.0.15-1~deb12u1'),
      group(['libc6', 'libc-bin'], '2.36-9', '2.36-9+deb12u3', '2.36-9+deb12u9'),
      group(['curl', 'libcurl4'], '7.88.1-10', '7.88.1-10+deb12u4', '7.88.1-10+deb12u8'),
      group('zlib1g', '1:1.2.13.dfsg-1'),
      group(['openssh-server', 'openssh-client'], '1:9.2p1-2', '1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3'),
      group('bash', '5.2.15-2+b2', '5.2.15-2+b7'),
      group('libxml2', '2.9.14+dfsg-1.2', '2.9.14+dfsg-1.3~deb12u1'),
      group('perl-base', '5.36.0-7', '5.36.0-7+deb12u1'),
      group('tar', '1.34+dfsg-1.2', '1.34+dfsg-1.2+deb12u1'),
      group('libsqlite3-0', '3.40.1-2', '3.40.1-2+deb12u1'),
      group('libexpat1', '2.5.0-1', '2.5.0-1+deb12u1'),
      group(['libsystemd0', 'libudev1'], '252.6-1', '252.22-1~deb12u1', '252.33-1~deb12u1'),
      group('libgnutls30', '3.7.9-2', '3.7.9-2+deb12u3'),
      group(['libpam-modules', 'libpam0g'], '1.5.2-6', '1.5.2-6+deb12u1'),
      group('liblzma5', '5.4.1-0.2'),
      group('tzdata', '2023c-5', '2024a-0+deb12u1', '2025b-0+deb12u1'),
    ],
  },
  AMAZON_LINUX_2023: {
    ecosystem: 'rpm',
    groups: [
      group(['openssl', 'openssl-libs'], '3.0.8-1.amzn2023.0.3', '3.0.8-1.amzn2023.0.9', '3.0.8-1.amzn2023.0.14'),
      group(['glibc', 'glibc-common'], '2.34-52.amzn2023.0.3', '2.34-52.amzn2023.0.8', '2.34-117.amzn2023.0.1'),
      group(['curl-minimal', 'libcurl-minimal'], '8.0.1-1.amzn2023', '8.3.0-1.amzn2023.0.1', '8.5.0-1.amzn2023.0.4'),
      group('bash', '5.2.15-1.amzn2023.0.2'),
      group(['openssh', 'openssh-server', 'openssh-clients'], '8.7p1-8.amzn2023.0.4', '8.7p1-8.amzn2023.0.10', '8.7p1-8.amzn2023.0.11'),
      group('sudo', '1.9.13-1.p2.amzn2023.0.2', '1.9.15-1.p5.amzn2023.0.1'),
      group(['python3', 'python3-libs'], '3.9.16-1.amzn2023.0.3', '3.9.16-1.amzn2023.0.8', '3.9.16-1.amzn2023.0.9'),
      group('libxml2', '2.10.4-1.amzn2023.0.1', '2.10.4-1.amzn2023.0.6'),
      group('expat', '2.5.0-1.amzn2023.0.1', '2.5.0-1.amzn2023.0.4'),
      group(['systemd', 'systemd-libs'], '252.4-1161.amzn2023.0.4', '252.16-1.amzn2023.0.2', '252.23-2.amzn2023'),
      group(['vim-minimal', 'vim-data'], '2:9.0.1592-1.amzn2023.0.1', '2:9.0.2153-1.amzn2023.0.1'),
      group('krb5-libs', '1.21-3.amzn2023.0.2', '1.21.3-1.amzn2023.0.1'),
      group('sqlite-libs', '3.40.0-1.amzn2023.0.3', '3.40.0-1.amzn2023.0.4'),
      group('tzdata', '2023c-1.amzn2023.0.1', '2024a-1.amzn2023.0.1'),
    ],
  },
  AMAZON_LINUX_2: {
    ecosystem: 'rpm',
    groups: [
      group(['openssl', 'openssl-libs'], '1.0.2k-19.amzn2.0.1', '1.0.2k-24.amzn2.0.7', '1.0.2k-24.amzn2.0.12'),
      group(['glibc', 'glibc-common'], '2.26-48.amzn2', '2.26-59.amzn2', '2.26-64.amzn2.0.2'),
      group(['curl', 'libcurl'], '7.79.1-1.amzn2.0.1', '8.3.0-1.amzn2.0.4', '8.3.0-1.amzn2.0.7'),
      group('sudo', '1.8.23-9.amzn2', '1.8.23-10.amzn2.1', '1.8.23-10.amzn2.3.3'),
      group('bash', '4.2.46-34.amzn2'),
      group(['openssh', 'openssh-server', 'openssh-clients'], '7.4p1-21.amzn2.0.1', '7.4p1-22.amzn2.0.6', '7.4p1-22.amzn2.0.9'),
      group(['python', 'python-libs'], '2.7.18-1.amzn2.0.5', '2.7.18-1.amzn2.0.8'),
      group('kernel', '4.14.336-257.562.amzn2', '5.10.210-201.852.amzn2', '5.10.228-219.884.amzn2'),
      group('libxml2', '2.9.1-6.amzn2.5.8', '2.9.1-6.amzn2.5.13'),
      group('expat', '2.1.0-12.amzn2', '2.1.0-15.amzn2.0.3'),
      group(['nss', 'nss-util'], '3.79.0-4.amzn2', '3.90.0-2.amzn2.0.1'),
      group('polkit', '0.112-26.amzn2', '0.112-26.amzn2.1'),
      group('tzdata', '2020a-1.amzn2', '2024a-1.amzn2.0.1'),
    ],
  },
  RHEL_9: {
    ecosystem: 'rpm',
    groups: [
      group(['openssl', 'openssl-libs'], '3.0.1-43.el9_0', '3.0.7-24.el9', '3.0.7-27.el9', '3.2.2-6.el9_5'),
      group(['glibc', 'glibc-common'], '2.34-28.el9_0', '2.34-60.el9', '2.34-100.el9_4.2', '2.34-125.el9_5.1'),
      group(['curl', 'libcurl'], '7.76.1-14.el9', '7.76.1-26.el9_3.2', '7.76.1-31.el9'),
      group('sudo', '1.9.5p2-7.el9', '1.9.5p2-10.el9_3'),
      group(['openssh', 'openssh-server', 'openssh-clients'], '8.7p1-10.el9', '8.7p1-34.el9', '8.7p1-43.el9'),
      group('bash', '5.1.8-4.el9', '5.1.8-9.el9'),
      group(['python3', 'python3-libs'], '3.9.10-2.el9', '3.9.18-3.el9', '3.9.19-8.el9_5.1'),
      group('libxml2', '2.9.13-1.el9', '2.9.13-6.el9_4'),
      group(['systemd', 'systemd-libs'], '250-6.el9_0', '252-18.el9', '252-46.el9_5.2'),
      group('expat', '2.5.0-1.el9', '2.5.0-3.el9_5.1'),
      group('krb5-libs', '1.19.1-15.el9_0', '1.21.1-4.el9_5'),
      group('tzdata', '2022a-1.el9_0', '2024a-1.el9'),
    ],
  },
} as const satisfies Record<string, { ecosystem: 'dpkg' | 'rpm'; groups: PackageGroup[] }>;

// Language libraries: real releases, oldest first, from long-known vulnerable ones to current.
export const LANGUAGE_PACKAGES: Record<LanguageEcosystem, readonly (readonly [string, readonly string[]])[]> = {
  npm: [
    ['lodash', ['4.17.15', '4.17.19', '4.17.21']],
    ['express', ['4.16.4', '4.17.1', '4.18.2', '4.21.2']],
    ['axios', ['0.21.0', '0.21.1', '0.27.2', '1.6.0', '1.7.9']],
    ['jsonwebtoken', ['8.5.1', '9.0.0', '9.0.2']],
    ['minimist', ['1.2.5', '1.2.8']],
    ['semver', ['5.7.1', '7.5.1', '7.6.3']],
    ['moment', ['2.29.1', '2.29.4']],
    ['ws', ['7.4.5', '8.11.0', '8.17.1']],
    ['node-fetch', ['2.6.1', '2.6.7', '2.7.0']],
    ['follow-redirects', ['1.14.7', '1.15.4', '1.15.6']],
    ['qs', ['6.5.2', '6.10.3', '6.13.0']],
    ['tough-cookie', ['2.5.0', '4.1.3']],
    ['debug', ['2.6.8', '2.6.9', '4.3.7']],
    ['body-parser', ['1.19.0', '1.20.1', '1.20.3']],
    ['path-to-regexp', ['0.1.7', '0.1.10', '0.1.12']],
    ['cross-spawn', ['7.0.3', '7.0.6']],
    ['braces', ['3.0.2', '3.0.3']],
    ['micromatch', ['4.0.5', '4.0.8']],
    ['handlebars', ['4.7.6', '4.7.7', '4.7.8']],
    ['ejs', ['3.1.6', '3.1.9', '3.1.10']],
    ['cookie', ['0.4.1', '0.7.1']],
    ['xml2js', ['0.4.23', '0.6.2']],
    ['pg', ['8.7.1', '8.13.1']],
    ['aws-sdk', ['2.814.0', '2.1354.0', '2.1692.0']],
  ],
  pypi: [
    ['requests', ['2.25.1', '2.28.1', '2.31.0', '2.32.3']],
    ['urllib3', ['1.26.4', '1.26.18', '2.2.3']],
    ['pyyaml', ['5.3.1', '5.4.1', '6.0.2']],
    ['django', ['3.2.0', '3.2.25', '4.2.16', '5.1.3']],
    ['flask', ['1.1.2', '2.2.5', '3.0.3']],
    ['jinja2', ['2.11.2', '3.1.2', '3.1.4']],
    ['werkzeug', ['1.0.1', '2.2.3', '3.0.6']],
    ['cryptography', ['3.3.2', '39.0.1', '42.0.8', '43.0.3']],
    ['pillow', ['8.1.0', '9.5.0', '10.4.0']],
    ['numpy', ['1.19.5', '1.24.4', '1.26.4']],
    ['boto3', ['1.17.112', '1.28.85', '1.35.70']],
    ['certifi', ['2020.12.5', '2023.7.22', '2024.8.30']],
    ['idna', ['2.10', '3.4', '3.10']],
    ['setuptools', ['50.3.2', '65.5.0', '75.6.0']],
    ['sqlalchemy', ['1.3.23', '1.4.46', '2.0.36']],
    ['paramiko', ['2.7.2', '2.12.0', '3.5.0']],
    ['lxml', ['4.6.2', '4.9.3', '5.3.0']],
    ['aiohttp', ['3.8.1', '3.9.5', '3.11.7']],
    ['gunicorn', ['20.0.4', '21.2.0', '23.0.0']],
    ['psycopg2-binary', ['2.8.6', '2.9.10']],
  ],
  maven: [
    ['org.apache.logging.log4j:log4j-core', ['2.14.1', '2.17.1', '2.24.1']],
    ['com.fasterxml.jackson.core:jackson-databind', ['2.9.10.1', '2.12.6.1', '2.13.4.2', '2.17.2']],
    ['org.springframework:spring-web', ['5.2.9.RELEASE', '5.3.17', '5.3.39', '6.1.14']],
    ['org.springframework:spring-beans', ['5.3.17', '5.3.18', '6.1.14']],
    ['org.springframework.boot:spring-boot', ['2.5.6', '2.7.18', '3.3.5']],
    ['org.yaml:snakeyaml', ['1.26', '1.33', '2.2']],
    ['commons-collections:commons-collections', ['3.2.1', '3.2.2']],
    ['org.apache.commons:commons-text', ['1.9', '1.10.0', '1.12.0']],
    ['com.google.guava:guava', ['29.0-jre', '31.1-jre', '33.3.1-jre']],
    ['io.netty:netty-codec-http', ['4.1.68.Final', '4.1.94.Final', '4.1.115.Final']],
    ['org.apache.tomcat.embed:tomcat-embed-core', ['9.0.43', '9.0.83', '10.1.33']],
    ['ch.qos.logback:logback-classic', ['1.2.3', '1.2.13', '1.5.12']],
    ['com.h2database:h2', ['1.4.200', '2.2.224', '2.3.232']],
    ['org.postgresql:postgresql', ['42.2.18', '42.5.1', '42.7.4']],
    ['commons-io:commons-io', ['2.6', '2.11.0', '2.17.0']],
    ['com.google.protobuf:protobuf-java', ['3.11.4', '3.21.7', '3.25.5']],
    ['org.bouncycastle:bcprov-jdk15on', ['1.60', '1.70']],
  ],
  go: [
    ['github.com/gin-gonic/gin', ['v1.6.3', 'v1.7.7', 'v1.9.1', 'v1.10.0']],
    ['golang.org/x/net', ['v0.0.0-20210226172049-e18ecbb05110', 'v0.7.0', 'v0.17.0', 'v0.33.0']],
    ['golang.org/x/crypto', ['v0.0.0-20201221181555-eec23a3978ad', 'v0.14.0', 'v0.31.0']],
    ['golang.org/x/text', ['v0.3.5', 'v0.3.8', 'v0.21.0']],
    ['github.com/aws/aws-sdk-go', ['v1.34.0', 'v1.44.122', 'v1.55.5']],
    ['github.com/aws/aws-lambda-go', ['v1.26.0', 'v1.47.0']],
    ['google.golang.org/grpc', ['v1.40.0', 'v1.56.3', 'v1.68.1']],
    ['google.golang.org/protobuf', ['v1.26.0', 'v1.31.0', 'v1.35.2']],
    ['github.com/dgrijalva/jwt-go', ['v3.2.0+incompatible']],
    ['github.com/golang-jwt/jwt/v4', ['v4.4.1', 'v4.5.1']],
    ['gopkg.in/yaml.v3', ['v3.0.0-20210107192922-496545a6307b', 'v3.0.1']],
    ['github.com/gorilla/websocket', ['v1.4.0', 'v1.4.2', 'v1.5.3']],
    ['github.com/sirupsen/logrus', ['v1.8.1', 'v1.9.3']],
  ],
  rubygems: [
    ['rails', ['6.1.4', '6.1.7.10', '7.0.8.6', '7.1.5']],
    ['rack', ['2.2.3', '2.2.8.1', '3.1.8']],
    ['nokogiri', ['1.11.1', '1.13.10', '1.16.8']],
    ['actionpack', ['6.1.4', '7.0.8.6']],
    ['activesupport', ['6.1.4', '7.0.8.6', '7.1.5']],
    ['puma', ['5.5.2', '5.6.9', '6.4.3']],
    ['json', ['2.5.1', '2.7.2']],
    ['rexml', ['3.2.4', '3.2.5', '3.3.9']],
    ['sinatra', ['2.1.0', '2.2.4', '4.1.0']],
    ['aws-sdk-s3', ['1.96.0', '1.170.0']],
    ['jwt', ['2.2.2', '2.9.3']],
    ['faraday', ['1.4.1', '2.12.1']],
  ],
};

// ---- code issues of Lambda functions: the detectors of the scanner's catalog, in files of the service

export type CodeLanguage = 'python' | 'javascript' | 'java';
export const CODE_LANGUAGE: Record<Runtime, CodeLanguage | undefined> = {
  PYTHON_3_11: 'python',
  PYTHON_3_7: 'python',
  NODEJS_18_X: 'javascript',
  JAVA_17: 'java',
  GO_1_X: undefined,
  RUBY_3_2: undefined,
};

/** One code issue a function of a service may have: its detector, file and lines (from a line the generator picks). */
export type CodeIssueTemplate = (faker: Faker, service: string) => { detector: CodeDetector; filePath: string; code: string[] };
const javaClass = (service: string) => `${service[0]!.toUpperCase()}${service.slice(1)}`;

export const CODE_ISSUES: Record<CodeLanguage, CodeIssueTemplate[]> = {
  python: [
    (faker, service) => ({
      detector: CODE_DETECTORS.pythonHardcodedCredentials,
      filePath: `src/${service}/settings.py`,
      code: [`DB_PASSWORD = "${faker.internet.password({ length: 16 })}"`],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.pythonSqlInjection,
      filePath: `src/${service}/queries.py`,
      code: [`    query = f"SELECT * FROM ${service} WHERE id = '{event['id']}'"`, '    cursor.execute(query)'],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.pythonOsCommandInjection,
      filePath: `src/${service}/convert.py`,
      code: ['    subprocess.run(f"convert {event[\'file\']} /tmp/out.png", shell=True)'],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.pythonInsecureHashing,
      filePath: `src/${service}/tokens.py`,
      code: ['    digest = hashlib.md5(secret.encode()).hexdigest()'],
    }),
  ],
  javascript: [
    (faker, service) => ({
      detector: CODE_DETECTORS.javascriptHardcodedCredentials,
      filePath: `src/${service}/client.js`,
      code: [`const API_KEY = "${faker.string.alphanumeric(32)}";`],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.javascriptPathTraversal,
      filePath: `src/${service}/files.js`,
      code: ['  const file = path.join(UPLOAD_DIR, event.queryStringParameters.name);', "  return fs.readFileSync(file, 'utf8');"],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.javascriptLogInjection,
      filePath: `src/${service}/handler.js`,
      code: ['  console.log(`login failed for ${body.username}`);'],
    }),
  ],
  java: [
    (_faker, service) => ({
      detector: CODE_DETECTORS.javaSqlInjection,
      filePath: `src/main/java/com/example/${service}/${javaClass(service)}Repository.java`,
      code: [`        String sql = "SELECT * FROM ${service} WHERE name = '" + name + "'";`, '        ResultSet rows = statement.executeQuery(sql);'],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.javaXmlExternalEntity,
      filePath: `src/main/java/com/example/${service}/${javaClass(service)}Parser.java`,
      code: [
        '        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();',
        '        Document document = factory.newDocumentBuilder().parse(input);',
      ],
    }),
    (_faker, service) => ({
      detector: CODE_DETECTORS.javaInsecureCryptography,
      filePath: `src/main/java/com/example/${service}/${javaClass(service)}Crypto.java`,
      code: ['        Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");'],
    }),
  ],
};
