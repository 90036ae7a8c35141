// restJson1 output: the output shape's members only, absent members omitted (never null),
// timestamps as epoch seconds; errors with their status, `x-amzn-ErrorType` and a JSON
// body of `__type` (the shape's name, as the header says it), `message` and the shape's
// other body members (header-bound ones, such as `retryAfterSeconds` → `Retry-After`, go
// to headers). Clients read the header first and `__type` after it; both carry the plain
// shape name (Smithy's restJson1 protocol tests, RestJsonFooErrorWithDunderType).
import type { AwsError } from './errors.js';
import type { Schema, ServiceModel } from './model.js';

/** The wire form of a value of the given shape. */
export function serializeShape(model: ServiceModel, shapeName: string, value: unknown): unknown {
  return toWire(model, model.shape(shapeName), value);
}

function toWire(model: ServiceModel, ref: Schema, value: unknown): unknown {
  const schema = model.resolve(ref);
  if (schema['x-aws-type'] === 'timestamp') return value instanceof Date ? value.getTime() / 1000 : value;
  if (schema.type === 'array' && Array.isArray(value)) return value.map((item) => toWire(model, schema.items!, item));
  if (schema.type === 'object' && typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      if (member === undefined || member === null) continue;
      const memberSchema = schema.properties ? (Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined) : schema.additionalProperties;
      if (memberSchema) result[name] = toWire(model, memberSchema, member);
    }
    return result;
  }
  return value;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function errorResponse(model: ServiceModel, error: AwsError): Response {
  const headers: Record<string, string> = { 'x-amzn-ErrorType': error.code };
  const body: Record<string, unknown> = { __type: error.code, message: error.message };
  const properties = model.errorStatus(error.code) !== undefined ? (model.shape(error.code).properties ?? {}) : {};
  for (const [name, value] of Object.entries(error.members)) {
    if (value === undefined || value === null) continue;
    const member = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (member?.['x-aws-location'] === 'header') headers[member['x-aws-location-name'] ?? name] = typeof value === 'string' ? value : JSON.stringify(value);
    else body[name] = member ? toWire(model, member, value) : value;
  }
  return jsonResponse(error.status, body, headers);
}
