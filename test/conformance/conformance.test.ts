// Model-driven conformance: every one of the 75 operations, called through the AWS SDK v3
// with a minimal valid request built from the model. Each answer must be either a
// response that matches the output shape on the wire (no member the model lacks, required
// members present, enum values from the model, right types, timestamps as epoch seconds)
// or one of that operation's modeled errors, well formed. Anything else is `broken`, and
// fails the test. The caller has Inspector enabled, so that the feature operations answer
// with their semantics rather than "Invoking account is not enabled".
//
// Two judges look at every answer, and both must agree it is right:
// - an independent one: ajv (JSON Schema 2020-12) over the OpenAPI 3.1 document derived from
//   the AWS model (openapi/inspector2.openapi.json), the operation's schema found from its
//   path, method and response (200, or the error's status and `x-amzn-ErrorType`), $refs
//   resolved within the document;
// - the emulator's own validator (src/protocol/validate.ts, `mode: 'output'`).
// And the tally is pinned: OK_OPERATIONS lists exactly the operations that answer with their
// output shape today; one that regresses to a modeled error fails the test, and so does
// one that newly answers ok until it is added to the list (a ratchet: the pin is always the
// truth, so that the next regression of that operation is caught too).
import { readFileSync } from 'node:fs';
import * as sdk from '@aws-sdk/client-inspector2';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceModel } from '../../src/protocol/model.js';
import { minimal, SAMPLES, shapeName } from '../model-values.js';
import { checkShape } from '../../src/protocol/validate.js';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, recordRawResponses, startTestServer } from '../helpers.js';

const model = serviceModel();

/**
 * The operations that answer the minimal request with their output shape (`ok`); the other
 * 44 answer one of their modeled errors (the minimal request names resources that do not
 * exist, or asks what the caller may not do). Keep it sorted; change it only with the
 * emulator: add an operation that now answers ok, and never remove one to make a test pass.
 */
const OK_OPERATIONS = [
  'BatchAssociateCodeSecurityScanConfiguration',
  'BatchDisassociateCodeSecurityScanConfiguration',
  'BatchGetAccountStatus',
  'BatchGetCodeSnippet',
  'BatchGetFindingDetails',
  'BatchGetFreeTrialInfo',
  'CreateCisScanConfiguration',
  'CreateFindingsReport',
  'CreateSbomExport',
  'Disable',
  'Enable',
  'GetClustersForImage',
  'GetConfiguration',
  'GetDelegatedAdminAccount',
  'GetEc2DeepInspectionConfiguration',
  'GetFindingsReportStatus',
  'ListAccountPermissions',
  'ListCisScanConfigurations',
  'ListCisScans',
  'ListCodeSecurityIntegrations',
  'ListCodeSecurityScanConfigurations',
  'ListCoverage',
  'ListCoverageStatistics',
  'ListFilters',
  'ListFindingAggregations',
  'ListFindings',
  'ListUsageTotals',
  'ResetEncryptionKey',
  'SearchVulnerabilities',
  'UpdateEc2DeepInspectionConfiguration',
  'UpdateEncryptionKey',
];

/**
 * Where AWS's answers knowingly differ from the model's output constraints:
 * - a healthy account's `State` has no errorCode or errorMessage, though the model marks
 *   them required (shared/reference/inspector2-semantics.md §2.1);
 * - GetClustersForImage answers an empty `cluster` list when no cluster runs the image,
 *   though the model asks for at least one (the operation has no not-found error).
 * The OpenAPI judge gets the same allowances as edits of its copy of the document.
 */
const KNOWN_DEVIATIONS = new Map<string, RegExp>([
  ['State.errorCode', /Member must not be null$/],
  ['State.errorMessage', /Member must not be null$/],
  ['GetClustersForImageResponse.cluster', /Member must have length greater than or equal to 1$/],
]);

// ---------------------------------------------------------------- the OpenAPI judge

type Json = Record<string, any>;
const DOCUMENT_ID = 'https://inspector2-local.test/inspector2.openapi.json';
const document: Json = JSON.parse(readFileSync(new URL('../../openapi/inspector2.openapi.json', import.meta.url), 'utf8'));

