// Security Hub delivery (INSPECTOR2_SECURITYHUB_ENDPOINT): every finding imported in ASFF into
// its account's and region's hub on moto_server, read back with the AWS CLI and boto3; a
// suppressed finding's workflow SUPPRESSED, a closed one ARCHIVED; batches of up to 100 of one
// account-region, signed as that account; a hub not enabled keeps the findings for the next
// change; an endpoint that never answers neither fails nor holds up the API.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { CreateFilterCommand, DisableCommand, EnableCommand, ListFindingsCommand, type Finding as SdkFinding } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { toAsff } from '../../src/sinks/asff.js';
import { SecurityHubSink } from '../../src/sinks/securityhub.js';
import type { Finding } from '../../src/world/findings/documents.js';
import type { RunningServer } from '../../src/server.js';
import {
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
const REGION = 'us-east-1';
/** The hub's findings as JSON can be large (hundreds of findings with their details). */
const MAX_OUTPUT = 256 * 1024 * 1024;
const INSPECTOR_PRODUCT = `arn:aws:securityhub:${REGION}::product/aws/inspector`;

/** Every finding of the hub, page by page, with boto3. */
async function hubFindingsWithBoto3(endpoint: string, accountId: string, region: string): Promise<Record<string, any>[]> {
  const script = [
    'import boto3, json, sys',
    "hub = boto3.client('securityhub', endpoint_url=sys.argv[1])",
    "pages = hub.get_paginator('get_findings').paginate()",
    "print(json.dumps([f for page in pages for f in page['Findings']], default=str))",
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script, endpoint], { env: awsClientEnv(accountId, region), maxBuffer: MAX_OUTPUT });
  return JSON.parse(stdout) as Record<string, any>[];
}

/** Every finding of the hub, with the AWS CLI. */
async function hubFindingsWithCli(endpoint: string, accountId: string, region: string): Promise<Record<string, any>[]> {
  const { stdout } = await run('aws', ['securityhub', 'get-findings', '--endpoint-url', endpoint, '--output', 'json'], {
    env: awsClientEnv(accountId, region),
    maxBuffer: MAX_OUTPUT,
  });
  return (JSON.parse(stdout) as { Findings: Record<string, any>[] }).Findings;
}

/** Inspector's findings of one account among a hub's findings, by id. */
function inspectorFindings(findings: Record<string, any>[], accountId: string): Map<string, Record<string, any>> {
  return new Map(findings.filter((f) => f.ProductArn === INSPECTOR_PRODUCT && f.AwsAccountId === accountId).map((f) => [f.Id as string, f]));
}

const noMoto = skipWithout('moto_server', motoServerMissing());
const noClients = skipWithout('boto3 and the AWS CLI', commandMissing('python3', ['-c', 'import boto3']) ?? commandMissing('aws', ['--version']));

