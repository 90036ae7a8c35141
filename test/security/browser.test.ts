// A web page in the developer's browser must not drive the emulator: cross-site requests
// (Origin), DNS rebinding (Host), "simple" text/plain posts to the control plane, and in
// strict mode an unsigned control plane. Real HTTP against listening servers, with the
// headers a browser would send.
import { request as httpRequest } from 'node:http';
import { BatchGetAccountStatusCommand, EnableCommand } from '@aws-sdk/client-inspector2';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';
import { ConfigError, optionsFromEnv } from '../../src/config.js';
import { isLoopbackAddress } from '../../src/http/guards.js';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, startTestServer } from '../helpers.js';

const EVIL = 'http://evil.example';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** One HTTP request with exactly these headers (Host and Origin included, as a browser would set them). */
function raw(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method, path, headers: body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a cross-site page can send without a preflight: a "simple" POST, text/plain. */
const crossSite = (url: string, path: string, body: string) => raw(url, 'POST', path, { origin: EVIL, 'content-type': 'text/plain;charset=UTF-8' }, body);

describe('a page on another site', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ manualClock: true, clockStart: new Date('2030-01-01T00:00:00Z') });
    await inspectorClient(server.url, { accountId: '333333333333' }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
  });
  afterAll(() => server.close());

  const status = async (accountId: string) =>
    (await inspectorClient(server.url, { accountId }).send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status;

  it('cannot reset, add faults, move the clock or call the API, and learns nothing', async () => {
    const clockBefore = (await raw(server.url, 'GET', '/_inspector2/clock')).json();
    const faultsBefore = (await raw(server.url, 'GET', '/_inspector2/faults')).json();
    for (const [path, body] of [
      ['/_inspector2/reset', '{}'],
      ['/_inspector2/faults', '{"fault":"drop"}'],
      ['/_inspector2/clock', '{"advance":"1d"}'],
      ['/enable', '{"resourceTypes":["EC2","ECR"]}'],
    ] as const) {
      const response = await crossSite(server.url, path, body);
      expect(response.status, path).toBe(403);
      expect(response.headers['access-control-allow-origin'], path).toBeUndefined();
      // The error's type (as the x-amzn-ErrorType header says it) and a message: nothing of the state.
      expect(Object.keys(response.json()), path).toEqual(['__type', 'message']);
      expect(response.json().__type, path).toBe('AccessDeniedException');
      expect(response.json().message).toMatch(/Origin is not allowed/);
    }
    expect((await raw(server.url, 'GET', '/_inspector2/clock')).json()).toEqual(clockBefore);
    expect((await raw(server.url, 'GET', '/_inspector2/faults')).json()).toEqual(faultsBefore);
    expect(await status('333333333333')).toBe('ENABLED');
    expect(await status('000000000000')).toBe('DISABLED');
  });

  it('cannot read state either: a cross-site GET of the snapshot is refused', async () => {
    const response = await raw(server.url, 'GET', '/_inspector2/snapshot', { origin: EVIL });
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('333333333333');
  });

  it('gets no preflight either', async () => {
    const response = await raw(server.url, 'OPTIONS', '/_inspector2/reset', { origin: EVIL, 'access-control-request-method': 'POST' });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('an opaque origin (sandboxed iframe, file:) is not loopback', async () => {
    expect((await crossSite(server.url, '/_inspector2/reset', '{}')).status).toBe(403);
    expect((await raw(server.url, 'POST', '/_inspector2/reset', { origin: 'null', 'content-type': 'application/json' }, '{}')).status).toBe(403);
    expect(await status('333333333333')).toBe('ENABLED');
  });
});

describe('DNS rebinding (a Host that is not loopback)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ allowedHosts: ['inspector2', 'emulator.test:4566'] });
  });
  afterAll(() => server.close());

  it('is refused on the snapshot, the API and the console, with nothing from the state', async () => {
    const port = new URL(server.url).port;
    for (const [method, path] of [
      ['GET', '/_inspector2/snapshot'],
      ['GET', '/_inspector2/organizations'],
      ['POST', '/status/batch/get'],
      ['GET', '/_inspector2/ui/'],
    ] as const) {
      const response = await raw(
        server.url,
        method,
        path,
        { host: `evil.example:${port}`, 'content-type': 'application/json' },
        method === 'POST' ? '{}' : undefined,
      );
      expect(response.status, path).toBe(403);
      expect(response.json().message, path).toMatch(/Host is not allowed/);
      expect(response.body, path).not.toContain('o-exampleorg01');
    }
  });

  it('loopback names and the configured ones are answered', async () => {
    const port = new URL(server.url).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `app.localhost:${port}`,
      `[::1]:${port}`,
      `127.1.2.3:${port}`,
      `inspector2:${port}`,
      'inspector2',
      'emulator.test:4566',
    ]) {
      expect((await raw(server.url, 'GET', '/_inspector2/health', { host })).status, host).toBe(200);
    }
    // A name configured with a port is that port only.
    expect((await raw(server.url, 'GET', '/_inspector2/health', { host: 'emulator.test:4567' })).status).toBe(403);
  });

  it('the console served under a configured name may call its own origin', async () => {
    const port = new URL(server.url).port;
    const response = await raw(
      server.url,
      'POST',
      '/status/batch/get',
      { host: `inspector2:${port}`, origin: `http://inspector2:${port}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(`http://inspector2:${port}`);
  });

  it('is not checked without a socket: createEmulator().fetch and msw get AWS host names', async () => {
    const emulator = createEmulator({ logLevel: 'silent' });
    const response = await emulator.fetch(new Request('https://inspector2.eu-west-1.amazonaws.com/status/batch/get', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(200);
  });

  it('the listen address decides whether the check is on by default', () => {
    for (const address of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['0.0.0.0', '::', '192.168.1.10', 'inspector2']) expect(isLoopbackAddress(address), address).toBe(false);
  });
});

describe('a browser app on localhost (CORS)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(optionsFromEnv({ INSPECTOR2_CORS_ORIGINS: 'http://app.test:8080, https://console.example.com/' }));
  });
  afterAll(() => server.close());

  it('gets its preflight answered, for the AWS SDK headers', async () => {
    const origin = 'http://localhost:3000';
    const response = await raw(server.url, 'OPTIONS', '/enable', {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-date,x-amz-user-agent,x-amz-content-sha256',
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(response.headers['access-control-allow-methods']).toMatch(/POST/);
    const allowed = String(response.headers['access-control-allow-headers']).split(', ');
    for (const header of [
      'authorization',
      'x-amz-date',
      'x-amz-content-sha256',
      'x-amz-security-token',
      'x-amz-user-agent',
      'amz-sdk-invocation-id',
      'amz-sdk-request',
      'content-type',
    ]) {
      expect(allowed, header).toContain(header);
    }
    const exposed = String(response.headers['access-control-expose-headers']).toLowerCase();
    for (const header of ['x-amzn-requestid', 'x-amzn-errortype', 'x-amz-request-id', 'etag', 'retry-after']) expect(exposed).toContain(header);
    expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('gets Access-Control-Allow-Origin on the actual answers, errors included', async () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'https://[::1]:8443', 'http://app.localhost']) {
      const ok = await raw(server.url, 'POST', '/status/batch/get', { origin, 'content-type': 'application/json' }, '{}');
      expect(ok.status, origin).toBe(200);
      expect(ok.headers['access-control-allow-origin'], origin).toBe(origin);
      expect(String(ok.headers['access-control-expose-headers'])).toMatch(/x-amzn-RequestId/);
    }
    const error = await raw(server.url, 'POST', '/enable', { origin: 'http://localhost:3000', 'content-type': 'application/json' }, '{}');
    expect(error.status).toBe(400);
    expect(error.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('INSPECTOR2_CORS_ORIGINS adds exact origins', async () => {
    for (const origin of ['http://app.test:8080', 'https://console.example.com']) {
      const response = await raw(server.url, 'POST', '/status/batch/get', { origin, 'content-type': 'application/json' }, '{}');
      expect(response.status, origin).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
    }
    for (const origin of ['http://app.test:8081', 'https://app.test:8080', 'http://console.example.com']) {
      expect((await raw(server.url, 'POST', '/status/batch/get', { origin, 'content-type': 'application/json' }, '{}')).status, origin).toBe(403);
    }
  });

  it('the settings are checked when read', () => {
    expect(optionsFromEnv({ INSPECTOR2_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => optionsFromEnv({ INSPECTOR2_CORS_ORIGINS: 'app.test' })).toThrow(ConfigError);
    expect(() => optionsFromEnv({ INSPECTOR2_CORS_ORIGINS: 'http://app.test/path' })).toThrow(ConfigError);
    expect(optionsFromEnv({ INSPECTOR2_ALLOWED_HOSTS: 'inspector2, inspector2.local:4566' }).allowedHosts).toEqual(['inspector2', 'inspector2.local:4566']);
    expect(() => optionsFromEnv({ INSPECTOR2_ALLOWED_HOSTS: 'http://inspector2' })).toThrow(ConfigError);
    expect(optionsFromEnv({ INSPECTOR2_CONTROL_TOKEN: ' s3cret ' }).controlToken).toBe('s3cret');
    expect(optionsFromEnv({ INSPECTOR2_CONTROL_TOKEN: '' }).controlToken).toBeUndefined();
  });
});

describe('control-plane writes need Content-Type: application/json', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ manualClock: true, clockStart: new Date('2030-01-01T00:00:00Z') });
  });
  afterAll(() => server.close());

  it('refuses anything else with a 415, and changes nothing', async () => {
    const clockBefore = (await raw(server.url, 'GET', '/_inspector2/clock')).json();
    for (const headers of [
      {} as Record<string, string>,
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
    ]) {
      const response = await raw(server.url, 'POST', '/_inspector2/clock', headers, '{"advance":"1d"}');
      expect(response.status, JSON.stringify(headers)).toBe(415);
      expect(response.json().message).toMatch(/application\/json/);
    }
    expect((await raw(server.url, 'DELETE', '/_inspector2/faults')).status).toBe(415);
    expect((await raw(server.url, 'POST', '/_inspector2/reset')).status).toBe(415);
    expect((await raw(server.url, 'GET', '/_inspector2/clock')).json()).toEqual(clockBefore);
  });

  it('accepts application/json with parameters, and an empty JSON body where one is optional', async () => {
    const moved = await raw(server.url, 'POST', '/_inspector2/clock', { 'content-type': 'Application/JSON; charset=utf-8' }, '{"advance":"1d"}');
    expect(moved.status).toBe(200);
    expect(moved.json().now).toBe('2030-01-02T00:00:00.000Z');
    expect((await raw(server.url, 'POST', '/_inspector2/reset', { 'content-type': 'application/json' })).status).toBe(200);
    expect((await raw(server.url, 'DELETE', '/_inspector2/faults', { 'content-type': 'application/json' })).status).toBe(200);
  });

  it('the AWS endpoints keep taking what the SDKs and curl send', async () => {
    expect((await raw(server.url, 'POST', '/status/batch/get', {}, '{}')).status).toBe(200);
    expect((await raw(server.url, 'POST', '/status/batch/get', { 'content-type': 'application/x-amz-json-1.1' }, '{}')).status).toBe(200);
  });
});

