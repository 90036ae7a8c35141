// STS's GetCallerIdentity on the emulator's port (a SigV4-signed query request as the SDKs
// send it, boto3 and the AWS CLI), and moto's reset, POST /moto-api/reset, as moto's own
// clients send it: no body, no Content-Type.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateFilterCommand, ListFiltersCommand } from '@aws-sdk/client-inspector2';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';
import type { RunningServer } from '../../src/server.js';
import { awsClientEnv, commandMissing, inspectorClient, skipWithout, startTestServer } from '../helpers.js';

const run = promisify(execFile);

const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));
const noCli = skipWithout('the AWS CLI', commandMissing('aws', ['--version']));

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A query-protocol request signed for STS, as the AWS SDK for JavaScript v3 sends it. */
async function sts(action: string, options: { accessKeyId?: string; region?: string } = {}): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  const body = `Action=${action}&Version=2011-06-15`;
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: options.accessKeyId ?? '111122223333', secretAccessKey: 'test' },
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

/** An element's text in an XML answer. */
const element = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('STS GetCallerIdentity, signed as the SDKs sign it', () => {
  it("answers the account a 12-digit access key names, as the account's root", async () => {
    const { status, body } = await sts('GetCallerIdentity', { accessKeyId: '444455556666', region: 'eu-west-1' });
    expect(status).toBe(200);
    expect(body).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>');
    expect(element(body, 'Account')).toBe('444455556666');
    expect(element(body, 'UserId')).toBe('444455556666');
    expect(element(body, 'Arn')).toBe('arn:aws:iam::444455556666:root');
    expect(element(body, 'RequestId')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers the default account for any other key', async () => {
    const { body } = await sts('GetCallerIdentity', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(element(body, 'Account')).toBe('000000000000');
    expect(element(body, 'Arn')).toBe('arn:aws:iam::000000000000:root');
  });

  it("names the partition of the region the request is signed for (China's aws-cn)", async () => {
    const { body } = await sts('GetCallerIdentity', { accessKeyId: '444455556666', region: 'cn-north-1' });
    expect(element(body, 'Arn')).toBe('arn:aws-cn:iam::444455556666:root');
  });

  it('answers an action it does not serve with InvalidAction (400), in STS XML', async () => {
    const { status, body } = await sts('AssumeRole');
    expect(status).toBe(400);
    expect(body).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(element(body, 'Code')).toBe('InvalidAction');
    expect(element(body, 'Type')).toBe('Sender');
  });
});

describe.skipIf(noBoto3)('STS through boto3', () => {
  it('get_caller_identity: the account of the key, the partition of the region', async () => {
    const script = `
import json, sys, boto3
def who(key, region):
    out = boto3.client('sts', endpoint_url=sys.argv[1], region_name=region, aws_access_key_id=key, aws_secret_access_key='test').get_caller_identity()
    out.pop('ResponseMetadata')
    return out
print(json.dumps([who('111122223333', 'eu-west-1'), who('test', 'us-east-1'), who('111122223333', 'cn-northwest-1')]))
`;
    const { stdout } = await run('python3', ['-c', script, server.url], { env: awsClientEnv('unused', 'us-east-1') });
    expect(JSON.parse(stdout)).toEqual([
      { UserId: '111122223333', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:root' },
      { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' },
      { UserId: '111122223333', Account: '111122223333', Arn: 'arn:aws-cn:iam::111122223333:root' },
    ]);
  });
});

describe.skipIf(noCli)('STS through the AWS CLI', () => {
  const aws = (accessKeyId: string, region: string) =>
    run('aws', ['--endpoint-url', server.url, '--region', region, '--output', 'json', 'sts', 'get-caller-identity'], {
      env: awsClientEnv(accessKeyId, region),
    });

  it('sts get-caller-identity prints the caller', async () => {
    expect(JSON.parse((await aws('222233334444', 'eu-central-1')).stdout)).toEqual({
      UserId: '222233334444',
      Account: '222233334444',
      Arn: 'arn:aws:iam::222233334444:root',
    });
    expect(JSON.parse((await aws('test', 'us-east-1')).stdout).Account).toBe('000000000000');
    expect(JSON.parse((await aws('222233334444', 'cn-north-1')).stdout).Arn).toBe('arn:aws-cn:iam::222233334444:root');
  });
});

describe("moto's reset, POST /moto-api/reset", () => {
  it('forgets everything, as moto_server does, when posted with no body and no Content-Type', async () => {
    const client = inspectorClient(server.url, { accountId: '333344445555', region: 'eu-west-1' });
    await client.send(
      new CreateFilterCommand({ name: 'before-reset', action: 'NONE', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'LOW' }] } }),
    );
    expect((await client.send(new ListFiltersCommand({}))).filters?.map((f) => f.name)).toEqual(['before-reset']);

    const response = await fetch(`${server.url}/moto-api/reset`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect((await client.send(new ListFiltersCommand({}))).filters).toEqual([]);
  });

  it('takes {} as JSON, and refuses another body, another method and a foreign Origin', async () => {
    const post = (init: RequestInit) => fetch(`${server.url}/moto-api/reset`, { method: 'POST', ...init });
    expect((await post({ headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    expect((await post({ headers: { 'content-type': 'application/json' }, body: '{"accountId": "333344445555"}' })).status).toBe(400);
    expect((await post({ headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await post({ headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const get = await fetch(`${server.url}/moto-api/reset`);
    expect(get.status).toBe(400);
    expect(await get.json()).toEqual({ Error: 'Need to POST to reset Moto' });
  });

  it('needs the control token when one is set, as /_inspector2/reset does', async () => {
    const emulator = createEmulator({ logLevel: 'silent', controlToken: 'the-token' });
    const reset = (headers: Record<string, string>) => emulator.fetch(new Request('http://localhost/moto-api/reset', { method: 'POST', headers }));
    expect((await reset({})).status).toBe(403);
    expect((await reset({ authorization: 'Bearer the-token' })).status).toBe(200);
  });
});
