// The console's routes: the page, an id, and the parameters, all in the URL's hash
// (#/findings/<arn>?severity=HIGH).
// @ts-check

/** @typedef {{ page: string, id: string | undefined, params: URLSearchParams }} Route */

export function routeParams() {
  const hash = location.hash.replace(/^#/, '');
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

/** @returns {Route} */
export function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/dashboard';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  return { page: parts[0] ?? 'dashboard', id: parts[1], params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)) };
}
