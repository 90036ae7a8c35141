// The AWS JSON 1.1 protocol (POST / with `X-Amz-Target: <prefix>.<Operation>` and a JSON
// body; answers `application/x-amz-json-1.1`, timestamps as epoch seconds, errors as
// `{"__type", "message"}`), as ECR speaks it. Generic like the query endpoint: it knows the
// wire and is given the operations; what they mean is theirs.
import { answer, shown, type EnvelopeOptions } from './envelope.js';
import { AwsError, genericError } from './errors.js';
import type { Caller } from './identity.js';
import { parseBody, type Handled } from './service.js';

/** An operation: the request's JSON object in, the answer's value out (Dates become epoch seconds). */
export type JsonOperation = (input: JsonInput, caller: Caller) => unknown;

interface JsonEndpointOptions extends EnvelopeOptions {
  /** The X-Amz-Target prefix, e.g. AmazonEC2ContainerRegistry_V20150921. */
  targetPrefix: string;
  operations: Readonly<Record<string, JsonOperation>>;
  /** Called before each operation (e.g. to let due state transitions happen). */
  beforeOperation?: () => void;
  /** Turns an operation's own error type into the AWS error to answer; undefined leaves it unexpected. */
  mapError?: (error: unknown) => AwsError | undefined;
  /** The service's error for an unexpected failure (ECR: ServerException, 500). */
  internalError: () => AwsError;
  /** Where unexpected failures are reported; the client only sees `internalError`. */
  onInternalError?: (error: unknown, operation: string) => void;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * A JSON object of the request, read member by member with its wire type checked: a member
 * of the wrong JSON type is AWS's SerializationException, an absent one undefined.
 */
export class JsonInput {
  constructor(
    private readonly value: Record<string, unknown>,
    /** Where this object is in the request, for messages (`imageId.`). */
    readonly path = '',
  ) {}

  private member(name: string, type: string, test: (v: unknown) => boolean): unknown {
    const v = Object.hasOwn(this.value, name) ? this.value[name] : undefined;
    if (v === undefined || v === null) return undefined;
    if (!test(v)) throw genericError.serialization(`Expected ${type} at '${this.path}${name}'.`);
    return v;
  }

  string(name: string): string | undefined {
    return this.member(name, 'a string', (v) => typeof v === 'string') as string | undefined;
  }

  integer(name: string): number | undefined {
    return this.member(name, 'an integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)) as number | undefined;
  }

  object(name: string): JsonInput | undefined {
    const v = this.member(name, 'an object', (v) => typeof v === 'object' && !Array.isArray(v));
    return v === undefined ? undefined : new JsonInput(v as Record<string, unknown>, `${this.path}${name}.`);
  }

  strings(name: string): string[] | undefined {
    return this.member(name, 'a list of strings', (v) => Array.isArray(v) && v.every((item) => typeof item === 'string')) as string[] | undefined;
  }

  objects(name: string): JsonInput[] | undefined {
    const v = this.member(
      name,
      'a list of objects',
      (v) => Array.isArray(v) && v.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item)),
    );
    return (v as Record<string, unknown>[] | undefined)?.map((item, index) => new JsonInput(item, `${this.path}${name}.${index + 1}.`));
  }
}

export function createJsonEndpoint(options: JsonEndpointOptions) {
  return (request: Request): Promise<Handled> =>
    answer(
      request,
      options,
      ({ body, caller, handled }) => {
        const target = request.headers.get('x-amz-target') ?? '';
        const dot = target.lastIndexOf('.');
        const name = target.slice(0, dot) === options.targetPrefix ? target.slice(dot + 1) : '';
        // Own operations only: `constructor` or `__proto__` are unknown like any other name.
        const run = Object.hasOwn(options.operations, name) ? options.operations[name] : undefined;
        if (typeof run !== 'function') {
          throw new AwsError(
            'UnknownOperationException',
            400,
            `The operation '${shown(target)}' is not known here. inspector2-local answers ${Object.keys(options.operations).join(', ')}.`,
          );
        }
        handled.operation = name;
        const input = new JsonInput(parseBody(body));
        options.beforeOperation?.();
        let output: unknown;
        try {
          output = run(input, caller);
        } catch (error) {
          if (error instanceof AwsError) throw error;
          const mapped = options.mapError?.(error);
          if (mapped) throw mapped;
          options.onInternalError?.(error, name);
          throw options.internalError();
        }
        return new Response(JSON.stringify(output ?? {}, epochSeconds), { status: 200, headers: { 'content-type': CONTENT_TYPE } });
      },
      (error) => {
        const aws = error instanceof AwsError ? error : options.internalError();
        return new Response(JSON.stringify({ __type: aws.code, message: aws.message }), {
          status: aws.status,
          headers: { 'content-type': CONTENT_TYPE, 'x-amzn-ErrorType': aws.code },
        });
      },
    );
}

/** JSON.stringify's replacer: a Date (seen before its toJSON) as epoch seconds, as the JSON protocols send timestamps. */
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}
