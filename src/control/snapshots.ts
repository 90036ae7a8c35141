// Snapshots and scenarios through the control plane: export the whole state as one JSON
// document, import one (the state is replaced), or replace the world by a scenario (a seed
// document: organizations and inventory), posted inline or named by a file in the scenarios folder.
import { Hono } from 'hono';
import { checkSeed, loadSeed, parseScenarioText, SeedError, type Seed } from '../world/inventory/seed.js';
import { decodeSnapshot, encodeSnapshot, restoreSnapshot, SnapshotError, takeSnapshot } from '../world/platform/snapshot.js';
import type { World } from '../world/world.js';
import { ControlError } from './errors.js';
import { jsonBody, limitedText } from './json.js';
import { DEFAULT_SCENARIOS_DIR, readScenarioFile, ScenarioFileError, shownName } from './scenario-files.js';

/** INSPECTOR2_MAX_SNAPSHOT_BYTES's default: the largest snapshot imported (about what one JavaScript string holds). */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

export interface SnapshotRouteOptions {
  /** INSPECTOR2_SCENARIOS_DIR: the folder scenario files are named in (default ./scenarios). */
  scenariosDir?: string;
  /** INSPECTOR2_MAX_SNAPSHOT_BYTES: the largest snapshot body imported (default 512 MiB). */
  maxSnapshotBytes?: number;
}

export function snapshotRoutes(world: World, options: SnapshotRouteOptions = {}): Hono {
  const routes = new Hono();
  const scenariosDir = options.scenariosDir ?? DEFAULT_SCENARIOS_DIR;
  const maxSnapshotBytes = options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;

  routes.get('/_inspector2/snapshot', (c) =>
    c.body(encodeSnapshot(takeSnapshot(world)), 200, {
      'content-type': 'application/json',
      'content-disposition': 'attachment; filename="inspector2-local-snapshot.json"',
    }),
  );

  routes.post('/_inspector2/snapshot', async (c) => {
    let snapshot;
    try {
      let text: string;
      try {
        text = await limitedText(c, maxSnapshotBytes);
      } catch (error) {
        // A body within the limit may still be more text than one JavaScript string holds.
        if (error instanceof RangeError) throw new ControlError(413, 'The snapshot is too large to be read as one document.');
        throw error;
      }
      snapshot = decodeSnapshot(text);
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
          throw new ControlError(400, 'file must be the name of a file in the scenarios folder (INSPECTOR2_SCENARIOS_DIR), and alone in the body');
        }
        // Only a regular file inside the scenarios folder, size-capped; errors quote nothing from it.
        scenario = parseScenarioText(readScenarioFile(scenariosDir, body.file), `file ${shownName(body.file)}`);
      } else {
        scenario = checkSeed(body, 'scenario');
      }
    } catch (error) {
      if (error instanceof SeedError || error instanceof ScenarioFileError) throw new ControlError(400, error.message);
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
