// What keeps a web page in the developer's browser from driving a server on loopback, as
// LocalStack's CORS rules do, and more. Generic HTTP: it knows paths and headers, nothing of
// what is served behind them.
//
// - Host: with DNS rebinding, a page on evil.example re-points its own name at 127.0.0.1 and
//   reads the answers as same-origin. A listening server bound to loopback therefore only
//   answers Host names that are loopback (localhost, *.localhost, 127.x.x.x, [::1]) or
//   configured. Without a socket (createEmulator().fetch, msw) there is no Host to trust
//   (the URL is e.g. https://inspector2.eu-west-1.amazonaws.com), so the check is the
//   caller's choice.
// - Origin: a request whose Origin is present and not allowed gets a 403 before anything is
//   read or changed. Loopback origins (any port) are allowed, plus those configured; allowed
//   origins get proper CORS answers (preflight and Access-Control-Allow-Origin), so a
//   browser app on localhost can use the AWS SDK.
// - JSON writes: under the given path prefixes (the control plane), a request other than
//   GET/HEAD/OPTIONS must say Content-Type: application/json (415 otherwise), which no
//   cross-site "simple" request (text/plain, forms) can.
import type { MiddlewareHandler } from 'hono';

export interface GuardOptions {
  /** Origins allowed besides loopback ones, exact match (`http://app.test:8080`); `*` allows every origin. */
  allowedOrigins?: readonly string[];
  /** Check the Host header against loopback names and `allowedHosts`. */
  checkHost?: boolean;
  /** Host names allowed besides loopback ones: `name` (any port) or `name:port`; `*` allows every Host. */
  allowedHosts?: readonly string[];
  /** Path prefixes where every request other than GET/HEAD/OPTIONS must carry a JSON body type. */
  jsonWritePrefixes?: readonly string[];
}

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-security-token',
  'x-amz-user-agent',
  'x-amz-target',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-inspector2-control-token',
];
const EXPOSE_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType, x-amz-request-id, x-amz-id-2, etag, retry-after, date';
const MAX_AGE_SECONDS = '600';
/** A header name as RFC 9110 allows it (what is echoed back from Access-Control-Request-Headers). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** Whether a host name (no port; IPv6 with or without brackets) is a loopback name or address. */
function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    name === '::1' ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}

/** A Host header's name and port (`[::1]:4566` → `[::1]`, `4566`). */
function splitHost(host: string): { name: string; port: string | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(host.trim().toLowerCase());
  return match ? { name: match[1]!, port: match[2] || undefined } : { name: host.toLowerCase(), port: undefined };
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const { name, port } = splitHost(host);
  if (isLoopbackHostname(name)) return true;
  return allowed.some((entry) => {
    if (entry === '*') return true;
    const wanted = splitHost(entry);
    return wanted.name === name && (wanted.port === undefined || wanted.port === port);
  });
}

function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostname(url.hostname);
}

/** An http(s) origin's host[:port] as a Host header would say it, or undefined. */
function hostOf(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(contentType: string | null): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function refusal(status: number, message: string, errorType?: string): Response {
  // An AWS error (with its type) carries the type in the body too, as restJson1 errors do.
  return Response.json(errorType ? { __type: errorType, message } : { message }, { status, headers: errorType ? { 'x-amzn-ErrorType': errorType } : {} });
}

/** The Host, Origin and JSON-writes checks, in that order, as one middleware. */
export function browserGuards(options: GuardOptions = {}): MiddlewareHandler {
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  const anyOrigin = allowedOrigins.has('*');
  const allowedHosts = options.allowedHosts ?? [];
  const jsonWritePrefixes = options.jsonWritePrefixes ?? [];

  return async (c, next) => {
    const headers = c.req.raw.headers;
    const host = headers.get('host') ?? new URL(c.req.url).host;
    if (options.checkHost) {
      if (!hostAllowed(host, allowedHosts)) {
        return refusal(
          403,
          'This Host is not allowed (DNS rebinding protection): use localhost or 127.0.0.1, or add the name to INSPECTOR2_ALLOWED_HOSTS.',
          'AccessDeniedException',
        );
      }
    }

    const origin = headers.get('origin');
    // A page the server itself serves under a checked Host name (the console at http://inspector2:4566) is its own origin.
    const sameOrigin = (origin: string) => options.checkHost === true && hostOf(origin) === host.toLowerCase();
    if (origin !== null && !(anyOrigin || allowedOrigins.has(origin.toLowerCase()) || isLoopbackOrigin(origin) || sameOrigin(origin))) {
      return refusal(403, 'This Origin is not allowed to call the emulator: add it to INSPECTOR2_CORS_ORIGINS.', 'AccessDeniedException');
    }
    const method = c.req.method.toUpperCase();
    if (origin !== null && method === 'OPTIONS' && headers.has('access-control-request-method')) {
      // A preflight from an allowed origin: the AWS SDKs' headers and whatever else it asks for.
      const requested = (headers.get('access-control-request-headers') ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => TOKEN.test(name));
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': ALLOW_METHODS,
          'access-control-allow-headers': [...new Set([...ALLOW_HEADERS, ...requested])].join(', '),
          'access-control-expose-headers': EXPOSE_HEADERS,
          'access-control-max-age': MAX_AGE_SECONDS,
          vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        },
      });
    }

    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && jsonWritePrefixes.some((prefix) => c.req.path.startsWith(prefix))) {
      if (mediaType(headers.get('content-type')) !== 'application/json') {
        return refusal(415, 'This call needs Content-Type: application/json (send {} when there is nothing to say).');
      }
    }

    await next();

    // An injected dropped connection (Response.error()) has no headers to set.
    if (origin !== null && c.res.type !== 'error') {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-expose-headers', EXPOSE_HEADERS);
      c.res.headers.append('vary', 'Origin');
    }
  };
}

/** Whether a listen address is loopback only (`127.0.0.1`, `::1`, `localhost`), not `0.0.0.0` or an interface's address. */
export function isLoopbackAddress(address: string): boolean {
  return isLoopbackHostname(address);
}
