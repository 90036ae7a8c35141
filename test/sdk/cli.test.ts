// The command line as a user runs it: listens where told, answers health checks, logs one
// line per request, and shuts down cleanly on SIGTERM and SIGINT.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { BatchGetAccountStatusCommand } from '@aws-sdk/client-inspector2';
import { describe, expect, it, vi } from 'vitest';
import { inspectorClient } from '../helpers.js';

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  log: () => string;
}

async function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'listening on' line; log so far:\n${log}`)), 20_000);
    child.stderr.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${log}`)));
  });
  return { child, url, log: () => log };
}

describe('inspector2-local command line', () => {
  it('listens on --host/--port, answers health, logs each request and stops on SIGTERM', async () => {
    const { child, url, log } = await startCli(['--port', '0', '--host', '127.0.0.1']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const healthResponse = await fetch(`${url}/_inspector2/health`);
    expect(healthResponse.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const health = await healthResponse.json();
    expect(health).toMatchObject({ status: 'running', services: { inspector2: 'running' } });
    const localstack = await (await fetch(`${url}/_localstack/health`)).json();
    expect(localstack).toMatchObject({ services: { inspector2: 'running' } });

    await inspectorClient(url, { accountId: '123456789012', region: 'sa-east-1' }).send(new BatchGetAccountStatusCommand({}));
    // The line reaches us through a pipe, possibly after the response: wait for it.
    await vi.waitFor(() => expect(log()).toMatch(/INFO BatchGetAccountStatus account=123456789012 region=sa-east-1 status=200 [\d.]+ms/), { timeout: 5_000 });

    child.kill('SIGTERM');
    const [code] = await once(child, 'close'); // 'close': after stdio is drained too
    expect(code).toBe(0);
    expect(log()).toContain('SIGTERM: shutting down');
  });

  it('takes PORT from the environment and stops on SIGINT', async () => {
    const { child, url } = await startCli([], { PORT: '0', HOST: '127.0.0.1' });
    expect((await fetch(`${url}/_inspector2/health`)).status).toBe(200);
    child.kill('SIGINT');
    const [code] = await once(child, 'close'); // 'close': after stdio is drained too
    expect(code).toBe(0);
  });

  it('refuses a malformed setting with a message naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts'], { env: { ...process.env, PORT: 'eighty' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'close'); // 'close': after stdio is drained too
    expect(code).toBe(2);
    expect(stderr).toContain("PORT must be a whole number from 0 to 65535, got 'eighty'");
  });
});
