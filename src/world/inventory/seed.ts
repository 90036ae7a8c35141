// Seed files: the world a server starts with. Checked at load, with errors that name the
// file, the path inside it and the problem.
import { z } from 'zod';
import { checkJson, checkJsonQuietly, jsonSyntaxReason, readCheckedJson } from '../platform/checked-json.js';
import { Organization } from '../accounts/organizations.js';
import { accountInventorySchema, inventoryFromSeed } from './seed-inventory.js';
import type { World } from '../world.js';

export const DEFAULT_SEED_FILE = new URL('../../../seeds/default-world.json', import.meta.url);

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');

const seedSchema = z
  .object({
    organizations: z
      .array(
        z
          .object({
            id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id such as o-exampleorg01'),
            managementAccountId: accountId,
            accounts: z.array(z.object({ id: accountId, name: z.string().min(1) }).strict()).min(1),
          })
          .strict()
          .refine((o) => o.accounts.some((a) => a.id === o.managementAccountId), {
            message: 'the management account must be one of the accounts',
            path: ['managementAccountId'],
          }),
      )
      .default([]),
    /** Inventory per account and region; an account-region not listed gets a generated one. */
    accounts: z.array(accountInventorySchema).default([]),
  })
  .strict()
  .superRefine((seed, context) => {
    const places = new Set<string>();
    seed.accounts.forEach((entry, index) => {
      const place = `${entry.accountId}/${entry.region}`;
      // Messages name places by their path, not by the document's values (a scenario file's errors quote nothing from it).
      if (places.has(place)) context.addIssue({ code: 'custom', message: 'this account and region are listed twice', path: ['accounts', index] });
      places.add(place);
    });
    const seen = new Map<string, number>();
    seed.organizations.forEach((organization, o) =>
      organization.accounts.forEach((account, a) => {
        const other = seen.get(account.id);
        if (other !== undefined) {
          context.addIssue({ code: 'custom', message: `the account is already in organizations.${other}`, path: ['organizations', o, 'accounts', a, 'id'] });
        }
        seen.set(account.id, o);
      }),
    );
  });

export type Seed = z.infer<typeof seedSchema>;

export class SeedError extends Error {}

/** Reads and checks a seed file. */
export function readSeed(file: string | URL): Seed {
  return readCheckedJson(file, seedSchema, (message) => new SeedError(message));
}

/**
 * Parses and checks a scenario file's text (named through the control plane): errors give the
 * requested name, the path inside the document and the problem, and quote nothing from it.
 */
export function parseScenarioText(text: string, name: string): Seed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`${name}: ${jsonSyntaxReason(error)}`);
  }
  return checkJsonQuietly(name, data, seedSchema, (message) => new SeedError(message));
}

/** Checks a seed document given as data (a scenario posted to the control plane). */
export function checkSeed(data: unknown, name: string): Seed {
  return checkJson(name, data, seedSchema, (message) => new SeedError(message));
}

/** Loads a seed into the world; `onProgress` hears of each account-region loaded. */
export function loadSeed(world: World, seed: Seed, onProgress?: () => void): void {
  const joinedAt = world.clock.now();
  for (const entry of seed.organizations) {
    const organization = new Organization(entry.id, entry.managementAccountId);
    for (const account of entry.accounts) organization.accounts.set(account.id, { ...account, joinedAt });
    world.global.organizations.organizations.set(organization.id, organization);
  }
  // A seed or scenario is the operator's: its account-regions are made directly, not held to
  // the cap on what requests create (INSPECTOR2_MAX_ACCOUNT_REGIONS).
  for (const entry of seed.accounts) {
    world.state.accountRegion(entry.accountId, entry.region).inventory = inventoryFromSeed(entry, world.clock.nowMs());
    onProgress?.();
  }
  world.changed();
}
