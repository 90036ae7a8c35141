// The control plane's own OpenAPI document, served at /_inspector2/openapi.json. A test
// checks that every control route is described here.
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (description: string, example: object) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object' }, example } },
  description,
});
const ok = { '200': json('OK'), '400': json('Bad input: {"message": "..."} naming the field') };
const created = { '201': json('Created'), '400': json('Bad input: {"message": "..."} naming the field') };
const place = [
  { name: 'accountId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{12}$' } },
  { name: 'region', in: 'path', required: true, schema: { type: 'string' } },
];
const inventory = '/_inspector2/inventory/{accountId}/{region}';

const PATHS = {
  '/_inspector2/health': { get: { summary: 'Health, version and the clock', responses: { '200': json('Running') } } },
  '/_localstack/health': { get: { summary: "LocalStack's health shape", responses: { '200': json('Running') } } },
  '/_inspector2/openapi.json': { get: { summary: 'This document', responses: { '200': json('The document') } } },
  '/_inspector2/reset': {
    post: {
      summary: 'Forget everything (the seed reloaded) or one account',
      requestBody: body('{} or {"accountId"}', { accountId: '111122223333' }),
      responses: ok,
    },
  },
  '/moto-api/reset': {
    post: {
      summary: "moto's reset: everything, as {} to /_inspector2/reset (no body needed)",
      responses: { '200': json('{"status": "ok"}'), '400': json('A body other than {}') },
    },
  },
  '/_inspector2/clock': {
    get: { summary: 'The virtual clock', responses: { '200': json('now, epochSeconds, mode, pendingTransitions') } },
    post: {
      summary: 'Advance or set the clock',
      requestBody: body('{"advance": "15m"} or {"set": "2031-01-01T00:00:00Z"}', { advance: '15m' }),
      responses: ok,
    },
  },
  '/_inspector2/accounts/{accountId}': {
    get: { summary: 'An account: organization, service-linked role, status per region', parameters: [place[0]], responses: ok },
  },
  '/_inspector2/organizations': { get: { summary: 'Organizations with their Inspector state per region', responses: { '200': json('Organizations') } } },
  '/_inspector2/organizations/{organizationId}/accounts': {
    post: {
      summary: 'An account joins the organization (auto-enabled where configured)',
      requestBody: body('{"accountId", "name"?}', { accountId: '666666666666', name: 'new-team' }),
      responses: created,
    },
  },
  '/_inspector2/organizations/{organizationId}/accounts/{accountId}': { delete: { summary: 'An account leaves the organization', responses: ok } },
  [inventory]: { get: { summary: 'The inventory of an account in a region', parameters: place, responses: ok } },
  [`${inventory}/ec2-instances`]: { post: { summary: 'Launch an instance (seed file shape)', parameters: place, responses: created } },
  [`${inventory}/ec2-instances/{instanceId}`]: {
    patch: {
      summary: 'Stop, start, terminate an instance; change its tags or SSM management',
      parameters: place,
      requestBody: body('{"state"?, "ssmManaged"?, "tags"?}', { state: 'stopped' }),
      responses: ok,
    },
  },
  [`${inventory}/ec2-instances/{instanceId}/packages`]: { post: { summary: 'Install or upgrade a package', parameters: place, responses: created } },
  [`${inventory}/ec2-instances/{instanceId}/packages/{ecosystem}/{package}`]: { delete: { summary: 'Remove a package', parameters: place, responses: ok } },
  [`${inventory}/lambda-functions/{name}`]: {
    put: { summary: 'Deploy (create or replace) a function', parameters: place, responses: ok },
    delete: { summary: 'Delete a function', parameters: place, responses: ok },
  },
  [`${inventory}/lambda-functions/{name}/packages`]: { post: { summary: "Install or upgrade a function's package", parameters: place, responses: created } },
  [`${inventory}/lambda-functions/{name}/packages/{ecosystem}/{package}`]: {
    delete: { summary: "Remove a function's package", parameters: place, responses: ok },
  },
  [`${inventory}/ecr-repositories/{repository}/images`]: { post: { summary: 'Push an image (tags move to it)', parameters: place, responses: created } },
  [`${inventory}/ecr-repositories/{repository}/images/{digest}`]: { delete: { summary: 'Delete an image', parameters: place, responses: ok } },
  '/_inspector2/vulnerabilities': { post: { summary: 'Publish a vulnerability (catalog entry shape); everything covered is rescanned', responses: created } },
  '/_inspector2/vulnerabilities/{id}': { get: { summary: 'A catalog entry', responses: ok } },
  '/_inspector2/rescan': {
    post: { summary: 'Rescan now: everything, or {"accountId","region"} (reading INSPECTOR2_INVENTORY_ENDPOINT first when it is set)', responses: ok },
  },
  '/_inspector2/snapshot': {
    get: {
      summary: 'The whole state as one JSON document (the values PERSISTENCE=1 keeps, as parts, in DATA_DIR/state/)',
      responses: { '200': json('The snapshot') },
    },
    post: {
      summary: 'Replace the state by a snapshot exported before',
      requestBody: body('A snapshot document', { format: 'inspector2-local/world-snapshot', version: 1 }),
      responses: ok,
    },
  },
  '/_inspector2/scenario': {
    post: {
      summary: 'Replace the world by a scenario: a seed document inline, or {"file"} in the scenarios folder (INSPECTOR2_SCENARIOS_DIR)',
      requestBody: body('A seed document (organizations, accounts) or {"file": "<name relative to the scenarios folder>"}', { file: 'my-world.json' }),
      responses: ok,
    },
  },
  '/_inspector2/events': {
    get: { summary: 'The events log (?detailType=&account=)', responses: { '200': json('{"events": [...]}') } },
    delete: { summary: 'Clear the events log', responses: { '200': json('Cleared') } },
  },
  '/_inspector2/securityhub': {
    get: {
      summary: 'Security Hub delivery (INSPECTOR2_SECURITYHUB_ENDPOINT): queued, delivered, failed, dropped, lastError, awaitingHub',
      responses: { '200': json('{"enabled": true, "queued": 0, ...} or {"enabled": false}') },
    },
  },
  '/_inspector2/faults': {
    get: { summary: 'Fault rules with their counts', responses: { '200': json('{"rules": [...]}') } },
    post: {
      summary: 'Add a fault rule, or {"rules": [...]}',
      requestBody: body('A rule', { operation: 'ListFindings', fault: 'ThrottlingException', count: 2 }),
      responses: created,
    },
    delete: { summary: 'Remove every rule and forget what was injected', responses: { '200': json('Cleared') } },
  },
  '/_inspector2/faults/{id}': { delete: { summary: 'Remove a rule', responses: { '200': json('Removed'), '404': json('No such rule') } } },
  '/_inspector2/ui': { get: { summary: 'The local console (redirects to /_inspector2/ui/)', responses: { '302': { description: 'To the console' } } } },
  '/_inspector2/ui/': {
    get: {
      summary: 'The local console: dashboard, findings, coverage, accounts',
      responses: { '200': { description: 'The page', content: { 'text/html': {} } } },
    },
  },
  '/_inspector2/ui/{asset}': {
    get: {
      summary: "The console's files (its ES modules, app.js and the ones it imports; styles.css, favicon.svg)",
      responses: { '200': { description: 'The file' }, '404': json('No such file') },
    },
  },
  '/_inspector2/faults/injected': {
    get: { summary: 'What was injected: totals by rule and operation, the latest faults', responses: { '200': json('The report') } },
  },
} as const;

