// In-process mode: msw request handlers that answer AWS SDK calls to inspector2 (and IAM)
// with the emulator itself — no port, no server. Use with msw's setupServer:
//
//   const { handlers, emulator } = inspector2Handlers();
//   const server = setupServer(...handlers);
//   server.listen();
import { http, type HttpHandler } from 'msw';
import { createEmulator, type Emulator } from './app.js';
import type { EmulatorOptions } from './config.js';

/** The AWS endpoints the emulator answers: inspector2 in any region (FIPS too), and IAM. */
const AWS_ENDPOINT = /^https?:\/\/(inspector2(-fips)?\.[a-z0-9-]+|iam)\.amazonaws\.com(\.cn)?\//;

export function inspector2Handlers(options: EmulatorOptions = {}): { handlers: HttpHandler[]; emulator: Emulator } {
  const emulator = createEmulator({ logLevel: 'silent', ...options });
  return { handlers: [http.all(AWS_ENDPOINT, ({ request }) => emulator.fetch(request))], emulator };
}
