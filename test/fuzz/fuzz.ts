// A fuzzer from the model: for every operation, requests that are invalid or at the edges
// (members missing, extra or of the wrong type, numbers out of range, bad enums and
// patterns, oversized strings and lists, malformed JSON, wrong methods and paths, huge
// bodies, members named like prototype properties at any depth, documents nested deep,
// bad percent-encodings, made-up regions), sent in-process to the emulator. Every answer
// must be a well-formed AWS error (a modeled one of the operation, or AWS's generic ones)
// or a success — never a 5xx — and the emulator must stay healthy. One request in ten goes
// to the control plane (/_inspector2 routes with random JSON bodies and paths) or to IAM
// (actions named like Object members): there too, never a 5xx.
import { createEmulator, type Emulator } from '../../src/app.js';
import { serviceModel, type OperationSpec, type Schema } from '../../src/protocol/model.js';
import { minimal } from '../model-values.js';

const model = serviceModel();

/** AWS's errors that no model lists but every AWS JSON service answers. */
const GENERIC_ERRORS = new Set([
  'SerializationException',
  'UnknownOperationException',
  'IncompleteSignatureException',
  'RequestEntityTooLargeException',
  'InvalidSignatureException',
]);

/** Names that live on prototypes: no request may reach one through them. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const BAD_ENCODINGS = ['%zz', '%25zz', '%E0%A4%A', '%', '%2', '%252F', '%C0%AF', '%00', '%25'];
/** Sets a member as an own property, even `__proto__` (an assignment would set the prototype instead). */
function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzResult {
  requests: number;
  byStatus: Record<number, number>;
  problems: string[];
}

type Rand = () => number;

/** The smallest valid value, or plain text where the model's pattern has no sample (good enough to fuzz with). */
function baseline(ref: Schema): unknown {
  try {
    return minimal(ref);
  } catch {
    return 'x';
  }
}
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** A value of the wrong kind for a schema, or at or past one of its bounds. */
function mutate(rand: Rand, ref: Schema, depth = 0): unknown {
  const schema = model.resolve(ref);
  const valid = baseline(ref);
  const odd = [null, true, -1, 1.5, 'x', '', [], {}, 'a'.repeat(2000), Number.MAX_SAFE_INTEGER * 10];
  if (schema.type === 'object' && schema.properties && depth < 3 && rand() < 0.6) {
    const value = { ...(valid as Record<string, unknown>) };
    const members = Object.keys(schema.properties);
    const action = rand();
    if (action < 0.3 && schema.required?.length) delete value[pick(rand, schema.required)];
    else if (action < 0.5) value[`unknownMember${Math.floor(rand() * 100)}`] = pick(rand, odd);
    else if (members.length) {
      const name = pick(rand, members);
      value[name] = mutate(rand, schema.properties[name]!, depth + 1);
    }
    return value;
  }
  if (schema.type === 'array' && rand() < 0.5) {
    const length = rand() < 0.5 ? (schema.maxItems ?? 100) + 1 : 0;
    return Array.from({ length }, () => (rand() < 0.2 ? pick(rand, odd) : baseline(schema.items!)));
  }
  if (schema.type === 'string' && rand() < 0.6) {
    if (schema.enum) return `${schema.enum[0]}_NOT`;
    if (schema.maxLength !== undefined && rand() < 0.5) return 'a'.repeat(schema.maxLength + 1);
    return pick(rand, ['', ' ', '\u0000', '../../etc/passwd', '\u{1F600}'.repeat(3), '%00', 'arn:aws:nothing']);
  }
  if ((schema.type === 'integer' || schema.type === 'number') && rand() < 0.6) {
    return pick(rand, [(schema.maximum ?? 0) + 1, (schema.minimum ?? 0) - 1, 0.5, -0, 1e308]);
  }
  return pick(rand, odd);
}

