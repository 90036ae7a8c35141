// Input validation against the model: required members, types, enums, lengths, ranges,
// list and map sizes, patterns, unions. Violations become one ValidationException with
// `reason` and one entry in `fields` per offending member, in AWS's (Coral) wording:
//   1 validation error detected: Value 'x' at 'resourceTypes.0' failed to satisfy constraint: Member must ...
// The same walk checks our own outputs in the conformance test (`mode: 'output'`).
import { AwsError } from './errors.js';
import type { Schema, ServiceModel } from './model.js';

/**
 * Names that live on every object's prototype chain. No AWS shape has a member of these
 * names. The pipeline refuses a JSON body naming one anywhere (SerializationException, see
 * service.ts); the walk below also refuses them, as a structure member or a map key, for any
 * other way a value reaches it: input never reaches a prototype.
 */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface Violation {
  /** Dotted path of the member, list indexes as numbers: `filterCriteria.severity.0.comparison`. */
  name: string;
  message: string;
}

export interface CheckOptions {
  /**
   * `input`: unknown members are dropped (AWS ignores them), timestamps arrive as epoch
   * seconds and become Dates. `output`: unknown members are violations and timestamps
   * must be epoch-second numbers, as the wire carries them.
   */
  mode: 'input' | 'output';
}

const patterns = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    // Smithy patterns are ECMA 262 and not anchored; `u` makes \p{L} work where the model uses it.
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = new RegExp(pattern);
    }
    patterns.set(pattern, regex);
  }
  return regex;
}

/** Validates `value` against a shape; returns the converted value and every violation. */
export function checkShape(model: ServiceModel, shapeName: string, value: unknown, options: CheckOptions): { value: unknown; violations: Violation[] } {
  const violations: Violation[] = [];
  const converted = walk(model, model.shape(shapeName), value, '', violations, options);
  return { value: converted, violations };
}

