// What the tests share: a listening emulator on an ephemeral loopback port, and real
// AWS SDK v3 clients pointed at it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Inspector2Client, ListFindingsCommand, type Finding, type FilterCriteria } from '@aws-sdk/client-inspector2';
import { startServer, type RunningServer } from '../src/server.js';
import type { ServerOptions } from '../src/config.js';

export async function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  // Files (findings reports) go to a fresh temporary folder, never into the checkout.
  const dataDir = mkdtempSync(join(tmpdir(), 'inspector2-data-'));
  return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir, ...options });
}

export interface ClientOptions {
  accountId?: string;
  region?: string;
  secretAccessKey?: string;
  accessKeyId?: string;
  maxAttempts?: number;
}

export function inspectorClient(url: string, options: ClientOptions = {}): Inspector2Client {
  return new Inspector2Client({
    endpoint: url,
    region: options.region ?? 'us-east-1',
    credentials: {
      accessKeyId: options.accessKeyId ?? options.accountId ?? '111122223333',
      secretAccessKey: options.secretAccessKey ?? 'test',
    },
    maxAttempts: options.maxAttempts ?? 1,
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Records the raw HTTP response of every call the client makes, before the SDK
 * deserializes it (the SDK drops members it does not know, so shape checks need the wire).
 */
export function recordRawResponses(client: Inspector2Client): { last(): RawResponse | undefined } {
  let last: RawResponse | undefined;
  type Next = (args: unknown) => Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }>;
  const record = (next: Next) => async (args: unknown) => {
    const result = await next(args);
    const chunks: Buffer[] = [];
    for await (const chunk of result.response.body) chunks.push(Buffer.from(chunk));
    const body = Buffer.concat(chunks);
    last = { status: result.response.statusCode, headers: result.response.headers, body: body.toString('utf8') };
    result.response.body = Readable.from([body]);
    return result;
  };
  // Inside the deserializer: sees the response before the SDK parses it.
  client.middlewareStack.addRelativeTo(record as never, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'recordRawResponse',
  });
  return { last: () => last };
}

/** A call to the emulator's control plane; resolves to the status and JSON body. */
export async function control(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } } & Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The default world's organization (seeds/default-world.json). */
export const ORG = {
  id: 'o-exampleorg01',
  management: '111111111111',
  securityTooling: '222222222222',
  production: '333333333333',
  staging: '444444444444',
  sandbox: '555555555555',
} as const;

/** Every finding ListFindings returns for the criteria, page by page. */
export async function listAllFindings(client: Inspector2Client, filterCriteria?: FilterCriteria): Promise<Finding[]> {
  const findings: Finding[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListFindingsCommand({ nextToken, filterCriteria }));
    findings.push(...(page.findings ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return findings;
}

/** Why moto_server cannot be used here, or undefined when it can (tests skip with this reason). */
export function motoServerMissing(): string | undefined {
  return spawnSync('moto_server', ['-h'], { encoding: 'utf8' }).error ? 'moto_server is not installed' : undefined;
}

/** Starts moto_server on a free loopback port; resolves once it answers. */
export async function startMotoServer(): Promise<{ endpoint: string; stop: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${endpoint}/`).then(() => true, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, stop: () => moto.kill() };
}
