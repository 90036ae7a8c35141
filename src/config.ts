// Every setting in one place, with its environment variable. The README's configuration
// table lists the same.
import { readFileSync } from 'node:fs';
import { FaultRuleError, parseFaultRules, type FaultRuleInput } from './faults.js';
import { REGION_SHAPE } from './protocol/regions.js';
import { LATEST_CLOCK_MS } from './world/platform/clock.js';
import { durationMs } from './world/platform/time.js';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface EmulatorOptions {
  /** LOG_LEVEL: one line per request at `info`. */
  logLevel?: LogLevel;
  /** INSPECTOR2_VERIFY_SIGNATURES=1: verify every SigV4 signature. */
  verifySignatures?: boolean;
  /** INSPECTOR2_CREDENTIALS=id:secret,...: the key pairs strict mode accepts (default test:test). */
  credentials?: Record<string, string>;
  /** INSPECTOR2_CONTROL_TOKEN: with it (or strict mode) the control plane needs this token or a valid SigV4 signature. */
  controlToken?: string;
  /** INSPECTOR2_CORS_ORIGINS=origin,...: browser origins allowed besides loopback ones (exact match; `*`: any). */
  corsOrigins?: string[];
  /** INSPECTOR2_ALLOWED_HOSTS=name[:port],...: Host names answered besides loopback ones (DNS rebinding protection). */
  allowedHosts?: string[];
  /**
   * Refuse a Host header that is neither loopback nor in `allowedHosts`. createEmulator has no socket and does not
   * check unless told (its fetch and msw get AWS's own host names); startServer checks when bound to a loopback
   * address, or when `allowedHosts` is set.
   */
  checkHost?: boolean;
  /** INSPECTOR2_TRANSITION_MS: how long Enable/Disable take on the virtual clock (0: done at the next request). */
  transitionMs?: number;
  /** INSPECTOR2_SCAN_MS: how long a resource's scan takes on the virtual clock (0: done at the next request). */
  scanMs?: number;
  /** INSPECTOR2_DEACTIVATION_RETENTION_MS: how long after Inspector is deactivated its findings are deleted (default 24 hours, as AWS). */
  deactivationRetentionMs?: number;
  /** INSPECTOR2_CLOSED_RESOURCE_RETENTION_MS: how long a finding closed because its resource is gone or no longer eligible is kept (default 3 days). */
  closedResourceRetentionMs?: number;
  /** INSPECTOR2_CLOSED_RETENTION_MS: how long a finding closed for any other reason (remediated) is kept (default 30 days). */
  closedRetentionMs?: number;
  /** INSPECTOR2_REOPEN_WINDOW_MS: how long after closing a remediated finding reopens under its ARN if the issue recurs (default 7 days). */
  reopenWindowMs?: number;
  /** INSPECTOR2_CLOCK_START: where the virtual clock starts (ISO 8601; default now). */
  clockStart?: Date;
  /** INSPECTOR2_CLOCK=manual: the clock moves only through the control plane (byte-identical answers). */
  manualClock?: boolean;
  /** DATA_DIR: where the emulator keeps files (reports go to <DATA_DIR>/s3/<bucket>/<key>); default ./data. */
  dataDir?: string;
  /** PERSISTENCE=1: keep the state in <DATA_DIR>/state.json across restarts (default: in memory only). */
  persistence?: boolean;
  /** INSPECTOR2_S3_ENDPOINT: an S3-compatible endpoint that reports are written to instead. */
  s3Endpoint?: string;
  /** INSPECTOR2_EVENTBRIDGE_ENDPOINT: send events with PutEvents to this endpoint (bus INSPECTOR2_EVENTBRIDGE_BUS, default `default`). */
  eventBridgeEndpoint?: string;
  eventBridgeBus?: string;
  /** INSPECTOR2_INVENTORY_ENDPOINT: read EC2, ECR and Lambda resources from this AWS endpoint (LocalStack, moto_server) instead of the default world. */
  inventoryEndpoint?: string;
  /** INSPECTOR2_INVENTORY_POLL: how often (on the virtual clock) the inventory endpoint is read again (default 1m; 0: only on Enable and rescan). */
  inventoryPollMs?: number;
  /** INSPECTOR2_WEBHOOK_URL: POST every event there (retried with backoff). */
  webhookUrl?: string;
  /** INSPECTOR2_EVENTS_FILE: append every event to this NDJSON file. */
  eventsFile?: string;
  /** INSPECTOR2_SECURITYHUB_ENDPOINT: import every finding into its account's and region's Security Hub there (BatchImportFindings, ASFF). */
  securityHubEndpoint?: string;
  /** INSPECTOR2_SEED: the seed file to start from (default seeds/default-world.json; `none` for an empty world). */
  seed?: string | false;
  /** INSPECTOR2_MAX_MEMBERS: members a delegated administrator may associate per region (AWS: 10,000). */
  maxMembers?: number;
  /** INSPECTOR2_FAULTS (a JSON array) or INSPECTOR2_FAULTS_FILE: fault rules active from the start. */
  faults?: FaultRuleInput[];
  /** INSPECTOR2_CUSTOM_REGIONS=xx-lab-1,...: region names accepted besides AWS's real ones. */
  customRegions?: string[];
  /** INSPECTOR2_ALLOW_ANY_REGION=1: accept any region name of a region's shape. */
  allowAnyRegion?: boolean;
  /** INSPECTOR2_MAX_ACCOUNT_REGIONS: distinct account-regions requests may create (default 10,000). */
  maxAccountRegions?: number;
  /** INSPECTOR2_SINK_MAX_QUEUE: events (or findings, for Security Hub) each sink may hold waiting for delivery; more are dropped (default 10,000). */
  sinkMaxQueue?: number;
  /** INSPECTOR2_SINK_TIMEOUT_MS: how long one webhook, EventBridge or Security Hub delivery may take (default 5,000). */
  sinkTimeoutMs?: number;
  /** INSPECTOR2_SCENARIOS_DIR: the only folder `POST /_inspector2/scenario {"file"}` reads from (default ./scenarios). */
  scenariosDir?: string;
  /** INSPECTOR2_MAX_SNAPSHOT_BYTES: the largest snapshot `POST /_inspector2/snapshot` takes (default 512 MiB). */
  maxSnapshotBytes?: number;
}

