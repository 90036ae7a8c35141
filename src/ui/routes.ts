// The local console at /_inspector2/ui: static files only (HTML, ES modules, CSS). The
// console reads and changes the world by calling the inspector2 API from the browser, so
// it sees exactly what an SDK sees. The files are read from ./assets next to this module
// (src/ui/assets under tsx; dist/ui/assets, copied there by `npm run build`).
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';

const ASSETS_DIR = new URL('./assets/', import.meta.url);

const JS = 'text/javascript; charset=utf-8';

/**
 * The files the console is made of, with their media types; nothing else is served. The
 * folder is flat: a name is one path segment (`/_inspector2/ui/:asset`).
 */
const ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': JS,
  'api.js': JS,
  'dom.js': JS,
  'format.js': JS,
  'route.js': JS,
  'identity.js': JS,
  'findings-query.js': JS,
  'page-dashboard.js': JS,
  'page-findings.js': JS,
  'finding-detail.js': JS,
  'page-coverage.js': JS,
  'page-accounts.js': JS,
  'styles.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

// The console loads nothing from anywhere else, and the browser is told to enforce it.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

async function asset(name: string): Promise<Response> {
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (type === undefined) {
    return Response.json({ message: `The console has no file '${name}'.` }, { status: 404 });
  }
  const content = await readFile(new URL(name, ASSETS_DIR));
  return new Response(content, { headers: { 'content-type': type, ...SECURITY_HEADERS } });
}

export function uiRoutes(): Hono {
  const routes = new Hono();
  // Relative asset URLs resolve against the folder, so the page lives at the trailing slash.
  routes.get('/_inspector2/ui', (c) => {
    const query = new URL(c.req.url).search;
    return c.redirect(`/_inspector2/ui/${query}`, 302);
  });
  routes.get('/_inspector2/ui/', () => asset('index.html'));
  routes.get('/_inspector2/ui/:asset', (c) => asset(c.req.param('asset')));
  return routes;
}
