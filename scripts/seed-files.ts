// Shared by the seed importers (import-epss.ts, import-exploits.ts): which CVEs the catalog
// files hold, and writing a seed file so that readers never see half of it.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SEEDS_DIR = new URL('../seeds/', import.meta.url).pathname;

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** The catalog files: seeds/vulnerabilities.json and every seeds/catalog/*.json. */
export function catalogFiles(seedsDir = SEEDS_DIR): string[] {
  const catalogDir = join(seedsDir, 'catalog');
  let extra: string[] = [];
  try {
    extra = readdirSync(catalogDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(catalogDir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return [join(seedsDir, 'vulnerabilities.json'), ...extra];
}

/** Every CVE id of the catalog files, sorted by year and number. Only the ids are read: the catalog loader checks the rest. */
export function catalogCveIds(seedsDir = SEEDS_DIR): string[] {
  const ids = new Set<string>();
  for (const file of catalogFiles(seedsDir)) {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(data)) throw new Error(`${file}: not a JSON array`);
    for (const entry of data as unknown[]) {
      const id = (entry as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || !CVE_ID.test(id)) throw new Error(`${file}: an entry without a CVE id`);
      ids.add(id);
    }
  }
  return [...ids].sort(compareCveIds);
}

export function compareCveIds(a: string, b: string): number {
  const [, yearA = 0, numberA = 0] = a.split('-').map(Number);
  const [, yearB = 0, numberB = 0] = b.split('-').map(Number);
  return yearA - yearB || numberA - numberB;
}

/** Writes the JSON to file.tmp, then renames it over the file. */
export function writeJsonAtomically(file: string, value: unknown): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file);
}
