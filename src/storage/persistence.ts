// State that survives a restart (PERSISTENCE=1): the world is saved as one snapshot
// document, `<DATA_DIR>/state.json`, through lowdb. lowdb's file adapter writes atomically
// (a temporary file, then a rename), so a kill at any moment leaves either the previous
// snapshot or the next one, never a torn file. Writes are coalesced: a change marks the
// state dirty; one save runs at a time, and every change made while it runs is saved by
// the next one — so a burst of requests costs one or two writes, not one per request.
// What a completed write holds is everything acknowledged before it started.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile, DataFileSync } from 'lowdb/node';
import type { Logger } from '../log.js';
import { decodeSnapshot, encodeSnapshot, restoreSnapshot, takeSnapshot, type WorldSnapshot } from '../world/snapshot.js';
import type { World } from '../world/world.js';

export const STATE_FILE = 'state.json';

const codec = { parse: decodeSnapshot, stringify: encodeSnapshot };

export class Persistence {
  private readonly db: Low<WorldSnapshot>;
  private saving?: Promise<void>;
  private dirty = false;
  /** Completed writes (for the health endpoint and tests). */
  writes = 0;
  lastWriteAt?: Date;

  private constructor(
    readonly file: string,
    private readonly world: World,
    private readonly logger: Logger,
  ) {
    this.db = new Low<WorldSnapshot>(new DataFile(file, codec), takeSnapshot(world));
  }

  /**
   * Restores the world from DATA_DIR's state file if there is one, and saves it after
   * every change from now on. Answers whether a saved state was restored.
   */
  static open(dataDir: string, world: World, logger: Logger): { persistence: Persistence; restored: boolean } {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, STATE_FILE);
    // Read synchronously: the server must not answer before its state is back.
    const saved = new DataFileSync<WorldSnapshot>(file, codec).read();
    if (saved) restoreSnapshot(world, saved);
    const persistence = new Persistence(file, world, logger);
    world.onChange = () => persistence.markDirty();
    return { persistence, restored: saved !== null };
  }

  markDirty(): void {
    this.dirty = true;
    // Start on the next turn of the event loop, so that changes made in this one share the write.
    this.saving ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.saveWhileDirty());
  }

  private async saveWhileDirty(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        // The snapshot is taken and serialized synchronously here: it is the state of this moment.
        this.db.data = takeSnapshot(this.world);
        await this.db.write();
        this.writes++;
        this.lastWriteAt = new Date();
      }
    } catch (error) {
      this.logger.error(`persistence: could not write ${this.file}: ${(error as Error).message}`);
    } finally {
      this.saving = undefined;
    }
  }

  /** Waits until every change made so far is on disk (a clean shutdown). */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
    if (this.dirty) {
      this.markDirty();
      await this.saving;
    }
  }
}
