#!/usr/bin/env node
// inspector2-local [--port N] [--host H]: the emulator on HOST:PORT until SIGTERM or SIGINT.
// inspector2-local generate --accounts N --resources M --seed S --out FILE: writes a generated world (a seed file).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, integer, optionsFromEnv, type ServerOptions } from './config.js';
import { createProgress } from './progress.js';

const USAGE = `Usage: inspector2-local [--port N] [--host HOST] [--seed FILE|none]
       inspector2-local generate --accounts N --resources M --seed S --out FILE [--regions R1,R2]
Environment (the README's Configuration section says what each does):
  PORT, HOST, LOG_LEVEL, INSPECTOR2_SEED, PERSISTENCE, DATA_DIR
  time: INSPECTOR2_CLOCK, INSPECTOR2_CLOCK_START, INSPECTOR2_TRANSITION_MS, INSPECTOR2_SCAN_MS,
        INSPECTOR2_DEACTIVATION_RETENTION_MS, INSPECTOR2_CLOSED_RESOURCE_RETENTION_MS,
        INSPECTOR2_CLOSED_RETENTION_MS, INSPECTOR2_REOPEN_WINDOW_MS
  security: INSPECTOR2_VERIFY_SIGNATURES, INSPECTOR2_CREDENTIALS, INSPECTOR2_CONTROL_TOKEN,
        INSPECTOR2_CORS_ORIGINS, INSPECTOR2_ALLOWED_HOSTS, INSPECTOR2_SCENARIOS_DIR
  limits: INSPECTOR2_MAX_MEMBERS, INSPECTOR2_MAX_ACCOUNT_REGIONS, INSPECTOR2_MAX_SNAPSHOT_BYTES,
        INSPECTOR2_CUSTOM_REGIONS, INSPECTOR2_ALLOW_ANY_REGION
  neighbours: INSPECTOR2_S3_ENDPOINT, INSPECTOR2_EVENTBRIDGE_ENDPOINT, INSPECTOR2_EVENTBRIDGE_BUS,
        INSPECTOR2_WEBHOOK_URL, INSPECTOR2_EVENTS_FILE, INSPECTOR2_SECURITYHUB_ENDPOINT,
        INSPECTOR2_SINK_TIMEOUT_MS, INSPECTOR2_SINK_MAX_QUEUE, INSPECTOR2_INVENTORY_ENDPOINT, INSPECTOR2_INVENTORY_POLL,
        INSPECTOR2_FAULTS, INSPECTOR2_FAULTS_FILE`;

const GENERATE_USAGE = 'Usage: inspector2-local generate --accounts N --resources M --seed S --out FILE [--regions R1,R2]';
const GENERATE_HELP = `${GENERATE_USAGE}
Writes a world of N accounts in one organization, with about M resources (EC2 instances, ECR images,
Lambda functions) per account and region, as a seed file. The same options give the same file.
  --accounts N     accounts, the first being the management account
  --resources M    resources per account and region
  --seed S         a whole number from 0 to 4294967295
  --out FILE       where to write the world (JSON)
  --regions LIST   comma-separated regions (default us-east-1)`;

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

async function serve(): Promise<void> {
  // Each command loads only its own modules: generating a world needs no server, serving no faker.
  const [{ startServer }, { SeedError }, { PersistenceError }] = await Promise.all([
    import('./server.js'),
    import('./world/inventory/seed.js'),
    import('./storage/persistence.js'),
  ]);
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
    if (error instanceof PersistenceError) {
      // One line that names the file and what to do; no stack.
      console.error(`inspector2-local: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof ConfigError || error instanceof SeedError || (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`inspector2-local: ${(error as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
}

async function generate(args: string[]): Promise<void> {
  const { checkGenerateOptions, DEFAULT_REGIONS, generateWorld, MAX_ACCOUNTS, MAX_RESOURCES, MAX_SEED } = await import('./world/inventory/generate.js');
  let request: { accounts: number; resources: number; seed: number; regions: string[]; out: string };
  try {
    const { values } = parseArgs({
      args,
      options: {
        accounts: { type: 'string' },
        resources: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        regions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(GENERATE_HELP);
      process.exit(0);
    }
    const required = (name: 'accounts' | 'resources' | 'seed' | 'out'): string => {
      const value = values[name];
      if (value === undefined || value === '') throw new ConfigError(`--${name} is required`);
      return value;
    };
    request = {
      accounts: integer('--accounts', required('accounts'), 1, MAX_ACCOUNTS),
      resources: integer('--resources', required('resources'), 1, MAX_RESOURCES),
      seed: integer('--seed', required('seed'), 0, MAX_SEED),
      regions: values.regions?.split(',').map((region) => region.trim()) ?? [...DEFAULT_REGIONS],
      out: required('out'),
    };
    checkGenerateOptions(request);
  } catch (error) {
    // parseArgs throws a TypeError (code ERR_PARSE_ARGS_...) for unknown options and stray arguments.
    const parseError = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (error instanceof ConfigError || error instanceof RangeError || parseError) {
      console.error(`inspector2-local generate: ${(error as Error).message}\n${GENERATE_USAGE} (--help for more)`);
      process.exit(2);
    }
    throw error;
  }

  const progress = createProgress('generating', request.accounts * request.regions.length);
  const { out, ...generation } = request;
  const world = generateWorld({ ...generation, onProgress: () => progress.tick() });
  progress.done();

  let json: string;
  try {
    json = JSON.stringify(world);
  } catch (error) {
    if (error instanceof RangeError) fail(`the world is too big for one JSON file (${error.message}): use fewer accounts or resources`);
    throw error;
  }
  try {
    writeFileSync(out, json);
  } catch (error) {
    fail(`cannot write ${out}: ${(error as Error).message}`);
  }

  const sum = <T>(items: readonly T[], of: (item: T) => number) => items.reduce((total, item) => total + of(item), 0);
  const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const summary = [
    counted(request.accounts, 'account'),
    counted(request.regions.length, 'region'),
    counted(
      sum(world.accounts, (a) => a.ec2Instances.length),
      'instance',
    ),
    counted(
      sum(world.accounts, (a) => sum(a.ecrRepositories, (r) => r.images.length)),
      'image',
    ),
    counted(
      sum(world.accounts, (a) => a.lambdaFunctions.length),
      'function',
    ),
  ];
  console.log(`wrote ${out}: ${summary.join(', ')}, ${Buffer.byteLength(json)} bytes`);
}

function fail(message: string): never {
  console.error(`inspector2-local generate: ${message}`);
  process.exit(1);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'generate') await generate(rest);
else await serve();
