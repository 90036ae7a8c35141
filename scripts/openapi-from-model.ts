// Derives the OpenAPI 3.1 document and its TypeScript types from the AWS service model.
// The AWS model (openapi/inspector2-2020-06-08.*.json) is the source; everything this
// module returns is generated. `npm run generate` writes it, and a test fails when the
// committed files differ from what this module produces.
//
// AWS specifics that OpenAPI has no word for travel as `x-aws-*` extensions, because the
// runtime protocol layer reads them from this one document:
//   x-aws-type: "timestamp"      epoch seconds on the wire (no shape sets timestampFormat)
//   x-aws-union: true            exactly one member may be set
//   x-aws-location(-name)        the member is bound to the URI, query string or a header
//   x-aws-idempotency-token      SDKs fill the member with a UUID when it is omitted
//   x-aws-error                  the error shape's HTTP status and fault side
//   x-aws-operation              per operation: input/output shapes, errors, pagination
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import openapiTS, { astToString } from 'openapi-typescript';

export const MODEL_FILE = new URL('../openapi/inspector2-2020-06-08.service.json', import.meta.url);
export const PAGINATORS_FILE = new URL('../openapi/inspector2-2020-06-08.paginators.json', import.meta.url);
export const OPENAPI_FILE = new URL('../openapi/inspector2.openapi.json', import.meta.url);
export const TYPES_FILE = new URL('../openapi/inspector2.d.ts', import.meta.url);

type Json = Record<string, unknown>;

interface ModelMember {
  shape: string;
  documentation?: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
}

interface ModelShape {
  type: 'structure' | 'string' | 'list' | 'map' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ModelMember>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  union?: boolean;
  sensitive?: boolean;
  exception?: boolean;
  error?: { httpStatusCode: number; senderFault?: boolean };
  retryable?: { throttling: boolean };
  documentation?: string;
}

interface ModelOperation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
  documentation?: string;
  idempotent?: boolean;
  readonly?: boolean;
}

interface Model {
  metadata: Json;
  documentation?: string;
  operations: Record<string, ModelOperation>;
  shapes: Record<string, ModelShape>;
}

const ref = (shape: string) => `#/components/schemas/${shape}`;

function withDoc(schema: Json, documentation: string | undefined): Json {
  return documentation ? { ...schema, description: documentation } : schema;
}

function shapeSchema(shape: ModelShape): Json {
  const bounds = (minKey: string, maxKey: string): Json => ({
    ...(shape.min !== undefined ? { [minKey]: shape.min } : {}),
    ...(shape.max !== undefined ? { [maxKey]: shape.max } : {}),
  });
  switch (shape.type) {
    case 'structure': {
      const properties: Json = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        properties[name] = memberSchema(member);
      }
      return {
        type: 'object',
        properties,
        ...(shape.required?.length ? { required: shape.required } : {}),
        ...(shape.union ? { 'x-aws-union': true, minProperties: 1, maxProperties: 1 } : {}),
        ...(shape.exception ? { 'x-aws-error': { httpStatusCode: shape.error?.httpStatusCode ?? 400, senderFault: shape.error?.senderFault ?? false } } : {}),
        ...(shape.retryable ? { 'x-aws-retryable': shape.retryable } : {}),
      };
    }
    case 'string':
      return {
        type: 'string',
        ...(shape.enum ? { enum: shape.enum } : {}),
        ...bounds('minLength', 'maxLength'),
        ...(shape.pattern !== undefined ? { pattern: shape.pattern } : {}),
        ...(shape.sensitive ? { 'x-aws-sensitive': true } : {}),
      };
    case 'integer':
      return { type: 'integer', format: 'int32', ...bounds('minimum', 'maximum') };
    case 'long':
      return { type: 'integer', format: 'int64', ...bounds('minimum', 'maximum') };
    case 'double':
    case 'float':
      return { type: 'number', format: shape.type, ...bounds('minimum', 'maximum') };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: 'number', 'x-aws-type': 'timestamp', description: 'Epoch seconds.' };
    case 'blob':
      return { type: 'string', contentEncoding: 'base64', 'x-aws-type': 'blob', ...bounds('minLength', 'maxLength') };
    case 'list':
      return { type: 'array', items: { $ref: ref(shape.member!.shape) }, ...bounds('minItems', 'maxItems') };
    case 'map':
      return {
        type: 'object',
        propertyNames: { $ref: ref(shape.key!.shape) },
        additionalProperties: { $ref: ref(shape.value!.shape) },
        ...bounds('minProperties', 'maxProperties'),
      };
    default:
      throw new Error(`unsupported shape type ${String((shape as { type: unknown }).type)}`);
  }
}

function memberSchema(member: ModelMember): Json {
  return withDoc(
    {
      $ref: ref(member.shape),
      ...(member.location ? { 'x-aws-location': member.location, 'x-aws-location-name': member.locationName } : {}),
      ...(member.idempotencyToken ? { 'x-aws-idempotency-token': true } : {}),
    },
    member.documentation,
  );
}

