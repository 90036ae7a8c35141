// INSPECTOR2_INVENTORY_ENDPOINT: the inventory read from moto_server (resources made there
// with boto3) replaces the default world; a resource deleted there leaves coverage and its
// findings close; a sibling that is down fails no API call and shows in health.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EnableCommand, ListCoverageCommand, ListFindingsCommand, type CoveredResource } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, optionsFromEnv } from '../../src/config.js';
import { packagesInZip, ZipError } from '../../src/neighbours/code-manifests.js';
import type { RunningServer } from '../../src/server.js';
import {
  advanceClock,
  awsClientEnv,
  commandMissing,
  control,
  inspectorClient,
  listAllFindings,
  motoServerMissing,
  skipWithout,
  startMotoServer,
  startTestServer,
} from '../helpers.js';

const run = promisify(execFile);
const ACCOUNT = '123456789012';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders:$LATEST`;

// Made in moto with boto3: an instance of an Ubuntu 22.04 AMI, an image in ECR, and a function
// whose package (an S3 object where moto says its code is) has a requirements.txt.
const SETUP = String.raw`
import boto3, io, json, sys, zipfile
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1')
ec2 = boto3.client('ec2', **kw)
ami = ec2.register_image(Name='ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101', Architecture='x86_64', RootDeviceName='/dev/sda1')['ImageId']
instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType='t3.micro')['Instances'][0]['InstanceId']
ecr = boto3.client('ecr', **kw)
ecr.create_repository(repositoryName='web-app')
layer = lambda n: {'mediaType': 'application/vnd.docker.image.rootfs.diff.tar.gzip', 'size': 100, 'digest': 'sha256:' + n * 64}
manifest = {'schemaVersion': 2, 'mediaType': 'application/vnd.docker.distribution.manifest.v2+json',
            'config': {'mediaType': 'application/vnd.docker.container.image.v1+json', 'size': 100, 'digest': 'sha256:' + '1' * 64},
            'layers': [layer('2'), layer('3')]}
