// The emulator's own control plane, under /_inspector2 (and LocalStack's health path, so
// tools that wait for LocalStack wait for us too). Plain JSON, not an AWS protocol: bad
// input gets a 400 with a message that names the field.
import { Hono, type Context } from 'hono';
import { joinOrganization, leaveOrganization } from '../world/accounts/delegation.js';
import { SCAN_TYPES } from '../world/accounts/enablement.js';
import { WorldError } from '../world/platform/errors.js';
import { roleOf } from '../world/accounts/iam.js';
import type { World } from '../world/world.js';
import type { FaultInjector } from '../faults.js';
import { ControlError } from './errors.js';
import { faultRoutes } from './faults.js';
import { inventoryRoutes } from './inventory.js';
import { snapshotRoutes, type SnapshotRouteOptions } from './snapshots.js';
import { uiRoutes } from '../ui/routes.js';
import type { Persistence } from '../storage/persistence.js';
import { jsonBody, limitedText } from './json.js';
import { CONTROL_OPENAPI } from './openapi.js';
import { checkAdvance, checkSet, parseDuration, parseInstant } from './time.js';
import { wellEncodedPaths } from './paths.js';
import type { SinkStatus } from '../sinks/event-sinks.js';
import type { SecurityHubStatus } from '../sinks/securityhub.js';
import type { InventorySource } from '../neighbours/inventory-source.js';
import { inspectorOrganizationsOf, organizationOf, standingOf } from '../world/accounts/organizations.js';

const VERSION = '0.1.0';

/** moto's reset takes no body, or `{}`. */
const MOTO_RESET_MAX_BODY_BYTES = 1024;

const WORLD_ERROR_STATUS = { AccessDenied: 403, NotFound: 404, Conflict: 409, Invalid: 400, QuotaExceeded: 409 } as const;

