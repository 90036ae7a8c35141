// ListFindings queries through the SDK v3, table-driven: filters of every kind, all sort
// fields in both orders, and pagination. The expected answers are worked out here, from
// the full, unfiltered finding list, with small predicates and a comparator of the test's
// own (never with the emulator's query engine), then compared with what the emulator
// returns over all pages.
//
// The world: a delegated administrator (222222222222) and its member (333333333333), both
// with the default inventory and every scan type, made richer step by step an hour apart
// (a pushed image, a launched instance, a deployed function, an upgrade that closes
// findings, published vulnerabilities with EPSS scores, a suppression rule), and a
// standalone account that nobody else sees.
import {
  AssociateMemberCommand,
  CreateFilterCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  ListFindingsCommand,
  type FilterCriteria,
  type Finding,
  type Inspector2Client,
  type SortCriteria,
  type SortField,
  type StringFilter,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, ORG, rejection, startTestServer } from '../helpers.js';

const REGION = 'eu-west-1';
const ADMIN = ORG.securityTooling;
const MEMBER = ORG.production;
const STANDALONE = '760000000006';
const ALL = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] as const;

// The timeline: everything is enabled at T0; the clock then moves 1 minute, and each
// change below happens one hour after the one before.
const T0 = Date.parse('2026-05-01T00:00:00Z');
const HOUR = 3_600_000;
const step = (n: number) => new Date(T0 + 60_000 + n * HOUR);
const STEPS = { push: step(1), launch: step(2), deploy: step(3), upgrade: step(4), publishLow: step(5), publishMedium: step(6), suppress: step(7) };

const EDGE = { instanceId: 'i-0edge00000000000a', amiId: 'ami-0edge00000000000a', vpcId: 'vpc-0edge' };
const NEW_IMAGE = `sha256:${'f'.repeat(64)}`;
const layer = (name: string) => `arn:aws:lambda:${REGION}:${MEMBER}:layer:${name}`;

// ---- the test's own reading of a finding -------------------------------------------------

const resources = (f: Finding) => f.resources ?? [];
const ec2 = (f: Finding) => resources(f).flatMap((r) => (r.details?.awsEc2Instance ? [r.details.awsEc2Instance] : []));
const ecr = (f: Finding) => resources(f).flatMap((r) => (r.details?.awsEcrContainerImage ? [r.details.awsEcrContainerImage] : []));
const lambda = (f: Finding) => resources(f).flatMap((r) => (r.details?.awsLambdaFunction ? [r.details.awsLambdaFunction] : []));
const pkgs = (f: Finding) => f.packageVulnerabilityDetails?.vulnerablePackages ?? [];
const steps = (f: Finding) => f.networkReachabilityDetails?.networkPath?.steps ?? [];
const vulnId = (f: Finding) => f.packageVulnerabilityDetails?.vulnerabilityId;
const ms = (d: Date | undefined) => d?.getTime();
/** Inclusive on both ends; a missing value is never in range. */
const within = (value: number | undefined, low?: number, high?: number) =>
  value !== undefined && (low === undefined || value >= low) && (high === undefined || value <= high);

const eq = (value: string): StringFilter => ({ comparison: 'EQUALS', value });
const prefix = (value: string): StringFilter => ({ comparison: 'PREFIX', value });
const ne = (value: string): StringFilter => ({ comparison: 'NOT_EQUALS', value });

// ---- the test's own order ------------------------------------------------------------------

const SEVERITY_RANK: Record<string, number> = { UNTRIAGED: 0, INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };
type Key = string | number | undefined;
const SORT_KEYS: Record<SortField, (f: Finding) => Key> = {
  AWS_ACCOUNT_ID: (f) => f.awsAccountId,
  FINDING_TYPE: (f) => f.type,
  SEVERITY: (f) => (f.severity === undefined ? undefined : SEVERITY_RANK[f.severity]),
  FIRST_OBSERVED_AT: (f) => ms(f.firstObservedAt),
  LAST_OBSERVED_AT: (f) => ms(f.lastObservedAt),
  FINDING_STATUS: (f) => f.status,
  RESOURCE_TYPE: (f) => resources(f)[0]?.type,
  ECR_IMAGE_PUSHED_AT: (f) => ms(resources(f)[0]?.details?.awsEcrContainerImage?.pushedAt),
  ECR_IMAGE_REPOSITORY_NAME: (f) => resources(f)[0]?.details?.awsEcrContainerImage?.repositoryName,
  ECR_IMAGE_REGISTRY: (f) => resources(f)[0]?.details?.awsEcrContainerImage?.registry,
  NETWORK_PROTOCOL: (f) => f.networkReachabilityDetails?.protocol,
  COMPONENT_TYPE: (f) => steps(f)[0]?.componentType,
  VULNERABILITY_ID: (f) => vulnId(f),
  VULNERABILITY_SOURCE: (f) => f.packageVulnerabilityDetails?.source,
  INSPECTOR_SCORE: (f) => f.inspectorScore,
  VENDOR_SEVERITY: (f) => f.packageVulnerabilityDetails?.vendorSeverity,
  EPSS_SCORE: (f) => f.epss?.score,
};
const SORT_FIELDS = Object.keys(SORT_KEYS) as SortField[];

/** Findings lacking the field last in either order; ties by findingArn ascending. */
function comparator(sort: SortCriteria | undefined): (a: Finding, b: Finding) => number {
  const key = SORT_KEYS[sort?.field ?? 'LAST_OBSERVED_AT'];
  const direction = (sort?.sortOrder ?? 'DESC') === 'DESC' ? -1 : 1;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return (ka < kb ? -1 : 1) * direction;
    }
    return a.findingArn! < b.findingArn! ? -1 : a.findingArn! > b.findingArn! ? 1 : 0;
  };
}
const arnsInOrder = (findings: Finding[], sort?: SortCriteria) => [...findings].sort(comparator(sort)).map((f) => f.findingArn!);

// ---- listing -------------------------------------------------------------------------------

interface Listing {
  pages: Finding[][];
  tokens: (string | undefined)[];
}

async function listPages(
  client: Inspector2Client,
  input: { filterCriteria?: FilterCriteria; sortCriteria?: SortCriteria; maxResults?: number },
): Promise<Listing> {
  const listing: Listing = { pages: [], tokens: [] };
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListFindingsCommand({ ...input, nextToken }));
    listing.pages.push(page.findings ?? []);
    listing.tokens.push(page.nextToken);
    nextToken = page.nextToken;
    if (listing.pages.length > 1000) throw new Error('ListFindings does not stop paging');
  } while (nextToken);
  return listing;
}

async function listAll(
  client: Inspector2Client,
  input: { filterCriteria?: FilterCriteria; sortCriteria?: SortCriteria; maxResults?: number } = {},
): Promise<Finding[]> {
  return (await listPages(client, input)).pages.flat();
}

// ---- the world -----------------------------------------------------------------------------

