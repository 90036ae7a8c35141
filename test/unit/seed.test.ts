// Seed files are checked at load; each problem names the file, the path and what is wrong.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED_FILE, readSeed, SeedError } from '../../src/world/inventory/seed.js';
import { useTempDirs } from '../temp-dirs.js';

const tempDir = useTempDirs('inspector2-seed-');

function seedFile(content: string): string {
  const file = join(tempDir(), 'world.json');
  writeFileSync(file, content);
  return file;
}

describe('seed files', () => {
  it('reads the default world', () => {
    const seed = readSeed(DEFAULT_SEED_FILE);
    expect(seed.organizations[0]).toMatchObject({ id: 'o-exampleorg01', managementAccountId: '111111111111' });
  });

  it('names the file, the path and the problem', () => {
    const file = seedFile(
      JSON.stringify({
        organizations: [
          {
            id: 'o-exampleorg01',
            managementAccountId: '111111111111',
            accounts: [
              { id: '111111111111', name: 'm' },
              { id: '12', name: 'x' },
            ],
          },
          { id: 'org', managementAccountId: '999999999999', accounts: [{ id: '111111111111', name: 'again' }] },
        ],
      }),
    );
    const error = (() => {
      try {
        readSeed(file);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected the seed to be refused');
    })();
    expect(error).toBeInstanceOf(SeedError);
    expect(error.message).toContain(`${file}: organizations.0.accounts.1.id: must be a 12-digit account id`);
    expect(error.message).toContain(`${file}: organizations.1.id: must be an organization id`);
    expect(error.message).toContain(`${file}: organizations.1.managementAccountId: the management account must be one of the accounts`);
  });

  it('refuses malformed JSON and unknown fields', () => {
    expect(() => readSeed(seedFile('{"organizations": ['))).toThrow(SeedError);
    expect(() => readSeed(seedFile('{"organisations": []}'))).toThrow(/Unrecognized key/);
  });
});