const PARAMETER_IN = { uri: 'path', querystring: 'query', header: 'header' } as const;

function operationObject(model: Model, op: ModelOperation, paginator: Json | undefined): Json {
  const input = op.input ? model.shapes[op.input.shape]! : undefined;
  const required = new Set(input?.required ?? []);
  const parameters: Json[] = [];
  const bodyProperties: Json = {};
  const bodyRequired: string[] = [];
  for (const [name, member] of Object.entries(input?.members ?? {})) {
    if (member.location === 'uri' || member.location === 'querystring' || member.location === 'header') {
      parameters.push(
        withDoc(
          {
            name: member.locationName ?? name,
            in: PARAMETER_IN[member.location],
            required: member.location === 'uri' || required.has(name),
            schema: { $ref: ref(member.shape) },
            'x-aws-member': name,
          },
          member.documentation,
        ),
      );
    } else {
      bodyProperties[name] = memberSchema(member);
      if (required.has(name)) bodyRequired.push(name);
    }
  }

  const errorsByStatus = new Map<number, string[]>();
  for (const { shape } of op.errors ?? []) {
    const status = model.shapes[shape]!.error?.httpStatusCode ?? 400;
    errorsByStatus.set(status, [...(errorsByStatus.get(status) ?? []), shape]);
  }
  const responses: Json = {
    [String(op.http.responseCode ?? 200)]: {
      description: 'Success',
      content: { 'application/json': { schema: { $ref: ref(op.output!.shape) } } },
    },
  };
  for (const [status, shapes] of [...errorsByStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: shapes.join(' | '),
      headers: {
        'x-amzn-ErrorType': { description: 'The name of the error shape.', schema: { type: 'string', enum: shapes } },
      },
      content: {
        'application/json': {
          schema: shapes.length === 1 ? { $ref: ref(shapes[0]!) } : { oneOf: shapes.map((s) => ({ $ref: ref(s) })) },
        },
      },
    };
  }

  return {
    operationId: op.name,
    description: op.documentation,
    ...(parameters.length ? { parameters } : {}),
    ...(Object.keys(bodyProperties).length
      ? {
          requestBody: {
            required: bodyRequired.length > 0,
            content: {
              'application/json': {
                schema: { type: 'object', properties: bodyProperties, ...(bodyRequired.length ? { required: bodyRequired } : {}) },
              },
            },
          },
        }
      : {}),
    responses,
    'x-aws-operation': {
      input: op.input?.shape,
      output: op.output?.shape,
      errors: (op.errors ?? []).map((e) => e.shape),
      ...(op.idempotent ? { idempotent: true } : {}),
      ...(op.readonly ? { readonly: true } : {}),
      ...(paginator ? { pagination: paginator } : {}),
    },
  };
}

export function buildOpenApiDocument(model: Model, paginators: Record<string, Json>): Json {
  const paths: Record<string, Json> = {};
  for (const name of Object.keys(model.operations).sort()) {
    const op = model.operations[name]!;
    const path = op.http.requestUri;
    if (path.includes('?')) throw new Error(`${name}: query literals in requestUri are not supported`);
    paths[path] = { ...paths[path], [op.http.method.toLowerCase()]: operationObject(model, op, paginators[name]) };
  }
  const schemas: Json = {};
  for (const name of Object.keys(model.shapes).sort()) {
    const shape = model.shapes[name]!;
    schemas[name] = withDoc(shapeSchema(shape), shape.documentation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Amazon Inspector (inspector2)',
      version: String(model.metadata.apiVersion),
      description: model.documentation,
      'x-generated-by': 'scripts/generate-openapi.ts from openapi/inspector2-2020-06-08.service.json; do not edit',
    },
    servers: [{ url: 'http://127.0.0.1:4566' }],
    'x-aws-metadata': model.metadata,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { schemas },
  };
}

const TYPES_BANNER = `// Generated by scripts/generate-openapi.ts (openapi-typescript) from openapi/inspector2.openapi.json.
// Do not edit: run \`npm run generate\`. Timestamps are Date here; the protocol layer converts epoch seconds.
`;

/** Everything the generator writes, as text: the OpenAPI document and its types. */
export async function generate(): Promise<{ openapi: string; types: string }> {
  const model = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as Model;
  const paginators = (JSON.parse(readFileSync(PAGINATORS_FILE, 'utf8')) as { pagination: Record<string, Json> }).pagination;
  const document = buildOpenApiDocument(model, paginators);
  const ast = await openapiTS(document as never, {
    silent: true,
    transform(schemaObject) {
      if ((schemaObject as Json)['x-aws-type'] === 'timestamp') return ts.factory.createTypeReferenceNode('Date');
      return undefined;
    },
  });
  return { openapi: JSON.stringify(document, null, 2) + '\n', types: TYPES_BANNER + astToString(ast) };
}