let server: RunningServer;
let admin: Inspector2Client;
let member: Inspector2Client;
let standalone: Inspector2Client;
/** The administrator's full, unfiltered list: both accounts' findings. */
let everything: Finding[] = [];
/** The title of one package finding of the world (which CVEs a world has follows the vendors' data). */
const oneTitle = (): string => everything.find((f) => f.type === 'PACKAGE_VULNERABILITY' && f.packageVulnerabilityDetails?.source !== 'NVD')?.title ?? '';
let memberView: Finding[] = [];
let standaloneView: Finding[] = [];
/** The member's Log4Shell finding: the one ARN the findingArn cases ask for. */
let log4shellArn = '';

const vulnerability = (id: string, severity: string, baseScore: number, vector: string, epss: number, affected: object[]) => ({
  id,
  title: `Emulator test vulnerability ${id}`,
  description: `A vulnerability published by the finding-queries test: ${id}.`,
  published: '2026-04-01',
  cwes: ['CWE-20'],
  cvss3: { version: '3.1', baseScore, vector, source: 'NVD' },
  severity,
  epss: { score: epss, percentile: 0.5, asOf: '2026-04-30' },
  exploit: { known: false },
  affected,
  references: [`https://example.com/${id}`],
});

beforeAll(async () => {
  server = await startTestServer({ manualClock: true, clockStart: new Date(T0) });
  const as = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
  admin = as(ADMIN);
  member = as(MEMBER);
  standalone = as(STANDALONE);
  const expectCreated = async (call: Promise<{ status: number; body: unknown }>) => {
    const response = await call;
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  };
  const inventory = `/_inspector2/inventory`;
  const nextStep = async (at: Date) => {
    const clock = await control(server.url, 'POST', '/_inspector2/clock', { advance: '1h' });
    expect(clock.body.now).toBe(at.toISOString());
  };

  await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ADMIN }));
  await admin.send(new AssociateMemberCommand({ accountId: MEMBER }));
  await admin.send(new EnableCommand({ resourceTypes: [...ALL] }));
  await admin.send(new EnableCommand({ accountIds: [MEMBER], resourceTypes: [...ALL] }));
  await standalone.send(new EnableCommand({ resourceTypes: [...ALL] }));
  await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });

  // A new image in the member's web-app repository: other tags, architecture, push time, use count.
  await nextStep(STEPS.push);
  await expectCreated(
    control(server.url, 'POST', `${inventory}/${MEMBER}/${REGION}/ecr-repositories/web-app/images`, {
      digest: NEW_IMAGE,
      tags: ['v3', 'canary'],
      pushedAt: '-30m',
      lastInUseAt: '-5m',
      inUseCount: 5,
      architecture: 'arm64',
      platform: 'DEBIAN_12',
      layers: [
        {
          digest: `sha256:${'e'.repeat(64)}`,
          packages: [
            { name: 'jsonwebtoken', version: '8.5.1', ecosystem: 'npm', filePath: '/app/node_modules/jsonwebtoken/package.json' },
            { name: 'semver', version: '7.5.1', ecosystem: 'npm', filePath: '/app/node_modules/semver/package.json' },
          ],
        },
      ],
    }),
  );

  // An internet-facing instance in its own VPC: a UDP port range and another TCP port; openssl
  // and libssl3 at different versions, so one finding holds two packages that differ.
  await nextStep(STEPS.launch);
  await expectCreated(
    control(server.url, 'POST', `${inventory}/${ADMIN}/${REGION}/ec2-instances`, {
      ...EDGE,
      platform: 'UBUNTU_22_04',
      tags: { Name: 'edge-1', Team: 'net' },
      subnetId: 'subnet-0edge',
      internetGatewayId: 'igw-0edge',
      publicIp: '198.51.100.7',
      securityGroups: [
        {
          groupId: 'sg-0edge',
          ingress: [
            { protocol: 'UDP', fromPort: 5000, toPort: 5010, cidr: '0.0.0.0/0' },
            { protocol: 'TCP', fromPort: 8443, toPort: 8443, cidr: '0.0.0.0/0' },
          ],
        },
      ],
      packages: [
        { name: 'sudo', version: '1.9.9-1ubuntu2', ecosystem: 'dpkg', arch: 'amd64' },
        { name: 'openssl', version: '3.0.2-0ubuntu1.6', ecosystem: 'dpkg', arch: 'amd64' },
        { name: 'libssl3', version: '3.0.2-0ubuntu1.1', ecosystem: 'dpkg', arch: 'amd64' },
      ],
    }),
  );

  // A function with two layers and two code issues of low severities.
  await nextStep(STEPS.deploy);
  await expectCreated(
    control(server.url, 'PUT', `${inventory}/${MEMBER}/${REGION}/lambda-functions/reports-job`, {
      runtime: 'PYTHON_3_10',
      executionRoleArn: `arn:aws:iam::${MEMBER}:role/reports-role`,
      tags: { Service: 'reports', Tier: 'batch' },
      layers: [
        { arn: layer('py-yaml:2'), packages: [{ name: 'pyyaml', version: '5.3.1', ecosystem: 'pypi', filePath: 'python/pyyaml' }] },
        { arn: layer('py-http:7'), packages: [{ name: 'urllib3', version: '1.26.4', ecosystem: 'pypi', filePath: 'python/urllib3' }] },
      ],
      packages: [{ name: 'requests', version: '2.25.1', ecosystem: 'pypi', filePath: 'requirements.txt' }],
      codeIssues: [
        {
          detectorId: 'python/log-injection@v1.0',
          detectorName: 'Log injection',
          ruleId: 'python-log-injection',
          title: 'Log injection',
          description: 'User input is written to the log without neutralization.',
          cwes: ['CWE-117'],
          severity: 'LOW',
          detectorTags: ['injection', 'logging'],
          filePath: 'src/reports/log.py',
          startLine: 3,
          endLine: 4,
          code: ['log.info(request.args["q"])'],
        },
        {
          detectorId: 'python/insecure-hash@v1.0',
          detectorName: 'Insecure hashing',
          ruleId: 'python-insecure-hash',
          title: 'Insecure hashing',
          description: 'MD5 is used for a security purpose.',
          cwes: ['CWE-327'],
          severity: 'INFORMATIONAL',
          detectorTags: ['cryptography'],
          filePath: 'src/reports/hash.py',
          startLine: 9,
          endLine: 9,
          code: ['hashlib.md5(secret)'],
        },
      ],
    }),
  );

  // Upgrading log4j on the administrator's web-1 closes its log4j findings.
  await nextStep(STEPS.upgrade);
  const web1 = (await control(server.url, 'GET', `${inventory}/${ADMIN}/${REGION}`)).body.ec2Instances.find(
    (i: { tags: Record<string, string> }) => i.tags.Name === 'web-1',
  );
  await expectCreated(
    control(server.url, 'POST', `${inventory}/${ADMIN}/${REGION}/ec2-instances/${web1.instanceId}/packages`, {
      name: 'org.apache.logging.log4j:log4j-core',
      version: '2.17.1',
      ecosystem: 'maven',
      filePath: '/usr/lib/app/lib/log4j-core-2.14.1.jar',
    }),
  );

  // Vulnerabilities with EPSS scores, one LOW.
  await nextStep(STEPS.publishLow);
  await expectCreated(
    control(
      server.url,
      'POST',
      '/_inspector2/vulnerabilities',
      vulnerability('CVE-2099-1001', 'LOW', 1.8, 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 0.0123, [
        { ecosystem: 'npm', package: 'semver', ranges: [{ fixed: '7.5.2' }] },
      ]),
    ),
  );
  await nextStep(STEPS.publishMedium);
  await expectCreated(
    control(
      server.url,
      'POST',
      '/_inspector2/vulnerabilities',
      vulnerability('CVE-2099-1002', 'MEDIUM', 5.4, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N', 0.42, [
        { ecosystem: 'pypi', package: 'requests', ranges: [{ lastAffected: '2.25.1' }] },
      ]),
    ),
  );

  // The administrator's suppression rule governs the member's findings too.
  await nextStep(STEPS.suppress);
  await admin.send(
    new CreateFilterCommand({
      name: 'hide-axios-redirects',
      action: 'SUPPRESS',
      filterCriteria: { vulnerabilityId: [eq('CVE-2020-28168')] },
      reason: 'accepted risk',
    }),
  );
  await control(server.url, 'POST', '/_inspector2/clock', { advance: '1h' });

  everything = await listAll(admin, { maxResults: 25 });
  memberView = await listAll(member, { maxResults: 25 });
  standaloneView = await listAll(standalone, { maxResults: 25 });
  log4shellArn = everything.find((f) => f.awsAccountId === MEMBER && vulnId(f) === 'CVE-2021-44228')?.findingArn ?? '';
}, 60_000);