image = ecr.put_image(repositoryName='web-app', imageManifest=json.dumps(manifest), imageTag='bookworm')['image']['imageId']['imageDigest']
role = boto3.client('iam', **kw).create_role(RoleName='orders-role', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [
    {'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))['Role']['Arn']
s3 = boto3.client('s3', **kw)
s3.create_bucket(Bucket='awslambda-us-east-1-tasks')
code = io.BytesIO()
with zipfile.ZipFile(code, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('app.py', 'def handler(event, context):\n    return None\n')
    z.writestr('requirements.txt', '# pinned\nrequests==2.25.1\n')
s3.put_object(Bucket='awslambda-us-east-1-tasks', Key='orders.zip', Body=code.getvalue())
boto3.client('lambda', **kw).create_function(FunctionName='orders', Runtime='python3.11', Role=role, Handler='app.handler',
    Code={'S3Bucket': 'awslambda-us-east-1-tasks', 'S3Key': 'orders.zip'})
print(json.dumps({'instanceId': instance, 'imageDigest': image}))
`;

const LAUNCH = String.raw`
import boto3, sys
ec2 = boto3.client('ec2', endpoint_url=sys.argv[1], region_name='us-east-1')
ami = ec2.register_image(Name='al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64', Architecture='x86_64', RootDeviceName='/dev/xvda')['ImageId']
print(ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType='t3.micro')['Instances'][0]['InstanceId'])
`;

// Zips written by Python's zipfile: manifests of every kind, a name that climbs out, and a
// manifest that inflates past the per-file cap.
const ZIPS = String.raw`
import base64, io, json, zipfile
def zipped(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, text in files:
            z.writestr(name, text)
    return base64.b64encode(out.getvalue()).decode()
print(json.dumps({
  'manifests': zipped([
    ('lib/requirements.txt', 'Flask==1.1.2\npyyaml>=5\n-r other.txt\n'),
    ('../requirements.txt', 'django==3.2.0\n'),
    ('/etc/requirements.txt', 'jinja2==2.11.2\n'),
    ('node_modules/lodash/package.json', json.dumps({'name': 'lodash', 'version': '4.17.15'})),
    ('package-lock.json', json.dumps({'lockfileVersion': 3, 'packages': {'': {}, 'node_modules/axios': {'version': '0.21.0'}}})),
    ('go.mod', 'module x\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.6.3 // indirect\n)\nrequire golang.org/x/text v0.3.5\n'),
    ('Gemfile.lock', 'GEM\n  specs:\n    rack (2.2.3)\n      json (>= 1)\n'),
    ('python/urllib3-1.26.4.dist-info/METADATA', 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.4\n\nbody'),
  ]),
  'bomb': zipped([('requirements.txt', '#' * (8 * 1024 * 1024) + '\nrequests==2.25.1\n')]),
}))
`;

const TERMINATE = String.raw`
import boto3, sys
boto3.client('ec2', endpoint_url=sys.argv[1], region_name='us-east-1').terminate_instances(InstanceIds=[sys.argv[2]])
`;

async function python(script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('python3', ['-c', script, ...args], { env: awsClientEnv(ACCOUNT, 'us-east-1') });
  return stdout;
}

async function coverage(url: string, accountId = ACCOUNT): Promise<CoveredResource[]> {
  const client = inspectorClient(url, { accountId });
  const rows: CoveredResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListCoverageCommand({ ...(nextToken ? { nextToken } : {}) }));
    rows.push(...(page.coveredResources ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return rows;
}

const skipMoto = skipWithout('moto_server', motoServerMissing());
const skipBoto = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));

describe.skipIf(skipMoto || skipBoto)('inventory from moto_server', () => {
  let moto: Awaited<ReturnType<typeof startMotoServer>>;
  let server: RunningServer;
  let made: { instanceId: string; imageDigest: string };

  beforeAll(async () => {
    moto = await startMotoServer();
    made = JSON.parse(await python(SETUP, moto.endpoint)) as typeof made;
    server = await startTestServer({ inventoryEndpoint: moto.endpoint, inventoryPollMs: 0 });
  });
  afterAll(async () => {
    await server?.close();
    moto?.stop();
  });

  it('covers what moto holds, not the default world, with findings from the AMI and the function’s requirements.txt', async () => {
    const client = inspectorClient(server.url, { accountId: ACCOUNT });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await server.emulator.inventorySource!.idle();

    const rows = await coverage(server.url);
    const ids = new Set(rows.flatMap((r) => (r.resourceId ? [r.resourceId] : [])));
    expect(ids).toContain(made.instanceId);
    expect(ids).toContain(`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/web-app/${made.imageDigest}`);
    expect(ids).toContain(FUNCTION_ARN);
    // Nothing of the default world: its functions and repositories have other names.
    expect([...ids].filter((id) => /orders-api|thumbnailer|legacy-cron|base-images/.test(id))).toEqual([]);
    expect(rows.filter((r) => r.resourceType === 'AWS_EC2_INSTANCE').map((r) => r.resourceId)).toEqual([made.instanceId, made.instanceId]);
    const instanceRow = rows.find((r) => r.resourceId === made.instanceId && r.scanType === 'PACKAGE');
    expect(instanceRow?.scanStatus?.statusCode).toBe('ACTIVE');

    const findings = await listAllFindings(client);
    const on = (id: string) => findings.filter((f) => f.resources?.some((r) => r.id === id));
    expect(on(made.instanceId).length).toBeGreaterThan(0);
    expect(on(made.instanceId)[0]!.resources![0]!.details?.awsEc2Instance?.platform).toBe('UBUNTU_22_04');
    const fromRequirements = on(FUNCTION_ARN).filter((f) =>
      f.packageVulnerabilityDetails?.vulnerablePackages?.some((p) => p.name === 'requests' && p.version === '2.25.1' && p.filePath === 'requirements.txt'),
    );
    expect(fromRequirements.length).toBeGreaterThan(0);

    const health = await control(server.url, 'GET', '/_inspector2/health');
    expect(health.body.inventory).toMatchObject({ endpoint: moto.endpoint, status: 'ok', counts: { instances: 1, repositories: 1, images: 1, functions: 1 } });
  });

  it('asks moto as each account: another account has none of 123456789012’s resources', async () => {
    const other = inspectorClient(server.url, { accountId: '210987654321' });
    await other.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await server.emulator.inventorySource!.idle();
    expect(await coverage(server.url, '210987654321')).toEqual([]);
  });

  it('drops an instance terminated in moto at the next rescan, closing its findings', async () => {
    const client = inspectorClient(server.url, { accountId: ACCOUNT });
    const open = (await listAllFindings(client)).filter((f) => f.resources?.some((r) => r.id === made.instanceId));
    expect(open.length).toBeGreaterThan(0);

    await python(TERMINATE, moto.endpoint, made.instanceId);
    expect((await control(server.url, 'POST', '/_inspector2/rescan', {})).status).toBe(200);

    expect((await coverage(server.url)).map((r) => r.resourceId)).not.toContain(made.instanceId);
    const after = (await listAllFindings(client)).filter((f) => f.resources?.some((r) => r.id === made.instanceId));
    expect(after.map((f) => f.findingArn).sort()).toEqual(open.map((f) => f.findingArn).sort());
    expect(new Set(after.map((f) => f.status))).toEqual(new Set(['CLOSED']));
    // The function is still there, its findings open.
    const fn = (await listAllFindings(client)).filter((f) => f.resources?.some((r) => r.id === FUNCTION_ARN));
    expect(fn.some((f) => f.status === 'ACTIVE')).toBe(true);
  });
});

describe.skipIf(skipMoto || skipBoto)('polling moto_server on the virtual clock', () => {
  it('finds an instance launched in moto once the clock passes the next poll', async () => {
    const moto = await startMotoServer();
    const server = await startTestServer({ inventoryEndpoint: moto.endpoint, inventoryPollMs: 60_000, manualClock: true });
    try {
      const client = inspectorClient(server.url, { accountId: ACCOUNT });
      await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
      await server.emulator.inventorySource!.idle();
      expect(await coverage(server.url)).toEqual([]);

      const instanceId = (await python(LAUNCH, moto.endpoint)).trim();
      await advanceClock(server.url, '61s');
      // The poll falls due on the virtual clock; it is noticed within a second of real time.
      await vi.waitFor(async () => expect((await coverage(server.url)).map((r) => r.resourceId)).toContain(instanceId), { timeout: 30_000, interval: 100 });
      const rows = await coverage(server.url);
      expect(rows.find((r) => r.resourceId === instanceId)?.resourceMetadata?.ec2?.platform).toBe('LINUX');
    } finally {
      await server.close();
      moto.stop();
    }
    // It starts its own moto_server.
  }, 90_000);
});

describe.skipIf(skipBoto)('a deployment package is hostile input', () => {
  it('reads the manifests it holds, skipping names that climb out and files past the size cap', async () => {
    const zips = JSON.parse(await python(ZIPS)) as { manifests: string; bomb: string };
    const found = packagesInZip(Buffer.from(zips.manifests, 'base64')).map((p) => `${p.ecosystem}:${p.name}@${p.version} ${p.filePath}`);
    expect(found.sort()).toEqual(
      [
        'pypi:flask@1.1.2 lib/requirements.txt',
        'npm:lodash@4.17.15 node_modules/lodash/package.json',
        'npm:axios@0.21.0 package-lock.json',
        'go:github.com/gin-gonic/gin@v1.6.3 go.mod',
        'go:golang.org/x/text@v0.3.5 go.mod',
        'rubygems:rack@2.2.3 Gemfile.lock',
        'pypi:urllib3@1.26.4 python/urllib3-1.26.4.dist-info/METADATA',
      ].sort(),
    );
    expect(packagesInZip(Buffer.from(zips.bomb, 'base64'))).toEqual([]);
    expect(() => packagesInZip(Buffer.from('not a zip at all, just text that goes on for a while'))).toThrow(ZipError);
  });
});

describe('an inventory endpoint that is down', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Port 9 on loopback: nothing listens (connection refused at once).
    server = await startTestServer({ inventoryEndpoint: 'http://127.0.0.1:9', inventoryPollMs: 0 });
  });
  afterAll(() => server?.close());

  it('fails no API call, leaves the default world out, and shows the error in health', async () => {
    const client = inspectorClient(server.url, { accountId: '300000000003' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await server.emulator.inventorySource!.idle();
    expect(await coverage(server.url, '300000000003')).toEqual([]);
    expect((await client.send(new ListFindingsCommand({}))).findings).toEqual([]);

    const health = (await control(server.url, 'GET', '/_inspector2/health')).body;
    expect(health.status).toBe('running');
    expect(health.inventory).toMatchObject({ endpoint: 'http://127.0.0.1:9', status: 'error', lastSuccessAt: null, lastError: { accountId: '300000000003' } });
    expect(health.inventory.lastError.message).toMatch(/EC2/);
    expect((await control(server.url, 'POST', '/_inspector2/rescan', {})).status).toBe(200);
  });
});

describe('INSPECTOR2_INVENTORY_ENDPOINT and INSPECTOR2_INVENTORY_POLL', () => {
  it('take an http(s) URL and a duration, and name the variable when malformed', () => {
    expect(optionsFromEnv({ INSPECTOR2_INVENTORY_ENDPOINT: 'http://moto:5000', INSPECTOR2_INVENTORY_POLL: '5m' })).toMatchObject({
      inventoryEndpoint: 'http://moto:5000',
      inventoryPollMs: 300_000,
    });
    expect(optionsFromEnv({ INSPECTOR2_INVENTORY_POLL: '0' }).inventoryPollMs).toBe(0);
    expect(optionsFromEnv({ INSPECTOR2_INVENTORY_POLL: 'PT1H' }).inventoryPollMs).toBe(3_600_000);
    expect(() => optionsFromEnv({ INSPECTOR2_INVENTORY_ENDPOINT: 'moto:5000' })).toThrow(/INSPECTOR2_INVENTORY_ENDPOINT/);
    expect(() => optionsFromEnv({ INSPECTOR2_INVENTORY_POLL: 'soon' })).toThrow(ConfigError);
    expect(() => optionsFromEnv({ INSPECTOR2_INVENTORY_POLL: '400d' })).toThrow(/INSPECTOR2_INVENTORY_POLL/);
  });
});
