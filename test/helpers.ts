// What the tests share: a listening emulator on an ephemeral loopback port, and real
// AWS SDK v3 clients pointed at it.
import { Readable } from 'node:stream';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { startServer, type RunningServer } from '../src/server.js';
import type { ServerOptions } from '../src/config.js';

export async function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
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