afterAll(() => server?.close());

// ---- the world is what the cases need --------------------------------------------------------

describe('the world the queries run against', () => {
  it('holds what the cases need, every finding once', () => {
    const arns = everything.map((f) => f.findingArn);
    expect(new Set(arns).size).toBe(arns.length);
    expect(everything.length).toBeGreaterThan(100);
    const has = (predicate: (f: Finding) => boolean) => everything.some(predicate);
    for (const status of ['ACTIVE', 'CLOSED', 'SUPPRESSED'])
      expect(
        has((f) => f.status === status),
        status,
      ).toBe(true);
    for (const severity of ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])
      expect(
        has((f) => f.severity === severity),
        severity,
      ).toBe(true);
    for (const type of ['PACKAGE_VULNERABILITY', 'NETWORK_REACHABILITY', 'CODE_VULNERABILITY'])
      expect(
        has((f) => f.type === type),
        type,
      ).toBe(true);
    expect(new Set(everything.map((f) => f.awsAccountId))).toEqual(new Set([ADMIN, MEMBER]));
    expect(new Set(everything.map((f) => ms(f.firstObservedAt))).size).toBeGreaterThanOrEqual(4);
    expect(new Set(everything.map((f) => ms(f.updatedAt))).size).toBeGreaterThanOrEqual(5);
    expect(has((f) => lambda(f).some((l) => l.functionName === 'reports-job'))).toBe(true);
    expect(has((f) => f.networkReachabilityDetails?.protocol === 'UDP')).toBe(true);
    expect(log4shellArn).toMatch(/^arn:aws:inspector2:eu-west-1:333333333333:finding\//);
  });

  it('has a finding whose packages match a name and a version only on two different packages', () => {
    // OS packages report version and release apart (3.0.2, 0ubuntu1.1).
    // (Other instances of the account's own world may run that release of openssl itself: the edge instance is where it is split.)
    const edge = everything.filter((f) => ec2(f).some((i) => i.imageId === EDGE.amiId));
    const split = edge.filter((f) => pkgs(f).some((p) => p.name === 'openssl') && pkgs(f).some((p) => p.release === '0ubuntu1.1'));
    expect(split.length).toBeGreaterThan(0);
    expect(split.every((f) => !pkgs(f).some((p) => p.name === 'openssl' && p.release === '0ubuntu1.1'))).toBe(true);
  });
});

// ---- filters ---------------------------------------------------------------------------------

interface FilterCase {
  name: string;
  criteria: FilterCriteria | (() => FilterCriteria);
  expected: (f: Finding) => boolean;
  /** The answer is empty (otherwise it must be neither empty nor everything). */
  none?: true;
}

const date = (d: Date) => d.getTime();
const pushedAt = (f: Finding) =>
  ecr(f)
    .map((i) => ms(i.pushedAt))
    .find((t) => t !== undefined);
const inUseCount = (f: Finding) =>
  ecr(f)
    .map((i) => i.inUseCount)
    .find((n) => n !== undefined);
const tags = (f: Finding) => resources(f).map((r) => r.tags ?? {});
const ports = (f: Finding) => f.networkReachabilityDetails?.openPortRange;

