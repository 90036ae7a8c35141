// The service contract as the protocol layer reads it: the OpenAPI document that
// `npm run generate` derives from the AWS model. Nothing here knows what the
// operations mean; it only knows their wire form.
import { readFileSync } from 'node:fs';

/** A schema of the generated document (one AWS shape), as far as the wire needs it. */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  propertyNames?: Schema;
  additionalProperties?: Schema;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  'x-aws-type'?: 'timestamp' | 'blob';
  'x-aws-union'?: boolean;
  'x-aws-location'?: 'uri' | 'querystring' | 'header';
  'x-aws-location-name'?: string;
  'x-aws-idempotency-token'?: boolean;
  'x-aws-error'?: { httpStatusCode: number; senderFault: boolean };
}

export interface OperationSpec {
  name: string;
  method: string;
  /** The URI template, e.g. `/tags/{resourceArn}`. */
  uri: string;
  input: string;
  output: string;
  errors: string[];
  pagination?: { input_token: string; output_token: string; limit_key?: string; result_key: string };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; 'x-aws-operation': Omit<OperationSpec, 'name' | 'method' | 'uri'> }>>;
  components: { schemas: Record<string, Schema> };
}

const OPENAPI_DOCUMENT_FILE = new URL('../../openapi/inspector2.openapi.json', import.meta.url);

export class ServiceModel {
  readonly operations: ReadonlyMap<string, OperationSpec>;
  private readonly schemas: Record<string, Schema>;

  constructor(document: OpenApiDocument) {
    this.schemas = document.components.schemas;
    const operations = new Map<string, OperationSpec>();
    for (const [uri, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations.set(op.operationId, { name: op.operationId, method: method.toUpperCase(), uri, ...op['x-aws-operation'] });
      }
    }
    this.operations = operations;
  }

  /** The named shape's schema. Throws on a name the model lacks: that is a bug, not bad input. */
  shape(name: string): Schema {
    const schema = Object.hasOwn(this.schemas, name) ? this.schemas[name] : undefined;
    if (!schema) throw new Error(`the model has no shape ${name}`);
    return schema;
  }

  /** Follows a `$ref` (members and list items point at shapes) to the shape's schema. */
  resolve(schema: Schema): Schema {
    return schema.$ref ? this.shape(schema.$ref.slice('#/components/schemas/'.length)) : schema;
  }

  /** HTTP status of an error shape (`x-aws-error`), or undefined when the name is not a modeled error. */
  errorStatus(name: string): number | undefined {
    return Object.hasOwn(this.schemas, name) ? this.schemas[name]?.['x-aws-error']?.httpStatusCode : undefined;
  }
}

let loaded: ServiceModel | undefined;

/** The model of inspector2, read once per process. */
export function serviceModel(): ServiceModel {
  loaded ??= new ServiceModel(JSON.parse(readFileSync(OPENAPI_DOCUMENT_FILE, 'utf8')) as OpenApiDocument);
  return loaded;
}
