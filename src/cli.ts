#!/usr/bin/env node
// inspector2-local [--port N] [--host H]: the emulator on HOST:PORT until SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { ConfigError, integer, optionsFromEnv, type ServerOptions } from './config.js';
import { startServer } from './server.js';
import { SeedError } from './world/seed.js';

const USAGE = `Usage: inspector2-local [--port N] [--host HOST] [--seed FILE|none]
Environment: PORT, HOST, LOG_LEVEL, INSPECTOR2_VERIFY_SIGNATURES, INSPECTOR2_CREDENTIALS, INSPECTOR2_TRANSITION_MS, INSPECTOR2_SEED, INSPECTOR2_MAX_MEMBERS (see README).`;

function options(): ServerOptions {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options = optionsFromEnv(process.env);
  if (values.port !== undefined) options.port = integer('--port', values.port, 0, 65535);
  if (values.host !== undefined) options.host = values.host;
  if (values.seed !== undefined) options.seed = values.seed === 'none' ? false : values.seed;
  return options;
}

try {
  const server = await startServer(options());
  server.emulator.logger.info(`inspector2-local listening on ${server.url}`);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    server.emulator.logger.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError || error instanceof SeedError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`inspector2-local: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  throw error;
}
