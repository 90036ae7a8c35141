// `npx inspector2-local` as a user gets it: the package `npm pack` makes (its `prepare`
// builds dist/), installed with its production dependencies only into a fresh prefix, its
// bin started from a folder of its own. It must find everything it reads (dist, openapi,
// seeds) inside the package and answer health. Needs the npm registry for the dependencies;
// takes about a minute (the build, then the install).
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { useTempDirs } from '../temp-dirs.js';

const run = promisify(execFile);

/** The environment without what `npm test` passes down to scripts (npm_config_*, npm_package_*...). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.toLowerCase().startsWith('npm_')) env[name] = value;
  return { ...env, ...extra };
}

const tempDir = useTempDirs('inspector2-packed-');

describe('the packed package', () => {
  it('installs with production dependencies only, and its bin answers GET /_inspector2/health', { timeout: 600_000 }, async () => {
    const packDir = tempDir();
    const prefix = tempDir();
    const workDir = tempDir();

    await run('npm', ['pack', '--pack-destination', packDir, '--silent'], { env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
    const tarballs = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);

    await run('npm', ['install', '--prefix', prefix, join(packDir, tarballs[0]!), '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
      env: cleanEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });

    // Started from a folder of its own: the default DATA_DIR (./data) lands there.
    const bin = join(prefix, 'node_modules', '.bin', 'inspector2-local');
    const child = spawn(bin, [], { cwd: workDir, env: cleanEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }) });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      const url = await vi.waitFor(
        () => {
          if (exited) throw new Error(`the bin exited before listening:\n${log}`);
          const match = /listening on (http:\/\/\S+)/.exec(log);
          if (!match) throw new Error(`no 'listening on' line yet; log so far:\n${log}`);
          return match[1]!;
        },
        { timeout: 30_000, interval: 100 },
      );
      const health = await vi.waitFor(
        async () => {
          const response = await fetch(`${url}/_inspector2/health`);
          expect(response.status).toBe(200);
          return response.json();
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(health).toMatchObject({ status: 'running', services: { inspector2: 'running' } });
    } finally {
      if (!exited) {
        child.kill('SIGTERM');
        await once(child, 'close');
      }
    }
    expect(child.exitCode).toBe(0);
  });
});