function accountIdParam(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
    throw new ControlError(400, `${field} must be a 12-digit account id, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** What the control plane is told of the rest of the emulator. */
export interface ControlContext {
  /** The regions requests may name (the identity's region policy); default: AWS's real regions. */
  regionAllowed?: (region: string) => boolean;
  /** The event sinks' delivery status, for health. */
  sinks?: () => SinkStatus[];
  /** The Security Hub sink's status; undefined when INSPECTOR2_SECURITYHUB_ENDPOINT is not set. */
  securityHub?: () => SecurityHubStatus | undefined;
  /** INSPECTOR2_INVENTORY_ENDPOINT: where the inventory is read from. */
  inventory?: InventorySource;
  /** INSPECTOR2_SCENARIOS_DIR and INSPECTOR2_MAX_SNAPSHOT_BYTES. */
  snapshots?: SnapshotRouteOptions;
}

export function controlRoutes(
  world: World,
  faults: FaultInjector,
  startedAt: Date,
  reloadSeed: () => void,
  persistence?: Persistence,
  context: ControlContext = {},
): Hono {
  const control = new Hono();
  control.use('/_inspector2/*', wellEncodedPaths());
  // Transitions that are due happen before the control plane reads or changes anything, as before API calls.
  control.use('/_inspector2/*', async (_c, next) => {
    world.settle();
    await next();
  });
  control.onError((error, c) => {
    if (error instanceof ControlError) return c.json({ message: error.message }, error.status);
    if (error instanceof WorldError) return c.json({ message: error.message }, WORLD_ERROR_STATUS[error.kind]);
    throw error;
  });

  control.get('/_inspector2/health', (c) =>
    c.json({
      status: 'running',
      version: VERSION,
      services: { inspector2: 'running', iam: 'running', sts: 'running' },
      startedAt: startedAt.toISOString(),
      clock: world.clock.now().toISOString(),
      persistence: persistence
        ? {
            file: persistence.file,
            writes: persistence.writes,
            lastWriteAt: persistence.lastWriteAt?.toISOString() ?? null,
            lastWriteMs: Math.round(persistence.lastWriteMs),
            pending: persistence.pending,
            lastError: persistence.lastError ? { at: persistence.lastError.at.toISOString(), message: persistence.lastError.message } : null,
          }
        : null,
      sinks: context.sinks?.() ?? [],
      inventory: context.inventory?.status() ?? null,
    }),
  );
  control.get('/_inspector2/openapi.json', (c) => c.json(CONTROL_OPENAPI));
  control.get('/_localstack/health', (c) => c.json({ services: { inspector2: 'running', iam: 'running', sts: 'running' }, version: VERSION }));

  /** Everything forgotten, then the seed loaded again: `{}` to /_inspector2/reset, and moto's reset. */
  const resetEverything = () => {
    world.reset();
    reloadSeed();
  };
  control.post('/_inspector2/reset', async (c) => {
    const body = await jsonBody(c);
    if (body.accountId !== undefined) {
      const accountId = accountIdParam(body.accountId, 'accountId');
      world.resetAccount(accountId);
      return c.json({ reset: accountId });
    }
    if (Object.keys(body).length) throw new ControlError(400, 'The body is {} to reset everything, or {"accountId": "<12 digits>"} to reset one account.');
    resetEverything();
    return c.json({ reset: 'everything' });
  });

  // moto's reset, which suites written for moto_server call between tests: everything, as
  // `{}` above, answered as moto answers (200 {"status": "ok"}; another method: 400).
  // moto's clients POST it with no body and no Content-Type, so this route is outside the
  // control plane's "JSON writes only" rule (which lives under /_inspector2/). What that
  // rule keeps out — a cross-site page's "simple" POST — the Origin check refuses here too:
  // browsers send Origin on every cross-site POST, and an Origin that is not allowed gets a
  // 403 before anything runs. The Host check and, when credentials are checked, the control
  // plane's access rule (see app.ts) hold here as on /_inspector2/. A body, when one is
  // sent, must be JSON and `{}`: nothing else is taken for "reset everything".
  control.post('/moto-api/reset', async (c) => {
    const text = await limitedText(c, MOTO_RESET_MAX_BODY_BYTES);
    if (text.trim() !== '') {
      if (c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
        return c.json({ message: 'Send no body, or {} with Content-Type: application/json.' }, 415);
      }
      if (text.trim().replace(/\s+/g, '') !== '{}') throw new ControlError(400, 'moto-api/reset resets everything: send no body, or {}.');
    }
    world.settle();
    resetEverything();
    return c.json({ status: 'ok' });
  });
  control.all('/moto-api/reset', (c) => c.json({ Error: 'Need to POST to reset Moto' }, 400));

  const clock = () => ({
    now: world.clock.now().toISOString(),
    epochSeconds: world.clock.nowMs() / 1000,
    mode: world.clock.isManual ? 'manual' : 'running',
    pendingTransitions: world.scheduler.pending,
  });
  control.get('/_inspector2/clock', (c) => c.json(clock()));
  control.post('/_inspector2/clock', async (c) => {
    const body = await jsonBody(c);
    if ((body.advance === undefined) === (body.set === undefined)) {
      throw new ControlError(
        400,
        'Give exactly one of "advance" (a duration such as "15m", "PT1H" or milliseconds) or "set" (an ISO 8601 time or epoch seconds).',
      );
    }
    // Bounded steps (10 years per advance, set within 100 years and before 10000): every date stays valid.
    if (body.advance !== undefined) world.clock.advance(checkAdvance(parseDuration(body.advance, 'advance'), world.clock.nowMs()));
    else {
      const at = checkSet(parseInstant(body.set, 'set'), world.clock.nowMs());
      if (at.getTime() < world.clock.nowMs())
        throw new ControlError(400, `set: the clock cannot go back, from ${world.clock.now().toISOString()} to ${at.toISOString()}`);
      world.clock.set(at);
    }
    world.settle();
    return c.json(clock());
  });

  control.get('/_inspector2/accounts/:accountId', (c) => {
    const accountId = accountIdParam(c.req.param('accountId'), 'accountId');
    const organization = organizationOf(world, accountId);
    const role = roleOf(world, accountId, 'AWSServiceRoleForAmazonInspector2');
    return c.json({
      accountId,
      organization: organization
        ? { id: organization.id, managementAccountId: organization.managementAccountId, isManagementAccount: organization.managementAccountId === accountId }
        : null,
      serviceLinkedRole: role
        ? {
            roleName: role.roleName,
            roleId: role.roleId,
            arn: role.arn,
            path: role.path,
            createDate: role.createDate.toISOString(),
            assumeRolePolicyDocument: JSON.parse(role.assumeRolePolicyDocument) as unknown,
            attachedPolicies: role.attachedPolicies,
          }
        : null,
      regions: world.regionsOf(accountId).map((state) => {
        const standing = standingOf(world, accountId, state.region);
        return {
          region: state.region,
          status: state.enablement.accountStatus(),
          scanTypes: Object.fromEntries(SCAN_TYPES.map((t) => [t, state.enablement.status(t)])),
          isDelegatedAdmin: standing.isDelegatedAdmin,
          delegatedAdminAccountId: standing.delegatedAdminAccountId ?? null,
        };
      }),
    });
  });

  control.get('/_inspector2/organizations', (c) =>
    c.json(
      [...world.global.organizations.organizations.values()].map((organization) => ({
        id: organization.id,
        managementAccountId: organization.managementAccountId,
        accounts: [...organization.accounts.values()].map((a) => ({ ...a, joinedAt: a.joinedAt.toISOString() })),
        inspector: inspectorOrganizationsOf(world, organization).map((regional) => ({
          region: regional.region,
          delegatedAdmin: regional.delegatedAdmin ?? null,
          autoEnable: [...regional.autoEnable],
          members: [...regional.members.values()].map((m) => ({ ...m, updatedAt: m.updatedAt.toISOString() })),
        })),
      })),
    ),
  );

  const organizationParam = (c: Context) => {
    const organization = world.global.organizations.organizations.get(c.req.param('organizationId') ?? '');
    if (!organization) throw new ControlError(404, `There is no organization ${c.req.param('organizationId')}.`);
    return organization;
  };
  control.post('/_inspector2/organizations/:organizationId/accounts', async (c) => {
    const organization = organizationParam(c);
    const body = await jsonBody(c);
    const accountId = accountIdParam(body.accountId, 'accountId');
    if (body.name !== undefined && (typeof body.name !== 'string' || body.name === '')) throw new ControlError(400, 'name must be a non-empty string');
    joinOrganization(world, organization, accountId, body.name ?? accountId);
    return c.json({ organizationId: organization.id, accountId }, 201);
  });
  control.delete('/_inspector2/organizations/:organizationId/accounts/:accountId', (c) => {
    const organization = organizationParam(c);
    leaveOrganization(world, organization, accountIdParam(c.req.param('accountId'), 'accountId'));
    return c.json({ organizationId: organization.id, accountId: c.req.param('accountId') });
  });

  control.get('/_inspector2/events', (c) => {
    const type = c.req.query('detailType');
    const account = c.req.query('account');
    const events = world.events.list().filter((e) => (!type || e['detail-type'] === type) && (!account || e.account === account));
    return c.json({ events });
  });
  control.get('/_inspector2/securityhub', (c) => {
    const status = context.securityHub?.();
    return c.json(status ? { enabled: true, ...status } : { enabled: false });
  });
  control.delete('/_inspector2/events', (c) => {
    world.events.clear();
    return c.json({ events: [] });
  });

  control.route('/', faultRoutes(faults));
  // With an inventory endpoint, a rescan reads it again first (bounded by its timeouts), then rescans what it read.
  const source = context.inventory;
  if (source) {
    control.post('/_inspector2/rescan', async (_c, next) => {
      await source.refresh();
      await next();
    });
  }
  control.route('/', inventoryRoutes(world, context.regionAllowed));
  control.route('/', snapshotRoutes(world, context.snapshots));
  control.route('/', uiRoutes());
  return control;
}
