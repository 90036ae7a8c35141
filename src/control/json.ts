import type { Context } from 'hono';
import { MAX_JSON_DEPTH, nestsDeeperThan, prototypeNamePath } from '../protocol/validate.js';
import { BodyTooLargeError, readBodyText } from '../http/body.js';
import { ControlError } from './errors.js';

/**
 * The largest body the control plane reads (a scenario posted inline is the biggest: as large as
 * a scenario file may be). Snapshots have their own limit (INSPECTOR2_MAX_SNAPSHOT_BYTES).
 */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024;

/** The request's body as text, at most `limit` bytes (counted while it streams in); larger: 413. */
export async function limitedText(c: Context, limit: number): Promise<string> {
  try {
    if (c.req.raw.bodyUsed) {
      // Already read by a middleware through Hono's cache: the limit still holds.
      const text = await c.req.text();
      if (new TextEncoder().encode(text).byteLength > limit) throw new BodyTooLargeError(limit);
      return text;
    }
    return await readBodyText(c.req.raw, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ControlError(413, error.message);
    throw error;
  }
}

/** The request's JSON object body ({} when empty); anything else is a 400 (413 when larger than the limit). */
export async function jsonBody(c: Context, limit = MAX_CONTROL_BODY_BYTES): Promise<Record<string, unknown>> {
  const text = await limitedText(c, limit);
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ControlError(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ControlError(400, 'The body must be a JSON object.');
  if (nestsDeeperThan(body)) throw new ControlError(400, `The body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep.`);
  // Nothing the control plane takes has such a member: refused, so that no schema or world code ever sees one.
  const prototypeName = prototypeNamePath(body);
  if (prototypeName !== undefined)
    throw new ControlError(
      400,
      `${prototypeName.length > 200 ? `...${prototypeName.slice(-200)}` : prototypeName}: a member must not be named __proto__, constructor or prototype.`,
    );
  return body as Record<string, unknown>;
}