/** The document's operations by operationId: where each lives (path and method) and what it declares. */
const operations = new Map<string, { path: string; method: string; declared: Json }>();
for (const [path, methods] of Object.entries(document.paths as Json)) {
  for (const [method, declared] of Object.entries(methods as Json)) operations.set(declared.operationId, { path, method, declared });
}

/**
 * The document as AWS's clients read the model, for ajv:
 * - a structure has no member the model lacks (`additionalProperties: false`; maps keep theirs);
 * - an error body holds the error's members but those bound to headers (`x-aws-location`);
 * - the KNOWN_DEVIATIONS are allowed.
 */
function judgedDocument(): Json {
  const copy: Json = structuredClone(document);
  const schemas: Record<string, Json> = copy.components.schemas;
  for (const schema of Object.values(schemas)) {
    if (schema.type !== 'object' || schema.additionalProperties !== undefined || schema.propertyNames !== undefined) continue;
    schema.additionalProperties = false;
    if (!schema['x-aws-error']) continue;
    for (const [member, memberSchema] of Object.entries(schema.properties ?? {})) {
      if ((memberSchema as Json)['x-aws-location'] === undefined) continue;
      delete schema.properties[member];
      schema.required = schema.required?.filter((name: string) => name !== member);
    }
  }
  schemas.State!.required = schemas.State!.required.filter((name: string) => name !== 'errorCode' && name !== 'errorMessage');
  const { minItems: _atLeastOne, ...clusters } = schemas.ClusterInformationList!;
  schemas.GetClustersForImageResponse!.properties.cluster = clusters;
  return { ...copy, $id: DOCUMENT_ID };
}

const EPOCH_SECONDS_BEFORE = Date.UTC(2200, 0, 1) / 1000;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function openApiJudge(): Ajv2020 {
  // strict: false lets the document's x-aws-* annotations (and OpenAPI's own members) be.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajvFormats.default(ajv);
  // The model's own types: a timestamp is epoch seconds (a number; milliseconds would put it
  // centuries ahead), a blob base64.
  ajv.addKeyword({
    keyword: 'x-aws-type',
    schemaType: 'string',
    errors: false,
    validate: (kind: string, data: unknown) =>
      kind === 'timestamp'
        ? typeof data === 'number' && data >= 0 && data < EPOCH_SECONDS_BEFORE
        : kind === 'blob'
          ? typeof data === 'string' && BASE64.test(data)
          : true,
  });
  ajv.addSchema(judgedDocument());
  return ajv;
}

const ajv = openApiJudge();

/** A JSON pointer into the document, as a URI fragment. */
const pointer = (...segments: string[]) => `${DOCUMENT_ID}#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

function compiled(ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`the OpenAPI document has no schema at ${ref}`);
  return validate;
}

/** Violations of the operation's success response, as the OpenAPI document states it. */
function openApiOutputViolations(operation: string, body: unknown): string[] {
  const { path, method, declared } = operations.get(operation)!;
  if (!declared.responses['200']?.content?.['application/json']?.schema) return [`the document declares no JSON 200 answer for ${operation}`];
  const validate = compiled(pointer('paths', path, method, 'responses', '200', 'content', 'application/json', 'schema'));
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
}

/** Violations of an error answer: its status must be one the operation declares for that error, and its body the error's. */
function openApiErrorViolations(operation: string, name: string, status: number, body: unknown): string[] {
  const { declared } = operations.get(operation)!;
  const response = declared.responses[String(status)];
  const types: string[] = response?.headers?.['x-amzn-ErrorType']?.schema?.enum ?? [];
  if (!types.includes(name)) return [`${operation} declares no ${name} answered with ${status}`];
  // `__type` belongs to the protocol, not to the shape: a restJson1 error body names its shape there too.
  const { __type: type, ...members } = body as Record<string, unknown>;
  if (type !== name) return [`the body's __type is ${JSON.stringify(type)}, not ${name}`];
  const validate = compiled(pointer('components', 'schemas', name));
  return validate(members) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
}

// ---------------------------------------------------------------- the calls

function commandFor(operation: string, input: unknown): Parameters<sdk.Inspector2Client['send']>[0] {
  const Command = (sdk as unknown as Record<string, new (input: unknown) => Parameters<sdk.Inspector2Client['send']>[0]>)[`${operation}Command`];
  if (!Command) throw new Error(`the SDK has no ${operation}Command`);
  return new Command(input);
}

