// Errors as AWS puts them on the wire: an HTTP status, the `x-amzn-ErrorType` header and a
// JSON body with `message` and the error shape's other members. Modeled errors take their
// status from the model; the others (signature, routing, parsing) are AWS's generic ones.

export class AwsError extends Error {
  constructor(
    /** The error code: the shape name for modeled errors, else AWS's generic code. */
    readonly code: string,
    readonly status: number,
    message: string,
    /** The error shape's members other than `message`; header-bound ones are moved to headers when serialized. */
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** AWS's errors that no service model lists but every AWS JSON service answers. */
export const genericError = {
  incompleteSignature: (message: string) => new AwsError('IncompleteSignatureException', 403, message),
  missingAuthenticationToken: () => new AwsError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  unrecognizedClient: () => new AwsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'),
  invalidSignature: (message: string) => new AwsError('InvalidSignatureException', 403, message),
  serialization: (message: string) => new AwsError('SerializationException', 400, message),
  unknownOperation: (method: string, path: string) => new AwsError('UnknownOperationException', 404, `No operation of this service matches ${method} ${path}.`),
  requestTooLarge: (limit: number) => new AwsError('RequestEntityTooLargeException', 413, `Request body is larger than the limit of ${limit} bytes.`),
  internal: (message = 'The request processing has failed because of an unknown error, exception or failure.') =>
    new AwsError('InternalServerException', 500, message),
};
