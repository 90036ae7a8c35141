// Hostile input over real HTTP: members named like prototype properties, IAM actions named
// like Object's methods, badly percent-encoded control paths, documents nested 10,000 deep,
// made-up regions, a webhook that never answers, and the caps on what requests may create.
// Every answer is a 4xx with the error AWS (or the control plane) gives — never a 5xx — and
// nothing of the refused request reaches the world.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateFilterCommand, EnableCommand, ListFiltersCommand, ListFindingsCommand, CreateFindingsReportCommand } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import type { World } from '../../src/world/world.js';
import { makeRoomForJob } from '../../src/world/findings/retention.js';
import { control, inspectorClient, rejection, startTestServer } from '../helpers.js';

/** An unsigned SigV4 Authorization header (the default mode reads, not checks, signatures). */
function authorization(accountId: string, region = 'us-east-1', service = 'inspector2'): string {
  return `AWS4-HMAC-SHA256 Credential=${accountId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;
}

async function api(url: string, path: string, body: string, accountId = '710000000001', region = 'us-east-1') {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: authorization(accountId, region) },
    body,
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), text, ms: performance.now() - started };
}

async function iam(url: string, action: string) {
  const response = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: authorization('710000000001', 'us-east-1', 'iam') },
    body: `Action=${encodeURIComponent(action)}&Version=2010-05-08`,
  });
  return { status: response.status, text: await response.text() };
}

describe('input that names prototype members, nests deep or is badly encoded', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ seed: false });
  });
  afterAll(() => server?.close());

  it('refuses __proto__, constructor and prototype members at any depth of CreateFilter, and stores nothing', async () => {
    const criteria = [
      '{"__proto__":{"severity":[{"comparison":"NOT_A_COMPARISON","value":5}]}}',
      '{"severity":[{"comparison":"EQUALS","value":"HIGH","__proto__":{"comparison":"BAD"}}]}',
      '{"severity":[{"comparison":"EQUALS","value":"HIGH"}],"constructor":{"prototype":{"x":1}}}',
      '{"findingStatus":[{"comparison":"EQUALS","value":"ACTIVE","prototype":"x"}]}',
    ];
    for (const [i, filterCriteria] of criteria.entries()) {
      const answer = await api(server.url, '/filters/create', `{"name":"proto-${i}","action":"SUPPRESS","filterCriteria":${filterCriteria}}`);
      expect(answer.status, filterCriteria).toBe(400);
      expect(answer.type).toBe('SerializationException');
      expect(JSON.parse(answer.text).message).toMatch(/named like a prototype property/);
    }
    // A map key too (tags).
    const tagged = await api(
      server.url,
      '/filters/create',
      '{"name":"proto-tags","action":"SUPPRESS","filterCriteria":{"severity":[{"comparison":"EQUALS","value":"HIGH"}]},"tags":{"__proto__":"x"}}',
    );
    expect(tagged.status).toBe(400);
    expect(JSON.parse(tagged.text).message).toContain("'tags.__proto__'");
    // Members the model does not know are no way around it.
    const hidden = await api(
      server.url,
      '/filters/create',
      '{"name":"proto-hidden","action":"SUPPRESS","filterCriteria":{"severity":[{"comparison":"EQUALS","value":"HIGH"}]},"unknown":{"a":[{"constructor":1}]}}',
    );
    expect(hidden.status).toBe(400);
    // The control plane refuses them too.
    expect((await control(server.url, 'POST', '/_inspector2/rescan', '{"__proto__":{"accountId":"x"}}')).status).toBe(400);

    const owner = inspectorClient(server.url, { accountId: '710000000001' });
    expect((await owner.send(new ListFiltersCommand({}))).filters).toEqual([]);
    // Another account's reads are unaffected.
    const other = inspectorClient(server.url, { accountId: '710000000002' });
    await other.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    const findings = await other.send(new ListFindingsCommand({}));
    expect(findings.$metadata.httpStatusCode).toBe(200);
    // And a well-formed filter still works.
    const created = await owner.send(
      new CreateFilterCommand({ name: 'fine', action: 'SUPPRESS', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }] } }),
    );
    expect(created.arn).toMatch(/filter\//);
  });

  it('answers a document nested 10,000 deep with a quick SerializationException (API) or 400 (control plane)', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const deepList = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    for (const body of [
      `{"name":"deep","action":"SUPPRESS","filterCriteria":{"severity":${deepList}}}`,
      `{"name":"deep","action":"SUPPRESS","filterCriteria":{"unknownMember":${deep}}}`,
      `{"name":"deep","action":"SUPPRESS","filterCriteria":{"__proto__":${deep}}}`,
    ]) {
      const answer = await api(server.url, '/filters/create', body);
      expect(answer.status).toBe(400);
      expect(answer.type).toBe('SerializationException');
      expect(answer.ms).toBeLessThan(2_000);
    }
    const controlled = await control(server.url, 'POST', '/_inspector2/rescan', `{"accountId":${deep}}`);
    expect(controlled.status).toBe(400);
    // 64 levels is the limit: what the model needs (5) is far below it.
    const ok = await api(server.url, '/filters/list', '{}');
    expect(ok.status).toBe(200);
  });

  it('renders input values in messages bounded in size and depth', async () => {
    const answer = await api(
      server.url,
      '/filters/create',
      `{"name":"x","action":"SUPPRESS","filterCriteria":{"severity":[[{"a":{"b":{"c":"${'z'.repeat(5000)}"}}}]]}}`,
    );
    expect(answer.status).toBe(400);
    const { message } = JSON.parse(answer.text) as { message: string };
    expect(message.length).toBeLessThan(600);
    expect(message).toContain('...');
  });

  it('answers IAM actions named like Object members with InvalidAction, as any unknown action', async () => {
    for (const action of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf']) {
      const answer = await iam(server.url, action);
      expect(answer.status, action).toBe(400);
      expect(answer.text).toContain('<Code>InvalidAction</Code>');
    }
    expect((await iam(server.url, 'ListRoles')).status).toBe(200);
  });

  it('answers badly percent-encoded control-plane paths with a 400, never a 500', async () => {
    const base = '/_inspector2/inventory/710000000003/us-east-1';
    for (const path of [
      `${base}/lambda-functions/fn/packages/npm/%25zz`,
      `${base}/lambda-functions/fn/packages/npm/%zz`,
      `${base}/ec2-instances/%E0%A4%A/packages/npm/x`,
      `${base}/ecr-repositories/%25zz/images/sha256:00`,
      `/_inspector2/vulnerabilities/%25zz`,
      `/_inspector2/faults/%zz`,
    ]) {
      const response = await fetch(`${server.url}${path}`, {
        method: path.includes('vulnerabilities') ? 'GET' : 'DELETE',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/path/);
    }
  });
});

describe('regions', () => {
  let server: RunningServer;
  let strict: RunningServer;
  let custom: RunningServer;
  beforeAll(async () => {
    [server, strict, custom] = await Promise.all([
      startTestServer({ seed: false }),
      startTestServer({ seed: false, verifySignatures: true, credentials: { '720000000001': 'secret' } }),
      startTestServer({ seed: false, customRegions: ['xx-lab-1'] }),
    ]);
  });
  afterAll(() => Promise.all([server?.close(), strict?.close(), custom?.close()]));

  it('answers a request signed for a region that does not exist with 403 InvalidSignatureException, and creates nothing', async () => {
    const client = inspectorClient(server.url, { accountId: '720000000001', region: 'xx-fake-1' });
    const error = await rejection(client.send(new EnableCommand({ resourceTypes: ['EC2'] })));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/Credential should be scoped to a valid region/);
    expect((await control(server.url, 'GET', '/_inspector2/accounts/720000000001')).body.regions).toEqual([]);
    // The control plane takes the same regions.
    expect((await control(server.url, 'GET', '/_inspector2/inventory/720000000001/xx-fake-1')).status).toBe(400);
    // Real regions, recent ones included, are served.
    for (const region of ['us-east-1', 'ap-southeast-7', 'mx-central-1', 'us-gov-west-1', 'cn-north-1']) {
      const served = await inspectorClient(server.url, { accountId: '720000000001', region }).send(new ListFiltersCommand({}));
      expect(served.$metadata.httpStatusCode, region).toBe(200);
    }
  });

  it('in strict mode as well, after the credentials are known', async () => {
    const bad = inspectorClient(strict.url, { accountId: '720000000001', secretAccessKey: 'secret', region: 'xx-fake-1' });
    const error = await rejection(bad.send(new ListFiltersCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.message).toMatch(/valid region/);
    const good = inspectorClient(strict.url, { accountId: '720000000001', secretAccessKey: 'secret', region: 'eu-west-1' });
    expect((await good.send(new ListFiltersCommand({}))).filters).toEqual([]);
  });

  it('serves a custom region opted in with customRegions (INSPECTOR2_CUSTOM_REGIONS)', async () => {
    const lab = inspectorClient(custom.url, { accountId: '720000000002', region: 'xx-lab-1' });
    const enabled = await lab.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect(enabled.accounts?.[0]?.status).toBe('ENABLING');
    const other = await rejection(inspectorClient(custom.url, { accountId: '720000000002', region: 'xx-lab-2' }).send(new ListFiltersCommand({})));
    expect(other.name).toBe('InvalidSignatureException');
  });
});

describe('caps on what requests create', () => {
  it('refuses a new account-region past INSPECTOR2_MAX_ACCOUNT_REGIONS with AccessDeniedException; existing ones are served', async () => {
    const server = await startTestServer({ seed: false, maxAccountRegions: 2 });
    try {
      for (const region of ['us-east-1', 'eu-west-1']) {
        await inspectorClient(server.url, { accountId: '730000000001', region }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
      }
      const refused = await rejection(
        inspectorClient(server.url, { accountId: '730000000001', region: 'eu-west-2' }).send(new EnableCommand({ resourceTypes: ['EC2'] })),
      );
      expect(refused.name).toBe('AccessDeniedException');
      expect(refused.message).toMatch(/INSPECTOR2_MAX_ACCOUNT_REGIONS/);
      const controlled = await control(server.url, 'POST', '/_inspector2/inventory/730000000002/us-east-1/ec2-instances', {
        instanceId: 'i-0123456789abcdef0',
        amiId: 'ami-0123456789abcdef0',
        platform: 'UBUNTU_22_04',
      });
      expect(controlled.status).toBe(403);
      const served = await inspectorClient(server.url, { accountId: '730000000001', region: 'eu-west-1' }).send(new ListFindingsCommand({}));
      expect(served.$metadata.httpStatusCode).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses S3 destinations S3 would refuse: bucket names, key prefixes past 1,024 bytes', async () => {
    const server = await startTestServer({ seed: false });
    try {
      const client = inspectorClient(server.url, { accountId: '730000000003' });
      const kmsKeyArn = 'arn:aws:kms:us-east-1:730000000003:key/0a1b2c3d-0000-4000-8000-000000000000';
      for (const s3Destination of [
        { bucketName: 'ab', kmsKeyArn },
        { bucketName: 'Upper_Case', kmsKeyArn },
        { bucketName: 'a'.repeat(64), kmsKeyArn },
        { bucketName: '192.168.0.1', kmsKeyArn },
        { bucketName: 'reports', keyPrefix: 'p'.repeat(1025), kmsKeyArn },
      ]) {
        const error = await rejection(client.send(new CreateFindingsReportCommand({ reportFormat: 'JSON', s3Destination })));
        expect(error.name, JSON.stringify(s3Destination).slice(0, 80)).toBe('ValidationException');
      }
      const created = await client.send(
        new CreateFindingsReportCommand({ reportFormat: 'JSON', s3Destination: { bucketName: 'reports', keyPrefix: 'p'.repeat(1024), kmsKeyArn } }),
      );
      expect(created.reportId).toBeDefined();
    } finally {
      await server.close();
    }
  });

  it('keeps the newest reports per account and region, evicting the oldest finished ones, and refuses when all are in progress', () => {
    type Job = { status: string };
    const byAccount = new Map<string, Map<string, Job>>([
      ['A', new Map()],
      ['B', new Map()],
      ['C', new Map()],
    ]);
    // What makeRoomForJob reads of the world: every account-region's jobs of this kind.
    const world = { allAccountRegions: () => [...byAccount.values()].map((reports) => ({ reports })) } as unknown as World;
    const limits = { perAccount: 3, total: 5 };
    const add = (id: string, account: string, status = 'SUCCEEDED') => {
      const jobs = byAccount.get(account)!;
      makeRoomForJob(world, jobs, (state) => state.reports, 'reports', limits);
      jobs.set(id, { status });
    };
    add('a1', 'A', 'IN_PROGRESS');
    add('a2', 'A');
    add('a3', 'A');
    add('a4', 'A');
    expect([...byAccount.get('A')!.keys()]).toEqual(['a1', 'a3', 'a4']);
    add('b1', 'B');
    add('b2', 'B');
    add('b3', 'B');
    // The total cap evicts the caller's oldest finished first, then anyone's; never one in progress.
    const all = () => [...byAccount.values()].flatMap((jobs) => [...jobs.keys()]);
    expect(all()).toHaveLength(5);
    expect(all()).toContain('a1');
    expect(all()).toContain('b3');
    byAccount.set('A', new Map());
    byAccount.set('B', new Map());
    const busy = byAccount.get('C')!;
    for (const i of [1, 2, 3]) busy.set(`c${i}`, { status: 'IN_PROGRESS' });
    expect(() => makeRoomForJob(world, busy, (state) => state.reports, 'reports', limits)).toThrow(/in progress/);
  });
});

describe('an event sink that never answers', () => {
  it('stays bounded: events past the queue are dropped and counted, health shows it, and API calls stay fast', async () => {
    const hanging: ServerResponse[] = [];
    const hook: Server = createServer((_request, response) => void hanging.push(response));
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const { port } = hook.address() as AddressInfo;
    const server = await startTestServer({ seed: false, webhookUrl: `http://127.0.0.1:${port}/events`, sinkMaxQueue: 5, sinkTimeoutMs: 300 });
    try {
      const client = inspectorClient(server.url, { accountId: '740000000001' });
      const started = performance.now();
      await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
      await client.send(new ListFindingsCommand({}));
      await client.send(new ListFindingsCommand({}));
      expect(performance.now() - started).toBeLessThan(3_000);
      const logged = (await control(server.url, 'GET', '/_inspector2/events')).body.events.length as number;
      expect(logged).toBeGreaterThan(5);

      const health = await control(server.url, 'GET', '/_inspector2/health');
      expect(health.status).toBe(200);
      const [sink] = health.body.sinks as { name: string; queued: number; delivered: number; failed: number; dropped: number; lastError: string | null }[];
      expect(sink!.name).toBe('webhook');
      expect(sink!.queued).toBeLessThanOrEqual(5);
      expect(sink!.dropped).toBe(logged - 5);
      expect(sink!.delivered).toBe(0);
      expect(sink!.lastError).toBe('queue full');

      // The first delivery times out (and is retried): failures are counted, the queue drains.
      let later = sink!;
      for (let i = 0; i < 50 && later.failed === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        later = (await control(server.url, 'GET', '/_inspector2/health')).body.sinks[0];
      }
      expect(later.failed).toBeGreaterThanOrEqual(1);
      expect(later.lastError).toMatch(/abort|timeout/i);
      expect(later.queued).toBeLessThanOrEqual(4);
    } finally {
      await server.close();
      for (const response of hanging) response.destroy();
      await new Promise((resolve) => hook.close(resolve));
    }
  }, 20_000);
});
