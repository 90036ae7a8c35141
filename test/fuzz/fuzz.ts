// A fuzzer from the model: for every operation, requests that are invalid or at the edges
// (members missing, extra or of the wrong type, numbers out of range, bad enums and
// patterns, oversized strings and lists, malformed JSON, wrong methods and paths, huge
// bodies), sent in-process to the emulator. Every answer must be a well-formed AWS error
// (a modeled one of the operation, or AWS's generic ones) or a success — never a 5xx —
// and the emulator must stay healthy.
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
]);

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

function fill(uri: string, labels: Record<string, string>): string {
  return uri.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(labels[name] ?? 'x'));
}

/** One fuzzed request for an operation. */
function request(rand: Rand, operation: OperationSpec, base: string): Request {
  const input = model.shape(operation.input);
  const body = rand() < 0.85 ? mutate(rand, { $ref: `#/components/schemas/${operation.input}` }) : baseline({ $ref: `#/components/schemas/${operation.input}` });
  const labels: Record<string, string> = {};
  const query = new URLSearchParams();
  for (const [name, member] of Object.entries(input.properties ?? {})) {
    const location = member['x-aws-location'];
    const value = (body as Record<string, unknown>)?.[name];
    if (location === 'uri') labels[member['x-aws-location-name'] ?? name] = String(value ?? 'x');
    if (location === 'querystring' && value !== undefined) query.set(member['x-aws-location-name'] ?? name, String(value));
  }
  const kind = rand();
  let method = operation.method;
  let path = fill(operation.uri, labels);
  let text: string | undefined = JSON.stringify(body);
  if (kind < 0.05) method = pick(rand, ['GET', 'PUT', 'DELETE', 'PATCH'].filter((m) => m !== operation.method));
  else if (kind < 0.1) path = `${path}/${pick(rand, ['extra', '..', '%2e%2e', ''])}`;
  else if (kind < 0.17) text = pick(rand, ['{', '[]', 'null', '"text"', '{"a":', '\u0000', '{"resourceTypes": [EC2]}']);
  else if (kind < 0.19) text = JSON.stringify({ pad: 'x'.repeat(11 * 1024 * 1024) });
  const authorization = rand() < 0.05 ? pick(rand, ['Bearer x', 'AWS4-HMAC-SHA256 Credential=a/b', 'AWS4-HMAC-SHA256']) : undefined;
  return new Request(`${base}${path}${query.size ? `?${query}` : ''}`, {
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
    const operation = operations[i % operations.length]!;
    await check(emulator, request(rand, operation, 'https://inspector2.us-east-1.amazonaws.com'), operation, result);
  }
  const health = await emulator.fetch(new Request('http://emulator/_inspector2/health'));
  if (health.status !== 200) result.problems.push(`the emulator is not healthy after fuzzing: ${health.status}`);
  return result;
}
