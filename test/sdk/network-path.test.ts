// Network reachability findings as AWS writes them, seen through the SDK v3: the path from
// the internet gateway through the subnet's network ACL, the security group and the
// instance's network interface to the instance, and AWS's title and description.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnableCommand, type Finding, ListFindingsCommand, type Inspector2Client } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, startTestServer, useTempDirs } from '../helpers.js';

const REGION = 'eu-west-1';
const SEEDED = '790000000041';
const DEFAULT = '790000000042';
const INSTANCE = 'i-0a1b2c3d4e5f60718';
const PATH = ['AWS::EC2::InternetGateway', 'AWS::EC2::NetworkAcl', 'AWS::EC2::SecurityGroup', 'AWS::EC2::NetworkInterface', 'AWS::EC2::Instance'];

const tempDir = useTempDirs('inspector2-network-');

function seedFile(): string {
  const file = join(tempDir(), 'world.json');
  const instance = (instanceId: string, extra: object) => ({
    instanceId,
    amiId: 'ami-0123456789abcdef0',
    platform: 'UBUNTU_22_04',
    internetGatewayId: 'igw-0123456789abcdef0',
    publicIp: '203.0.113.7',
    ...extra,
  });
  writeFileSync(
    file,
    JSON.stringify({
      accounts: [
        {
          accountId: SEEDED,
          region: REGION,
          ec2Instances: [
            instance(INSTANCE, {
              networkAclId: 'acl-0123456789abcdef0',
              networkInterfaceId: 'eni-0123456789abcdef0',
              securityGroups: [
                {
                  groupId: 'sg-0123456789abcdef0',
                  ingress: [
                    { protocol: 'TCP', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
                    { protocol: 'TCP', fromPort: 8000, toPort: 8080, cidr: '::/0' },
                    { protocol: 'TCP', fromPort: 5432, toPort: 5432, cidr: '10.0.0.0/16' },
                  ],
                },
              ],
            }),
            // An older seed names neither the ACL nor the interface: the path has them all the same.
            instance('i-0fedcba9876543210', {
              securityGroups: [{ groupId: 'sg-0fedcba9876543210', ingress: [{ protocol: 'UDP', fromPort: 53, toPort: 53, cidr: '0.0.0.0/0' }] }],
            }),
          ],
        },
      ],
    }),
  );
  return file;
}

describe('network reachability findings', () => {
  let server: RunningServer;
  const networkFindings = async (client: Inspector2Client): Promise<Finding[]> =>
    (
      await client.send(
        new ListFindingsCommand({ filterCriteria: { findingType: [{ comparison: 'EQUALS', value: 'NETWORK_REACHABILITY' }] }, maxResults: 100 }),
      )
    ).findings ?? [];
  const enabled = async (accountId: string) => {
    const client = inspectorClient(server.url, { accountId, region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    return client;
  };
  beforeAll(async () => {
    server = await startTestServer({ seed: seedFile() });
  });
  afterAll(() => server.close());

  it('walks igw → acl → sg → eni → instance, with the inventory’s ids', async () => {
    const findings = (await networkFindings(await enabled(SEEDED))).filter((f) => f.resources?.[0]?.id === INSTANCE);
    expect(findings.map((f) => f.networkReachabilityDetails?.openPortRange?.begin).sort()).toEqual([22, 8000]);
    for (const finding of findings) {
      expect(finding.networkReachabilityDetails?.networkPath?.steps).toEqual([
        { componentId: 'igw-0123456789abcdef0', componentType: 'AWS::EC2::InternetGateway' },
        { componentId: 'acl-0123456789abcdef0', componentType: 'AWS::EC2::NetworkAcl' },
        { componentId: 'sg-0123456789abcdef0', componentType: 'AWS::EC2::SecurityGroup' },
        { componentId: 'eni-0123456789abcdef0', componentType: 'AWS::EC2::NetworkInterface' },
        { componentId: INSTANCE, componentType: 'AWS::EC2::Instance' },
      ]);
    }
  });

  it('says what AWS says', async () => {
    const findings = await networkFindings(await enabled(SEEDED));
    const ssh = findings.find((f) => f.networkReachabilityDetails?.openPortRange?.begin === 22)!;
    expect(ssh.title).toBe('Port 22 is reachable from an Internet Gateway - TCP');
    expect(ssh.description).toBe(
      `On the instance ${INSTANCE}, the port range 22-22 is reachable from the InternetGateway igw-0123456789abcdef0 from an attached ENI eni-0123456789abcdef0.`,
    );
    expect(ssh.remediation?.recommendation?.text).toBe(
      'You can restrict access to your instance by modifying the Security Groups or ACLs in the network path.',
    );
    expect(ssh.severity).toBe('MEDIUM');
    const range = findings.find((f) => f.networkReachabilityDetails?.openPortRange?.begin === 8000)!;
    expect(range.title).toBe('Port range 8000-8080 is reachable from an Internet Gateway - TCP');
    expect(range.description).toMatch(/, the port range 8000-8080 is reachable from the InternetGateway igw-0123456789abcdef0 from an attached ENI eni-/);
    const dns = findings.find((f) => f.networkReachabilityDetails?.protocol === 'UDP')!;
    expect(dns.title).toBe('Port 53 is reachable from an Internet Gateway - UDP');
    // Derived ids where the seed names none: of the right shapes, and the description names the same interface.
    const steps = dns.networkReachabilityDetails!.networkPath!.steps!;
    expect(steps.map((s) => s.componentType)).toEqual(PATH);
    expect(steps[1]!.componentId).toMatch(/^acl-[0-9a-f]{17}$/);
    expect(steps[3]!.componentId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(dns.description).toContain(`from an attached ENI ${steps[3]!.componentId}.`);
  });

  it('filters on every component of the path', async () => {
    const client = await enabled(SEEDED);
    for (const componentType of PATH) {
      const found = await client.send(new ListFindingsCommand({ filterCriteria: { componentType: [{ comparison: 'EQUALS', value: componentType }] } }));
      expect(found.findings?.length, componentType).toBe(3);
    }
    const byEni = await client.send(new ListFindingsCommand({ filterCriteria: { componentId: [{ comparison: 'EQUALS', value: 'eni-0123456789abcdef0' }] } }));
    expect(byEni.findings?.map((f) => f.networkReachabilityDetails?.openPortRange?.begin).sort()).toEqual([22, 8000]);
  });

  it('gives the default world’s web server the same path, with its own ACL and interface', async () => {
    const client = await enabled(DEFAULT);
    const inventory = (await control(server.url, 'GET', `/_inspector2/inventory/${DEFAULT}/${REGION}`)).body;
    const web = inventory.ec2Instances.find((i: { tags: { Name: string } }) => i.tags.Name === 'web-1');
    const findings = (await networkFindings(client)).filter((f) => f.resources?.[0]?.id === web.instanceId);
    expect(findings.map((f) => f.networkReachabilityDetails?.openPortRange?.begin).sort()).toEqual([22, 443]);
    for (const finding of findings) {
      expect(finding.networkReachabilityDetails?.networkPath?.steps?.map((s) => s.componentId)).toEqual([
        web.internetGatewayId,
        web.networkAclId,
        web.securityGroups[0].groupId,
        web.networkInterfaceId,
        web.instanceId,
      ]);
    }
  });
});