describe.skipIf(noMoto || noClients)('Security Hub delivery (moto_server)', () => {
  let moto: Awaited<ReturnType<typeof startMotoServer>>;
  let server: RunningServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    server = await startTestServer({ securityHubEndpoint: moto.endpoint });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    moto?.stop();
  });

  const drained = () => server.emulator.securityHub!.drained();
  /** The world's finding document, as the sink was given it. */
  const documentOf = (accountId: string, arn: string) => server.emulator.world.existingAccountRegion(accountId, REGION)!.findings.get(arn)!;

  it('imports every finding as Inspector does, and follows suppression and closure', async () => {
    const accountId = '800000000041';
    const env = awsClientEnv(accountId, REGION);
    await run('aws', ['securityhub', 'enable-security-hub', '--endpoint-url', moto.endpoint], { env });
    const client = inspectorClient(server.url, { accountId });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await client.send(new ListFindingsCommand({}));
    const findings = await listAllFindings(client);
    expect(findings.length).toBeGreaterThan(0);
    await drained();

    // One Inspector finding in the hub per finding, each as the mapping writes it, read with boto3 and the CLI.
    const imported = inspectorFindings(await hubFindingsWithBoto3(moto.endpoint, accountId, REGION), accountId);
    expect([...imported.keys()].sort()).toEqual(findings.map((f) => f.findingArn!).sort());
    for (const finding of findings) {
      expect(imported.get(finding.findingArn!)).toEqual(JSON.parse(JSON.stringify(toAsff(documentOf(accountId, finding.findingArn!), REGION, 'aws'))));
    }
    const package_ = findings.find((f) => f.type === 'PACKAGE_VULNERABILITY')!;
    expect(imported.get(package_.findingArn!)).toMatchObject({
      ProductArn: INSPECTOR_PRODUCT,
      ProductName: 'Inspector',
      CompanyName: 'Amazon',
      GeneratorId: 'AWSInspector',
      AwsAccountId: accountId,
      Region: REGION,
      Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
      Severity: { Label: package_.severity },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      Vulnerabilities: [{ Id: package_.packageVulnerabilityDetails!.vulnerabilityId }],
      ProductFields: { 'aws/inspector/ProductVersion': '2', 'aws/inspector/FindingStatus': 'ACTIVE' },
    });
    const resourceTypes = new Set([...imported.values()].map((f) => f.Resources[0].Type));
    const scanned = new Set(findings.map((f) => f.resources![0]!.type));
    const asffType = { AWS_EC2_INSTANCE: 'AwsEc2Instance', AWS_ECR_CONTAINER_IMAGE: 'AwsEcrContainerImage', AWS_LAMBDA_FUNCTION: 'AwsLambdaFunction' } as const;
    expect(resourceTypes).toEqual(new Set([...scanned].map((t) => asffType[t as keyof typeof asffType])));
    expect(resourceTypes.has('AwsEc2Instance')).toBe(true);
    const network = findings.find((f) => f.type === 'NETWORK_REACHABILITY');
    if (network)
      expect(imported.get(network.findingArn!)!.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices/Network Reachability']);
    const viaCli = inspectorFindings(await hubFindingsWithCli(moto.endpoint, accountId, REGION), accountId);
    expect([...viaCli.keys()].sort()).toEqual([...imported.keys()].sort());

    // A suppression rule: the findings it matches arrive again, their workflow SUPPRESSED.
    const vulnerabilityId = package_.packageVulnerabilityDetails!.vulnerabilityId!;
    await client.send(
      new CreateFilterCommand({
        name: 'hide-one',
        action: 'SUPPRESS',
        filterCriteria: { vulnerabilityId: [{ comparison: 'EQUALS', value: vulnerabilityId }] },
      }),
    );
    await drained();
    const suppressed = (await listAllFindings(client, { findingStatus: [{ comparison: 'EQUALS', value: 'SUPPRESSED' }] })).map((f) => f.findingArn!);
    expect(suppressed).toContain(package_.findingArn);
    const afterRule = inspectorFindings(await hubFindingsWithBoto3(moto.endpoint, accountId, REGION), accountId);
    for (const [arn, asff] of afterRule) {
      const isSuppressed = suppressed.includes(arn);
      expect(asff.Workflow.Status).toBe(isSuppressed ? 'SUPPRESSED' : 'NEW');
      expect(asff.RecordState).toBe('ACTIVE');
      expect(asff.ProductFields['aws/inspector/FindingStatus']).toBe(isSuppressed ? 'SUPPRESSED' : 'ACTIVE');
    }

    // EC2 scanning turned off: the instances' findings close, and are archived and resolved in the hub.
    await client.send(new DisableCommand({ resourceTypes: ['EC2'] }));
    await client.send(new ListFindingsCommand({}));
    await drained();
    const closed: SdkFinding[] = await listAllFindings(client, { findingStatus: [{ comparison: 'EQUALS', value: 'CLOSED' }] });
    expect(closed.length).toBeGreaterThan(0);
    const afterClose = inspectorFindings(await hubFindingsWithBoto3(moto.endpoint, accountId, REGION), accountId);
    for (const finding of closed) {
      expect(afterClose.get(finding.findingArn!)).toMatchObject({ RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' } });
    }
    expect((await control(server.url, 'GET', '/_inspector2/securityhub')).body).toMatchObject({ enabled: true, failed: 0, dropped: 0, queued: 0 });
  });

  it("keeps each account's findings in its own region's hub", async () => {
    const accountId = '800000000042';
    const client = inspectorClient(server.url, { accountId, region: 'eu-west-1' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    const findings = await listAllFindings(client);
    expect(findings.length).toBeGreaterThan(0);
    await drained();
    const inIreland = (await hubFindingsWithBoto3(moto.endpoint, accountId, 'eu-west-1')).filter((f) => f.AwsAccountId === accountId);
    expect(inIreland.map((f) => f.Id).sort()).toEqual(findings.map((f) => f.findingArn!).sort());
    expect(new Set(inIreland.map((f) => f.ProductArn))).toEqual(new Set(['arn:aws:securityhub:eu-west-1::product/aws/inspector']));
    const inVirginia = await hubFindingsWithBoto3(moto.endpoint, accountId, REGION);
    expect(inVirginia.filter((f) => f.AwsAccountId === accountId)).toEqual([]);
  });
});

/** A stand-in for Security Hub that records BatchImportFindings and answers as told. */
async function fakeHub(answer: (request: IncomingMessage, findings: Record<string, any>[]) => { status: number; body: unknown; type?: string } | 'hang') {
  const requests: { authorization: string; findings: Record<string, any>[] }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const findings = (JSON.parse(body) as { Findings: Record<string, any>[] }).Findings;
      requests.push({ authorization: request.headers.authorization ?? '', findings });
      const answered = answer(request, findings);
      if (answered === 'hang') return;
      response.writeHead(answered.status, { 'content-type': 'application/json', ...(answered.type ? { 'x-amzn-ErrorType': answered.type } : {}) });
      response.end(JSON.stringify(answered.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const accepted = (findings: unknown[]) => ({ status: 200, body: { FailedCount: 0, SuccessCount: findings.length, FailedFindings: [] } });

/** A finding document of an account, the n-th of its kind. */
function finding(accountId: string, n: number, status: Finding['status'] = 'ACTIVE'): Finding {
  const at = new Date('2024-03-01T00:00:00Z');
  return {
    findingArn: `arn:aws:inspector2:${REGION}:${accountId}:finding/${n.toString(16).padStart(32, '0')}`,
    awsAccountId: accountId,
    type: 'NETWORK_REACHABILITY',
    title: 'Port 22 is reachable from an internet gateway',
    description: 'TCP port 22 is reachable from an internet gateway.',
    remediation: {},
    severity: 'MEDIUM',
    status,
    firstObservedAt: at,
    lastObservedAt: at,
    resources: [{ type: 'AWS_EC2_INSTANCE', id: `i-${n.toString(16).padStart(17, '0')}` }],
  };
}

describe('Security Hub sink', () => {
  it('sends batches of up to 100 findings of one account-region, in order, signed as that account', async () => {
    const hub = await fakeHub((_request, findings) => accepted(findings));
    const sink = new SecurityHubSink(hub.url, createLogger('silent'));
    try {
      for (let n = 0; n < 250; n++) sink.send(REGION, finding('800000000051', n));
      for (let n = 0; n < 3; n++) sink.send('eu-west-1', finding('800000000052', n));
      sink.send(REGION, finding('800000000051', 250));
      await sink.drained();
      expect(hub.requests.map((r) => r.findings.length)).toEqual([100, 100, 50, 3, 1]);
      expect(hub.requests.flatMap((r) => r.findings.map((f) => f.Id))).toEqual([
        ...Array.from({ length: 250 }, (_, n) => finding('800000000051', n).findingArn),
        ...Array.from({ length: 3 }, (_, n) => finding('800000000052', n).findingArn),
        finding('800000000051', 250).findingArn,
      ]);
      expect(hub.requests[0]!.authorization).toContain(`Credential=800000000051/`);
      expect(hub.requests[0]!.authorization).toContain(`/${REGION}/securityhub/aws4_request`);
      expect(hub.requests[3]!.authorization).toContain('Credential=800000000052/');
      expect(hub.requests[3]!.authorization).toContain('/eu-west-1/securityhub/aws4_request');
      expect(sink.status()).toMatchObject({ delivered: 254, failed: 0, queued: 0, dropped: 0, lastError: null });
    } finally {
      await hub.close();
    }
  });

  it('a finding changed twice while waiting goes once, as it is last', async () => {
    const hub = await fakeHub((_request, findings) => accepted(findings));
    const sink = new SecurityHubSink(hub.url, createLogger('silent'));
    try {
      sink.send(REGION, finding('800000000053', 1));
      sink.send(REGION, finding('800000000053', 2));
      sink.send(REGION, finding('800000000053', 2, 'SUPPRESSED'));
      sink.send(REGION, finding('800000000053', 2, 'CLOSED'));
      await sink.drained();
      // One batch: the first finding, and the second as it is last.
      expect(hub.requests.map((r) => r.findings.map((f) => [f.Id, f.RecordState]))).toEqual([
        [
          [finding('800000000053', 1).findingArn, 'ACTIVE'],
          [finding('800000000053', 2).findingArn, 'ARCHIVED'],
        ],
      ]);
      expect(sink.status()).toMatchObject({ delivered: 4, failed: 0 });
    } finally {
      await hub.close();
    }
  });

  it('keeps what a hub not enabled refused, and sends it again with the next change there', async () => {
    let subscribed = false;
    const hub = await fakeHub((_request, findings) =>
      subscribed
        ? accepted(findings)
        : {
            status: 401,
            type: 'InvalidAccessException',
            body: { Code: 'InvalidAccessException', Message: 'Account 800000000054 is not subscribed to AWS Security Hub' },
          },
    );
    const sink = new SecurityHubSink(hub.url, createLogger('silent'));
    try {
      sink.send(REGION, finding('800000000054', 1));
      await sink.drained();
      sink.send(REGION, finding('800000000054', 2));
      await sink.drained();
      // The second change sent the first finding again with it: refused twice, two batches.
      expect(hub.requests.map((r) => r.findings.length)).toEqual([1, 2]);
      expect(sink.status()).toMatchObject({ delivered: 0, failed: 3, awaitingHub: 2, notSubscribed: 2 });
      expect(sink.status().lastError).toMatch(/not subscribed/);

      subscribed = true;
      sink.send(REGION, finding('800000000054', 1, 'SUPPRESSED'));
      await sink.drained();
      const last = hub.requests.at(-1)!.findings;
      expect(last.map((f) => [f.Id, f.Workflow.Status])).toEqual([
        [finding('800000000054', 2).findingArn, 'NEW'],
        [finding('800000000054', 1).findingArn, 'SUPPRESSED'],
      ]);
      expect(sink.status()).toMatchObject({ delivered: 2, awaitingHub: 0 });
    } finally {
      await hub.close();
    }
  });

  it('counts the findings Security Hub refuses in an accepted batch', async () => {
    const hub = await fakeHub((_request, findings) => ({
      status: 200,
      body: { FailedCount: 1, SuccessCount: findings.length - 1, FailedFindings: [{ Id: findings[0]!.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] },
    }));
    const sink = new SecurityHubSink(hub.url, createLogger('silent'));
    try {
      sink.send(REGION, finding('800000000055', 1));
      sink.send(REGION, finding('800000000055', 2));
      sink.send(REGION, finding('800000000055', 3));
      await sink.drained();
      expect(sink.status()).toMatchObject({ delivered: 2, failed: 1 });
      expect(sink.status().lastError).toContain('InvalidInput');
    } finally {
      await hub.close();
    }
  });

  it('an endpoint that never answers neither fails nor holds up the API, and health says so', async () => {
    const hub = await fakeHub(() => 'hang');
    const server = await startTestServer({ securityHubEndpoint: hub.url });
    try {
      const client = inspectorClient(server.url, { accountId: '800000000056' });
      const enabled = await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
      expect(enabled.accounts?.[0]?.status).toBe('ENABLING');
      const findings = await listAllFindings(client);
      expect(findings.length).toBeGreaterThan(0);
      // The API answered while the import still waits for the endpoint.
      const waiting = (await control(server.url, 'GET', '/_inspector2/securityhub')).body;
      expect(waiting).toMatchObject({ enabled: true, endpoint: hub.url, delivered: 0 });
      expect(waiting.queued).toBeGreaterThan(0);

      await hub.close();
      await server.emulator.securityHub!.drained();
      const health = (await control(server.url, 'GET', '/_inspector2/health')).body;
      const status = health.sinks.find((s: { name: string }) => s.name === 'securityhub');
      expect(status).toMatchObject({ queued: 0, delivered: 0 });
      expect(status.failed).toBe(findings.length);
      expect(status.lastError).toEqual(expect.any(String));
    } finally {
      await server.close();
      await hub.close();
    }
  });

  it('is off, and says so, without an endpoint', async () => {
    const server = await startTestServer();
    try {
      expect(server.emulator.securityHub).toBeUndefined();
      expect((await control(server.url, 'GET', '/_inspector2/securityhub')).body).toEqual({ enabled: false });
    } finally {
      await server.close();
    }
  });
});
