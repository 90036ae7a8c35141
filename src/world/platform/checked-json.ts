// Reading a JSON file checked by a zod schema, with errors that name the file, the path
// inside it and the problem (one line per problem). Seeds and the catalog read this way.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export function readCheckedJson<T extends z.ZodType>(
  file: string | URL,
  schema: T,
  fail: (message: string) => Error,
  /** Words that help find the place, e.g. the id of the entry the path points into. */
  hint: (path: PropertyKey[], data: unknown) => string = () => '',
): z.output<T> {
  const name = file instanceof URL ? file.pathname : file;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // A short reason: V8's JSON errors quote the text, and the file may be anything.
    throw fail(`${name}: ${error instanceof SyntaxError ? jsonSyntaxReason(error) : ((error as NodeJS.ErrnoException).code ?? 'cannot be read')}`);
  }
  return checkJson(name, data, schema, fail, hint);
}

/** Checks parsed JSON (named `name` in messages) by a zod schema. */
export function checkJson<T extends z.ZodType>(
  name: string,
  data: unknown,
  schema: T,
  fail: (message: string) => Error,
  hint: (path: PropertyKey[], data: unknown) => string = () => '',
): z.output<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw fail(parsed.error.issues.map((issue) => `${name}: ${issue.path.join('.') || '(top level)'}${hint(issue.path, data)}: ${issue.message}`).join('\n'));
  }
  return parsed.data;
}

/** Why JSON text did not parse, in a few words and a position, never quoting the text. */
export function jsonSyntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/Unexpected end of JSON input/i.test(message)) return 'not valid JSON: it ends too early';
  const at = /at position (\d+)(?: \(line (\d+) column (\d+)\))?/.exec(message);
  return at ? `not valid JSON (at position ${at[1]}${at[2] ? `, line ${at[2]} column ${at[3]}` : ''})` : 'not valid JSON';
}

/**
 * Checks parsed JSON from a file the caller did not write (a scenario named through the
 * control plane): each problem is named by its path and the schema's own words, never by
 * what the document holds — no values, no member names the schema does not declare (an
 * unknown member is counted, a record's key shows as `*`).
 */
export function checkJsonQuietly<T extends z.ZodType>(name: string, data: unknown, schema: T, fail: (message: string) => Error): z.output<T> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const known = declaredKeys(schema);
  const lines = parsed.error.issues.slice(0, 20).map((issue) => {
    const path = issue.path
      .map((segment) => (typeof segment === 'number' || (typeof segment === 'string' && known.has(segment)) ? String(segment) : '*'))
      .join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.length} member(s) the schema does not know`
        : issue.code === 'invalid_key'
          ? 'a key that is not valid'
          : issue.message;
    return `${name}: ${path || '(top level)'}: ${message}`;
  });
  if (parsed.error.issues.length > lines.length) lines.push(`${name}: and ${parsed.error.issues.length - lines.length} more problem(s)`);
  throw fail(lines.join('\n'));
}

/** Every member name the schema's objects declare, however deep (zod 4's definitions walked generically). */
function declaredKeys(schema: z.ZodType): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const isSchema = (value: unknown): value is { _zod: { def: Record<string, unknown> } } => typeof value === 'object' && value !== null && '_zod' in value;
  const visit = (value: unknown): void => {
    if (!isSchema(value) || seen.has(value)) return;
    seen.add(value);
    const def = value._zod.def;
    for (const [field, member] of Object.entries(def)) {
      if (field === 'shape' && typeof member === 'object' && member !== null) {
        for (const [key, inner] of Object.entries(member)) {
          keys.add(key);
          visit(inner);
        }
      } else if (field === 'getter' && typeof member === 'function') {
        visit((member as () => unknown)());
      } else if (Array.isArray(member)) {
        member.forEach(visit);
      } else {
        visit(member);
      }
    }
  };
  visit(schema);
  return keys;
}
