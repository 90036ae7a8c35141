// Generated files are produced only by `npm run generate`: this fails when the committed
// ones differ from what the generator makes of the AWS model now.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, OPENAPI_FILE, TYPES_FILE } from '../../scripts/openapi-from-model.js';

describe('generated OpenAPI document and types', () => {
  it('are up to date with the AWS model (run `npm run generate` if not)', async () => {
    const { openapi, types } = await generate();
    expect(readFileSync(OPENAPI_FILE, 'utf8') === openapi, 'openapi/inspector2.openapi.json is stale').toBe(true);
    expect(readFileSync(TYPES_FILE, 'utf8') === types, 'openapi/inspector2.d.ts is stale').toBe(true);
  });

  it('describe all 75 operations with their bindings, constraints and errors', async () => {
    const document = JSON.parse((await generate()).openapi);
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods as Record<string, { operationId: string }>));
    expect(operations).toHaveLength(75);
    const untag = document.paths['/tags/{resourceArn}'].delete;
    expect(untag.operationId).toBe('UntagResource');
    expect(untag.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:resourceArn', 'query:tagKeys']);
    expect(untag.responses['400'].headers['x-amzn-ErrorType'].schema.enum).toEqual(['ValidationException']);
    expect(document.components.schemas.AccountId).toMatchObject({ type: 'string', minLength: 12, maxLength: 12, pattern: '\\d{12}' });
    expect(document.components.schemas.ThrottlingException['x-aws-error'].httpStatusCode).toBe(429);
    expect(document.components.schemas.Timestamp['x-aws-type']).toBe('timestamp');
  });
});
