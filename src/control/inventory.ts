// /_inspector2/inventory/{accountId}/{region}/...: change what Inspector finds in an
// account and region (each change is followed by the rescans it causes), publish
// vulnerabilities, and trigger rescans. Bodies take the seed file's shapes.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { vulnerabilitySchema } from '../world/scanning/catalog.js';
import {
  changeInstance,
  deleteFunction,
  deleteImage,
  deployFunction,
  installPackage,
  launchInstance,
  publishVulnerability,
  pushImage,
  removePackage,
  rescan,
  type PackageTarget,
} from '../world/inventory/changes.js';
import { ECOSYSTEMS } from '../world/scanning/ecosystems.js';
import {
  functionFromSeed,
  functionSchema,
  imageFromSeed,
  imageSchema,
  instanceFromSeed,
  instanceSchema,
  packageSchema,
} from '../world/inventory/seed-inventory.js';
import { isKnownRegion } from '../protocol/regions.js';
import type { World } from '../world/world.js';
import { ControlError } from './errors.js';
import { jsonBody } from './json.js';

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ControlError(400, parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

const instanceChangeSchema = z
  .object({
    state: z.enum(['running', 'stopped', 'terminated']).optional(),
    ssmManaged: z.boolean().optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
  })
  .strict();

const shown = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}...` : text);

export function inventoryRoutes(world: World, regionAllowed: (region: string) => boolean = isKnownRegion): Hono {
  const place = (c: Context): { accountId: string; region: string } => {
    const accountId = c.req.param('accountId') ?? '';
    const region = c.req.param('region') ?? '';
    if (!/^\d{12}$/.test(accountId)) throw new ControlError(400, `accountId must be a 12-digit account id, got '${shown(accountId)}'`);
    // The regions requests may be signed for (AWS's, and those opted in): no made-up region gets state.
    if (!regionAllowed(region))
      throw new ControlError(400, `region must be an AWS Region such as eu-west-1 (or one opted in with INSPECTOR2_CUSTOM_REGIONS), got '${shown(region)}'`);
    return { accountId, region };
  };
  const routes = new Hono();
  const base = '/_inspector2/inventory/:accountId/:region';
  const now = () => world.clock.nowMs();

  routes.get(base, (c) => {
    const { accountId, region } = place(c);
    // A read creates nothing.
    return c.json(world.existingAccountRegion(accountId, region)?.inventory ?? null);
  });

  routes.post(`${base}/ec2-instances`, async (c) => {
    const { accountId, region } = place(c);
    const instance = instanceFromSeed(parse(instanceSchema, await jsonBody(c)), now());
    launchInstance(world, accountId, region, instance);
    return c.json(instance, 201);
  });
  routes.patch(`${base}/ec2-instances/:instanceId`, async (c) => {
    const { accountId, region } = place(c);
    const change = parse(instanceChangeSchema, await jsonBody(c));
    return c.json(changeInstance(world, accountId, region, c.req.param('instanceId'), change));
  });

  const target = (c: Context): PackageTarget =>
    c.req.path.includes('/ec2-instances/') ? { kind: 'ec2', id: c.req.param('instanceId') ?? '' } : { kind: 'lambda', id: c.req.param('name') ?? '' };
  for (const resource of ['ec2-instances/:instanceId', 'lambda-functions/:name']) {
    routes.post(`${base}/${resource}/packages`, async (c) => {
      const { accountId, region } = place(c);
      const pkg = parse(packageSchema, await jsonBody(c));
      installPackage(world, accountId, region, target(c), pkg);
      return c.json(pkg, 201);
    });
    routes.delete(`${base}/${resource}/packages/:ecosystem/:package{.+}`, (c) => {
      const { accountId, region } = place(c);
      const ecosystem = parse(z.enum(ECOSYSTEMS), c.req.param('ecosystem'));
      // The router decoded the path once; decoding again would turn `%25zz` into a malformed escape.
      removePackage(world, accountId, region, target(c), { ecosystem, name: c.req.param('package') });
      return c.json({ removed: c.req.param('package') });
    });
  }

  routes.post(`${base}/ecr-repositories/:repository{.+}/images`, async (c) => {
    const { accountId, region } = place(c);
    const image = imageFromSeed(parse(imageSchema, await jsonBody(c)), now());
    pushImage(world, accountId, region, c.req.param('repository'), image);
    return c.json(image, 201);
  });
  routes.delete(`${base}/ecr-repositories/:repository{.+}/images/:digest`, (c) => {
    const { accountId, region } = place(c);
    deleteImage(world, accountId, region, c.req.param('repository'), c.req.param('digest'));
    return c.json({ removed: c.req.param('digest') });
  });

  routes.put(`${base}/lambda-functions/:name`, async (c) => {
    const { accountId, region } = place(c);
    const body = await jsonBody(c);
    const fn = functionFromSeed(parse(functionSchema, { ...body, name: c.req.param('name') }), now());
    deployFunction(world, accountId, region, fn);
    return c.json(fn);
  });
  routes.delete(`${base}/lambda-functions/:name`, (c) => {
    const { accountId, region } = place(c);
    deleteFunction(world, accountId, region, c.req.param('name'));
    return c.json({ removed: c.req.param('name') });
  });

  routes.post('/_inspector2/vulnerabilities', async (c) => {
    const vulnerability = parse(vulnerabilitySchema, await jsonBody(c));
    publishVulnerability(world, vulnerability);
    return c.json(vulnerability, 201);
  });
  routes.get('/_inspector2/vulnerabilities/:id', (c) => {
    const vulnerability = world.catalog.get(c.req.param('id'));
    if (!vulnerability) throw new ControlError(404, `The catalog has no ${c.req.param('id')}.`);
    return c.json(vulnerability);
  });
  routes.post('/_inspector2/rescan', async (c) => {
    const body = parse(
      z
        .object({
          accountId: z
            .string()
            .regex(/^\d{12}$/)
            .optional(),
          region: z.string().optional(),
        })
        .strict(),
      await jsonBody(c),
    );
    return c.json({ rescanned: rescan(world, body.accountId, body.region) });
  });
  return routes;
}
