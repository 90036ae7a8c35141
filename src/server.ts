import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulator, type Emulator } from './app.js';
import { DEFAULT_HOST, DEFAULT_PORT, type ServerOptions } from './config.js';
import { isLoopbackAddress } from './http/guards.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:4566 */
  url: string;
  port: number;
  emulator: Emulator;
  close(): Promise<void>;
}

/** Starts the emulator listening on HOST:PORT; resolves once it accepts connections. */
export function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const hostname = options.host ?? DEFAULT_HOST;
  const loopback = isLoopbackAddress(hostname);
  let emulator: Emulator;
  try {
    // A listening server checks the Host header (DNS rebinding) when bound to loopback, or when told which names to answer.
    emulator = createEmulator({ ...options, checkHost: options.checkHost ?? (loopback || options.allowedHosts !== undefined) });
  } catch (error) {
    // A state that cannot be kept or read, a seed that cannot be loaded: the promise says so.
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  if (!loopback) {
    emulator.logger.warn(
      `listening on ${hostname}, not a loopback address: the control plane (/_inspector2: reset, snapshot, clock, faults) is reachable from the network. ` +
        `Host check: ${options.allowedHosts ? 'on (INSPECTOR2_ALLOWED_HOSTS)' : 'off (set INSPECTOR2_ALLOWED_HOSTS to the names clients use)'}; ` +
        `control-plane credentials: ${options.verifySignatures || options.controlToken ? 'required' : 'none (set INSPECTOR2_CONTROL_TOKEN, or INSPECTOR2_VERIFY_SIGNATURES=1)'}.`,
    );
  }
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: emulator.app.fetch, port: options.port ?? DEFAULT_PORT, hostname }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        emulator,
        close: () =>
          new Promise<void>((done, fail) => {
            emulator.inventorySource?.stop();
            // Changes still being saved are written before the server says it has stopped.
            server.close((error) => (error ? fail(error) : void (emulator.persistence?.flush() ?? Promise.resolve()).then(done, fail)));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
