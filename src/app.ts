// Assembles the emulator: one simulated world; the control plane; and the AWS endpoints on
// the same port — inspector2 (restJson), IAM's read operations and STS's GetCallerIdentity
// (query), ECR's view of enhanced scanning (JSON 1.1), told apart by the service the request
// is signed for, as AWS's own endpoints are by host name.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Hono } from 'hono';
import { accountHandlers } from './api/accounts.js';
import { aggregationHandlers } from './api/aggregations.js';
import { cisHandlers } from './api/cis.js';
import { codeSecurityHandlers } from './api/code-security.js';
import { configurationHandlers } from './api/configuration.js';
import { coverageHandlers } from './api/coverage.js';
import { findingDetailHandlers } from './api/finding-details.js';
import { filterHandlers } from './api/filters.js';
import { findingHandlers } from './api/findings.js';
import { encryptionKeyHandlers } from './api/encryption-keys.js';
import { ecrErrorFor, ecrOperations, ecrServerError } from './api/ecr.js';
import { awsErrorFor } from './api/errors.js';
import { iamActions } from './api/iam.js';
import { ClientTokens } from './api/idempotency.js';
import { organizationHandlers } from './api/organization.js';
import { reportHandlers } from './api/reports.js';
import { sbomHandlers } from './api/sbom.js';
import { stsActions } from './api/sts.js';
import { tagHandlers } from './api/tags.js';
import type { Handlers } from './api/types.js';
import type { EmulatorOptions } from './config.js';
import { controlAccess } from './control/access.js';
import { controlRoutes } from './control/routes.js';
import { FaultInjector, parseFaultRules } from './faults.js';
import { browserGuards } from './http/guards.js';
import { createLogger, type Logger } from './log.js';
import { createProgress } from './progress.js';
import { AwsError } from './protocol/errors.js';
import { signingServiceOf, type IdentityOptions } from './protocol/identity.js';
import { serviceModel } from './protocol/model.js';
import { createJsonEndpoint } from './protocol/json.js';
import { createQueryEndpoint } from './protocol/query.js';
import { regionPolicy } from './protocol/regions.js';
import { EventBridgeSink, NdjsonFileSink, WebhookSink, type EventSink } from './sinks/event-sinks.js';
import { SecurityHubSink } from './sinks/securityhub.js';
import { FolderObjectStore, S3ObjectStore } from './storage/object-stores.js';
import { Persistence } from './storage/persistence.js';
import { createServiceEndpoint, type Handled, type OperationHandler } from './protocol/service.js';
import { DEFAULT_INVENTORY_POLL_MS, InventorySource } from './neighbours/inventory-source.js';
import { readVulnerabilityData } from './world/scanning/advisories.js';
import { DEFAULT_SEED_FILE, loadSeed, readSeed, type Seed } from './world/inventory/seed.js';
import { catalogOf } from './world/scanning/vulnerabilities.js';
import './world/domains.js';
import { DEFAULT_MAX_ACCOUNT_REGIONS, DEFAULT_WORLD_OPTIONS, World } from './world/world.js';

export interface Emulator {
  app: Hono;
  /** Where events are delivered besides the log. */
  sinks: EventSink[];
  /** INSPECTOR2_SECURITYHUB_ENDPOINT: where findings are imported into Security Hub. */
  securityHub?: SecurityHubSink;
  faults: FaultInjector;
  /** PERSISTENCE=1: where the state is saved. */
  persistence?: Persistence;
  /** The app's fetch: a Web-standard Request in, Response out. */
  fetch: (request: Request) => Promise<Response>;
  world: World;
  logger: Logger;
  /** INSPECTOR2_INVENTORY_ENDPOINT: the sibling the inventory is read from. */
  inventorySource?: InventorySource;
}