export interface ServerOptions extends EmulatorOptions {
  /** PORT (4566); 0 picks a free port. */
  port?: number;
  /** HOST (127.0.0.1). */
  host?: string;
}

export const DEFAULT_PORT = 4566;
export const DEFAULT_HOST = '127.0.0.1';
/** A year: a longer poll is a typo. */
const MAX_INVENTORY_POLL_MS = 365 * 86_400_000;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export class ConfigError extends Error {}

/** Settings from environment variables; a malformed value is an error naming the variable. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): ServerOptions {
  const options: ServerOptions = {};
  if (env.PORT !== undefined) options.port = integer('PORT', env.PORT, 0, 65535);
  if (env.HOST) options.host = env.HOST;
  if (env.LOG_LEVEL !== undefined) options.logLevel = logLevel('LOG_LEVEL', env.LOG_LEVEL);
  if (env.INSPECTOR2_VERIFY_SIGNATURES !== undefined) {
    options.verifySignatures = flag('INSPECTOR2_VERIFY_SIGNATURES', env.INSPECTOR2_VERIFY_SIGNATURES);
  }
  if (env.INSPECTOR2_CREDENTIALS !== undefined) options.credentials = credentials(env.INSPECTOR2_CREDENTIALS);
  // Empty means unset, as for the other names and URLs.
  if (env.INSPECTOR2_CONTROL_TOKEN?.trim()) options.controlToken = env.INSPECTOR2_CONTROL_TOKEN.trim();
  if (env.INSPECTOR2_CORS_ORIGINS?.trim()) {
    options.corsOrigins = list(env.INSPECTOR2_CORS_ORIGINS).map((origin) => origin.replace(/\/+$/, ''));
    const bad = options.corsOrigins.find((origin) => origin !== '*' && !/^https?:\/\/[^/\s?#@]+$/i.test(origin));
    if (bad !== undefined) throw new ConfigError(`INSPECTOR2_CORS_ORIGINS must be origins such as http://app.test:8080 (or *), comma-separated, got '${bad}'`);
  }
  if (env.INSPECTOR2_ALLOWED_HOSTS?.trim()) {
    options.allowedHosts = list(env.INSPECTOR2_ALLOWED_HOSTS);
    const bad = options.allowedHosts.find((host) => host !== '*' && !/^([a-z0-9_.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host));
    if (bad !== undefined)
      throw new ConfigError(`INSPECTOR2_ALLOWED_HOSTS must be host names such as inspector2 or inspector2:4566 (or *), comma-separated, got '${bad}'`);
  }
  if (env.INSPECTOR2_TRANSITION_MS !== undefined) {
    options.transitionMs = integer('INSPECTOR2_TRANSITION_MS', env.INSPECTOR2_TRANSITION_MS, 0, Number.MAX_SAFE_INTEGER);
  }
  if (env.INSPECTOR2_SCAN_MS !== undefined) {
    options.scanMs = integer('INSPECTOR2_SCAN_MS', env.INSPECTOR2_SCAN_MS, 0, Number.MAX_SAFE_INTEGER);
  }
  for (const [name, set] of [
    ['INSPECTOR2_DEACTIVATION_RETENTION_MS', (ms: number) => (options.deactivationRetentionMs = ms)],
    ['INSPECTOR2_CLOSED_RESOURCE_RETENTION_MS', (ms: number) => (options.closedResourceRetentionMs = ms)],
    ['INSPECTOR2_CLOSED_RETENTION_MS', (ms: number) => (options.closedRetentionMs = ms)],
    ['INSPECTOR2_REOPEN_WINDOW_MS', (ms: number) => (options.reopenWindowMs = ms)],
  ] as const) {
    const text = env[name];
    if (text !== undefined) set(integer(name, text, 0, Number.MAX_SAFE_INTEGER));
  }
  if (env.INSPECTOR2_CLOCK_START !== undefined) {
    const start = new Date(env.INSPECTOR2_CLOCK_START);
    if (Number.isNaN(start.getTime()) || start.getTime() < 0 || start.getTime() > LATEST_CLOCK_MS) {
      throw new ConfigError(`INSPECTOR2_CLOCK_START must be an ISO 8601 time from 1970 to 9999, got '${env.INSPECTOR2_CLOCK_START}'`);
    }
    options.clockStart = start;
  }
  if (env.INSPECTOR2_CLOCK !== undefined) {
    if (!['manual', 'running'].includes(env.INSPECTOR2_CLOCK))
      throw new ConfigError(`INSPECTOR2_CLOCK must be manual or running, got '${env.INSPECTOR2_CLOCK}'`);
    options.manualClock = env.INSPECTOR2_CLOCK === 'manual';
  }
  if (env.DATA_DIR) options.dataDir = env.DATA_DIR;
  if (env.PERSISTENCE !== undefined) options.persistence = flag('PERSISTENCE', env.PERSISTENCE);
  if (env.INSPECTOR2_S3_ENDPOINT) {
    if (!/^https?:\/\/\S+$/.test(env.INSPECTOR2_S3_ENDPOINT))
      throw new ConfigError(`INSPECTOR2_S3_ENDPOINT must be an http(s) URL, got '${env.INSPECTOR2_S3_ENDPOINT}'`);
    options.s3Endpoint = env.INSPECTOR2_S3_ENDPOINT;
  }
  for (const [name, set] of [
    ['INSPECTOR2_EVENTBRIDGE_ENDPOINT', (url: string) => (options.eventBridgeEndpoint = url)],
    ['INSPECTOR2_WEBHOOK_URL', (url: string) => (options.webhookUrl = url)],
    ['INSPECTOR2_SECURITYHUB_ENDPOINT', (url: string) => (options.securityHubEndpoint = url)],
    ['INSPECTOR2_INVENTORY_ENDPOINT', (url: string) => (options.inventoryEndpoint = url)],
  ] as const) {
    const url = env[name];
    if (!url) continue;
    if (!/^https?:\/\/\S+$/.test(url)) throw new ConfigError(`${name} must be an http(s) URL, got '${url}'`);
    set(url);
  }
  if (env.INSPECTOR2_EVENTBRIDGE_BUS) options.eventBridgeBus = env.INSPECTOR2_EVENTBRIDGE_BUS;
  if (env.INSPECTOR2_INVENTORY_POLL !== undefined) {
    const text = env.INSPECTOR2_INVENTORY_POLL.trim();
    const ms = /^\d+$/.test(text) ? Number(text) : durationMs(text);
    if (ms === undefined || ms > MAX_INVENTORY_POLL_MS) {
      throw new ConfigError(`INSPECTOR2_INVENTORY_POLL must be a duration such as 30s, 5m or PT1H (or milliseconds; 0 turns polling off), got '${text}'`);
    }
    options.inventoryPollMs = ms;
  }
  if (env.INSPECTOR2_EVENTS_FILE) options.eventsFile = env.INSPECTOR2_EVENTS_FILE;
  if (env.INSPECTOR2_SEED !== undefined) options.seed = env.INSPECTOR2_SEED === 'none' ? false : env.INSPECTOR2_SEED;
  if (env.INSPECTOR2_MAX_MEMBERS !== undefined) {
    options.maxMembers = integer('INSPECTOR2_MAX_MEMBERS', env.INSPECTOR2_MAX_MEMBERS, 1, 1_000_000);
  }
  if (env.INSPECTOR2_CUSTOM_REGIONS !== undefined) {
    const regions = env.INSPECTOR2_CUSTOM_REGIONS.split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const bad = regions.find((r) => !REGION_SHAPE.test(r));
    if (bad !== undefined) throw new ConfigError(`INSPECTOR2_CUSTOM_REGIONS must be region names such as xx-lab-1, comma-separated, got '${bad}'`);
    options.customRegions = regions;
  }
  if (env.INSPECTOR2_ALLOW_ANY_REGION !== undefined) options.allowAnyRegion = flag('INSPECTOR2_ALLOW_ANY_REGION', env.INSPECTOR2_ALLOW_ANY_REGION);
  if (env.INSPECTOR2_MAX_ACCOUNT_REGIONS !== undefined) {
    options.maxAccountRegions = integer('INSPECTOR2_MAX_ACCOUNT_REGIONS', env.INSPECTOR2_MAX_ACCOUNT_REGIONS, 1, 1_000_000);
  }
  if (env.INSPECTOR2_SINK_MAX_QUEUE !== undefined) options.sinkMaxQueue = integer('INSPECTOR2_SINK_MAX_QUEUE', env.INSPECTOR2_SINK_MAX_QUEUE, 1, 1_000_000);
  if (env.INSPECTOR2_SINK_TIMEOUT_MS !== undefined) options.sinkTimeoutMs = integer('INSPECTOR2_SINK_TIMEOUT_MS', env.INSPECTOR2_SINK_TIMEOUT_MS, 1, 600_000);
  if (env.INSPECTOR2_SCENARIOS_DIR?.trim()) options.scenariosDir = env.INSPECTOR2_SCENARIOS_DIR.trim();
  if (env.INSPECTOR2_MAX_SNAPSHOT_BYTES !== undefined) {
    options.maxSnapshotBytes = integer('INSPECTOR2_MAX_SNAPSHOT_BYTES', env.INSPECTOR2_MAX_SNAPSHOT_BYTES, 1024, 512 * 1024 * 1024);
  }
  if (env.INSPECTOR2_FAULTS !== undefined && env.INSPECTOR2_FAULTS_FILE !== undefined) {
    throw new ConfigError('Set INSPECTOR2_FAULTS or INSPECTOR2_FAULTS_FILE, not both');
  }
  if (env.INSPECTOR2_FAULTS !== undefined) options.faults = faultRules('INSPECTOR2_FAULTS', () => env.INSPECTOR2_FAULTS!);
  if (env.INSPECTOR2_FAULTS_FILE !== undefined) {
    options.faults = faultRules(env.INSPECTOR2_FAULTS_FILE, () => readFileSync(env.INSPECTOR2_FAULTS_FILE!, 'utf8'));
  }
  return options;
}

/** Fault rules from JSON text: an array of rules, or `{ "rules": [...] }`. */
function faultRules(where: string, text: () => string): FaultRuleInput[] {
  try {
    const value = JSON.parse(text()) as unknown;
    const rules = Array.isArray(value) ? value : (value as { rules?: unknown })?.rules;
    return parseFaultRules(rules, where);
  } catch (error) {
    if (error instanceof FaultRuleError) throw new ConfigError(`fault rules: ${error.message}`);
    throw new ConfigError(`fault rules in ${where}: ${(error as Error).message}`);
  }
}

export function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

/** A comma-separated list, items trimmed, empty ones dropped. */
function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function flag(name: string, text: string): boolean {
  if (['1', 'true', 'yes'].includes(text.toLowerCase())) return true;
  if (['0', 'false', 'no', ''].includes(text.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0, got '${text}'`);
}

function logLevel(name: string, text: string): LogLevel {
  const level = text.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, got '${text}'`);
  return level;
}

function credentials(text: string): Record<string, string> {
  const pairs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new ConfigError(`INSPECTOR2_CREDENTIALS must be a comma-separated list of accessKeyId:secretAccessKey, got '${pair}'`);
    }
    pairs[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return pairs;
}
