// OS package findings as AWS writes them, through the SDK v3: the vendor's source, severity
// and advisory ids, the version split into version, release and epoch, the fix as
// `epoch:version-release`, no Inspector score for Ubuntu; and installing the vendor's fixed
// build through the control plane closes the finding.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchGetFindingDetailsCommand, EnableCommand, type Finding, type Inspector2Client } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, listAllFindings, startTestServer, useTempDirs } from '../helpers.js';

const ACCOUNT = '790000000015';
const REGION = 'eu-central-1';
const UBUNTU = 'i-0a1b2c3d4e5f60015';
const AMAZON = 'i-0a1b2c3d4e5f60016';

const tempDir = useTempDirs('inspector2-os-findings-');

function seedFile(): string {
  const file = join(tempDir(), 'world.json');
  const instance = (instanceId: string, platform: string, packages: unknown[]) => ({ instanceId, amiId: 'ami-0a1b2c3d4e5f60015', platform, packages });
  writeFileSync(
    file,
    JSON.stringify({
      accounts: [
        {
          accountId: ACCOUNT,
          region: REGION,
          ec2Instances: [
            instance(UBUNTU, 'UBUNTU_22_04', [
              { name: 'libssl3', version: '3.0.2-0ubuntu1.6', ecosystem: 'dpkg', arch: 'X86_64' },
              { name: 'openssl', version: '3.0.2-0ubuntu1.6', ecosystem: 'dpkg', arch: 'X86_64' },
            ]),
            instance(AMAZON, 'AMAZON_LINUX_2', [{ name: 'openssl-libs', version: '1:1.0.2k-19.amzn2.0.1', ecosystem: 'rpm', arch: 'X86_64' }]),
          ],
        },
      ],
    }),
  );
  return file;
}

describe('OS package findings', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  const findingOf = async (resourceId: string, cve: string): Promise<Finding | undefined> =>
    (await listAllFindings(client, { resourceId: [{ comparison: 'EQUALS', value: resourceId }] })).find(
      (f) => f.packageVulnerabilityDetails?.vulnerabilityId === cve,
    );
  beforeAll(async () => {
    server = await startTestServer({ seed: seedFile() });
    client = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
  });
  afterAll(() => server.close());

  it('reports an Ubuntu finding from the USN: source, release and epoch, the epoch fix and the advisory id', async () => {
    const finding = await findingOf(UBUNTU, 'CVE-2023-0286');
    expect(finding?.status).toBe('ACTIVE');
    expect(finding?.packageVulnerabilityDetails).toMatchObject({
      source: 'UBUNTU_CVE',
      relatedVulnerabilities: expect.arrayContaining(['USN-5844-1']),
      sourceUrl: 'https://people.canonical.com/~ubuntu-security/cve/2023/CVE-2023-0286.html',
      vendorSeverity: expect.any(String),
      referenceUrls: expect.arrayContaining(['https://ubuntu.com/security/notices/USN-5844-1']),
    });
    expect(finding?.packageVulnerabilityDetails?.vulnerablePackages).toEqual([
      expect.objectContaining({
        name: 'libssl3',
        version: '3.0.2',
        release: '0ubuntu1.6',
        epoch: 0,
        packageManager: 'OS',
        fixedInVersion: '0:3.0.2-0ubuntu1.8',
      }),
      expect.objectContaining({
        name: 'openssl',
        version: '3.0.2',
        release: '0ubuntu1.6',
        epoch: 0,
        packageManager: 'OS',
        fixedInVersion: '0:3.0.2-0ubuntu1.8',
      }),
    ]);
    // AWS gives Ubuntu findings no Inspector score.
    expect(finding?.inspectorScore).toBeUndefined();
    expect(finding?.inspectorScoreDetails).toBeUndefined();
    expect(finding?.fixAvailable).toBe('YES');
  });

  it('does not report what Ubuntu fixed for jammy before the installed revision (USN-5402-1)', async () => {
    expect(await findingOf(UBUNTU, 'CVE-2022-1292')).toBeUndefined();
  });

  it('reports an Amazon Linux finding from ALAS, in the installed epoch, with an Inspector score', async () => {
    const finding = await findingOf(AMAZON, 'CVE-2023-0286');
    expect(finding?.packageVulnerabilityDetails).toMatchObject({
      source: 'AMAZON_CVE',
      vendorSeverity: 'Important',
      relatedVulnerabilities: expect.arrayContaining(['ALAS2-2023-1935']),
      sourceUrl: 'https://alas.aws.amazon.com/cve/json/v1/CVE-2023-0286.json',
    });
    expect(finding?.severity).toBe('HIGH');
    expect(finding?.packageVulnerabilityDetails?.vulnerablePackages?.[0]).toMatchObject({
      name: 'openssl-libs',
      version: '1.0.2k',
      release: '19.amzn2.0.1',
      epoch: 1,
      fixedInVersion: '1:1.0.2k-24.amzn2.0.6',
    });
    expect(finding?.inspectorScore).toEqual(expect.any(Number));
    const all = await listAllFindings(client, { resourceId: [{ comparison: 'EQUALS', value: AMAZON }] });
    for (const f of all) expect(f.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.fixedInVersion).not.toMatch(/^1\.0\.2z/);
  });

  it('gives EPSS and the vulnerability intelligence the data set has', async () => {
    const finding = await findingOf(UBUNTU, 'CVE-2023-0286');
    expect(finding?.epss?.score).toEqual(expect.any(Number));
    const details = await client.send(new BatchGetFindingDetailsCommand({ findingArns: [finding!.findingArn!] }));
    expect(details.findingDetails?.[0]).toMatchObject({ findingArn: finding!.findingArn, epssScore: finding!.epss!.score });
    expect(details.findingDetails?.[0]?.riskScore).toBeUndefined();
  });

  it('closes the finding when the fixed build is installed through the control plane', async () => {
    const base = `/_inspector2/inventory/${ACCOUNT}/${REGION}/ec2-instances/${UBUNTU}/packages`;
    for (const name of ['libssl3', 'openssl']) {
      const installed = await control(server.url, 'POST', base, { name, version: '3.0.2-0ubuntu1.8', ecosystem: 'dpkg', arch: 'X86_64' });
      expect(installed.status).toBeLessThan(300);
    }
    expect((await findingOf(UBUNTU, 'CVE-2023-0286'))?.status).toBe('CLOSED');
    // What USN-6039-1 fixed later (3.0.2-0ubuntu1.9) stays open.
    expect((await findingOf(UBUNTU, 'CVE-2023-0464'))?.status).toBe('ACTIVE');
  });
});
