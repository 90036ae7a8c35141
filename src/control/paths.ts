// Control-plane paths are percent-decoded once, by the router. A segment that does not
// decode (`%zz`), or that still holds a `%` once decoded (`%25zz`: encoded twice), names
// nothing the control plane knows — no account, region, resource, package, digest or rule
// id contains `%` — and gets a 400, before any route sees it.
import type { MiddlewareHandler } from 'hono';
import { ControlError } from './errors.js';

/** Why a raw (still encoded) path is refused, or undefined when every segment decodes once to a plain name. */
function badPathEncoding(rawPath: string): string | undefined {
  for (const segment of rawPath.split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'a path segment is not valid percent-encoding';
    }
    if (decoded.includes('%')) return "a path segment holds '%' once decoded (encoded twice?)";
  }
  return undefined;
}

/** Refuses control-plane requests whose path is badly percent-encoded (400, never a 500). */
export function wellEncodedPaths(): MiddlewareHandler {
  return async (c, next) => {
    const why = badPathEncoding(new URL(c.req.url).pathname);
    if (why) throw new ControlError(400, `The path is not valid: ${why}.`);
    await next();
  };
}