const DEFAULT_CREDENTIALS = { test: 'test' };
/** Account-regions in a seed from which its loading shows a progress bar. */
const LARGE_SEED = 10;

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const logger = createLogger(options.logLevel ?? 'info');
  const world = new World(
    {
      transitionMs: options.transitionMs ?? DEFAULT_WORLD_OPTIONS.transitionMs,
      maxMembers: options.maxMembers ?? DEFAULT_WORLD_OPTIONS.maxMembers,
      scanMs: options.scanMs ?? DEFAULT_WORLD_OPTIONS.scanMs,
      deactivationRetentionMs: options.deactivationRetentionMs ?? DEFAULT_WORLD_OPTIONS.deactivationRetentionMs,
      closedResourceRetentionMs: options.closedResourceRetentionMs ?? DEFAULT_WORLD_OPTIONS.closedResourceRetentionMs,
      closedRetentionMs: options.closedRetentionMs ?? DEFAULT_WORLD_OPTIONS.closedRetentionMs,
      reopenWindowMs: options.reopenWindowMs ?? DEFAULT_WORLD_OPTIONS.reopenWindowMs,
    },
    catalogOf(readVulnerabilityData()),
    { ...(options.clockStart ? { start: options.clockStart } : {}), ...(options.manualClock ? { manual: true } : {}) },
  );
  world.onTaskError = (task, error) =>
    logger.error(`scheduled ${task.kind} failed and was dropped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  // The seed is read when first needed: not at all when a saved state is restored (until a reset).
  let seed: Seed | undefined | null = null;
  const seedOf = () => (seed === null ? (seed = options.seed === false ? undefined : readSeed(options.seed ?? DEFAULT_SEED_FILE)) : seed);
  const loadTheSeed = () => {
    const current = seedOf();
    if (!current) return;
    // A large generated world takes a moment: a bar on a terminal (nothing when not one).
    const progress = current.accounts.length >= LARGE_SEED ? createProgress('loading seed', current.accounts.length) : undefined;
    loadSeed(world, current, () => progress?.tick());
    progress?.done();
  };
  let persistence: Persistence | undefined;
  if (options.persistence) {
    const opened = Persistence.open(options.dataDir ?? 'data', world, logger);
    persistence = opened.persistence;
    logger.info(opened.restored ? `persistence: state restored from ${persistence.file}` : `persistence: state will be kept in ${persistence.file}`);
    if (!opened.restored) loadTheSeed();
  } else {
    loadTheSeed();
  }
  const reloadSeed = loadTheSeed;
  world.objectStore = options.s3Endpoint ? new S3ObjectStore(options.s3Endpoint) : new FolderObjectStore(join(options.dataDir ?? 'data', 's3'));

  const sinkLimits = {
    ...(options.sinkMaxQueue !== undefined ? { maxQueue: options.sinkMaxQueue } : {}),
    ...(options.sinkTimeoutMs !== undefined ? { timeoutMs: options.sinkTimeoutMs } : {}),
  };
  const sinks: EventSink[] = [
    ...(options.eventBridgeEndpoint ? [new EventBridgeSink(options.eventBridgeEndpoint, options.eventBridgeBus ?? 'default', logger, sinkLimits)] : []),
    ...(options.webhookUrl ? [new WebhookSink(options.webhookUrl, logger, undefined, sinkLimits)] : []),
    ...(options.eventsFile ? [new NdjsonFileSink(options.eventsFile, logger, sinkLimits)] : []),
  ];
  if (sinks.length) world.events.subscribe((event) => sinks.forEach((sink) => sink.send(event)));
  const securityHub = options.securityHubEndpoint ? new SecurityHubSink(options.securityHubEndpoint, logger, sinkLimits) : undefined;
  if (securityHub) {
    // The findings the world starts with (a restored state, a seed), then every change.
    for (const state of world.allAccountRegions()) for (const finding of state.findings.values()) securityHub.send(state.region, finding);
    world.events.subscribeFindings((region, finding) => securityHub.send(region, finding));
  }

  // The sibling's resources replace the default world (world/inventory/external.ts).
  const inventorySource = options.inventoryEndpoint
    ? new InventorySource(world, { endpoint: options.inventoryEndpoint, pollMs: options.inventoryPollMs ?? DEFAULT_INVENTORY_POLL_MS, logger })
    : undefined;
  inventorySource?.start();

  const faults = new FaultInjector(() => world.clock.now());
  faults.addAll(parseFaultRules(options.faults ?? [], 'faults'));

  const clientTokens = new ClientTokens();
  const handlers: Handlers = {
    ...accountHandlers(world, clientTokens),
    ...organizationHandlers(world, clientTokens),
    ...coverageHandlers(world),
    ...configurationHandlers(world),
    ...findingHandlers(world),
    ...aggregationHandlers(world),
    ...filterHandlers(world),
    ...findingDetailHandlers(world),
    ...tagHandlers(world),
    ...encryptionKeyHandlers(world),
    ...reportHandlers(world),
    ...sbomHandlers(world),
    ...codeSecurityHandlers(world, clientTokens),
    ...cisHandlers(world),
  };
  world.maxAccountRegions = options.maxAccountRegions ?? DEFAULT_MAX_ACCOUNT_REGIONS;
  const regionAllowed = regionPolicy({
    ...(options.customRegions ? { customRegions: options.customRegions } : {}),
    ...(options.allowAnyRegion ? { allowAnyRegion: true } : {}),
  });
  const identity = (signingName: string): IdentityOptions => ({
    verifySignatures: options.verifySignatures ?? false,
    credentials: new Map(Object.entries(options.credentials ?? DEFAULT_CREDENTIALS)),
    signingName,
    regionAllowed,
  });
  const inspector2 = createServiceEndpoint(serviceModel(), {
    identity: identity('inspector2'),
    // The handlers are typed per operation; the pipeline hands each the input it validated against that operation's shape.
    handlers: handlers as Record<string, OperationHandler | undefined>,
    intercept: ({ operation, caller, requestId }) => {
      const fault = faults.decide({ operation, account: caller.accountId, region: caller.region, requestId });
      if (!fault) return undefined;
      logger.info(
        `fault injected: ${fault.kind === 'error' ? fault.code : fault.kind} on ${operation} account=${caller.accountId} region=${caller.region} requestId=${requestId}`,
      );
      if (fault.kind === 'latency') return { delayMs: fault.ms };
      if (fault.kind === 'drop') return { drop: true };
      const members = fault.code === 'ServiceQuotaExceededException' ? { resourceId: caller.accountId } : { retryAfterSeconds: fault.retryAfterSeconds };
      return { respond: new AwsError(fault.code, serviceModel().errorStatus(fault.code)!, fault.message, members) };
    },
    beforeOperation: () => world.settle(),
    mapError: awsErrorFor,
    onInternalError: (error, context) =>
      logger.error(`${context.operation} ${context.requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  const iam = createQueryEndpoint({
    identity: identity('iam'),
    xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
    actions: iamActions(world),
  });
  const sts = createQueryEndpoint({
    identity: identity('sts'),
    xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
    actions: stsActions(),
  });
  // ECR's view of enhanced scanning (JSON 1.1).
  const ecr = createJsonEndpoint({
    identity: identity('ecr'),
    targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
    operations: ecrOperations(world),
    beforeOperation: () => world.settle(),
    mapError: ecrErrorFor,
    internalError: ecrServerError,
    onInternalError: (error, operation) => logger.error(`ecr ${operation} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  /** The other services' endpoints, by the service a request is signed for; anything else is inspector2's. */
  const queryEndpoints: Readonly<Record<string, (request: Request) => Promise<Handled>>> = { iam, sts, ecr };

  const app = new Hono();
  // AWS's endpoints set their own request id; every other answer (control plane) gets one here.
  app.use('*', async (c, next) => {
    await next();
    // A network error (an injected dropped connection) has no headers to set.
    if (c.res.type !== 'error' && !c.res.headers.has('x-amzn-RequestId')) c.res.headers.set('x-amzn-RequestId', randomUUID());
  });
  // A web page in the developer's browser must not drive the emulator (see README, Security).
  app.use(
    '*',
    browserGuards({
      ...(options.corsOrigins ? { allowedOrigins: options.corsOrigins } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      checkHost: options.checkHost ?? false,
      jsonWritePrefixes: ['/_inspector2/'],
    }),
  );
  // Strict mode (or a control token) covers the control plane too: a valid signature or the token.
  if (options.verifySignatures || options.controlToken !== undefined) {
    const access = controlAccess({
      identity,
      ...(options.controlToken !== undefined ? { token: options.controlToken } : {}),
      ...(options.maxSnapshotBytes !== undefined ? { maxSnapshotBytes: options.maxSnapshotBytes } : {}),
    });
    app.use('/_inspector2/*', access);
    // moto's reset changes state as /_inspector2/reset does: the same access rule.
    app.use('/moto-api/*', access);
  }
  app.route(
    '/',
    controlRoutes(world, faults, new Date(), reloadSeed, persistence, {
      regionAllowed,
      sinks: () => [...sinks.map((sink) => sink.status()), ...(securityHub ? [securityHub.status()] : [])],
      securityHub: () => securityHub?.status(),
      ...(inventorySource ? { inventory: inventorySource } : {}),
      snapshots: {
        ...(options.scenariosDir !== undefined ? { scenariosDir: options.scenariosDir } : {}),
        ...(options.maxSnapshotBytes !== undefined ? { maxSnapshotBytes: options.maxSnapshotBytes } : {}),
      },
    }),
  );
  app.all('*', async (c) => {
    const started = performance.now();
    const service = signingServiceOf(c.req.raw.headers) ?? '';
    const endpoint = Object.hasOwn(queryEndpoints, service) ? queryEndpoints[service]! : inspector2;
    const handled: Handled = await endpoint(c.req.raw);
    const { caller, operation } = handled;
    if (handled.dropped) {
      // An injected dropped connection: close the socket without answering (in-process, a network error).
      logger.info(`${operation} connection dropped requestId=${handled.requestId}`);
      const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
      if (!incoming?.socket) return Response.error();
      incoming.socket.destroy();
      return new Response(null, { status: 502 });
    }
    logger.info(
      `${operation ?? `${c.req.method} ${c.req.path}`} account=${caller?.accountId ?? '-'} region=${caller?.region ?? '-'} ` +
        `status=${handled.response.status} ${(performance.now() - started).toFixed(1)}ms requestId=${handled.requestId}`,
    );
    return handled.response;
  });
  app.onError((error, c) => {
    logger.error(`unexpected failure on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ __type: 'InternalServerException', message: 'The request processing has failed because of an unknown error.' }, 500, {
      'x-amzn-ErrorType': 'InternalServerException',
    });
  });
  return {
    app,
    fetch: (request) => Promise.resolve(app.fetch(request)),
    world,
    faults,
    sinks,
    logger,
    ...(securityHub ? { securityHub } : {}),
    ...(persistence ? { persistence } : {}),
    ...(inventorySource ? { inventorySource } : {}),
  };
}
