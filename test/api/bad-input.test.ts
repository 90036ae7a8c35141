// Bad input at the HTTP level (supertest, no port): each case gets the error AWS gives,
// with the right status, `x-amzn-ErrorType` and a JSON body — never a 500 or an HTML page.
import { getRequestListener } from '@hono/node-server';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';

const SIGNED_BY = '111122223333';
const SECRET = 'the-right-secret';

function listener(options: Parameters<typeof createEmulator>[0] = {}) {
  return getRequestListener(createEmulator({ logLevel: 'silent', ...options }).app.fetch);
}

const plain = listener();
const strict = listener({ verifySignatures: true, credentials: { [SIGNED_BY]: SECRET } });

/** Signs a request as the SDKs do; `sentBody` differs from the signed body to forge a bad signature. */
async function signedHeaders(path: string, body: string, options: { signingDate?: Date } = {}): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 'inspector2',
    region: 'us-east-1',
    credentials: { accessKeyId: SIGNED_BY, secretAccessKey: SECRET },
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path,
      query: {},
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      body,
    },
    { signingDate: options.signingDate ?? new Date() },
  );
  return signed.headers;
}

interface Expected {
  status: number;
  type: string;
  message?: RegExp;
  fields?: string[];
}

function expectError(response: request.Response, expected: Expected) {
  expect(response.status).toBe(expected.status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['x-amzn-errortype']).toBe(expected.type);
  expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof response.body.message).toBe('string');
  if (expected.message) expect(response.body.message).toMatch(expected.message);
  if (expected.fields) {
    expect(response.body.reason).toBe('FIELD_VALIDATION_FAILED');
    expect(response.body.fields.map((f: { name: string }) => f.name)).toEqual(expected.fields);
    for (const field of response.body.fields) expect(field.message).toEqual(expect.any(String));
  }
}

