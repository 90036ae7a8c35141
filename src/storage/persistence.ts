// State that survives a restart (PERSISTENCE=1), in `<DATA_DIR>/state/`: one file per
// account-region and declared field (`111122223333.eu-west-1.findings.7.json`), one for the
// rest of the world (`platform.7.json`: the clock, the catalog, the scheduler, the events,
// global and account state) and `manifest.json`, which names the files of the latest save.
// A save writes only the parts that changed — a field's declared version (a revision
// counter) says so without encoding it; else its text is compared — so its cost follows the
// change, not the world. Parts are written under new names, then the manifest (atomically,
// through lowdb's file adapter: a temporary file, then a rename), then the files it no
// longer names are deleted: a kill at any moment leaves the previous save or the next one.
// Writes are coalesced: a change marks the state dirty; one save runs at a time, and every
// change made while it runs is saved by the next one, which starts no sooner than
// PAUSE_FACTOR times the last one's duration after it (a minute at most). A `state.json` of an earlier version
// (one document) is read once and replaced by the folder at the first save.
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TextFile } from 'lowdb/node';
import { z } from 'zod';
import type { Logger } from '../log.js';
import {
  decodeDocument,
  decodeSnapshot,
  encodeDocument,
  restoreSnapshot,
  SnapshotError,
  takeSnapshotWithoutAccountRegions,
  type WorldSnapshot,
} from '../world/platform/snapshot.js';
import { declaresVersion } from '../world/platform/state.js';
import type { World } from '../world/world.js';

/** The folder of the saved state, in DATA_DIR. */
export const STATE_DIR = 'state';
const MANIFEST = 'manifest.json';
/** The single-document state of earlier versions, read when there is no folder yet. */
const LEGACY_STATE_FILE = 'state.json';

const MANIFEST_FORMAT = 'inspector2-local/state';
const PART_FORMAT = 'inspector2-local/state-part';
const FORMAT_VERSION = 1;

const PAUSE_FACTOR = 4;
/** The longest pause: a large world's first write (which also waits for the requests served between its files) must not hold later changes for many minutes. */
const MAX_PAUSE_MS = 60_000;
/** After a failed write, the next try waits this long, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 30_000;

/** The parts that are not an account-region's: the world's own, then the catalog and the events log, which change apart from it. */
const WORLD_PARTS = ['platform', 'catalog', 'events'] as const;
/** A part's file name: what it holds and the save that wrote it; nothing that could leave the folder. */
const PART_FILE = /^(platform|catalog|events|\d{12}\.[a-z0-9-]{1,64}\.[A-Za-z][A-Za-z0-9]{0,63})\.\d{1,15}\.json$/;

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(FORMAT_VERSION),
  generation: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  savedAt: z.string().max(64),
  /** By part: `platform`, `catalog`, `events` and `<accountId>/<region>/<field>`. */
  parts: z
    .record(z.string().max(256), z.string().regex(PART_FILE))
    .refine((parts) => Object.hasOwn(parts, 'platform'), 'the platform part is missing')
    .refine((parts) => Object.keys(parts).length <= 1_000_000, 'too many parts'),
});
type Manifest = z.infer<typeof manifestSchema>;

/** The state cannot be kept or read back: the message says which file and what to do. The server does not start. */
export class PersistenceError extends Error {}

/** A piece of the state with a file of its own. */
interface Part {
  key: string;
  /** Its file's name without the save's number. */
  stem: string;
  value: unknown;
  /** Declared: changes whenever the value does. */
  version?: unknown;
  /** The saved form, made only when the part is written or compared. */
  save: () => unknown;
}

/** What the last save wrote for a part: the file, and what tells whether the part changed since. */
interface Written {
  file: string;
  /** The live value and its declared version when written (a part that declares one). */
  value?: unknown;
  version?: unknown;
  /** A digest of the text written (a part without a version): compared, not the text, so that a large world's texts are not kept. */
  digest?: string;
}

const digestOf = (text: string): string => createHash('sha256').update(text).digest('base64');

export class Persistence {
  private saving?: Promise<void>;
  private dirty = false;
  /** Completed writes (for the health endpoint and tests). */
  writes = 0;
  lastWriteAt?: Date;
  /** How long the last write took, encoding included. */
  lastWriteMs = 0;
  /** Files the last write wrote, the manifest included (the others it kept). */
  lastWriteFiles = 0;
  private lastWriteEnded = 0;
  private wake?: () => void;
  /** Why the last write failed, until one succeeds (the change stays pending and is retried). */
  lastError?: { at: Date; message: string };
  private failures = 0;
  private generation = 0;
  private written = new Map<string, Written>();

  private constructor(
    /** The state folder. */
    readonly file: string,
    private readonly world: World,
    private readonly logger: Logger,
    private legacyFile?: string,
  ) {}