/** Open to everyone (strict mode too): they show no account's state. */
const OPEN = new Set([
  '/_inspector2/health',
  '/_localstack/health',
  '/_inspector2/openapi.json',
  '/_inspector2/ui',
  '/_inspector2/ui/',
  '/_inspector2/ui/{asset}',
]);

/**
 * What the request guards may answer on any route, before it runs (src/http/guards.ts,
 * src/control/access.ts, src/http/body.ts): added to every operation here, not repeated above.
 */
function guarded(path: string, method: string, responses: object): object {
  return {
    '403': json(
      OPEN.has(path)
        ? 'A refused Origin or Host (a cross-site page, DNS rebinding)'
        : 'A refused Origin or Host; in strict mode (or with INSPECTOR2_CONTROL_TOKEN) a request neither signed nor carrying the token',
    ),
    ...(method === 'get' ? {} : { '413': json('The body is over the limit'), '415': json('A body that is not Content-Type: application/json') }),
    ...responses,
  };
}

export const CONTROL_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'inspector2-local control plane', version: '0.1.0', description: "The emulator's own endpoints: health, clock, world, faults, events." },
  components: {
    securitySchemes: {
      controlToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'INSPECTOR2_CONTROL_TOKEN (or the x-inspector2-control-token header); or a SigV4 signature',
      },
    },
  },
  paths: Object.fromEntries(
    Object.entries(PATHS).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations as Record<string, { responses: object }>).map(([method, operation]) => [
          method,
          { ...operation, ...(OPEN.has(path) ? {} : { security: [{}, { controlToken: [] }] }), responses: guarded(path, method, operation.responses) },
        ]),
      ),
    ]),
  ),
};
