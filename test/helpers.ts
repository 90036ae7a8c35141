// What the tests share: a listening emulator on an ephemeral loopback port, and real
// AWS SDK v3 clients pointed at it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Inspector2Client, ListFindingsCommand, type Finding, type FilterCriteria } from '@aws-sdk/client-inspector2';
import { it, vi } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import type { ServerOptions } from '../src/config.js';
import { removeDir } from './temp-dirs.js';

export { useTempDirs } from './temp-dirs.js';

export async function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  if (options.dataDir !== undefined) return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
  // Files (findings reports) go to a fresh temporary folder, never into the checkout; the
  // folder goes when the server closes (a caller's own dataDir is the caller's to remove).
  const dataDir = mkdtempSync(join(tmpdir(), 'inspector2-data-'));
  let server: RunningServer;
  try {
    server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir, ...options });
  } catch (error) {
    removeDir(dataDir);
    throw error;
  }
  const close = server.close.bind(server);
  server.close = () => close().finally(() => removeDir(dataDir));
  return server;
}

// ---------------------------------------------------------------- tools from outside npm

/** CI=true (or 1, or any value but 0/false): a tool the suite needs must be there. */
const underCI = (() => {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
})();

/**
 * Decides, for tests that need a tool from outside npm (python3 with boto3, the AWS CLI,
 * moto_server, Chromium), whether they are skipped: `reason` is why the tool cannot be used,
 * undefined when it can. A missing tool skips its tests and prints why — except under CI,
 * where a missing tool fails the run: a failing test, registered where this is called
 * (call it at a test file's top level), names the tool and the reason. Answers true when
 * the tests that need the tool must be skipped (`describe.skipIf(...)`).
 */
export function skipWithout(tool: string, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (underCI) {
    it(`has ${tool} (required under CI)`, () => {
      throw new Error(`${tool} is required when CI is set, and cannot be used: ${reason}`);
    });
  } else {
    console.warn(`SKIPPED the tests that need ${tool}: ${reason}`);
  }
  return true;
}

/** Why a command cannot be used (not installed, or the probe fails), or undefined when it can. */
export function commandMissing(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return `${command} is not installed (${result.error.message})`;
  if (result.status !== 0) return `${command} ${args.join(' ')} failed: ${result.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

/** Where Chromium is: CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why Chromium cannot be used here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `there is no Chromium at ${CHROMIUM}. Install it (Debian/Ubuntu: apt-get install chromium) or point CHROMIUM_PATH at a Chromium binary.`;
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

/** Moves the emulator's virtual clock (a duration: "61s", "PT1H" or milliseconds); what is due then runs. */
export async function advanceClock(url: string, advance: string | number): Promise<void> {
  const moved = await control(url, 'POST', '/_inspector2/clock', { advance });
  if (moved.status !== 200) throw new Error(`the clock did not move (${moved.status}): ${JSON.stringify(moved.body)}`);
}

/**
 * What a job whose outcome is written to the object store (a findings report, an SBOM export)
 * ends as, once the virtual clock has started it: `poll` reads its status. Writing is real
 * I/O (a folder, an S3 endpoint), not the emulator's clock, so its end is awaited with a
 * generous bound rather than a budget of sleeps.
 */
export function jobOutcome<T extends { status?: string }>(poll: () => Promise<T>, what: string): Promise<T> {
  return vi.waitFor(
    async () => {
      const job = await poll();
      if (job.status === 'IN_PROGRESS') throw new Error(`${what} is still IN_PROGRESS`);
      return job;
    },
    { timeout: 20_000, interval: 10 },
  );
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

/** Why moto_server cannot be used here, or undefined when it can (give it to skipWithout). */
export function motoServerMissing(): string | undefined {
  return commandMissing('moto_server', ['-h']);
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
  // A process starting (real time, not the emulator's clock): a generous bound.
  try {
    await vi.waitFor(
      async () => {
        if (moto.exitCode !== null) throw new Error(`moto_server exited with ${moto.exitCode}`);
        await fetch(`${endpoint}/`);
      },
      { timeout: 20_000, interval: 100 },
    );
  } catch (error) {
    moto.kill();
    throw new Error(`moto_server did not answer on ${endpoint}: ${(error as Error).message}`, { cause: error });
  }
  return { endpoint, stop: () => moto.kill() };
}

/**
 * The environment of an AWS client child process (boto3, the AWS CLI): only the credentials,
 * region and variables given — no profile, no shared config, no instance metadata.
 */
export function awsClientEnv(accessKeyId: string, region?: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    ...(region ? { AWS_DEFAULT_REGION: region } : {}),
    AWS_CONFIG_FILE: '/nonexistent/inspector2-local/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/inspector2-local/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
