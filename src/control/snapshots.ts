// Snapshots and scenarios through the control plane: export the whole state as one JSON
// document, import one (the state is replaced), or replace the world by a scenario (a seed
// document: organizations and inventory), posted inline or named by a file on the server.
import { Hono } from 'hono';
import { checkSeed, loadSeed, readSeed, SeedError, type Seed } from '../world/seed.js';
import { decodeSnapshot, encodeSnapshot, restoreSnapshot, SnapshotError, takeSnapshot } from '../world/snapshot.js';
import type { World } from '../world/world.js';
import { ControlError } from './errors.js';
import { jsonBody } from './json.js';

export function snapshotRoutes(world: World): Hono {
  const routes = new Hono();

  routes.get('/_inspector2/snapshot', (c) =>
    c.body(encodeSnapshot(takeSnapshot(world)), 200, {
      'content-type': 'application/json',
      'content-disposition': 'attachment; filename="inspector2-local-snapshot.json"',
    }),
  );

  routes.post('/_inspector2/snapshot', async (c) => {
    let snapshot;
    try {
      snapshot = decodeSnapshot(await c.req.text());
    } catch (error) {
      if (error instanceof SnapshotError) throw new ControlError(400, error.message);
      throw error;
    }
    // Checked whole before anything is replaced: a bad document leaves the state as it was.
    try {
      restoreSnapshot(world, snapshot);
    } catch (error) {
      if (error instanceof SnapshotError) throw new ControlError(400, error.message);
      throw error;
    }
    world.settle();
    return c.json({ restored: snapshot.savedAt, clock: world.clock.now().toISOString(), pendingTransitions: world.scheduler.pending });
  });

  routes.post('/_inspector2/scenario', async (c) => {
    const body = await jsonBody(c);
    let scenario: Seed;
    try {
      if (body.file !== undefined) {
        if (typeof body.file !== 'string' || body.file === '' || Object.keys(body).length > 1) {
          throw new ControlError(400, 'file must be the path of a scenario file on the server, and alone in the body');
        }
        scenario = readSeed(body.file);
      } else {
        scenario = checkSeed(body, 'scenario');
      }
    } catch (error) {
      if (error instanceof SeedError) throw new ControlError(400, error.message);
      throw error;
    }
    world.reset();
    loadSeed(world, scenario);
    return c.json({
      loaded: typeof body.file === 'string' ? body.file : 'scenario',
      organizations: scenario.organizations.length,
      accountRegions: scenario.accounts.length,
    });
  });

  return routes;
}
