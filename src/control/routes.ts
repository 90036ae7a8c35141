// The emulator's own control plane, under /_inspector2 (and LocalStack's health path, so
// tools that wait for LocalStack wait for us too). Plain JSON; not an AWS protocol.
import { Hono } from 'hono';
import type { World } from '../world/world.js';

export const VERSION = '0.1.0';

export function controlRoutes(world: World, startedAt: Date): Hono {
  const control = new Hono();
  const health = () => ({
    status: 'running',
    version: VERSION,
    services: { inspector2: 'running' },
    startedAt: startedAt.toISOString(),
    clock: world.clock.now().toISOString(),
  });
  control.get('/_inspector2/health', (c) => c.json(health()));
  control.get('/_localstack/health', (c) => c.json({ services: { inspector2: 'running' }, version: VERSION }));
  return control;
}
