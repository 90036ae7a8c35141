// State that survives a restart (PERSISTENCE=1): the world is saved as one snapshot
// document, `<DATA_DIR>/state.json`, through lowdb. lowdb's file adapter writes atomically
// (a temporary file, then a rename), so a kill at any moment leaves either the previous
// snapshot or the next one, never a torn file. Writes are coalesced: a change marks the
// state dirty; one save runs at a time, and every change made while it runs is saved by
// the next one — so a burst of requests costs one or two writes, not one per request.
// What a completed write holds is everything acknowledged before it started. A large world
// takes long to serialize (seconds at 100k findings) and the server waits meanwhile, so a
// save starts no sooner than PAUSE_FACTOR times the last one's duration after it: writing
// never takes more than about a fifth of the server's time.
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { Logger } from '../log.js';
import { decodeSnapshot, encodeSnapshot, restoreSnapshot, SnapshotError, takeSnapshot, type WorldSnapshot } from '../world/platform/snapshot.js';
import type { World } from '../world/world.js';

export const STATE_FILE = 'state.json';

const codec = { parse: decodeSnapshot, stringify: encodeSnapshot };
const PAUSE_FACTOR = 4;
/** After a failed write, the next try waits this long, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 30_000;

/** The state cannot be kept or read back: the message says which file and what to do. The server does not start. */
export class PersistenceError extends Error {}

export class Persistence {
  private readonly db: Low<WorldSnapshot>;
  private saving?: Promise<void>;
  private dirty = false;
  /** Completed writes (for the health endpoint and tests). */
  writes = 0;
  lastWriteAt?: Date;
  /** How long the last write took, serializing included. */
  lastWriteMs = 0;
  private lastWriteEnded = 0;
  private wake?: () => void;
  /** Why the last write failed, until one succeeds (the change stays pending and is retried). */
  lastError?: { at: Date; message: string };
  private failures = 0;

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
    const file = join(dataDir, STATE_FILE);
    try {
      mkdirSync(dataDir, { recursive: true });
      accessSync(dataDir, constants.W_OK);
    } catch (error) {
      throw new PersistenceError(
        `DATA_DIR ${dataDir} is not a folder this process can write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
          'choose another DATA_DIR, fix its permissions, or start without PERSISTENCE',
      );
    }
    // Read synchronously: the server must not answer before its state is back.
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new PersistenceError(
          `cannot read the saved state ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions, or move it away to start afresh`,
        );
      }
    }
    if (text !== undefined) {
      try {
        restoreSnapshot(world, decodeSnapshot(text));
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        throw new PersistenceError(`the saved state ${file} cannot be read back (${error.message}): move it away to start afresh, or restore a backup`);
      }
    }
    const persistence = new Persistence(file, world, logger);
    world.onChange = () => persistence.markDirty();
    return { persistence, restored: text !== undefined };
  }

  /** Whether a change waits to be written, or a write runs. */
  get pending(): boolean {
    return this.dirty || this.saving !== undefined;
  }

  markDirty(): void {
    this.dirty = true;
    // Start on the next turn of the event loop, so that changes made in this one share the
    // write — or after the pause that the last write's duration asks for.
    this.saving ??= new Promise<void>((resolve) => {
      // After failures, back off; else pause in proportion to the last write.
      const retry = this.failures ? Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.failures - 1)) : 0;
      const pause = Math.max(retry + this.lastWriteEnded, this.lastWriteEnded + PAUSE_FACTOR * this.lastWriteMs) - performance.now();
      if (pause <= 0) return void setImmediate(resolve);
      const timer = setTimeout(resolve, pause);
      // A flush (shutdown) does not wait for the pause.
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => {
      this.wake = undefined;
      return this.saveWhileDirty();
    });
  }

  private async saveWhileDirty(): Promise<void> {
    try {
      if (this.dirty) {
        this.dirty = false;
        const started = performance.now();
        // The snapshot is taken and serialized synchronously here: it is the state of this moment.
        this.db.data = takeSnapshot(this.world);
        await this.db.write();
        this.writes++;
        this.lastWriteAt = new Date();
        this.lastWriteEnded = performance.now();
        this.lastWriteMs = this.lastWriteEnded - started;
        if (this.lastError) this.logger.info(`persistence: ${this.file} written again after ${this.failures} failed write(s)`);
        this.lastError = undefined;
        this.failures = 0;
      }
    } catch (error) {
      // The change is not on disk: it stays pending, and the write is tried again after a pause.
      this.dirty = true;
      this.failures++;
      this.lastWriteEnded = performance.now();
      this.lastError = { at: new Date(), message: (error as Error).message };
      this.logger.error(`persistence: could not write ${this.file} (attempt ${this.failures}; will retry): ${(error as Error).message}`);
    } finally {
      this.saving = undefined;
    }
    // Changes made while this write ran: the next one (after its pause).
    if (this.dirty) this.markDirty();
  }

  /** Waits until every change made so far is on disk (a clean shutdown); gives up after `attempts` failed writes. */
  async flush(attempts = 3): Promise<void> {
    const failuresBefore = this.failures;
    while (this.saving || this.dirty) {
      if (this.failures - failuresBefore >= attempts)
        throw new PersistenceError(`the state could not be written to ${this.file}: ${this.lastError?.message ?? 'unknown error'}`);
      this.wake?.();
      if (this.saving) await this.saving;
      else await this.saveWhileDirty();
    }
  }
}