describe('strict mode covers the control plane', () => {
  const TOKEN = 'control-token-for-tests';
  let server: RunningServer;
  let host: string;
  beforeAll(async () => {
    server = await startTestServer({ verifySignatures: true, controlToken: TOKEN, credentials: { AKIDEXAMPLE: 'secret' } });
    host = new URL(server.url).host;
  });
  afterAll(() => server.close());

  async function signed(
    method: string,
    path: string,
    body: string | undefined,
    options: { service?: string; signHost?: boolean } = {},
  ): Promise<Record<string, string>> {
    const signer = new SignatureV4({
      service: options.service ?? 'inspector2',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      sha256: Hash.bind(null, 'sha256'),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.signHost === false ? {} : { host }) };
    const request = await signer.sign({ method, protocol: 'http:', hostname: '127.0.0.1', path, query: {}, headers, ...(body === undefined ? {} : { body }) });
    return { ...request.headers, host };
  }

  it('refuses unsigned control calls, reads included', async () => {
    for (const [method, path] of [
      ['POST', '/_inspector2/reset'],
      ['GET', '/_inspector2/snapshot'],
      ['GET', '/_inspector2/events'],
      ['GET', '/_inspector2/organizations'],
      ['GET', '/_inspector2/faults'],
      ['GET', '/_inspector2/accounts/111111111111'],
    ] as const) {
      const response = await raw(server.url, method, path, { 'content-type': 'application/json' }, method === 'POST' ? '{}' : undefined);
      expect(response.status, path).toBe(403);
      expect(response.headers['x-amzn-errortype'], path).toBe('MissingAuthenticationTokenException');
      expect(response.body, path).not.toContain('o-exampleorg01');
    }
  });

  it('leaves health, the OpenAPI document and the console files open', async () => {
    for (const path of ['/_inspector2/health', '/_localstack/health', '/_inspector2/openapi.json', '/_inspector2/ui/', '/_inspector2/ui/app.js']) {
      expect((await raw(server.url, 'GET', path)).status, path).toBe(200);
    }
  });

  it('accepts the control token, in either header', async () => {
    const bearer = await raw(server.url, 'POST', '/_inspector2/reset', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, '{}');
    expect(bearer.status).toBe(200);
    expect(bearer.json()).toEqual({ reset: 'everything' });
    const snapshot = await raw(server.url, 'GET', '/_inspector2/snapshot', { 'x-inspector2-control-token': TOKEN });
    expect(snapshot.status).toBe(200);
    expect(snapshot.json().format).toBe('inspector2-local/world-snapshot');
    const wrong = await raw(server.url, 'GET', '/_inspector2/snapshot', { authorization: 'Bearer guess' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain('world-snapshot');
  });

  it('accepts a valid SigV4 signature, for any service', async () => {
    const body = '{"advance":"1m"}';
    const moved = await raw(server.url, 'POST', '/_inspector2/clock', await signed('POST', '/_inspector2/clock', body), body);
    expect(moved.status).toBe(200);
    const read = await raw(server.url, 'GET', '/_inspector2/events', await signed('GET', '/_inspector2/events', undefined, { service: 'execute-api' }));
    expect(read.status).toBe(200);
    // Signed with a secret the emulator does not know: refused as the API would.
    const forged = await signed('POST', '/_inspector2/reset', '{}');
    forged.authorization = forged.authorization!.replace(/Signature=[0-9a-f]+/, `Signature=${'0'.repeat(64)}`);
    const refused = await raw(server.url, 'POST', '/_inspector2/reset', forged, '{}');
    expect(refused.status).toBe(403);
    expect(refused.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  it('refuses a signature that does not cover Host, on the API and the control plane', async () => {
    for (const path of ['/status/batch/get', '/_inspector2/reset']) {
      const headers = await signed('POST', path, '{}', { signHost: false });
      expect(headers.authorization).not.toMatch(/SignedHeaders=[^,]*\bhost\b/);
      const response = await raw(server.url, 'POST', path, headers, '{}');
      expect(response.status, path).toBe(403);
      expect(response.headers['x-amzn-errortype'], path).toBe('IncompleteSignatureException');
      expect(response.json().message, path).toMatch(/'Host' or ':authority' must be a 'SignedHeader'/);
    }
    // The same request signed with Host is served.
    expect((await raw(server.url, 'POST', '/status/batch/get', await signed('POST', '/status/batch/get', '{}'), '{}')).status).toBe(200);
  });
});
