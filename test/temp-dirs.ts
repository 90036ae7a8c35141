// Temporary folders the tests make, and their removal: nothing a test writes stays behind.
// Kept apart from helpers.ts so that unit tests need not load the SDK and the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Removes a folder and all it holds; nothing when it is already gone. */
export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/**
 * Temporary folders for one test file (or describe block): call at its top level; each call
 * of the answer makes a fresh folder under the OS's temporary folder, and all of them are
 * removed after the file's (or block's) tests.
 */
export function useTempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) removeDir(dir);
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
