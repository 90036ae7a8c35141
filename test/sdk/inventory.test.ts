// Seeded inventories, and inventory changes through the control plane, seen through the
// SDK v3: instances launched, stopped and terminated, functions deployed and deleted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnableCommand, ListCoverageCommand, ListFindingsCommand, type Inspector2Client } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, startTestServer, useTempDirs } from '../helpers.js';

const ACCOUNT = '780000000008';
const REGION = 'us-west-2';
const INSTANCE = 'i-0123456789abcdef0';

const tempDir = useTempDirs('inspector2-seed-');

function seedFile(): string {
  const file = join(tempDir(), 'world.json');
  writeFileSync(
    file,
    JSON.stringify({
      accounts: [
        {
          accountId: ACCOUNT,
          region: REGION,
          ec2Instances: [
            {
              instanceId: INSTANCE,
              amiId: 'ami-0123456789abcdef0',
              platform: 'UBUNTU_20_04',
              tags: { Name: 'seeded' },
              // Focal's sudo before USN-4705-1 (CVE-2021-3156, fixed in 1.8.31-1ubuntu1.2).
              packages: [{ name: 'sudo', version: '1.8.31-1ubuntu1', ecosystem: 'dpkg' }],
            },
          ],
        },
      ],
    }),
  );
  return file;
}

describe('a seeded inventory and its changes', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  const base = `/_inspector2/inventory/${ACCOUNT}/${REGION}`;
  const coverage = async () => (await client.send(new ListCoverageCommand({}))).coveredResources ?? [];
  const openFindings = async (resourceId: string) =>
    (
      await client.send(
        new ListFindingsCommand({
          filterCriteria: { resourceId: [{ comparison: 'EQUALS', value: resourceId }], findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] },
        }),
      )
    ).findings ?? [];
  beforeAll(async () => {
    server = await startTestServer({ seed: seedFile() });
    client = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'LAMBDA'] }));
  });
  afterAll(() => server.close());

  it('scans what the seed file lists, and nothing generated', async () => {
    const rows = await coverage();
    expect(new Set(rows.map((r) => r.resourceId))).toEqual(new Set([INSTANCE]));
    expect((await openFindings(INSTANCE)).map((f) => f.packageVulnerabilityDetails?.vulnerabilityId)).toContain('CVE-2021-3156');
  });

  it('follows an instance through stop, start and termination', async () => {
    expect((await control(server.url, 'PATCH', `${base}/ec2-instances/${INSTANCE}`, { state: 'stopped' })).status).toBe(200);
    expect((await coverage()).map((r) => r.scanStatus?.reason)).toEqual(['EC2_INSTANCE_STOPPED', 'EC2_INSTANCE_STOPPED']);
    // A stopped instance keeps its findings (AWS closes them only when it is terminated).
    const open = (await openFindings(INSTANCE)).map((f) => f.findingArn);
    expect(open.length).toBeGreaterThan(0);
    await control(server.url, 'PATCH', `${base}/ec2-instances/${INSTANCE}`, { state: 'running' });
    expect((await openFindings(INSTANCE)).map((f) => f.findingArn)).toEqual(open);
    await control(server.url, 'PATCH', `${base}/ec2-instances/${INSTANCE}`, { state: 'terminated' });
    expect(await coverage()).toEqual([]);
    expect(await openFindings(INSTANCE)).toEqual([]);
    const again = await control(server.url, 'PATCH', `${base}/ec2-instances/${INSTANCE}`, { state: 'running' });
    expect(again.status).toBe(400);
  });

  it('launches an instance and deploys and deletes a function', async () => {
    const launched = await control(server.url, 'POST', `${base}/ec2-instances`, {
      instanceId: 'i-0fedcba9876543210',
      amiId: 'ami-0fedcba9876543210',
      platform: 'AMAZON_LINUX_2023',
      packages: [{ name: 'glibc', version: '2.34-52.amzn2023', ecosystem: 'rpm' }],
    });
    expect(launched.status).toBe(201);
    const deployed = await control(server.url, 'PUT', `${base}/lambda-functions/payments`, {
      runtime: 'PYTHON_3_11',
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/payments`,
      packages: [{ name: 'requests', version: '2.25.1', ecosystem: 'pypi' }],
    });
    expect(deployed.status).toBe(200);
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:payments:$LATEST`;
    expect((await coverage()).map((r) => r.resourceId).sort()).toEqual([arn, 'i-0fedcba9876543210', 'i-0fedcba9876543210'].sort());
    expect((await openFindings(arn)).length).toBeGreaterThan(0);
    await control(server.url, 'DELETE', `${base}/lambda-functions/payments`);
    expect(await openFindings(arn)).toEqual([]);
  });

  it('refuses bad changes with a 400 naming the field', async () => {
    const bad = await control(server.url, 'POST', `${base}/ec2-instances`, { instanceId: 'web-1', amiId: 'ami-0fedcba9876543210', platform: 'UBUNTU_22_04' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^instanceId: must be an instance id/);
    const badPackage = await control(server.url, 'POST', `${base}/ec2-instances/i-0fedcba9876543210/packages`, { name: 'x', version: '1', ecosystem: 'cargo' });
    expect(badPackage.status).toBe(400);
    expect(badPackage.body.message).toMatch(/^ecosystem:/);
    expect((await control(server.url, 'PATCH', `${base}/ec2-instances/i-00000000000000000`, { state: 'stopped' })).status).toBe(404);
    expect((await control(server.url, 'GET', `/_inspector2/inventory/123/${REGION}`)).status).toBe(400);
  });
});