const FILTER_CASES: FilterCase[] = [
  // severity
  { name: 'severity EQUALS CRITICAL', criteria: { severity: [eq('CRITICAL')] }, expected: (f) => f.severity === 'CRITICAL' },
  { name: 'severity PREFIX M', criteria: { severity: [prefix('M')] }, expected: (f) => f.severity === 'MEDIUM' },
  { name: 'severity NOT_EQUALS HIGH', criteria: { severity: [ne('HIGH')] }, expected: (f) => f.severity !== 'HIGH' },
  {
    name: 'severity EQUALS CRITICAL or EQUALS HIGH',
    criteria: { severity: [eq('CRITICAL'), eq('HIGH')] },
    expected: (f) => f.severity === 'CRITICAL' || f.severity === 'HIGH',
  },
  {
    name: 'severity NOT_EQUALS HIGH and NOT_EQUALS CRITICAL',
    criteria: { severity: [ne('HIGH'), ne('CRITICAL')] },
    expected: (f) => f.severity !== 'HIGH' && f.severity !== 'CRITICAL',
  },
  {
    name: 'severity EQUALS INFORMATIONAL or PREFIX LO',
    criteria: { severity: [eq('INFORMATIONAL'), prefix('LO')] },
    expected: (f) => f.severity === 'INFORMATIONAL' || f.severity === 'LOW',
  },
  // findingType
  {
    name: 'findingType EQUALS NETWORK_REACHABILITY',
    criteria: { findingType: [eq('NETWORK_REACHABILITY')] },
    expected: (f) => f.type === 'NETWORK_REACHABILITY',
  },
  { name: 'findingType PREFIX CODE', criteria: { findingType: [prefix('CODE')] }, expected: (f) => f.type === 'CODE_VULNERABILITY' },
  {
    name: 'findingType NOT_EQUALS PACKAGE_VULNERABILITY',
    criteria: { findingType: [ne('PACKAGE_VULNERABILITY')] },
    expected: (f) => f.type !== 'PACKAGE_VULNERABILITY',
  },
  // findingStatus
  { name: 'findingStatus EQUALS CLOSED', criteria: { findingStatus: [eq('CLOSED')] }, expected: (f) => f.status === 'CLOSED' },
  { name: 'findingStatus PREFIX SUPP', criteria: { findingStatus: [prefix('SUPP')] }, expected: (f) => f.status === 'SUPPRESSED' },
  { name: 'findingStatus NOT_EQUALS ACTIVE', criteria: { findingStatus: [ne('ACTIVE')] }, expected: (f) => f.status !== 'ACTIVE' },
  // title
  {
    name: 'title EQUALS one title',
    criteria: () => ({ title: [eq(oneTitle())] }),
    expected: (f) => f.title === oneTitle(),
  },
  { name: 'title PREFIX Port', criteria: { title: [prefix('Port ')] }, expected: (f) => f.title?.startsWith('Port ') === true },
  {
    name: 'title NOT_EQUALS is case-sensitive',
    criteria: { title: [ne('cwe-798 - hardcoded credentials')], findingType: [eq('CODE_VULNERABILITY')] },
    expected: (f) => f.type === 'CODE_VULNERABILITY',
  },
  // resourceType, resourceId
  {
    name: 'resourceType EQUALS AWS_LAMBDA_FUNCTION',
    criteria: { resourceType: [eq('AWS_LAMBDA_FUNCTION')] },
    expected: (f) => resources(f).some((r) => r.type === 'AWS_LAMBDA_FUNCTION'),
  },
  {
    name: 'resourceType PREFIX AWS_EC',
    criteria: { resourceType: [prefix('AWS_EC')] },
    expected: (f) => resources(f).some((r) => r.type?.startsWith('AWS_EC')),
  },
  {
    name: 'resourceType NOT_EQUALS AWS_EC2_INSTANCE',
    criteria: { resourceType: [ne('AWS_EC2_INSTANCE')] },
    expected: (f) => !resources(f).some((r) => r.type === 'AWS_EC2_INSTANCE'),
  },
  {
    name: 'resourceId EQUALS an instance',
    criteria: { resourceId: [eq(EDGE.instanceId)] },
    expected: (f) => resources(f).some((r) => r.id === EDGE.instanceId),
  },
  {
    name: 'resourceId PREFIX the member’s web-app images',
    criteria: { resourceId: [prefix(`arn:aws:ecr:${REGION}:${MEMBER}:repository/web-app/`)] },
    expected: (f) => resources(f).some((r) => r.id?.startsWith(`arn:aws:ecr:${REGION}:${MEMBER}:repository/web-app/`)),
  },
  {
    name: 'resourceId PREFIX i- and NOT_EQUALS one instance',
    criteria: { resourceId: [prefix('i-'), ne(EDGE.instanceId)] },
    expected: (f) => resources(f).some((r) => r.id?.startsWith('i-')) && !resources(f).some((r) => r.id === EDGE.instanceId),
  },
  // vulnerabilityId
  { name: 'vulnerabilityId EQUALS CVE-2021-44228', criteria: { vulnerabilityId: [eq('CVE-2021-44228')] }, expected: (f) => vulnId(f) === 'CVE-2021-44228' },
  {
    name: 'vulnerabilityId PREFIX CVE-2099-',
    criteria: { vulnerabilityId: [prefix('CVE-2099-')] },
    expected: (f) => vulnId(f)?.startsWith('CVE-2099-') === true,
  },
  {
    name: 'vulnerabilityId NOT_EQUALS keeps findings without one',
    criteria: { vulnerabilityId: [ne('CVE-2023-5363')] },
    expected: (f) => vulnId(f) !== 'CVE-2023-5363',
  },
  {
    name: 'vulnerabilityId PREFIX CVE-2022 and NOT_EQUALS CVE-2022-1292',
    criteria: { vulnerabilityId: [prefix('CVE-2022'), ne('CVE-2022-1292')] },
    expected: (f) => vulnId(f)?.startsWith('CVE-2022') === true && vulnId(f) !== 'CVE-2022-1292',
  },
  // fixAvailable, exploitAvailable
  { name: 'fixAvailable EQUALS NO', criteria: { fixAvailable: [eq('NO')] }, expected: (f) => f.fixAvailable === 'NO' },
  { name: 'fixAvailable NOT_EQUALS YES', criteria: { fixAvailable: [ne('YES')] }, expected: (f) => f.fixAvailable !== 'YES' },
  { name: 'exploitAvailable EQUALS YES', criteria: { exploitAvailable: [eq('YES')] }, expected: (f) => f.exploitAvailable === 'YES' },
  { name: 'exploitAvailable PREFIX N', criteria: { exploitAvailable: [prefix('N')] }, expected: (f) => f.exploitAvailable?.startsWith('N') === true },
  // ECR
  {
    name: 'ecrImageRepositoryName EQUALS web-app',
    criteria: { ecrImageRepositoryName: [eq('web-app')] },
    expected: (f) => ecr(f).some((i) => i.repositoryName === 'web-app'),
  },
  {
    name: 'ecrImageRepositoryName NOT_EQUALS web-app',
    criteria: { ecrImageRepositoryName: [ne('web-app')] },
    expected: (f) => !ecr(f).some((i) => i.repositoryName === 'web-app'),
  },
  {
    name: 'ecrImageTags EQUALS canary (any tag)',
    criteria: { ecrImageTags: [eq('canary')] },
    expected: (f) => ecr(f).some((i) => i.imageTags?.includes('canary')),
  },
  {
    name: 'ecrImageTags PREFIX v (any tag)',
    criteria: { ecrImageTags: [prefix('v')] },
    expected: (f) => ecr(f).some((i) => i.imageTags?.some((t) => t.startsWith('v'))),
  },
  {
    name: 'ecrImageTags NOT_EQUALS latest (no tag equal)',
    criteria: { ecrImageTags: [ne('latest')] },
    expected: (f) => !ecr(f).some((i) => i.imageTags?.includes('latest')),
  },
  {
    name: 'ecrImageTags EQUALS v2 or EQUALS v3',
    criteria: { ecrImageTags: [eq('v2'), eq('v3')] },
    expected: (f) => ecr(f).some((i) => i.imageTags?.includes('v2') || i.imageTags?.includes('v3')),
  },
  // Lambda
  {
    name: 'lambdaFunctionName EQUALS reports-job',
    criteria: { lambdaFunctionName: [eq('reports-job')] },
    expected: (f) => lambda(f).some((l) => l.functionName === 'reports-job'),
  },
  {
    name: 'lambdaFunctionName PREFIX orders',
    criteria: { lambdaFunctionName: [prefix('orders')] },
    expected: (f) => lambda(f).some((l) => l.functionName?.startsWith('orders')),
  },
  {
    name: 'lambdaFunctionRuntime EQUALS PYTHON_3_10',
    criteria: { lambdaFunctionRuntime: [eq('PYTHON_3_10')] },
    expected: (f) => lambda(f).some((l) => l.runtime === 'PYTHON_3_10'),
  },
  {
    name: 'lambdaFunctionRuntime PREFIX PYTHON',
    criteria: { lambdaFunctionRuntime: [prefix('PYTHON')] },
    expected: (f) => lambda(f).some((l) => l.runtime?.startsWith('PYTHON')),
  },
  {
    name: 'lambdaFunctionRuntime NOT_EQUALS NODEJS_18_X, among Lambda findings',
    criteria: { lambdaFunctionRuntime: [ne('NODEJS_18_X')], resourceType: [eq('AWS_LAMBDA_FUNCTION')] },
    expected: (f) => resources(f).some((r) => r.type === 'AWS_LAMBDA_FUNCTION') && !lambda(f).some((l) => l.runtime === 'NODEJS_18_X'),
  },
  {
    name: 'lambdaFunctionLayers EQUALS one layer (any layer)',
    criteria: { lambdaFunctionLayers: [eq(layer('py-http:7'))] },
    expected: (f) => lambda(f).some((l) => l.layers?.includes(layer('py-http:7'))),
  },
  {
    name: 'lambdaFunctionLayers PREFIX',
    criteria: { lambdaFunctionLayers: [prefix(layer('py-'))] },
    expected: (f) => lambda(f).some((l) => l.layers?.some((a) => a.startsWith(layer('py-')))),
  },
  {
    name: 'lambdaFunctionLayers NOT_EQUALS one layer (no layer equal)',
    criteria: { lambdaFunctionLayers: [ne(layer('py-yaml:2'))] },
    expected: (f) => !lambda(f).some((l) => l.layers?.includes(layer('py-yaml:2'))),
  },
  // EC2
  { name: 'ec2InstanceImageId EQUALS', criteria: { ec2InstanceImageId: [eq(EDGE.amiId)] }, expected: (f) => ec2(f).some((i) => i.imageId === EDGE.amiId) },
  {
    name: 'ec2InstanceImageId PREFIX',
    criteria: { ec2InstanceImageId: [prefix('ami-0edge')] },
    expected: (f) => ec2(f).some((i) => i.imageId?.startsWith('ami-0edge')),
  },
  { name: 'ec2InstanceImageId NOT_EQUALS', criteria: { ec2InstanceImageId: [ne(EDGE.amiId)] }, expected: (f) => !ec2(f).some((i) => i.imageId === EDGE.amiId) },
  { name: 'ec2InstanceVpcId EQUALS', criteria: { ec2InstanceVpcId: [eq(EDGE.vpcId)] }, expected: (f) => ec2(f).some((i) => i.vpcId === EDGE.vpcId) },
  {
    name: 'ec2InstanceVpcId PREFIX vpc- and NOT_EQUALS one VPC',
    criteria: { ec2InstanceVpcId: [prefix('vpc-'), ne(EDGE.vpcId)] },
    expected: (f) => ec2(f).some((i) => i.vpcId?.startsWith('vpc-')) && !ec2(f).some((i) => i.vpcId === EDGE.vpcId),
  },
  // network
  { name: 'networkProtocol EQUALS UDP', criteria: { networkProtocol: [eq('UDP')] }, expected: (f) => f.networkReachabilityDetails?.protocol === 'UDP' },
  { name: 'networkProtocol NOT_EQUALS TCP', criteria: { networkProtocol: [ne('TCP')] }, expected: (f) => f.networkReachabilityDetails?.protocol !== 'TCP' },
  {
    name: 'componentType EQUALS a security group (any step)',
    criteria: { componentType: [eq('AWS::EC2::SecurityGroup')] },
    expected: (f) => steps(f).some((s) => s.componentType === 'AWS::EC2::SecurityGroup'),
  },
  {
    name: 'componentType PREFIX',
    criteria: { componentType: [prefix('AWS::EC2::Internet')] },
    expected: (f) => steps(f).some((s) => s.componentType?.startsWith('AWS::EC2::Internet')),
  },
  {
    name: 'componentType NOT_EQUALS (no step equal)',
    criteria: { componentType: [ne('AWS::EC2::Instance')] },
    expected: (f) => !steps(f).some((s) => s.componentType === 'AWS::EC2::Instance'),
  },
  // code
  {
    name: 'codeVulnerabilityDetectorName EQUALS',
    criteria: { codeVulnerabilityDetectorName: [eq('Log injection')] },
    expected: (f) => f.codeVulnerabilityDetails?.detectorName === 'Log injection',
  },
  {
    name: 'codeVulnerabilityDetectorName PREFIX I or PREFIX H',
    criteria: { codeVulnerabilityDetectorName: [prefix('I'), prefix('H')] },
    expected: (f) => /^[IH]/.test(f.codeVulnerabilityDetails?.detectorName ?? ''),
  },
  {
    name: 'codeVulnerabilityDetectorName NOT_EQUALS, among code findings',
    criteria: { codeVulnerabilityDetectorName: [ne('Hardcoded credentials')], findingType: [eq('CODE_VULNERABILITY')] },
    expected: (f) => f.type === 'CODE_VULNERABILITY' && f.codeVulnerabilityDetails?.detectorName !== 'Hardcoded credentials',
  },
  // vendorSeverity
  { name: 'vendorSeverity EQUALS LOW', criteria: { vendorSeverity: [eq('LOW')] }, expected: (f) => f.packageVulnerabilityDetails?.vendorSeverity === 'LOW' },
  {
    name: 'vendorSeverity NOT_EQUALS CRITICAL',
    criteria: { vendorSeverity: [ne('CRITICAL')] },
    expected: (f) => f.packageVulnerabilityDetails?.vendorSeverity !== 'CRITICAL',
  },
  // awsAccountId
  { name: 'awsAccountId EQUALS the member', criteria: { awsAccountId: [eq(MEMBER)] }, expected: (f) => f.awsAccountId === MEMBER },
  { name: 'awsAccountId PREFIX 2222', criteria: { awsAccountId: [prefix('2222')] }, expected: (f) => f.awsAccountId === ADMIN },
  { name: 'awsAccountId NOT_EQUALS the administrator', criteria: { awsAccountId: [ne(ADMIN)] }, expected: (f) => f.awsAccountId !== ADMIN },
  { name: 'awsAccountId EQUALS an account nobody administers', criteria: { awsAccountId: [eq(STANDALONE)] }, expected: () => false, none: true },
  // findingArn
  { name: 'findingArn EQUALS one finding', criteria: () => ({ findingArn: [eq(log4shellArn)] }), expected: (f) => f.findingArn === log4shellArn },
  { name: 'findingArn NOT_EQUALS one finding', criteria: () => ({ findingArn: [ne(log4shellArn)] }), expected: (f) => f.findingArn !== log4shellArn },
  // AND across fields
  {
    name: 'CRITICAL and EC2 and the member',
    criteria: { severity: [eq('CRITICAL')], resourceType: [eq('AWS_EC2_INSTANCE')], awsAccountId: [eq(MEMBER)] },
    expected: (f) => f.severity === 'CRITICAL' && resources(f).some((r) => r.type === 'AWS_EC2_INSTANCE') && f.awsAccountId === MEMBER,
  },
  {
    name: 'ACTIVE and exploitAvailable YES and fixAvailable NOT_EQUALS NO',
    criteria: { findingStatus: [eq('ACTIVE')], exploitAvailable: [eq('YES')], fixAvailable: [ne('NO')] },
    expected: (f) => f.status === 'ACTIVE' && f.exploitAvailable === 'YES' && f.fixAvailable !== 'NO',
  },
  // numbers
  { name: 'inspectorScore lowerInclusive 9 (a value)', criteria: { inspectorScore: [{ lowerInclusive: 9 }] }, expected: (f) => within(f.inspectorScore, 9) },
  {
    name: 'inspectorScore upperInclusive 5.3 (a value)',
    criteria: { inspectorScore: [{ upperInclusive: 5.3 }] },
    expected: (f) => within(f.inspectorScore, undefined, 5.3),
  },
  {
    name: 'inspectorScore 7.3..7.5',
    criteria: { inspectorScore: [{ lowerInclusive: 7.3, upperInclusive: 7.5 }] },
    expected: (f) => within(f.inspectorScore, 7.3, 7.5),
  },
  {
    name: 'inspectorScore two ranges OR',
    criteria: { inspectorScore: [{ upperInclusive: 2 }, { lowerInclusive: 9.9, upperInclusive: 10 }] },
    expected: (f) => within(f.inspectorScore, undefined, 2) || within(f.inspectorScore, 9.9, 10),
  },
  { name: 'epssScore lowerInclusive 0.42 (a value)', criteria: { epssScore: [{ lowerInclusive: 0.42 }] }, expected: (f) => within(f.epss?.score, 0.42) },
  { name: 'epssScore upperInclusive 0.1', criteria: { epssScore: [{ upperInclusive: 0.1 }] }, expected: (f) => within(f.epss?.score, undefined, 0.1) },
  {
    name: 'epssScore 0.0123..0.42 (both values)',
    criteria: { epssScore: [{ lowerInclusive: 0.0123, upperInclusive: 0.42 }] },
    expected: (f) => within(f.epss?.score, 0.0123, 0.42),
  },
  { name: 'ecrImageInUseCount lowerInclusive 3', criteria: { ecrImageInUseCount: [{ lowerInclusive: 3 }] }, expected: (f) => within(inUseCount(f), 3) },
  {
    name: 'ecrImageInUseCount upperInclusive 2 (a value)',
    criteria: { ecrImageInUseCount: [{ upperInclusive: 2 }] },
    expected: (f) => within(inUseCount(f), undefined, 2),
  },
  {
    name: 'ecrImageInUseCount 2..5 (both values)',
    criteria: { ecrImageInUseCount: [{ lowerInclusive: 2, upperInclusive: 5 }] },
    expected: (f) => within(inUseCount(f), 2, 5),
  },
  // dates
  {
    name: 'firstObservedAt startInclusive on a value',
    criteria: { firstObservedAt: [{ startInclusive: STEPS.push }] },
    expected: (f) => within(ms(f.firstObservedAt), date(STEPS.push)),
  },
  {
    name: 'firstObservedAt endInclusive on T0',
    criteria: { firstObservedAt: [{ endInclusive: new Date(T0) }] },
    expected: (f) => within(ms(f.firstObservedAt), undefined, T0),
  },
  {
    name: 'firstObservedAt between two values, both inclusive',
    criteria: { firstObservedAt: [{ startInclusive: STEPS.push, endInclusive: STEPS.launch }] },
    expected: (f) => within(ms(f.firstObservedAt), date(STEPS.push), date(STEPS.launch)),
  },
  {
    name: 'firstObservedAt two ranges OR',
    criteria: { firstObservedAt: [{ endInclusive: new Date(T0) }, { startInclusive: STEPS.publishMedium }] },
    expected: (f) => within(ms(f.firstObservedAt), undefined, T0) || within(ms(f.firstObservedAt), date(STEPS.publishMedium)),
  },
  {
    name: 'lastObservedAt startInclusive on a value',
    criteria: { lastObservedAt: [{ startInclusive: STEPS.deploy }] },
    expected: (f) => within(ms(f.lastObservedAt), date(STEPS.deploy)),
  },
  {
    name: 'updatedAt startInclusive on a value',
    criteria: { updatedAt: [{ startInclusive: STEPS.upgrade }] },
    expected: (f) => within(ms(f.updatedAt), date(STEPS.upgrade)),
  },
  { name: 'updatedAt endInclusive on T0', criteria: { updatedAt: [{ endInclusive: new Date(T0) }] }, expected: (f) => within(ms(f.updatedAt), undefined, T0) },
  {
    name: 'updatedAt from and to the same instant',
    criteria: { updatedAt: [{ startInclusive: STEPS.upgrade, endInclusive: STEPS.upgrade }] },
    expected: (f) => ms(f.updatedAt) === date(STEPS.upgrade),
  },
  {
    name: 'ecrImagePushedAt startInclusive on a value',
    criteria: { ecrImagePushedAt: [{ startInclusive: new Date(date(STEPS.push) - 30 * 60_000) }] },
    expected: (f) => within(pushedAt(f), date(STEPS.push) - 30 * 60_000),
  },
  {
    name: 'ecrImagePushedAt endInclusive',
    criteria: { ecrImagePushedAt: [{ endInclusive: new Date(T0 - 86_400_000) }] },
    expected: (f) => within(pushedAt(f), undefined, T0 - 86_400_000),
  },
  {
    name: 'ecrImagePushedAt both bounds on one value',
    criteria: { ecrImagePushedAt: [{ startInclusive: new Date(T0 - 2 * 86_400_000), endInclusive: new Date(T0 - 2 * 86_400_000) }] },
    expected: (f) => pushedAt(f) === T0 - 2 * 86_400_000,
  },
  // maps
  {
    name: 'resourceTags key and value',
    criteria: { resourceTags: [{ comparison: 'EQUALS', key: 'Environment', value: 'production' }] },
    expected: (f) => tags(f).some((t) => t.Environment === 'production'),
  },
  { name: 'resourceTags key only', criteria: { resourceTags: [{ comparison: 'EQUALS', key: 'Team' }] }, expected: (f) => tags(f).some((t) => 'Team' in t) },
  {
    name: 'resourceTags two maps OR',
    criteria: {
      resourceTags: [
        { comparison: 'EQUALS', key: 'Service', value: 'orders' },
        { comparison: 'EQUALS', key: 'Tier' },
      ],
    },
    expected: (f) => tags(f).some((t) => t.Service === 'orders' || 'Tier' in t),
  },
  {
    name: 'resourceTags value that no resource has',
    criteria: { resourceTags: [{ comparison: 'EQUALS', key: 'Environment', value: 'Production' }] },
    expected: () => false,
    none: true,
  },
  // ports
  {
    name: 'portRange 400..9000 (open range within)',
    criteria: { portRange: [{ beginInclusive: 400, endInclusive: 9000 }] },
    expected: (f) => ports(f) !== undefined && ports(f)!.begin! >= 400 && ports(f)!.end! <= 9000,
  },
  {
    name: 'portRange beginInclusive only',
    criteria: { portRange: [{ beginInclusive: 5000 }] },
    expected: (f) => ports(f) !== undefined && ports(f)!.begin! >= 5000,
  },
  { name: 'portRange endInclusive only', criteria: { portRange: [{ endInclusive: 443 }] }, expected: (f) => ports(f) !== undefined && ports(f)!.end! <= 443 },
  {
    name: 'portRange exactly one port',
    criteria: { portRange: [{ beginInclusive: 22, endInclusive: 22 }] },
    expected: (f) => ports(f)?.begin === 22 && ports(f)?.end === 22,
  },
  {
    name: 'portRange that only overlaps an open range',
    criteria: { portRange: [{ beginInclusive: 5005, endInclusive: 6000 }] },
    expected: () => false,
    none: true,
  },
  // packages
  {
    name: 'vulnerablePackages name EQUALS curl',
    criteria: { vulnerablePackages: [{ name: eq('curl') }] },
    expected: (f) => pkgs(f).some((p) => p.name === 'curl'),
  },
  {
    name: 'vulnerablePackages name PREFIX lib',
    criteria: { vulnerablePackages: [{ name: prefix('lib') }] },
    expected: (f) => pkgs(f).some((p) => p.name?.startsWith('lib')),
  },
  {
    name: 'vulnerablePackages name and version of one package',
    criteria: { vulnerablePackages: [{ name: eq('libssl3'), version: eq('3.0.2'), release: eq('0ubuntu1.1') }] },
    expected: (f) => pkgs(f).some((p) => p.name === 'libssl3' && p.version === '3.0.2' && p.release === '0ubuntu1.1'),
  },
  {
    name: 'vulnerablePackages name and version found only on two different packages',
    criteria: { resourceId: [eq(EDGE.instanceId)], vulnerablePackages: [{ name: eq('openssl'), release: eq('0ubuntu1.1') }] },
    expected: (f) => resources(f).some((r) => r.id === EDGE.instanceId) && pkgs(f).some((p) => p.name === 'openssl' && p.release === '0ubuntu1.1'),
    none: true,
  },
  {
    name: 'vulnerablePackages two package filters OR',
    criteria: { vulnerablePackages: [{ name: eq('pyyaml') }, { name: eq('semver'), filePath: prefix('/app/') }] },
    expected: (f) => pkgs(f).some((p) => p.name === 'pyyaml' || (p.name === 'semver' && p.filePath?.startsWith('/app/'))),
  },
  {
    name: 'vulnerablePackages from a Lambda layer',
    criteria: { vulnerablePackages: [{ sourceLambdaLayerArn: prefix(layer('')) }] },
    expected: (f) => pkgs(f).some((p) => p.sourceLambdaLayerArn?.startsWith(layer(''))),
  },
  // nothing
  { name: 'a vulnerability nobody has', criteria: { vulnerabilityId: [eq('CVE-1999-0001')] }, expected: () => false, none: true },
  { name: 'EQUALS and NOT_EQUALS of the same value', criteria: { severity: [eq('HIGH'), ne('HIGH')] }, expected: () => false, none: true },
];

