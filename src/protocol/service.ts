// The wire pipeline of an AWS restJson1 service, in the order AWS checks things:
// body size → identity (SigV4) → route → JSON → input validation → operation handler →
// output serialization. It speaks Web-standard Request/Response only, so the same
// pipeline serves a listening server and in-process (msw) use. It knows the model, not
// what the operations mean: semantics live in the handlers it is given.
import { randomUUID } from 'node:crypto';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { AwsError, genericError } from './errors.js';
import { identify, type Caller, type IdentityOptions } from './identity.js';
import type { OperationSpec, ServiceModel } from './model.js';
import { Router } from './route.js';
import { errorResponse, jsonResponse, serializeShape } from './serialize.js';
import { checkShape, MAX_JSON_DEPTH, nestsDeeperThan, prototypeNamePath, render, validationError } from './validate.js';

export interface CallContext {
  caller: Caller;
  operation: string;
  requestId: string;
}

/** What an interceptor does to a call before its operation runs (e.g. injected faults). */
type Interception = { respond: AwsError } | { delayMs: number } | { drop: true };

/** An operation's semantics: the validated input (timestamps as Dates) in, the output shape's value out. */
export type OperationHandler = (input: Record<string, unknown>, context: CallContext) => unknown;

export interface ServiceEndpointOptions {
  identity: IdentityOptions;
  handlers: Readonly<Record<string, OperationHandler | undefined>>;
  /** Looks at each routed, identified call before anything else happens to it. */
  intercept?: (context: CallContext) => Interception | undefined;
  /** Called before each handler, with the request's caller (e.g. to let due state transitions happen). */
  beforeOperation?: (context: CallContext) => void;
  /** Larger bodies are refused before they are parsed. */
  maxBodyBytes?: number;
  /** Turns a handler's own error type into the AWS error to answer; undefined leaves it unexpected. */
  mapError?: (error: unknown) => AwsError | undefined;
  /** Where unexpected handler failures are reported; the client only sees an InternalServerException. */
  onInternalError?: (error: unknown, context: CallContext) => void;
}

/** The response, and what the pipeline learned about the request (for the request log). */
export interface Handled {
  response: Response;
  requestId: string;
  operation?: string;
  caller?: Caller;
  /** The interceptor asked for the connection to be dropped: no response is to be sent. */
  dropped?: boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export function createServiceEndpoint(model: ServiceModel, options: ServiceEndpointOptions) {
  // Every operation of the model has its semantics: a missing one is a programming error, found at start-up.
  const missing = [...model.operations.keys()].filter((name) => !Object.hasOwn(options.handlers, name) || !options.handlers[name]);
  if (missing.length) throw new Error(`no handler for ${missing.length} operation(s) of the model: ${missing.join(', ')}`);
  const router = new Router(model);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async function handle(request: Request): Promise<Handled> {
    const requestId = randomUUID();
    const handled: Handled = { requestId, response: undefined as unknown as Response };
    try {
      const url = new URL(request.url);
      // Counted while it streams in: a chunked body is cut at the limit, not read whole first.
      const body = await limitedBody(request, maxBodyBytes);

      const caller = identify(
        { method: request.method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers: request.headers, body },
        options.identity,
      );
      handled.caller = caller;

      const match = router.match(request.method, url.pathname);
      if (!match) throw genericError.unknownOperation(request.method, url.pathname);
      const { operation } = match;
      handled.operation = operation.name;
      const context: CallContext = { caller, operation: operation.name, requestId };

      const interception = options.intercept?.(context);
      if (interception && 'respond' in interception) throw interception.respond;
      if (interception && 'drop' in interception) {
        handled.dropped = true;
        handled.response = new Response(null, { status: 502 });
        return handled;
      }
      if (interception && 'delayMs' in interception) await new Promise((resolve) => setTimeout(resolve, interception.delayMs));

      const raw = { ...parseBody(body), ...boundMembers(model, operation, match.labels, url.searchParams, request.headers) };
      const { value: input, violations } = checkShape(model, operation.input, raw, { mode: 'input' });
      if (violations.length) throw validationError(violations);

      const handler = options.handlers[operation.name]!;
      options.beforeOperation?.(context);
      let output: unknown;
      try {
        output = await handler(input as Record<string, unknown>, context);
      } catch (error) {
        if (error instanceof AwsError) throw error;
        const mapped = options.mapError?.(error);
        if (mapped) throw mapped;
        options.onInternalError?.(error, context);
        throw genericError.internal();
      }
      handled.response = jsonResponse(200, serializeShape(model, operation.output, output ?? {}));
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      handled.response = errorResponse(model, error);
    }
    handled.response.headers.set('x-amzn-RequestId', requestId);
    return handled;
  };
}

/** The request's body, or AWS's 413 when it passes the limit. */
export async function limitedBody(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
  try {
    return await readBody(request, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw genericError.requestTooLarge(maxBodyBytes);
    throw error;
  }
}

/** A JSON protocol's request body as an object, refused as AWS refuses malformed, too deep or prototype-named input. */
export function parseBody(body: Uint8Array): Record<string, unknown> {
  const text = new TextDecoder().decode(body);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw genericError.serialization(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw genericError.serialization('The request body must be a JSON object.');
  }
  if (nestsDeeperThan(parsed)) throw genericError.serialization(`The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`);
  // No AWS shape has a member named like a prototype property: refused before anything reads the body
  // (a generic error every operation may answer, where not every operation models a ValidationException).
  const prototypeName = prototypeNamePath(parsed);
  if (prototypeName !== undefined) {
    throw genericError.serialization(
      `The request body has a member named like a prototype property (__proto__, constructor, prototype) at ${render(prototypeName)}.`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Input members bound to the URI, the query string or headers, taken from where the model puts them. */
function boundMembers(
  model: ServiceModel,
  operation: OperationSpec,
  labels: Record<string, string>,
  query: URLSearchParams,
  headers: Headers,
): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(model.shape(operation.input).properties ?? {})) {
    const location = ref['x-aws-location'];
    if (!location) continue;
    const wireName = ref['x-aws-location-name'] ?? name;
    const schema = model.resolve(ref);
    if (location === 'uri') {
      members[name] = labels[wireName];
    } else if (location === 'querystring') {
      if (!query.has(wireName)) {
        members[name] = undefined;
      } else if (schema.type === 'array') {
        members[name] = query.getAll(wireName);
      } else {
        members[name] = scalarFromText(schema.type, query.get(wireName)!);
      }
    } else {
      const value = headers.get(wireName);
      members[name] = value === null ? undefined : scalarFromText(schema.type, value);
    }
  }
  return members;
}

/** Query and header values are text; numbers and booleans are parsed so the validator sees their type. */
function scalarFromText(type: string | undefined, text: string): unknown {
  if ((type === 'integer' || type === 'number') && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
