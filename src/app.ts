// Assembles the emulator: the control plane, and the inspector2 endpoint (the generic AWS
// protocol pipeline, given the API handlers over one simulated world).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { accountHandlers } from './api/accounts.js';
import type { Handlers } from './api/types.js';
import type { EmulatorOptions } from './config.js';
import { controlRoutes } from './control/routes.js';
import { createLogger, type Logger } from './log.js';
import { serviceModel } from './protocol/model.js';
import { createServiceEndpoint, type OperationHandler } from './protocol/service.js';
import { World } from './world/world.js';

export interface Emulator {
  app: Hono;
  /** The app's fetch: a Web-standard Request in, Response out. */
  fetch: (request: Request) => Promise<Response>;
  world: World;
  logger: Logger;
}

const DEFAULT_CREDENTIALS = { test: 'test' };

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const logger = createLogger(options.logLevel ?? 'info');
  const world = new World({ transitionMs: options.transitionMs ?? 0 });
  const handlers: Handlers = { ...accountHandlers(world) };
  const model = serviceModel();
  const endpoint = createServiceEndpoint(model, {
    identity: {
      verifySignatures: options.verifySignatures ?? false,
      credentials: new Map(Object.entries(options.credentials ?? DEFAULT_CREDENTIALS)),
      signingName: 'inspector2',
    },
    // The handlers are typed per operation; the pipeline hands each the input it validated against that operation's shape.
    handlers: handlers as Record<string, OperationHandler | undefined>,
    beforeOperation: () => world.settle(),
    onInternalError: (error, context) =>
      logger.error(`${context.operation} ${context.requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });

  const app = new Hono();
  // AWS's endpoint sets its own request id; every other answer (control plane) gets one here.
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('x-amzn-RequestId')) c.res.headers.set('x-amzn-RequestId', randomUUID());
  });
  app.route('/', controlRoutes(world, new Date()));
  app.all('*', async (c) => {
    const started = performance.now();
    const handled = await endpoint(c.req.raw);
    const { caller, operation } = handled;
    logger.info(
      `${operation ?? `${c.req.method} ${c.req.path}`} account=${caller?.accountId ?? '-'} region=${caller?.region ?? '-'} ` +
        `status=${handled.response.status} ${(performance.now() - started).toFixed(1)}ms requestId=${handled.requestId}`,
    );
    return handled.response;
  });
  app.onError((error, c) => {
    logger.error(`unexpected failure on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ message: 'The request processing has failed because of an unknown error.' }, 500, {
      'x-amzn-ErrorType': 'InternalServerException',
    });
  });
  return { app, fetch: (request) => Promise.resolve(app.fetch(request)), world, logger };
}
