// Who may use the control plane when credentials are checked (INSPECTOR2_VERIFY_SIGNATURES=1,
// or INSPECTOR2_CONTROL_TOKEN set): a request SigV4-signed with known credentials (for any
// service), or one carrying the control token (`Authorization: Bearer <token>` or
// `x-inspector2-control-token: <token>`). Health, the OpenAPI document and the console's
// static files stay open; every other path under /_inspector2 reads or changes state.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { AwsError, genericError } from '../protocol/errors.js';
import { identify, signingServiceOf, type IdentityOptions } from '../protocol/identity.js';
import { MAX_CONTROL_BODY_BYTES } from './json.js';
import { DEFAULT_MAX_SNAPSHOT_BYTES } from './snapshots.js';

export interface ControlAccessOptions {
  /** How a SigV4 signature for a service is verified (the AWS endpoints' own identity options). */
  identity: (signingName: string) => IdentityOptions;
  /** INSPECTOR2_CONTROL_TOKEN. */
  token?: string;
  /** INSPECTOR2_MAX_SNAPSHOT_BYTES: the signed body read to check a signature is held to the route's own limit. */
  maxSnapshotBytes?: number;
}

/** The control-plane paths anyone may read. */
function isOpenControlPath(path: string): boolean {
  return path === '/_inspector2/health' || path === '/_inspector2/openapi.json' || path === '/_inspector2/ui' || path.startsWith('/_inspector2/ui/');
}

/** Equal secrets, compared in constant time. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function denied(c: Context, error: AwsError): Response {
  return c.json({ __type: error.code, message: error.message }, error.status as 403, { 'x-amzn-ErrorType': error.code });
}

export function controlAccess(options: ControlAccessOptions): MiddlewareHandler {
  return async (c, next) => {
    if (isOpenControlPath(c.req.path)) return next();
    const headers = c.req.raw.headers;
    const authorization = headers.get('authorization') ?? '';
    const token = /^Bearer\s+(\S.*)$/i.exec(authorization)?.[1]?.trim() ?? headers.get('x-inspector2-control-token') ?? undefined;
    if (token !== undefined) {
      if (options.token !== undefined && sameSecret(token, options.token)) return next();
      return denied(c, new AwsError('UnrecognizedClientException', 403, 'The control token is not valid.'));
    }
    if (authorization !== '') {
      const url = new URL(c.req.url);
      // The signature covers the body: read it (within the limit the route would apply), then hand it on to the route.
      const limit = c.req.path === '/_inspector2/snapshot' ? (options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES) : MAX_CONTROL_BODY_BYTES;
      let body: Uint8Array;
      try {
        body = await readBody(c.req.raw, limit);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return c.json({ message: error.message }, 413);
        throw error;
      }
      if (body.length) c.req.raw = new Request(c.req.url, { method: c.req.method, headers, body });
      try {
        identify(
          { method: c.req.method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers, body },
          // The signature is checked whatever the mode: the control plane is guarded only when credentials are.
          { ...options.identity(signingServiceOf(headers) ?? 'inspector2'), verifySignatures: true },
        );
      } catch (error) {
        if (error instanceof AwsError) return denied(c, error);
        throw error;
      }
      return next();
    }
    const missing = genericError.missingAuthenticationToken();
    return denied(
      c,
      new AwsError(
        missing.code,
        missing.status,
        'The control plane needs a SigV4-signed request or the control token (Authorization: Bearer <INSPECTOR2_CONTROL_TOKEN>).',
      ),
    );
  };
}
