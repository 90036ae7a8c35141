// Who is calling, and where: the account comes from the access key id, the region from
// the SigV4 credential scope. By default signatures are parsed but not checked, as
// LocalStack does; the opt-in strict mode verifies them the way AWS does.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { genericError } from './errors.js';
import { isKnownRegion } from './regions.js';

const DEFAULT_ACCOUNT_ID = '000000000000';
const DEFAULT_REGION = 'us-east-1';

export interface Caller {
  accountId: string;
  region: string;
  accessKeyId?: string;
}

export interface IdentityOptions {
  /** Verify every SigV4 signature (INSPECTOR2_VERIFY_SIGNATURES=1). */
  verifySignatures: boolean;
  /** The access key id → secret key pairs accepted in strict mode. */
  credentials: ReadonlyMap<string, string>;
  /** The service name the credential scope must name in strict mode. */
  signingName: string;
  /** How far a request's X-Amz-Date may be from now in strict mode (AWS: 5 minutes). */
  maxClockSkewMs?: number;
  /** The regions a request may be signed for, in both modes (default: AWS's real regions, see regions.ts). */
  regionAllowed?: (region: string) => boolean;
}

/** What identification needs of a request, independent of the HTTP framework. */
export interface SignedRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  headers: Headers;
  body: Uint8Array;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

export function identify(request: SignedRequest, options: IdentityOptions): Caller {
  const header = request.headers.get('authorization');
  if (header === null) {
    if (options.verifySignatures) throw genericError.missingAuthenticationToken();
    return { accountId: DEFAULT_ACCOUNT_ID, region: DEFAULT_REGION };
  }
  const auth = parseAuthorization(header);
  if (options.verifySignatures) verify(request, auth, options);
  else checkRegion(auth, options);
  return { accountId: accountForAccessKey(auth.accessKeyId), region: auth.region, accessKeyId: auth.accessKeyId };
}

/** The service a request is signed for (from the credential scope), or undefined if it is not SigV4-signed. */
export function signingServiceOf(headers: Headers): string | undefined {
  const match = /Credential=[^/,\s]*\/[^/,\s]*\/[^/,\s]*\/([^/,\s]+)\//.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

/** A 12-digit access key id is the account id; any other key is the default account. */
function accountForAccessKey(accessKeyId: string): string {
  return /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT_ID;
}

function parseAuthorization(header: string): ParsedAuthorization {
  const incomplete = (why: string) => genericError.incompleteSignature(`${why} Authorization=${header}`);
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported Authorization scheme '${algorithm}': expected ${ALGORITHM}.`);
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !params.get(name));
  if (missing.length) throw incomplete(missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' '));
  const scope = params.get('Credential')!.split('/');
  if (scope.length !== 5 || scope.some((s) => s === '') || scope[4] !== 'aws4_request') {
    throw incomplete(
      `Credential should be scoped to a valid region, service and terminated by aws4_request ('<key>/<yyyymmdd>/<region>/<service>/aws4_request'), got '${params.get('Credential')}'.`,
    );
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: params.get('SignedHeaders')!.split(';'),
    signature: params.get('Signature')!,
  };
}

/** A region that does not exist gets what AWS answers a client signing for one: 403 InvalidSignatureException. */
function checkRegion(auth: ParsedAuthorization, options: IdentityOptions): void {
  if ((options.regionAllowed ?? isKnownRegion)(auth.region)) return;
  const shown = auth.region.length > 64 ? `${auth.region.slice(0, 64)}...` : auth.region;
  throw genericError.invalidSignature(`Credential should be scoped to a valid region, not '${shown}'.`);
}

function verify(request: SignedRequest, auth: ParsedAuthorization, options: IdentityOptions): void {
  // A signature that does not cover Host could be replayed against another endpoint (or a rebinding page's name).
  if (!auth.signedHeaders.some((name) => name.toLowerCase() === 'host')) {
    throw genericError.incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const secret = options.credentials.get(auth.accessKeyId);
  if (secret === undefined) throw genericError.unrecognizedClient();
  if (auth.service !== options.signingName) {
    throw genericError.invalidSignature(`Credential should be scoped to correct service: '${options.signingName}'.`);
  }
  checkRegion(auth, options);
  const amzDate = request.headers.get('x-amz-date');
  if (amzDate === null || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw genericError.incompleteSignature(
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${request.headers.get('authorization')}`,
    );
  }
  if (!amzDate.startsWith(auth.date)) {
    throw genericError.invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`);
  const skew = options.maxClockSkewMs ?? 5 * 60_000;
  const now = Date.now();
  if (Math.abs(now - signedAt) > skew) {
    throw genericError.invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${compactIso(now - skew)} (${compactIso(now)} - ${skew / 60_000} min.)`,
    );
  }
  const expected = signature(request, auth, secret, amzDate);
  const given = Buffer.from(auth.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    throw genericError.invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}

/** The SigV4 signature of a request as AWS computes it (the canonical request over the signed headers). */
function signature(request: SignedRequest, auth: ParsedAuthorization, secret: string, amzDate: string): string {
  // The payload hash is always the received body's: a client's x-amz-content-sha256 header
  // is signed like any other header, but a body changed on the way must not pass.
  const payloadHash = sha256(request.body);
  const canonicalRequest = [
    request.method,
    canonicalUri(request.rawPath),
    canonicalQuery(request.rawQuery),
    auth.signedHeaders.map((name) => `${name}:${(request.headers.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** Every segment of the (already encoded) path is encoded again, as SigV4 does for all services but S3. */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  return `/${segments.join('/')}${segments.length && rawPath.endsWith('/') ? '/' : ''}`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === '') return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const [k, v] = eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
      return [uriEncode(decodeQueryPart(k)), uriEncode(decodeQueryPart(v))] as const;
    });
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, '%20'));
  } catch {
    return part;
  }
}

function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function compactIso(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
