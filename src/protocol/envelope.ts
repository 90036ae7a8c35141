// What every AWS endpoint besides the model-driven restJson one (IAM and STS on the query
// protocol, ECR on JSON 1.1) does around its own wire: a request id, the body read within the
// limit, the caller identified from the signature, any failure turned into the protocol's own
// error answer, and the request id on every answer.
import { randomUUID } from 'node:crypto';
import { identify, type Caller, type IdentityOptions } from './identity.js';
import { DEFAULT_MAX_BODY_BYTES, limitedBody, type Handled } from './service.js';

export interface EnvelopeOptions {
  identity: IdentityOptions;
  /** Larger bodies are refused (413) while they stream in; default 10 MB, as the restJson endpoint. */
  maxBodyBytes?: number;
}

export interface Exchange {
  requestId: string;
  url: URL;
  body: Uint8Array;
  caller: Caller;
  /** Names the operation for the log, once it is known. */
  handled: Handled;
}

export async function answer(
  request: Request,
  options: EnvelopeOptions,
  serve: (exchange: Exchange) => Response,
  failure: (error: unknown, requestId: string) => Response,
): Promise<Handled> {
  const requestId = randomUUID();
  const handled: Handled = { requestId, response: undefined as unknown as Response };
  try {
    const url = new URL(request.url);
    const body = await limitedBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const caller = identify({ method: request.method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers: request.headers, body }, options.identity);
    handled.caller = caller;
    handled.response = serve({ requestId, url, body, caller, handled });
  } catch (error) {
    handled.response = failure(error, requestId);
  }
  handled.response.headers.set('x-amzn-RequestId', requestId);
  return handled;
}

/** An unknown operation's name as an error message may show it. */
export function shown(name: string): string {
  return name.length > 100 ? `${name.slice(0, 100)}...` : name;
}
