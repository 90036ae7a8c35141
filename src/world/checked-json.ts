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
    throw fail(`${name}: ${(error as Error).message}`);
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