const post = (path: string, body: unknown) =>
  request(plain)
    .post(path)
    .set('content-type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

describe('input validation against the model', () => {
  it('a missing required member', async () => {
    expectError(await post('/enable', {}), {
      status: 400,
      type: 'ValidationException',
      message: /^1 validation error detected: Value null at 'resourceTypes' failed to satisfy constraint: Member must not be null$/,
      fields: ['resourceTypes'],
    });
  });

  it('a required member sent as null', async () => {
    expectError(await post('/members/get', { accountId: null }), { status: 400, type: 'ValidationException', fields: ['accountId'] });
  });

  it('a member of the wrong type', async () => {
    expectError(await post('/enable', { resourceTypes: 'EC2' }), {
      status: 400,
      type: 'ValidationException',
      message: /Member must be a list/,
      fields: ['resourceTypes'],
    });
  });

  it('a list element of the wrong type', async () => {
    expectError(await post('/status/batch/get', { accountIds: [111122223333] }), {
      status: 400,
      type: 'ValidationException',
      message: /Member must be a string/,
      fields: ['accountIds.0'],
    });
  });

  it('a value outside the enum', async () => {
    expectError(await post('/enable', { resourceTypes: ['EC2', 'RDS'] }), {
      status: 400,
      type: 'ValidationException',
      message:
        /Value 'RDS' at 'resourceTypes.1' failed to satisfy constraint: Member must satisfy enum value set: \[EC2, ECR, LAMBDA, LAMBDA_CODE, CODE_REPOSITORY\]/,
      fields: ['resourceTypes.1'],
    });
  });

  it('a string too long', async () => {
    expectError(await post('/members/get', { accountId: '1111222233334' }), {
      status: 400,
      type: 'ValidationException',
      message: /Member must have length less than or equal to 12/,
      fields: ['accountId'],
    });
  });

  it('a string that does not match the pattern', async () => {
    expectError(await post('/members/get', { accountId: 'abcdefghijkl' }), {
      status: 400,
      type: 'ValidationException',
      message: /Member must satisfy regular expression pattern: \\d\{12\}/,
      fields: ['accountId'],
    });
  });

  it('a list too short and a list too long', async () => {
    expectError(await post('/enable', { resourceTypes: [] }), {
      status: 400,
      type: 'ValidationException',
      message: /have length greater than or equal to 1/,
      fields: ['resourceTypes'],
    });
    const accountIds = Array.from({ length: 101 }, (_, i) => String(100000000000 + i));
    expectError(await post('/status/batch/get', { accountIds }), {
      status: 400,
      type: 'ValidationException',
      message: /have length less than or equal to 100/,
      fields: ['accountIds'],
    });
  });

  it('a number out of range', async () => {
    expectError(await post('/findings/list', { maxResults: 101 }), {
      status: 400,
      type: 'ValidationException',
      message: /Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/,
      fields: ['maxResults'],
    });
    expectError(await post('/findings/list', { maxResults: 0 }), { status: 400, type: 'ValidationException', fields: ['maxResults'] });
  });

  it('a union with two members set', async () => {
    expectError(
      await post('/findings/aggregation/list', {
        aggregationType: 'ACCOUNT',
        aggregationRequest: { accountAggregation: {}, amiAggregation: {} },
      }),
      { status: 400, type: 'ValidationException', message: /exactly one of its members set/, fields: ['aggregationRequest'] },
    );
  });

  it('a query-string member of the wrong type', async () => {
    expectError(await request(plain).post('/codesecurity/integration/list?maxResults=many'), {
      status: 400,
      type: 'ValidationException',
      fields: ['maxResults'],
    });
  });

  it('every violation at once, counted in the message', async () => {
    const response = await post('/filters/create', { action: 'HIDE', filterCriteria: { severity: [] } });
    expectError(response, { status: 400, type: 'ValidationException', fields: ['name', 'action', 'filterCriteria.severity'] });
    expect(response.body.message).toMatch(/^3 validation errors detected: /);
  });
});

describe('malformed requests', () => {
  it('malformed JSON', async () => {
    expectError(await post('/enable', '{"resourceTypes": ['), { status: 400, type: 'SerializationException' });
  });

  it('a body that is not a JSON object', async () => {
    expectError(await post('/enable', '["EC2"]'), { status: 400, type: 'SerializationException' });
  });

  it('an unknown path gets a JSON error, not an HTML page', async () => {
    expectError(await post('/findings/delete', {}), { status: 404, type: 'UnknownOperationException', message: /POST \/findings\/delete/ });
  });

  it('a known path with the wrong method', async () => {
    expectError(await request(plain).get('/enable'), { status: 404, type: 'UnknownOperationException' });
  });

  it('a body over the size limit', async () => {
    expectError(await post('/enable', JSON.stringify({ resourceTypes: ['EC2'], pad: 'x'.repeat(11 * 1024 * 1024) })), {
      status: 413,
      type: 'RequestEntityTooLargeException',
    });
  });
});

describe('identity', () => {
  it('serves a request with no Authorization header as the default account', async () => {
    const response = await post('/status/batch/get', {});
    expect(response.status).toBe(200);
    expect(response.body.accounts[0].accountId).toBe('000000000000');
  });

  it('a malformed Authorization header (no Signature)', async () => {
    const response = await post('/status/batch/get', {}).set(
      'authorization',
      'AWS4-HMAC-SHA256 Credential=111122223333/20261128/us-east-1/inspector2/aws4_request, SignedHeaders=host',
    );
    expectError(response, { status: 403, type: 'IncompleteSignatureException', message: /requires 'Signature' parameter/ });
  });

  it('an Authorization header of another scheme', async () => {
    expectError(await post('/status/batch/get', {}).set('authorization', 'Bearer abc'), {
      status: 403,
      type: 'IncompleteSignatureException',
    });
  });

  it('a credential scope that is not <key>/<date>/<region>/<service>/aws4_request', async () => {
    const response = await post('/status/batch/get', {}).set(
      'authorization',
      'AWS4-HMAC-SHA256 Credential=111122223333/us-east-1, SignedHeaders=host, Signature=abc',
    );
    expectError(response, { status: 403, type: 'IncompleteSignatureException', message: /Credential should be scoped/ });
  });
});

describe('identity in strict mode (INSPECTOR2_VERIFY_SIGNATURES=1)', () => {
  const body = JSON.stringify({ resourceTypes: ['EC2'] });

  it('accepts a correctly signed request', async () => {
    const headers = await signedHeaders('/enable', body);
    const response = await request(strict).post('/enable').set(headers).send(body);
    expect(response.status).toBe(200);
    expect(response.body.accounts[0].accountId).toBe(SIGNED_BY);
  });

  it('an unsigned request', async () => {
    expectError(await request(strict).post('/enable').set('content-type', 'application/json').send(body), {
      status: 403,
      type: 'MissingAuthenticationTokenException',
      message: /^Missing Authentication Token$/,
    });
  });

  it('a request whose body was changed after signing', async () => {
    const headers = await signedHeaders('/enable', body);
    const tampered = JSON.stringify({ resourceTypes: ['ECR'] });
    expectError(await request(strict).post('/enable').set(headers).send(tampered), {
      status: 403,
      type: 'InvalidSignatureException',
      message: /does not match the signature you provided/,
    });
  });

  it('a signature made too long ago', async () => {
    const headers = await signedHeaders('/enable', body, { signingDate: new Date(Date.now() - 60 * 60_000) });
    expectError(await request(strict).post('/enable').set(headers).send(body), {
      status: 403,
      type: 'InvalidSignatureException',
      message: /^Signature expired/,
    });
  });

  it('an access key that is not configured', async () => {
    const headers = await signedHeaders('/enable', body);
    headers.authorization = headers.authorization!.replace(`Credential=${SIGNED_BY}/`, 'Credential=AKIAUNKNOWN/');
    expectError(await request(strict).post('/enable').set(headers).send(body), {
      status: 403,
      type: 'UnrecognizedClientException',
    });
  });
});