  /**
   * Restores the world from DATA_DIR's saved state if there is one, and saves it after
   * every change from now on. Answers whether a saved state was restored.
   */
  static open(dataDir: string, world: World, logger: Logger): { persistence: Persistence; restored: boolean } {
    const folder = join(dataDir, STATE_DIR);
    try {
      mkdirSync(folder, { recursive: true });
      accessSync(folder, constants.W_OK);
    } catch (error) {
      throw new PersistenceError(
        `DATA_DIR ${dataDir} is not a folder this process can write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
          'choose another DATA_DIR, fix its permissions, or start without PERSISTENCE',
      );
    }
    // Read synchronously: the server must not answer before its state is back.
    const saved = readSaved(dataDir);
    const persistence = new Persistence(folder, world, logger, saved?.legacy ? join(dataDir, LEGACY_STATE_FILE) : undefined);
    if (saved) {
      try {
        restoreSnapshot(world, saved.snapshot);
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        throw new PersistenceError(`the saved state ${saved.source} cannot be read back (${error.message}): move it away to start afresh, or restore a backup`);
      }
      if (saved.manifest) persistence.adopt(saved.manifest, saved.digests!);
    }
    persistence.removeStrays();
    world.onChange = () => persistence.markDirty();
    // A legacy file is rewritten as a folder at once.
    if (saved?.legacy) persistence.markDirty();
    return { persistence, restored: saved !== undefined };
  }

  /** The state, part by part. */
  private *parts(): Generator<Part> {
    const world = this.world;
    // The moment of the save is the manifest's: the platform's text then changes only with the world.
    const platform = (): WorldSnapshot => ({ ...takeSnapshotWithoutAccountRegions(world), savedAt: '', catalog: [], events: { sequence: 0, events: [] } });
    yield { key: 'platform', stem: 'platform', value: undefined, save: platform };
    yield { key: 'catalog', stem: 'catalog', value: world.catalog, version: world.catalog.revision, save: () => world.catalog.all() };
    const events = world.events.save();
    yield { key: 'events', stem: 'events', value: world.events, version: `${events.sequence}:${events.events.length}`, save: () => events };
    for (const part of world.state.accountRegionParts()) {
      yield { ...part, key: `${part.key}/${part.field}`, stem: `${part.key.replace('/', '.')}.${part.field}` };
    }
  }

  /**
   * After a restore: what the manifest's files hold is what the world now holds, so the next
   * save writes only changes. A part without a version is compared with its file's text as
   * read (encoding the restored value again would cost as much as a save).
   */
  private adopt(manifest: Manifest, digests: ReadonlyMap<string, string>): void {
    this.generation = manifest.generation;
    for (const part of this.parts()) {
      const file = manifest.parts[part.key];
      if (file === undefined) continue;
      this.written.set(part.key, 'version' in part ? { file, value: part.value, version: part.version } : { file, digest: digests.get(part.key) });
    }
  }

  /** Files in the folder that no manifest names: what a killed save had begun. */
  private removeStrays(): void {
    const named = new Set([...this.written.values()].map((w) => w.file));
    for (const name of readdirSync(this.file)) {
      // lowdb's writer leaves `.<name>.tmp` behind when killed mid-write.
      const temporary = /^\.(.+)\.tmp$/.exec(name)?.[1];
      if ((PART_FILE.test(name) && !named.has(name)) || (temporary !== undefined && (temporary === MANIFEST || PART_FILE.test(temporary)))) {
        try {
          unlinkSync(join(this.file, name));
        } catch {
          // Left for the next start.
        }
      }
    }
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
      const pause = Math.max(retry + this.lastWriteEnded, this.lastWriteEnded + Math.min(MAX_PAUSE_MS, PAUSE_FACTOR * this.lastWriteMs)) - performance.now();
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
        // What changed is found and encoded synchronously here: it is the state of this moment.
        const generation = this.generation + 1;
        const toWrite: { file: string; text: string }[] = [];
        const written = new Map<string, Written>();
        for (const part of this.parts()) {
          const last = this.written.get(part.key);
          if ('version' in part && last && last.value === part.value && last.version === part.version) {
            written.set(part.key, last);
            continue;
          }
          const saved = part.save();
          // Nothing to keep (a field that starts undefined): no part, and the field starts empty when read.
          if (saved === undefined) continue;
          const text = encodeDocument(partDocument(saved));
          const digest = 'version' in part ? undefined : digestOf(text);
          if (last?.digest !== undefined && last.digest === digest) {
            written.set(part.key, last);
            continue;
          }
          const file = `${part.stem}.${generation}.json`;
          toWrite.push({ file, text });
          written.set(part.key, 'version' in part ? { file, value: part.value, version: part.version } : { file, digest });
        }
        const manifest: Manifest = {
          format: MANIFEST_FORMAT,
          version: FORMAT_VERSION,
          generation,
          savedAt: new Date().toISOString(),
          parts: Object.fromEntries([...written].map(([key, w]) => [key, w.file])),
        };
        for (const { file, text } of toWrite) await new TextFile(join(this.file, file)).write(text);
        await new TextFile(join(this.file, MANIFEST)).write(JSON.stringify(manifest));
        // The manifest names the new save: the files only the previous one named can go.
        const kept = new Set([...written.values()].map((w) => w.file));
        const gone = [...this.written.values()].map((w) => w.file).filter((f) => !kept.has(f));
        this.generation = generation;
        this.written = written;
        await Promise.all(gone.map((file) => unlink(join(this.file, file)).catch(() => undefined)));
        if (this.legacyFile) {
          rmSync(this.legacyFile, { force: true });
          this.legacyFile = undefined;
        }
        this.writes++;
        this.lastWriteFiles = toWrite.length + 1;
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

function partDocument(value: unknown): object {
  return { format: PART_FORMAT, version: FORMAT_VERSION, value };
}

/**
 * The saved state of a DATA_DIR as one snapshot (the folder's parts put together, or an
 * earlier version's state.json), or undefined when there is none. Every file is read as
 * hostile: the manifest is checked, file names cannot leave the folder, each part is decoded
 * with the snapshot codec's checks; the values are checked when the snapshot is restored.
 */
export function readSaved(
  dataDir: string,
): { snapshot: WorldSnapshot; source: string; manifest?: Manifest; digests?: Map<string, string>; legacy?: true } | undefined {
  const folder = join(dataDir, STATE_DIR);
  const manifestFile = join(folder, MANIFEST);
  const text = readIfThere(manifestFile);
  if (text === undefined) {
    const legacy = join(dataDir, LEGACY_STATE_FILE);
    const legacyText = readIfThere(legacy);
    if (legacyText === undefined) return undefined;
    return { snapshot: decodeOrFail(legacy, () => decodeSnapshot(legacyText)), source: legacy, legacy: true };
  }
  const manifest = decodeOrFail(manifestFile, () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SnapshotError(`not a state manifest: ${(error as Error).message.slice(0, 200)}`);
    }
    const checked = manifestSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new SnapshotError(`not a state manifest: ${issue.path.map((p) => String(p).slice(0, 64)).join('.')}: ${issue.message.slice(0, 200)}`);
    }
    return checked.data;
  });
  // Every name is checked before any file is read: a part's file is named after its key.
  const parts = Object.entries(manifest.parts).map(([key, name]) => {
    const stem = (WORLD_PARTS as readonly string[]).includes(key) ? key : key.split('/').length === 3 ? key.replaceAll('/', '.') : undefined;
    if (stem === undefined || !name.startsWith(`${stem}.`)) {
      throw new PersistenceError(`the saved state ${manifestFile} names ${name.slice(0, 128)} for ${key.slice(0, 128)}: move the folder away to start afresh`);
    }
    return { key, file: join(folder, name) };
  });
  const values = new Map<string, unknown>();
  const digests = new Map<string, string>();
  for (const { key, file } of parts) {
    const text = decodeOrFail(file, () => readPart(file));
    // What a save compares a part without a declared version with (the others are compared by their version).
    const field = key.split('/')[2];
    if (field === undefined || !declaresVersion('account-region', field)) digests.set(key, digestOf(text));
    const part = decodeOrFail(file, () => decodeDocument(text, PART_FORMAT, FORMAT_VERSION));
    if (Object.hasOwn(part, 'value')) values.set(key, part.value);
  }
  // The parts put together as one snapshot: restoring it checks every value.
  const platform = values.get('platform') as WorldSnapshot | undefined;
  if (typeof platform !== 'object' || platform === null || typeof platform.state !== 'object' || platform.state === null) {
    throw new PersistenceError(
      `the saved state ${join(folder, manifest.parts.platform!)} cannot be read back (not the platform's part): move the folder away to start afresh`,
    );
  }
  const snapshot: WorldSnapshot = { ...platform, savedAt: manifest.savedAt, state: { ...platform.state, accountRegions: {} } };
  if (values.has('catalog')) snapshot.catalog = values.get('catalog') as WorldSnapshot['catalog'];
  if (values.has('events')) snapshot.events = values.get('events') as WorldSnapshot['events'];
  for (const [key, value] of values) {
    if ((WORLD_PARTS as readonly string[]).includes(key)) continue;
    const [accountId, region, field] = key.split('/') as [string, string, string];
    (snapshot.state.accountRegions[`${accountId}/${region}`] ??= {})[field] = value;
  }
  return { snapshot, source: folder, manifest, digests };
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PersistenceError(
      `cannot read the saved state ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions, or move it away to start afresh`,
    );
  }
}

function readPart(file: string): string {
  const text = readIfThere(file);
  if (text === undefined) throw new SnapshotError('the file is missing');
  return text;
}

function decodeOrFail<T>(file: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    throw new PersistenceError(`the saved state ${file} cannot be read back (${error.message}): move it away to start afresh, or restore a backup`);
  }
}
