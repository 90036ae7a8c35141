import type { Context } from 'hono';
import { ControlError } from './errors.js';

/** The request's JSON object body ({} when empty); anything else is a 400. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ControlError(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ControlError(400, 'The body must be a JSON object.');
  return body as Record<string, unknown>;
}
