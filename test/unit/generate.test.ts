// The world generator: the same options give the same bytes (in this process and another),
// the world is a valid seed file of the size asked for, and the CLI reports bad arguments.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/progress.js';
import { generateWorld, type GeneratedWorld, type GenerateOptions } from '../../src/world/inventory/generate.js';
import type { InstalledPackage } from '../../src/world/inventory/inventory.js';
import { readSeed } from '../../src/world/inventory/seed.js';
import { isValidVersion } from '../../src/world/scanning/versions.js';
import { useTempDirs } from '../temp-dirs.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OPTIONS: GenerateOptions = { accounts: 4, resources: 60, seed: 20240611, regions: ['eu-west-1', 'us-east-1'] };

const tempDir = useTempDirs('inspector2-generate-');

function everyPackage(world: GeneratedWorld): InstalledPackage[] {
  return world.accounts.flatMap((entry) => [
    ...entry.ec2Instances.flatMap((instance) => instance.packages),
    ...entry.ecrRepositories.flatMap((repository) => repository.images.flatMap((image) => image.layers.flatMap((layer) => layer.packages))),
    ...entry.lambdaFunctions.flatMap((fn) => [...fn.packages, ...fn.layers.flatMap((layer) => layer.packages)]),
  ]);
}

describe('generateWorld', () => {
  const world = generateWorld(OPTIONS);
  const instances = world.accounts.flatMap((entry) => entry.ec2Instances);
  const images = world.accounts.flatMap((entry) => entry.ecrRepositories.flatMap((repository) => repository.images));
  const functions = world.accounts.flatMap((entry) => entry.lambdaFunctions);

  it('gives the same world for the same options', () => {
    const again = generateWorld({ ...OPTIONS, regions: [...OPTIONS.regions!] });
    expect(again).toEqual(world);
    expect(JSON.stringify(again)).toBe(JSON.stringify(world));
  });

  it('gives another world for another seed', () => {
    const other = generateWorld({ ...OPTIONS, seed: OPTIONS.seed + 1 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(world));
    expect(other.organizations[0]!.accounts.map((a) => a.id)).not.toEqual(world.organizations[0]!.accounts.map((a) => a.id));
  });

  it('is a seed file readSeed accepts', () => {
    const file = join(tempDir(), 'world.json');
    writeFileSync(file, JSON.stringify(world));
    const seed = readSeed(file);
    expect(seed.accounts).toHaveLength(OPTIONS.accounts * OPTIONS.regions!.length);
    expect(seed.organizations).toHaveLength(1);
  });

  it('has the accounts, regions and resources asked for', () => {
    const [organization] = world.organizations;
    expect(organization!.accounts).toHaveLength(OPTIONS.accounts);
    expect(organization!.managementAccountId).toBe(organization!.accounts[0]!.id);
    expect(new Set(organization!.accounts.map((a) => a.id)).size).toBe(OPTIONS.accounts);
    expect(world.accounts.map((entry) => `${entry.accountId}/${entry.region}`)).toEqual(
      organization!.accounts.flatMap((a) => OPTIONS.regions!.map((region) => `${a.id}/${region}`)),
    );
    for (const entry of world.accounts) {
      const resources = entry.ec2Instances.length + entry.ecrRepositories.reduce((n, r) => n + r.images.length, 0) + entry.lambdaFunctions.length;
      expect(resources).toBeGreaterThanOrEqual(OPTIONS.resources * 0.9);
      expect(resources).toBeLessThanOrEqual(OPTIONS.resources * 1.1);
      expect(entry.ec2Instances.length).toBeGreaterThan(0);
      expect(entry.lambdaFunctions.length).toBeGreaterThan(0);
      expect(entry.clusters).toHaveLength(1);
      // A cluster runs images of the account-region's repositories.
      const digests = new Set(entry.ecrRepositories.flatMap((r) => r.images.map((i) => `${r.name}@${i.digest}`)));
      for (const running of entry.clusters[0]!.images) expect(digests).toContain(`${running.repository}@${running.digest}`);
    }
  });

  it('makes ids of the right shapes', () => {
    expect(world.organizations[0]!.id).toMatch(/^o-[a-z0-9]{10}$/);
    for (const entry of world.accounts) expect(entry.accountId).toMatch(/^\d{12}$/);
    for (const instance of instances) {
      expect(instance.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(instance.amiId).toMatch(/^ami-[0-9a-f]{17}$/);
      for (const group of instance.securityGroups) expect(group.groupId).toMatch(/^sg-[0-9a-f]{17}$/);
    }
    for (const image of images) {
      expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      for (const layer of image.layers) expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    expect(new Set(instances.map((i) => i.instanceId)).size).toBe(instances.length);
  });

  it('makes a varied world', () => {
    const platforms = new Set(instances.map((i) => i.platform));
    for (const platform of ['UBUNTU_22_04', 'AMAZON_LINUX_2023', 'AMAZON_LINUX_2', 'WINDOWS_SERVER_2022']) expect(platforms).toContain(platform);
    expect(instances.some((i) => i.state === 'stopped')).toBe(true);
    expect(instances.some((i) => !i.ssmManaged)).toBe(true);
    const exposed = instances.filter((i) => i.publicIp !== undefined);
    expect(exposed.length).toBeGreaterThan(0);
    for (const instance of exposed) {
      expect(instance.internetGatewayId).toMatch(/^igw-/);
      expect(instance.securityGroups.some((g) => g.ingress.some((rule) => rule.cidr === '0.0.0.0/0'))).toBe(true);
    }
    const runtimes = new Set(functions.map((f) => f.runtime));
    for (const runtime of ['PYTHON_3_11', 'NODEJS_18_X', 'JAVA_17']) expect(runtimes).toContain(runtime);
    expect(functions.some((f) => f.codeIssues.length > 0)).toBe(true);
    const ecosystems = new Set(everyPackage(world).map((p) => p.ecosystem));
    // apk too where the advisories give Alpine's versions.
    expect([...ecosystems].filter((e) => e !== 'apk').sort()).toEqual(['dpkg', 'go', 'maven', 'npm', 'pypi', 'rpm', 'rubygems']);
    for (const instance of instances) {
      expect(instance.networkAclId).toMatch(/^acl-[0-9a-f]{17}$/);
      expect(instance.networkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    }
  });

  it('derives each account-region from the seed, the account and the region, not from its place in the world', () => {
    // More accounts and resources change the organization, but an account's inventory only by its resource count.
    const one = generateWorld({ ...OPTIONS, vulnerabilitiesFile: false });
    const inOtherOrder = generateWorld({ ...OPTIONS, regions: [...OPTIONS.regions!].reverse(), vulnerabilitiesFile: false });
    for (const entry of one.accounts) {
      const same = inOtherOrder.accounts.find((e) => e.accountId === entry.accountId && e.region === entry.region);
      expect(JSON.stringify(same)).toBe(JSON.stringify(entry));
    }
    const regions = new Set(one.accounts.map((e) => JSON.stringify(e.ec2Instances.map((i) => i.platform))));
    expect(regions.size).toBeGreaterThan(1);
  });

  it('installs only versions their ecosystem can order', () => {
    const invalid = everyPackage(world).filter((p) => !isValidVersion(p.ecosystem, p.version));
    expect(invalid).toEqual([]);
  });

  it('pushes images within the last 60 days, in times relative to when the world is loaded', () => {
    const ago = images.map((image) => {
      expect(image.pushedAt).toMatch(/^-\d+ms$/);
      return Number(image.pushedAt.slice(1, -2));
    });
    expect(Math.max(...ago)).toBeLessThanOrEqual(60 * 86_400_000);
    expect(Math.min(...ago)).toBeGreaterThan(0);
  });

  it('reports its progress per account-region', () => {
    const calls: [number, number][] = [];
    generateWorld({ accounts: 3, resources: 5, seed: 1, regions: ['eu-west-1', 'eu-central-1'], onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6].map((done) => [done, 6]));
  });

  it('refuses options out of range', () => {
    expect(() => generateWorld({ accounts: 0, resources: 10, seed: 1 })).toThrow(RangeError);
    expect(() => generateWorld({ accounts: 1, resources: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateWorld({ accounts: 1, resources: 10, seed: -1 })).toThrow(RangeError);
    expect(() => generateWorld({ accounts: 1, resources: 10, seed: 1, regions: ['moon-1'] })).toThrow(/not a region/);
    expect(() => generateWorld({ accounts: 1, resources: 10, seed: 1, regions: ['eu-west-1', 'eu-west-1'] })).toThrow(/twice/);
  });
});

describe('generateWorld with a vulnerability catalog', () => {
  const options: GenerateOptions = { accounts: 3, resources: 80, seed: 5 };

  it('installs versions the catalog lists as affected', () => {
    const file = join(tempDir(), 'vulnerabilities.json');
    const catalog = [
      { id: 'TEST-1', affected: [{ ecosystem: 'pypi', package: 'requests', ranges: [{ introduced: '0', fixed: '2.31.0' }] }] },
      { id: 'TEST-2', affected: [{ ecosystem: 'npm', package: 'shell-quote', ranges: [{ introduced: '1.4.0', fixed: '1.7.3' }] }] },
      { id: 'BROKEN', affected: 'not a list' },
    ];
    writeFileSync(file, JSON.stringify(catalog));
    const packages = everyPackage(generateWorld({ ...options, vulnerabilitiesFile: file }));
    // A library only the catalog knows, at its first affected release.
    expect(packages.some((p) => p.ecosystem === 'npm' && p.name === 'shell-quote' && p.version === '1.4.0')).toBe(true);
    expect(packages.some((p) => p.ecosystem === 'pypi' && p.name === 'requests' && ['2.25.1', '2.28.1'].includes(p.version))).toBe(true);
  });

  it('does without a catalog that is missing or unreadable', () => {
    const without = JSON.stringify(generateWorld({ ...options, vulnerabilitiesFile: false }));
    const garbled = join(tempDir(), 'vulnerabilities.json');
    writeFileSync(garbled, '[{"affected": [');
    expect(JSON.stringify(generateWorld({ ...options, vulnerabilitiesFile: garbled }))).toBe(without);
    expect(JSON.stringify(generateWorld({ ...options, vulnerabilitiesFile: join(tempDir(), 'missing.json') }))).toBe(without);
  });
});

describe('createProgress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { isTTY, columns: 100, written, write: (text: string) => written.push(text) };
  };

  it('draws nothing when the stream is not a terminal', () => {
    const output = stream(false);
    const progress = createProgress('generating', 10, output);
    for (let i = 0; i < 10; i++) progress.tick();
    progress.done();
    expect(output.written).toEqual([]);
  });

  it('draws a bar on a terminal, once per visible change, and ends the line', () => {
    const output = stream(true);
    const progress = createProgress('generating', 1000, output);
    for (let i = 0; i < 1000; i++) progress.tick();
    progress.done();
    expect(output.written.length).toBeLessThan(150); // 1000 ticks, about 130 visible changes
    expect(output.written.at(-2)).toContain('generating [##############################] 100% 1000/1000');
    expect(output.written.at(-1)).toBe('\n');
  });
});

describe('inspector2-local generate', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'generate', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

  it('writes the same world as the library, and a summary', () => {
    const out = join(tempDir(), 'world.json');
    const run = cli('--accounts', '3', '--resources', '25', '--seed', '99', '--out', out, '--regions', 'eu-west-1,us-east-1');
    expect(run.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*world\.json: 3 accounts, 2 regions, \d+ instances, \d+ images, \d+ functions, \d+ bytes\n$/);
    // Another process, the same bytes.
    const expected = generateWorld({ accounts: 3, resources: 25, seed: 99, regions: ['eu-west-1', 'us-east-1'] });
    expect(readFileSync(out, 'utf8')).toBe(JSON.stringify(expected));
    expect(() => readSeed(out)).not.toThrow();
  });

  it('exits with 2 on bad arguments', () => {
    const out = join(tempDir(), 'world.json');
    const zero = cli('--accounts', '0', '--resources', '10', '--seed', '1', '--out', out);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--accounts must be a whole number from 1');
    const noOut = cli('--accounts', '2', '--resources', '10', '--seed', '1');
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('--out is required');
    const unknown = cli('--accounts', '2', '--resources', '10', '--seed', '1', '--out', out, '--colour');
    expect(unknown.status).toBe(2);
  });
});