type Outcome = 'ok' | 'modeled error' | 'broken';

describe('conformance of all 75 operations with the model', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('has sample values that satisfy their patterns', () => {
    for (const [name, value] of Object.entries(SAMPLES)) {
      const { violations } = checkShape(model, name, value, { mode: 'input' });
      expect(violations, name).toEqual([]);
      const validate = compiled(pointer('components', 'schemas', name));
      expect(validate(value) ? [] : validate.errors, name).toEqual([]);
    }
  });

  it('finds the same 75 operations in the OpenAPI document as in the model', () => {
    expect([...operations.keys()].sort()).toEqual([...model.operations.keys()].sort());
    expect(operations.size).toBe(75);
  });

  it('has an OpenAPI judge that refuses what the model forbids (so that passing it means something)', () => {
    const ok = { findings: [], nextToken: 'x' };
    expect(openApiOutputViolations('ListFindings', ok)).toEqual([]);
    expect(openApiOutputViolations('ListFindings', { ...ok, extra: 1 })).not.toEqual([]);
    expect(openApiOutputViolations('ListFindings', { findings: 'none' })).not.toEqual([]);
    // A healthy State without errorCode and errorMessage is a known deviation, allowed.
    const enabled = { status: 'ENABLED' };
    const account = { accountId: '111122223333', state: enabled, resourceState: { ec2: enabled, ecr: enabled } };
    expect(openApiOutputViolations('BatchGetAccountStatus', { accounts: [account] })).toEqual([]);
    // A required member missing, an enum value the model lacks.
    expect(openApiOutputViolations('BatchGetAccountStatus', { accounts: [{ ...account, resourceState: { ec2: enabled } }] })).not.toEqual([]);
    expect(openApiOutputViolations('BatchGetAccountStatus', { accounts: [{ ...account, state: { status: 'ON' } }] })).not.toEqual([]);
    // Timestamps: epoch seconds, not milliseconds, not ISO 8601 text.
    const vulnerability = (vendorCreatedAt: unknown) => ({ vulnerabilities: [{ id: 'CVE-2021-44228', vendorCreatedAt }] });
    expect(openApiOutputViolations('SearchVulnerabilities', vulnerability(1767225600))).toEqual([]);
    expect(openApiOutputViolations('SearchVulnerabilities', vulnerability(1767225600000))).not.toEqual([]);
    expect(openApiOutputViolations('SearchVulnerabilities', vulnerability('2026-01-01T00:00:00Z'))).not.toEqual([]);
    // An empty cluster list is a known deviation; a cluster with a member the model lacks is not.
    expect(openApiOutputViolations('GetClustersForImage', { cluster: [] })).toEqual([]);
    expect(openApiOutputViolations('GetClustersForImage', { cluster: [{ clusterArn: 'x', clusterDetails: [], extra: true }] })).not.toEqual([]);
    // Errors: the declared status, `__type` naming the error, and the error's members only.
    expect(openApiErrorViolations('ListFindings', 'ValidationException', 400, { __type: 'ValidationException', message: 'm', reason: 'OTHER' })).toEqual([]);
    expect(openApiErrorViolations('ListFindings', 'ValidationException', 400, { message: 'm', reason: 'OTHER' })).not.toEqual([]);
    expect(openApiErrorViolations('ListFindings', 'ValidationException', 400, { __type: 'ValidationException', message: 'm' })).not.toEqual([]);
    expect(openApiErrorViolations('ListFindings', 'ValidationException', 422, { __type: 'ValidationException', message: 'm', reason: 'OTHER' })).not.toEqual(
      [],
    );
    expect(openApiErrorViolations('ListFindings', 'ResourceNotFoundException', 404, { __type: 'ResourceNotFoundException', message: 'm' })).not.toEqual([]);
    expect(
      openApiErrorViolations('ListFindings', 'ThrottlingException', 429, { __type: 'ThrottlingException', message: 'm', retryAfterSeconds: 1 }),
    ).not.toEqual([]);
  });

  it('answers every operation with its output shape or one of its modeled errors, and the pinned ones ok', async () => {
    const client = inspectorClient(server.url, { accountId: '111122223333', region: 'us-east-1' });
    await client.send(new sdk.EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE', 'CODE_REPOSITORY'] }));
    const raw = recordRawResponses(client);
    const tally: Record<Outcome, string[]> = { ok: [], 'modeled error': [], broken: [] };
    const problems: string[] = [];
    /** Why each operation answered an error: said when a pinned one regresses. */
    const errors = new Map<string, string>();

    for (const operation of [...model.operations.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const input = minimal({ $ref: `#/components/schemas/${operation.input}` });
      let outcome: Outcome;
      try {
        await client.send(commandFor(operation.name, input));
        const response = raw.last()!;
        const body = JSON.parse(response.body === '' ? '{}' : response.body) as unknown;
        const { violations } = checkShape(model, operation.output, body, { mode: 'output' });
        const own = violations.filter((v) => !isKnownDeviation(operation.output, v)).map((v) => `(own validator) ${v.message}`);
        const independent = openApiOutputViolations(operation.name, body).map((v) => `(OpenAPI) ${v}`);
        const real = [...own, ...independent];
        outcome = real.length === 0 && response.status === 200 ? 'ok' : 'broken';
        if (outcome === 'broken') problems.push(`${operation.name}: status ${response.status}; ${real.join('; ')}`);
      } catch (error) {
        const response = raw.last();
        const name = (error as Error).name;
        const body = response ? (JSON.parse(response.body || '{}') as Record<string, unknown>) : {};
        errors.set(operation.name, `${name} ${response?.status}: ${(error as Error).message}`);
        const independent = response ? openApiErrorViolations(operation.name, name, response.status, body) : ['no response'];
        if (operation.errors.includes(name) && response && isWellFormedError(name, response.status, response.headers, body) && independent.length === 0) {
          outcome = 'modeled error';
        } else {
          outcome = 'broken';
          problems.push(`${operation.name}: ${name} ${response?.status}: ${(error as Error).message}; ${independent.map((v) => `(OpenAPI) ${v}`).join('; ')}`);
        }
      }
      tally[outcome].push(operation.name);
    }

    const total = Object.values(tally).reduce((n, ops) => n + ops.length, 0);
    console.log(
      `conformance tally over ${total} operations: ` +
        (Object.keys(tally) as Outcome[]).map((o) => `${o} ${tally[o].length}`).join(', ') +
        `\n  ok: ${tally.ok.join(', ')}\n  modeled error: ${tally['modeled error'].join(', ') || '-'}` +
        `\n  broken: ${tally.broken.join(', ') || '-'}`,
    );
    expect(problems).toEqual([]);
    expect(total).toBe(75);

    const regressed = OK_OPERATIONS.filter((name) => !tally.ok.includes(name)).map((name) => `${name} (${errors.get(name) ?? 'broken'})`);
    const improved = tally.ok.filter((name) => !OK_OPERATIONS.includes(name));
    if (improved.length) console.log(`newly ok — add to OK_OPERATIONS in test/conformance/conformance.test.ts: ${improved.join(', ')}`);
    expect(regressed, 'operations pinned as ok that no longer answer with their output shape').toEqual([]);
    expect(improved, 'operations that now answer ok: add them to OK_OPERATIONS').toEqual([]);
  });
});

/** True for a violation listed in KNOWN_DEVIATIONS (found by following the violation's path to its shape). */
function isKnownDeviation(outputShape: string, violation: { name: string; message: string }): boolean {
  const segments = violation.name.split('.');
  let schema = model.shape(outputShape);
  let holder = outputShape;
  for (const segment of segments.slice(0, -1)) {
    const next = schema.type === 'array' ? schema.items : (schema.properties?.[segment] ?? schema.additionalProperties);
    if (!next) return false;
    if (next.$ref) holder = shapeName(next);
    schema = model.resolve(next);
  }
  return KNOWN_DEVIATIONS.get(`${holder}.${segments.at(-1)}`)?.test(violation.message) ?? false;
}

function isWellFormedError(name: string, status: number, headers: Record<string, string>, body: Record<string, unknown>): boolean {
  if (status !== model.errorStatus(name) || headers['x-amzn-errortype'] !== name) return false;
  const members = model.shape(name).properties ?? {};
  const bodyMembers = Object.fromEntries(Object.entries(body).filter(([key]) => key !== '__type' && members[key]?.['x-aws-location'] === undefined));
  return checkShape(model, name, bodyMembers, { mode: 'output' }).violations.length === 0;
}