describe('ListFindings filters', () => {
  it.each(FILTER_CASES)('$name', async ({ criteria, expected, none }) => {
    const filterCriteria = typeof criteria === 'function' ? criteria() : criteria;
    const want = arnsInOrder(everything.filter(expected));
    if (none) expect(want).toEqual([]);
    else {
      expect(want.length, 'the world has findings this case selects').toBeGreaterThan(0);
      expect(want.length, 'the world has findings this case leaves out').toBeLessThan(everything.length);
    }
    const got = await listAll(admin, { filterCriteria });
    // The default order: LAST_OBSERVED_AT DESC, ties by findingArn.
    expect(got.map((f) => f.findingArn)).toEqual(want);
  });
});

// ---- sorting ---------------------------------------------------------------------------------

const SORT_CASES: { name: string; sortCriteria: SortCriteria }[] = SORT_FIELDS.flatMap((field) =>
  (['ASC', 'DESC'] as const).map((sortOrder) => ({ name: `${field} ${sortOrder}`, sortCriteria: { field, sortOrder } })),
);

describe('ListFindings sort', () => {
  it('covers all 17 sort fields', () => {
    expect(SORT_FIELDS).toHaveLength(17);
    expect(SORT_CASES).toHaveLength(34);
  });

  it.each(SORT_CASES)('$name', async ({ sortCriteria }) => {
    const got = await listAll(admin, { sortCriteria });
    expect(got.map((f) => f.findingArn)).toEqual(arnsInOrder(everything, sortCriteria));
  });

  it.each([
    {
      name: 'SEVERITY DESC of the member’s open findings',
      sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' },
      filterCriteria: { awsAccountId: [eq(MEMBER)], findingStatus: [eq('ACTIVE')] },
      expected: (f: Finding) => f.awsAccountId === MEMBER && f.status === 'ACTIVE',
    },
    {
      name: 'EPSS_SCORE DESC of CRITICAL and LOW findings',
      sortCriteria: { field: 'EPSS_SCORE', sortOrder: 'DESC' },
      filterCriteria: { severity: [eq('CRITICAL'), eq('LOW')] },
      expected: (f: Finding) => f.severity === 'CRITICAL' || f.severity === 'LOW',
    },
    {
      name: 'ECR_IMAGE_PUSHED_AT ASC of image findings',
      sortCriteria: { field: 'ECR_IMAGE_PUSHED_AT', sortOrder: 'ASC' },
      filterCriteria: { resourceType: [eq('AWS_ECR_CONTAINER_IMAGE')] },
      expected: (f: Finding) => resources(f).some((r) => r.type === 'AWS_ECR_CONTAINER_IMAGE'),
    },
  ] as { name: string; sortCriteria: SortCriteria; filterCriteria: FilterCriteria; expected: (f: Finding) => boolean }[])(
    'filtered and sorted: $name',
    async ({ sortCriteria, filterCriteria, expected }) => {
      const got = await listAll(admin, { sortCriteria, filterCriteria, maxResults: 10 });
      expect(got.map((f) => f.findingArn)).toEqual(arnsInOrder(everything.filter(expected), sortCriteria));
    },
  );

  it('sorts SEVERITY by rank, not by name', async () => {
    const got = await listAll(admin, { sortCriteria: { field: 'SEVERITY', sortOrder: 'ASC' } });
    const severities = [...new Set(got.map((f) => f.severity))];
    expect(severities).toEqual(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
  });
});

// ---- pagination ------------------------------------------------------------------------------

const PAGE_CASES: { name: string; maxResults: number; sortCriteria?: SortCriteria; filterCriteria?: FilterCriteria; expected?: (f: Finding) => boolean }[] = [
  { name: 'maxResults 1, default order', maxResults: 1 },
  { name: 'maxResults 7, SEVERITY DESC', maxResults: 7, sortCriteria: { field: 'SEVERITY', sortOrder: 'DESC' } },
  { name: 'maxResults 25, INSPECTOR_SCORE ASC', maxResults: 25, sortCriteria: { field: 'INSPECTOR_SCORE', sortOrder: 'ASC' } },
  { name: 'maxResults 100, FIRST_OBSERVED_AT DESC', maxResults: 100, sortCriteria: { field: 'FIRST_OBSERVED_AT', sortOrder: 'DESC' } },
  {
    name: 'maxResults 7, EC2 findings by VULNERABILITY_ID ASC',
    maxResults: 7,
    sortCriteria: { field: 'VULNERABILITY_ID', sortOrder: 'ASC' },
    filterCriteria: { resourceType: [eq('AWS_EC2_INSTANCE')] },
    expected: (f) => resources(f).some((r) => r.type === 'AWS_EC2_INSTANCE'),
  },
  {
    name: 'maxResults 100, the member’s findings by RESOURCE_TYPE DESC',
    maxResults: 100,
    sortCriteria: { field: 'RESOURCE_TYPE', sortOrder: 'DESC' },
    filterCriteria: { awsAccountId: [eq(MEMBER)] },
    expected: (f) => f.awsAccountId === MEMBER,
  },
];

describe('ListFindings pagination', () => {
  it.each(PAGE_CASES)('$name', async ({ maxResults, sortCriteria, filterCriteria, expected }) => {
    const want = arnsInOrder(expected ? everything.filter(expected) : everything, sortCriteria);
    const cap = Math.min(maxResults, 25);
    expect(want.length).toBeGreaterThan(cap);
    const { pages, tokens } = await listPages(admin, { maxResults, sortCriteria, filterCriteria });
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(cap);
    for (const page of pages.slice(0, -1)) expect(page.length).toBeGreaterThan(0);
    expect(tokens.at(-1)).toBeUndefined();
    expect(tokens.slice(0, -1).every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(want.length / cap));
    const got = pages.flat().map((f) => f.findingArn);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(want);
  });

  it('fills a page of maxResults 100 with 25 findings, no more', async () => {
    const page = await admin.send(new ListFindingsCommand({ maxResults: 100 }));
    expect(page.findings).toHaveLength(25);
    expect(page.nextToken).toBeTruthy();
  });

  it.each([
    { name: 'another field', first: { field: 'SEVERITY', sortOrder: 'DESC' }, second: { field: 'INSPECTOR_SCORE', sortOrder: 'DESC' } },
    { name: 'the other order', first: { field: 'SEVERITY', sortOrder: 'DESC' }, second: { field: 'SEVERITY', sortOrder: 'ASC' } },
    { name: 'no sortCriteria', first: { field: 'AWS_ACCOUNT_ID', sortOrder: 'ASC' }, second: undefined },
  ] as { name: string; first: SortCriteria; second?: SortCriteria }[])('refuses a token reused with $name', async ({ first, second }) => {
    const page = await admin.send(new ListFindingsCommand({ maxResults: 5, sortCriteria: first }));
    expect(page.nextToken).toBeTruthy();
    const error = await rejection(admin.send(new ListFindingsCommand({ maxResults: 5, sortCriteria: second, nextToken: page.nextToken })));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    // The same token with the same sortCriteria is fine.
    const next = await admin.send(new ListFindingsCommand({ maxResults: 5, sortCriteria: first, nextToken: page.nextToken }));
    expect(next.findings).toHaveLength(5);
  });

  it('refuses a token it never issued', async () => {
    const error = await rejection(admin.send(new ListFindingsCommand({ nextToken: 'not-a-token' })));
    expect(error.name).toBe('ValidationException');
  });
});

// ---- visibility ------------------------------------------------------------------------------

describe('who sees which findings', () => {
  it('a standalone account sees only its own findings, and nobody else sees them', () => {
    expect(standaloneView.length).toBeGreaterThan(0);
    expect(standaloneView.every((f) => f.awsAccountId === STANDALONE)).toBe(true);
    expect(standaloneView.every((f) => f.findingArn?.includes(`:${STANDALONE}:finding/`))).toBe(true);
    const others = new Set([...everything, ...memberView].map((f) => f.findingArn));
    expect(standaloneView.filter((f) => others.has(f.findingArn))).toEqual([]);
  });

  it('a member sees only its own findings; its administrator sees them too', () => {
    expect(memberView.every((f) => f.awsAccountId === MEMBER)).toBe(true);
    expect(arnsInOrder(memberView)).toEqual(arnsInOrder(everything.filter((f) => f.awsAccountId === MEMBER)));
  });

  it('a standalone account asking for another account’s findings gets none', async () => {
    expect(await listAll(standalone, { filterCriteria: { awsAccountId: [eq(MEMBER)] } })).toEqual([]);
    expect((await listAll(standalone, { filterCriteria: { awsAccountId: [eq(STANDALONE)] } })).map((f) => f.findingArn)).toEqual(arnsInOrder(standaloneView));
  });
});

// ---- a token while the world changes (last: these publish vulnerabilities) -------------------

describe('a page token while findings are added', () => {
  const publish = async (id: string, affected: object[]) => {
    const response = await control(
      server.url,
      'POST',
      '/_inspector2/vulnerabilities',
      vulnerability(id, 'HIGH', 7.5, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 0.3, affected),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
  };

  it.each([
    { sortOrder: 'ASC' as const, id: 'CVE-2099-2001', affected: [{ ecosystem: 'npm', package: 'express', ranges: [{ fixed: '4.19.2' }] }] },
    { sortOrder: 'DESC' as const, id: 'CVE-2099-2002', affected: [{ ecosystem: 'pypi', package: 'urllib3', ranges: [{ fixed: '1.26.18' }] }] },
  ])('LAST_OBSERVED_AT $sortOrder continues after page 1’s last finding', async ({ sortOrder, id, affected }) => {
    const sortCriteria: SortCriteria = { field: 'LAST_OBSERVED_AT', sortOrder };
    const before = await listAll(admin);
    const first = await admin.send(new ListFindingsCommand({ maxResults: 25, sortCriteria }));
    expect(first.findings?.map((f) => f.findingArn)).toEqual(arnsInOrder(before, sortCriteria).slice(0, 25));
    const last = first.findings!.at(-1)!;

    await publish(id, affected);
    const now = await listAll(admin);
    const added = now.filter((f) => vulnId(f) === id);
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((f) => !before.some((b) => b.findingArn === f.findingArn))).toBe(true);

    const rest: Finding[] = [];
    let nextToken = first.nextToken;
    while (nextToken) {
      const page = await admin.send(new ListFindingsCommand({ maxResults: 25, sortCriteria, nextToken }));
      rest.push(...(page.findings ?? []));
      nextToken = page.nextToken;
    }
    // Page 1's last finding did not change, so the rest is what follows it in the new order.
    const unchanged = now.find((f) => f.findingArn === last.findingArn)!;
    expect(unchanged.lastObservedAt).toEqual(last.lastObservedAt);
    const order = arnsInOrder(now, sortCriteria);
    const got = rest.map((f) => f.findingArn);
    expect(got).toEqual(order.slice(order.indexOf(last.findingArn!) + 1));
    expect(got).not.toContain(last.findingArn);
    expect(new Set([...first.findings!.map((f) => f.findingArn), ...got]).size).toBe(first.findings!.length + got.length);
    // The new findings are the latest observed: after the cursor in ASC, before it in DESC.
    const addedArns = added.map((f) => f.findingArn!);
    if (sortOrder === 'ASC') expect(got).toEqual(expect.arrayContaining(addedArns));
    else expect(got.filter((arn) => addedArns.includes(arn!))).toEqual([]);
  });
});
