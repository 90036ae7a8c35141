// The AWS query protocol (form-encoded `Action=...` requests, XML answers), as IAM and STS speak
// it. Generic like the restJson pipeline: it knows the wire, and is given the actions.
import { answer, shown, type EnvelopeOptions } from './envelope.js';
import { AwsError, genericError } from './errors.js';
import type { Caller } from './identity.js';
import type { Handled } from './service.js';

/** An XML value: a scalar, a list (rendered as <member> elements) or a structure. */
export type XmlValue = string | number | boolean | Date | XmlValue[] | { [element: string]: XmlValue | undefined };

export type QueryAction = (params: URLSearchParams, caller: Caller) => Record<string, XmlValue | undefined>;

export interface QueryEndpointOptions extends EnvelopeOptions {
  /** The XML namespace of the service, e.g. https://iam.amazonaws.com/doc/2010-05-08/ */
  xmlns: string;
  actions: Readonly<Record<string, QueryAction>>;
  mapError?: (error: unknown) => AwsError | undefined;
}

export function createQueryEndpoint(options: QueryEndpointOptions) {
  return (request: Request): Promise<Handled> =>
    answer(
      request,
      options,
      ({ requestId, url, body, caller, handled }) => {
        const params = new URLSearchParams(url.search);
        for (const [name, value] of new URLSearchParams(new TextDecoder().decode(body))) params.append(name, value);
        const action = params.get('Action') ?? '';
        // Own actions only: `constructor`, `__proto__` or `toString` are unknown actions like any other.
        const run = Object.hasOwn(options.actions, action) ? options.actions[action] : undefined;
        if (typeof run !== 'function') {
          // IAM's and STS's answer to an action they do not know; the message says which ones are served here.
          throw new AwsError(
            'InvalidAction',
            400,
            `The action or operation requested is invalid: '${shown(action)}'. inspector2-local answers ${Object.keys(options.actions).join(', ')}.`,
          );
        }
        handled.operation = action;
        let result: Record<string, XmlValue | undefined>;
        try {
          result = run(params, caller);
        } catch (error) {
          const mapped = error instanceof AwsError ? error : options.mapError?.(error);
          if (!mapped) throw error;
          throw mapped;
        }
        const xml =
          `<${action}Response xmlns="${options.xmlns}"><${action}Result>${render(result)}</${action}Result>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
        return new Response(xml, { status: 200, headers: { 'content-type': 'text/xml' } });
      },
      (error, requestId) => {
        const aws = error instanceof AwsError ? error : genericError.internal();
        const type = aws.status >= 500 ? 'Receiver' : 'Sender';
        const xml =
          `<ErrorResponse xmlns="${options.xmlns}"><Error><Type>${type}</Type><Code>${escape(aws.code)}</Code>` +
          `<Message>${escape(aws.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
        return new Response(xml, { status: aws.status, headers: { 'content-type': 'text/xml' } });
      },
    );
}

function render(value: XmlValue | undefined): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map((item) => `<member>${render(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([element, v]) => `<${element}>${render(v)}</${element}>`)
      .join('');
  }
  return escape(String(value));
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