/** Adds a member named like a prototype property to a random object of the value (the root if none deeper). */
function withPrototypeName(rand: Rand, value: unknown): unknown {
  const objects: Record<string, unknown>[] = [];
  const visit = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null || depth > 6) return;
    if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
    for (const child of Object.values(v)) visit(child, depth + 1);
  };
  visit(value, 0);
  const target = objects.length ? pick(rand, objects) : (value as Record<string, unknown>);
  setOwn(target, pick(rand, PROTOTYPE_NAMES), pick(rand, [{ severity: [{ comparison: 'NOPE', value: 1 }] }, 'x', 1, null, [], { comparison: 'EQUALS' }]));
  return value;
}

/** JSON text nested `depth` levels (objects or lists), with a prototype name inside now and then. */
function deepText(rand: Rand, depth: number): string {
  const key = rand() < 0.3 ? pick(rand, PROTOTYPE_NAMES) : 'a';
  return rand() < 0.5 ? `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** A random JSON value for control-plane bodies: scalars, objects with odd or prototype names, some depth. */
function randomJson(rand: Rand, depth = 0): unknown {
  const kind = rand();
  if (depth > 4 || kind < 0.35)
    return pick(rand, [null, true, -1, 0, 1.5, 1e308, '', 'x', '15m', 'PT1H', '111122223333', 'us-east-1', 'a'.repeat(300), '2031-01-01T00:00:00Z']);
  if (kind < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, depth + 1));
  const value: Record<string, unknown> = {};
  const names = [
    'accountId',
    'region',
    'name',
    'state',
    'tags',
    'advance',
    'set',
    'operation',
    'fault',
    'count',
    'instanceId',
    'version',
    'ecosystem',
    'id',
    'rules',
    ...PROTOTYPE_NAMES,
  ];
  for (let i = Math.floor(rand() * 4); i > 0; i--) setOwn(value, pick(rand, names), randomJson(rand, depth + 1));
  return value;
}

/** Control-plane routes, their parameters as `:name`. */
const CONTROL_ROUTES: [string, string][] = [
  ['GET', '/_inspector2/health'],
  ['GET', '/_inspector2/clock'],
  ['POST', '/_inspector2/clock'],
  ['GET', '/_inspector2/accounts/:account'],
  ['GET', '/_inspector2/organizations'],
  ['POST', '/_inspector2/organizations/:org/accounts'],
  ['DELETE', '/_inspector2/organizations/:org/accounts/:account'],
  ['GET', '/_inspector2/events'],
  ['GET', '/_inspector2/inventory/:account/:region'],
  ['POST', '/_inspector2/inventory/:account/:region/ec2-instances'],
  ['PATCH', '/_inspector2/inventory/:account/:region/ec2-instances/:id'],
  ['POST', '/_inspector2/inventory/:account/:region/ec2-instances/:id/packages'],
  ['DELETE', '/_inspector2/inventory/:account/:region/lambda-functions/:id/packages/:ecosystem/:id'],
  ['POST', '/_inspector2/inventory/:account/:region/ecr-repositories/:id/images'],
  ['DELETE', '/_inspector2/inventory/:account/:region/ecr-repositories/:id/images/:id'],
  ['PUT', '/_inspector2/inventory/:account/:region/lambda-functions/:id'],
  ['DELETE', '/_inspector2/inventory/:account/:region/lambda-functions/:id'],
  ['POST', '/_inspector2/vulnerabilities'],
  ['GET', '/_inspector2/vulnerabilities/:id'],
  ['POST', '/_inspector2/rescan'],
  ['GET', '/_inspector2/faults'],
  ['POST', '/_inspector2/faults'],
  ['DELETE', '/_inspector2/faults/:id'],
  ['GET', '/_inspector2/faults/injected'],
  ['POST', '/_inspector2/snapshot'],
  ['POST', '/_inspector2/scenario'],
  ['GET', '/_inspector2/ui/:id'],
  ['GET', '/_inspector2/:id'],
  ['POST', '/_inspector2/:id/:id'],
];

function controlRequest(rand: Rand, base: string): Request {
  const [method, template] = pick(rand, CONTROL_ROUTES);
  const value = (name: string): string => {
    const r = rand();
    if (r < 0.25) return pick(rand, BAD_ENCODINGS);
    if (r < 0.4) return encodeURIComponent(pick(rand, PROTOTYPE_NAMES));
    if (r < 0.5) return 'a'.repeat(Math.floor(rand() * 3000));
    if (name === 'account') return pick(rand, ['111122223333', '000000000000', '12345']);
    if (name === 'region') return pick(rand, ['us-east-1', 'eu-west-1', 'xx-fake-1', 'ap-southeast-7', 'US-EAST-1']);
    if (name === 'org') return pick(rand, ['o-exampleorg01', 'o-none']);
    if (name === 'ecosystem') return pick(rand, ['npm', 'DPKG', 'nope']);
    return pick(rand, ['i-0123456789abcdef0', 'fn', 'web-app', 'sha256:00', 'CVE-2021-44228', 'index.html', 'x%2Fy', '..', '%2e%2e']);
  };
  const path = template.replace(/:(\w+)/g, (_, name: string) => value(name));
  const r = rand();
  const text =
    r < 0.1 ? deepText(rand, 100 + Math.floor(rand() * 5000)) : r < 0.15 ? pick(rand, ['{', 'null', '[]', '"x"', '{"a":']) : JSON.stringify(randomJson(rand));
  return new Request(`${base}${path}`, {
    method,
    // Control-plane writes carry JSON, as the control plane requires.
    headers: { 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: text }),
  });
}

function iamRequest(rand: Rand, base: string): Request {
  const action = pick(rand, [...PROTOTYPE_NAMES, 'valueOf', 'ListRoles', 'GetRole', '', 'a'.repeat(500), '%zz']);
  const region = pick(rand, ['us-east-1', 'us-east-1', 'eu-west-1', 'xx-fake-1']);
  return new Request(`${base}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=111122223333/20260101/${region}/iam/aws4_request, SignedHeaders=host, Signature=00`,
    },
    body: `Action=${encodeURIComponent(action)}&Version=2010-05-08&RoleName=${encodeURIComponent(pick(rand, PROTOTYPE_NAMES))}`,
  });
}

async function checkOther(emulator: Emulator, request: Request, result: FuzzResult): Promise<void> {
  const described = `${request.method} ${new URL(request.url).pathname.slice(0, 80)}`;
  let response: Response;
  try {
    response = await emulator.fetch(request);
  } catch (error) {
    result.problems.push(`${described}: threw ${(error as Error).message}`);
    return;
  }
  result.byStatus[response.status] = (result.byStatus[response.status] ?? 0) + 1;
  const text = await response.text();
  if (response.status >= 500) result.problems.push(`${described}: ${response.status}: ${text.slice(0, 200)}`);
}

function fill(uri: string, labels: Record<string, string>): string {
  return uri.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(labels[name] ?? 'x'));
}

/** One fuzzed request for an operation. */
function request(rand: Rand, operation: OperationSpec, base: string): Request {
  const input = model.shape(operation.input);
  const body =
    rand() < 0.85 ? mutate(rand, { $ref: `#/components/schemas/${operation.input}` }) : baseline({ $ref: `#/components/schemas/${operation.input}` });
  const labels: Record<string, string> = {};
  const query = new URLSearchParams();
  for (const [name, member] of Object.entries(input.properties ?? {})) {
    const location = member['x-aws-location'];
    const value = (body as Record<string, unknown>)?.[name];
    if (location === 'uri') labels[member['x-aws-location-name'] ?? name] = typeof value === 'string' ? value : JSON.stringify(value ?? 'x');
    if (location === 'querystring' && value !== undefined)
      query.set(member['x-aws-location-name'] ?? name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const kind = rand();
  let method = operation.method;
  let path = fill(operation.uri, labels);
  let text: string | undefined = JSON.stringify(body);
  if (kind < 0.05)
    method = pick(
      rand,
      ['GET', 'PUT', 'DELETE', 'PATCH'].filter((m) => m !== operation.method),
    );
  else if (kind < 0.08) path = `${path}/${pick(rand, ['extra', '..', '%2e%2e', ''])}`;
  else if (kind < 0.1) path = path.replace(/\/[^/]*$/, `/${pick(rand, BAD_ENCODINGS)}`);
  else if (kind < 0.15) text = pick(rand, ['{', '[]', 'null', '"text"', '{"a":', '\u0000', '{"resourceTypes": [EC2]}']);
  else if (kind < 0.16) text = JSON.stringify({ pad: 'x'.repeat(11 * 1024 * 1024) });
  else if (kind < 0.26) text = JSON.stringify(withPrototypeName(rand, typeof body === 'object' && body !== null ? body : {}));
  else if (kind < 0.3) text = `{"${pick(rand, Object.keys(input.properties ?? { x: 0 }))}":${deepText(rand, 20 + Math.floor(rand() * 10_000))}}`;
  const r = rand();
  const authorization =
    r < 0.05
      ? pick(rand, ['Bearer x', 'AWS4-HMAC-SHA256 Credential=a/b', 'AWS4-HMAC-SHA256'])
      : r < 0.08
        ? `AWS4-HMAC-SHA256 Credential=111122223333/20260101/${pick(rand, ['xx-fake-1', 'ap-southeast-7', '__proto__', 'constructor'])}/inspector2/aws4_request, SignedHeaders=host, Signature=00`
        : undefined;
  return new Request(`${base}${path}${query.size ? `?${query.toString()}` : ''}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: text }),
  });
}

async function check(emulator: Emulator, request: Request, operation: OperationSpec, result: FuzzResult): Promise<void> {
  const described = `${operation.name} ${request.method} ${new URL(request.url).pathname.slice(0, 80)}`;
  let response: Response;
  try {
    response = await emulator.fetch(request);
  } catch (error) {
    result.problems.push(`${described}: threw ${(error as Error).message}`);
    return;
  }
  result.byStatus[response.status] = (result.byStatus[response.status] ?? 0) + 1;
  const type = response.headers.get('x-amzn-errortype');
  const text = await response.text();
  if (response.status >= 500) {
    result.problems.push(`${described}: ${response.status} ${type}: ${text.slice(0, 200)}`);
    return;
  }
  if (response.status >= 400) {
    let body: { message?: unknown };
    try {
      body = JSON.parse(text) as { message?: unknown };
    } catch {
      result.problems.push(`${described}: ${response.status} with a body that is not JSON: ${text.slice(0, 100)}`);
      return;
    }
    if (!type || typeof body.message !== 'string') result.problems.push(`${described}: ${response.status} without x-amzn-ErrorType or message`);
    else if (!operation.errors.includes(type) && !GENERIC_ERRORS.has(type)) result.problems.push(`${described}: ${type} is not an error of ${operation.name}`);
  }
}

export async function fuzz(requests: number, seed: number): Promise<FuzzResult> {
  const emulator = createEmulator({ logLevel: 'silent' });
  const rand = random(seed);
  const operations = [...model.operations.values()];
  const result: FuzzResult = { requests, byStatus: {}, problems: [] };
  for (let i = 0; i < requests; i++) {
    // One request in ten goes to the control plane or IAM; the others cycle through the operations.
    if (i % 10 === 9) {
      await checkOther(emulator, rand() < 0.8 ? controlRequest(rand, 'http://emulator') : iamRequest(rand, 'https://iam.amazonaws.com'), result);
      continue;
    }
    const operation = operations[i % operations.length]!;
    await check(emulator, request(rand, operation, 'https://inspector2.us-east-1.amazonaws.com'), operation, result);
  }
  const health = await emulator.fetch(new Request('http://emulator/_inspector2/health'));
  if (health.status !== 200) result.problems.push(`the emulator is not healthy after fuzzing: ${health.status}`);
  return result;
}