function walk(model: ServiceModel, ref: Schema, value: unknown, path: string, out: Violation[], options: CheckOptions): unknown {
  const schema = model.resolve(ref);
  const fail = (constraint: string) => {
    out.push({ name: path, message: `Value ${render(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}` });
    return undefined;
  };

  if (schema['x-aws-type'] === 'timestamp') {
    if (typeof value === 'number' && Number.isFinite(value)) return options.mode === 'input' ? new Date(value * 1000) : value;
    if (options.mode === 'input' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
    return fail('be a timestamp in epoch seconds');
  }

  switch (schema.type) {
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('be a structure');
      return schema.properties
        ? walkStructure(model, schema, value as Record<string, unknown>, path, out, options)
        : walkMap(model, schema, value as Record<string, unknown>, path, out, options);
    case 'array': {
      if (!Array.isArray(value)) return fail('be a list');
      checkSize(value.length, schema.minItems, schema.maxItems, fail);
      return value.map((item, i) => walk(model, schema.items!, item, join(path, String(i)), out, options));
    }
    case 'string': {
      if (typeof value !== 'string') return fail('be a string');
      if (schema.enum && !schema.enum.includes(value)) return fail(`satisfy enum value set: [${schema.enum.join(', ')}]`);
      checkSize([...value].length, schema.minLength, schema.maxLength, fail);
      if (schema.pattern !== undefined && !compilePattern(schema.pattern).test(value)) {
        fail(`satisfy regular expression pattern: ${schema.pattern}`);
      }
      return value;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`be a number`);
      if (schema.type === 'integer' && !Number.isInteger(value)) return fail('be an integer');
      if (schema.minimum !== undefined && value < schema.minimum) fail(`have value greater than or equal to ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) fail(`have value less than or equal to ${schema.maximum}`);
      return value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('be a boolean');
    default:
      return value;
  }
}

function walkStructure(
  model: ServiceModel,
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  out: Violation[],
  options: CheckOptions,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const properties = schema.properties!;
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name) || value[name] === undefined || value[name] === null) {
      out.push({ name: join(path, name), message: `Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null` });
    }
  }
  for (const [name, member] of Object.entries(value)) {
    if (PROTOTYPE_NAMES.has(name)) {
      out.push(prototypeNameViolation(join(path, name)));
      continue;
    }
    // Own members of the model only: `properties['__proto__']` would be Object.prototype.
    const memberSchema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!memberSchema) {
      if (options.mode === 'output') out.push({ name: join(path, name), message: `Member '${join(path, name)}' is not in the model` });
      continue;
    }
    // JSON null is how restJson says "not set".
    if (member === null || member === undefined) continue;
    result[name] = walk(model, memberSchema, member, join(path, name), out, options);
  }
  if (schema['x-aws-union']) {
    const set = Object.keys(result).length;
    if (set !== 1) {
      out.push({
        name: path,
        message: `Value at '${path}' failed to satisfy constraint: Member must have exactly one of its members set (a union: ${Object.keys(properties).join(', ')}), found ${set}`,
      });
    }
  }
  return result;
}

function walkMap(
  model: ServiceModel,
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  out: Violation[],
  options: CheckOptions,
): Record<string, unknown> {
  const entries = Object.entries(value);
  checkSize(entries.length, schema.minProperties, schema.maxProperties, (constraint) =>
    out.push({ name: path, message: `Value ${render(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}` }),
  );
  const result: Record<string, unknown> = {};
  for (const [key, member] of entries) {
    if (PROTOTYPE_NAMES.has(key)) {
      out.push(prototypeNameViolation(join(path, key)));
      continue;
    }
    if (schema.propertyNames) walk(model, schema.propertyNames, key, join(path, key), out, options);
    if (schema.additionalProperties) result[key] = walk(model, schema.additionalProperties, member, join(path, key), out, options);
  }
  return result;
}

function prototypeNameViolation(path: string): Violation {
  return { name: path, message: `Member '${path}' failed to satisfy constraint: Member name must not be one of [${[...PROTOTYPE_NAMES].join(', ')}]` };
}

function checkSize(size: number, min: number | undefined, max: number | undefined, fail: (constraint: string) => unknown): void {
  if (min !== undefined && size < min) fail(`have length greater than or equal to ${min}`);
  if (max !== undefined && size > max) fail(`have length less than or equal to ${max}`);
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

const RENDER_MAX_CHARS = 100;
const RENDER_MAX_DEPTH = 2;

/** A value as an error message shows it: at most 100 characters, nested values past depth 2 as `...`. */
export function render(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? value : preview(value, 0);
  return `'${text.length > RENDER_MAX_CHARS ? `${text.slice(0, RENDER_MAX_CHARS)}...` : text}'`;
}

/** JSON-like text of a value, bounded in depth and (roughly) in size: never walks a whole large or deep value. */
function preview(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > RENDER_MAX_CHARS ? value.slice(0, RENDER_MAX_CHARS) : value);
  if (typeof value !== 'object' || value === null) return String(value);
  if (depth >= RENDER_MAX_DEPTH) return Array.isArray(value) ? '[...]' : '{...}';
  const parts: string[] = [];
  let length = 0;
  const add = (part: string): boolean => {
    parts.push(part);
    length += part.length + 1;
    if (length <= RENDER_MAX_CHARS) return true;
    parts.push('...');
    return false;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && add(preview(value[i], depth + 1)); i++);
    return `[${parts.join(',')}]`;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!add(`${JSON.stringify(key.slice(0, RENDER_MAX_CHARS))}:${preview((value as Record<string, unknown>)[key], depth + 1)}`)) break;
  }
  return `{${parts.join(',')}}`;
}

/** How deep a request document may nest (objects and arrays); inspector2's deepest input nests 5 levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests objects and arrays more than `max` levels deep (the
 * value itself is level 1). Iterative: a document 10,000 levels deep is refused without
 * recursing through it.
 */
export function nestsDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: { value: object; depth: number }[] = [];
  if (typeof value === 'object' && value !== null) stack.push({ value, depth: 1 });
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (depth > max) return true;
    const children: unknown[] = Array.isArray(current) ? (current as unknown[]) : Object.values(current);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** The path of the first object key named like a prototype member (`__proto__`, ...) in a parsed JSON value, if any. Iterative. */
export function prototypeNamePath(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      current.forEach((item, i) => typeof item === 'object' && item !== null && stack.push({ value: item, path: join(path, String(i)) }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (PROTOTYPE_NAMES.has(key)) return join(path, key);
      if (typeof item === 'object' && item !== null) stack.push({ value: item, path: join(path, key) });
    }
  }
  return undefined;
}

/** The ValidationException AWS answers for these violations. */
export function validationError(violations: Violation[]): AwsError {
  const count = violations.length;
  const message = `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.map((v) => v.message).join('; ')}`;
  return new AwsError('ValidationException', 400, message, { reason: 'FIELD_VALIDATION_FAILED', fields: violations });
}
