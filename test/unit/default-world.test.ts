// The default world is the account's own: drawn from the account id, the same in every
// process and after every restart, different from another account's, and always with the
// demo resources and a finding of every type.
import { EnableCommand, type Finding, ListFindingsCommand, type ListFindingsCommandInput } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { defaultInventory } from '../../src/world/inventory/default-inventory.js';
import type { Inventory } from '../../src/world/inventory/inventory.js';
import { osPlatforms } from '../../src/world/inventory/os-versions.js';
import { compareVersions, isValidVersion } from '../../src/world/scanning/versions.js';
import { control, inspectorClient, startTestServer } from '../helpers.js';

const REGION = 'eu-west-1';
const NOW = new Date('2026-06-01T00:00:00Z');
const ACCOUNTS = ['111122223333', '123456789012', '222222222222', '730000000001', '730000000002', '000000000000'];

/** What makes a world: everything but the ids that derive from the account anyway. */
const shape = (inventory: Inventory) => ({
  instances: inventory.ec2Instances.map((i) => [i.tags.Name, i.platform, i.instanceType, i.packages.map((p) => `${p.name}@${p.version}`)]),
  images: inventory.ecrRepositories.map((r) => [
    r.name,
    r.images.map((i) => [i.platform, i.layers.flatMap((l) => l.packages.map((p) => `${p.name}@${p.version}`))]),
  ]),
  functions: inventory.lambdaFunctions.map((f) => [f.name, f.runtime, f.packages.map((p) => `${p.name}@${p.version}`)]),
});

describe('the default inventory', () => {
  it('differs from one account to another: numbers, systems, versions, names', () => {
    const worlds = ACCOUNTS.map((account) => defaultInventory(account, REGION, NOW));
    const shapes = new Set(worlds.map((w) => JSON.stringify(shape(w))));
    expect(shapes.size).toBe(ACCOUNTS.length);
    const counts = new Set(worlds.map((w) => `${w.ec2Instances.length}/${w.ecrRepositories.flatMap((r) => r.images).length}/${w.lambdaFunctions.length}`));
    expect(counts.size).toBeGreaterThan(1);
    const platforms = new Set(worlds.flatMap((w) => w.ec2Instances.map((i) => i.platform)));
    expect(platforms.size).toBeGreaterThan(3);
  });

  it('is the same for the same account, every time', () => {
    for (const account of ACCOUNTS) expect(defaultInventory(account, REGION, NOW)).toEqual(defaultInventory(account, REGION, NOW));
  });

  it('keeps the demo resources every account relies on', () => {
    for (const account of ACCOUNTS) {
      const world = defaultInventory(account, REGION, NOW);
      const names = world.ec2Instances.map((i) => i.tags.Name);
      expect(names.slice(0, 5)).toEqual(['web-1', 'worker-1', 'legacy-1', 'batch-1', 'bastion-1']);
      const web = world.ec2Instances[0]!;
      expect(web.platform).toMatch(/^UBUNTU_/);
      expect(web.publicIp).toBeDefined();
      expect(web.packages).toContainEqual(expect.objectContaining({ name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1' }));
      expect(world.ec2Instances.find((i) => i.tags.Name === 'legacy-1')).toMatchObject({ ssmManaged: false, state: 'running' });
      expect(world.ec2Instances.find((i) => i.tags.Name === 'batch-1')).toMatchObject({ state: 'stopped' });
      expect(world.ecrRepositories.slice(0, 2).map((r) => r.name)).toEqual(['web-app', 'base-images']);
      expect(world.lambdaFunctions.slice(0, 3).map((f) => f.name)).toEqual(['orders-api', 'thumbnailer', 'legacy-cron']);
      for (const instance of world.ec2Instances) {
        expect(instance.networkAclId).toMatch(/^acl-[0-9a-f]{17}$/);
        expect(instance.networkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
      }
    }
  });

  it('installs distribution packages at versions the release has published', () => {
    const platforms = osPlatforms();
    for (const account of ACCOUNTS) {
      const world = defaultInventory(account, REGION, NOW);
      const systems = [
        ...world.ec2Instances.map((i) => ({ platform: i.platform, packages: i.packages })),
        ...world.ecrRepositories.flatMap((r) => r.images.map((i) => ({ platform: i.platform, packages: i.layers.flatMap((l) => l.packages) }))),
      ];
      for (const { platform, packages } of systems) {
        const known = platforms.get(platform)!;
        expect(known, platform).toBeDefined();
        for (const pkg of packages.filter((p) => p.ecosystem === known.ecosystem)) {
          expect(isValidVersion(pkg.ecosystem, pkg.version), `${pkg.name} ${pkg.version}`).toBe(true);
          const group = known.groups.find((g) => g.names.includes(pkg.name));
          expect(group?.versions, `${platform} ${pkg.name}`).toContain(pkg.version);
        }
      }
      // The up-to-date instance has the newest build of each package it has.
      const bastion = world.ec2Instances.find((i) => i.tags.Name === 'bastion-1')!;
      for (const pkg of bastion.packages) {
        const versions = platforms.get(bastion.platform)!.groups.find((g) => g.names.includes(pkg.name))!.versions;
        expect(compareVersions(pkg.ecosystem, pkg.version, versions.at(-1)!)).toBe(0);
      }
    }
  });
});

describe('the default world through the API', () => {
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    servers.push(await startTestServer(), await startTestServer());
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  const findingsOf = async (server: RunningServer, accountId: string): Promise<Finding[]> => {
    const client = inspectorClient(server.url, { accountId, region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const findings: Finding[] = [];
    let input: ListFindingsCommandInput = { maxResults: 100 };
    for (;;) {
      const page = await client.send(new ListFindingsCommand(input));
      findings.push(...(page.findings ?? []));
      if (!page.nextToken) return findings;
      input = { ...input, nextToken: page.nextToken };
    }
  };

  it('is the same world in two fresh servers, and another for another account', async () => {
    const [first, second] = servers as [RunningServer, RunningServer];
    const inventory = async (server: RunningServer, account: string) => {
      await inspectorClient(server.url, { accountId: account, region: REGION }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
      return (await control(server.url, 'GET', `/_inspector2/inventory/${account}/${REGION}`)).body;
    };
    // Times count back from each server's clock; everything else is the same.
    const ids = (inventory: Inventory) => [
      ...inventory.ec2Instances.map((i) => i.instanceId),
      ...inventory.ecrRepositories.flatMap((r) => r.images.map((i) => i.digest)),
    ];
    const a = await inventory(first, '730000000011');
    const again = await inventory(second, '730000000011');
    expect(shape(again)).toEqual(shape(a));
    expect(ids(again)).toEqual(ids(a));
    const b = await inventory(first, '730000000012');
    expect(shape(b)).not.toEqual(shape(a));
  });

  it('gives every account a finding of every type, on every kind of resource', async () => {
    for (const account of ['111122223333', '730000000021', '730000000022']) {
      const findings = await findingsOf(servers[1]!, account);
      const kinds = new Set(findings.map((f) => `${f.type}/${f.resources?.[0]?.type}`));
      for (const kind of [
        'PACKAGE_VULNERABILITY/AWS_EC2_INSTANCE',
        'PACKAGE_VULNERABILITY/AWS_ECR_CONTAINER_IMAGE',
        'PACKAGE_VULNERABILITY/AWS_LAMBDA_FUNCTION',
        'NETWORK_REACHABILITY/AWS_EC2_INSTANCE',
        'CODE_VULNERABILITY/AWS_LAMBDA_FUNCTION',
      ]) {
        expect(kinds, `${account}: ${kind}`).toContain(kind);
      }
    }
  });
});
