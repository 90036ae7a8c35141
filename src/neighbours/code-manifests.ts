// The dependencies a Lambda function's code declares, read from its deployment package (a
// zip the sibling serves). The zip is hostile input: a small central-directory reader with
// hard limits (entries, sizes, total bytes inflated, no zip64, no encrypted entries), only
// the manifest files are inflated (node:zlib, with an output cap), and entry names that
// climb out (.., absolute, backslashes) are skipped. Nothing is written anywhere.
import { inflateRawSync } from 'node:zlib';
import type { InstalledPackage } from '../world/inventory/inventory.js';

/** The largest deployment package read (Lambda's own limit for a direct upload is 50 MB). */
export const MAX_ZIP_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 20_000;
/** One manifest, inflated. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** All manifests of one package, inflated. */
const MAX_TOTAL_BYTES = 16 * 1024 * 1024;
const MAX_MANIFESTS = 2_000;
const MAX_PACKAGES = 5_000;
const MAX_NAME_LENGTH = 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipError extends Error {}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The entries of a zip, from its central directory. */
function entriesOf(zip: Buffer): Entry[] {
  if (zip.length > MAX_ZIP_BYTES) throw new ZipError(`the package is larger than ${MAX_ZIP_BYTES} bytes`);
  // The end record sits in the last 22 bytes plus a comment of at most 65,535.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipError('not a zip (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ZipError('zip64 packages are not read');
  if (count > MAX_ENTRIES) throw new ZipError(`more than ${MAX_ENTRIES} entries`);
  if (offset + size > end) throw new ZipError('the central directory lies outside the package');
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > offset + size || zip.readUInt32LE(at) !== CENTRAL) throw new ZipError('a broken central directory');
    const flags = zip.readUInt16LE(at + 8);
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (next > offset + size) throw new ZipError('a broken central directory');
    const entry: Entry = {
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
    };
    // Encrypted entries are not read.
    if ((flags & 1) === 0) entries.push(entry);
    at = next;
  }
  return entries;
}

function contentOf(zip: Buffer, entry: Entry): Buffer | undefined {
  if (entry.size > MAX_FILE_BYTES || entry.compressedSize > MAX_FILE_BYTES * 4) return undefined;
  const header = entry.localOffset;
  if (header + 30 > zip.length || zip.readUInt32LE(header) !== LOCAL) return undefined;
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  if (start + entry.compressedSize > zip.length) return undefined;
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return entry.size === data.length ? data : undefined;
  if (entry.method !== 8) return undefined;
  try {
    // The declared size may lie: the output cap holds whatever the stream says.
    const inflated = inflateRawSync(data, { maxOutputLength: MAX_FILE_BYTES });
    return inflated.length === entry.size ? inflated : undefined;
  } catch {
    return undefined;
  }
}

/** A name that stays inside the package: relative, no climbing, no backslashes or control characters. */
function safeName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_NAME_LENGTH &&
    !name.startsWith('/') &&
    !name.includes('\\') &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20) &&
    !/^[a-z]:/i.test(name) &&
    !name.split('/').includes('..')
  );
}

type Parser = (text: string, filePath: string) => InstalledPackage[];

/** Which parser reads an entry, by its path in the package. */
function parserOf(name: string): Parser | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base === 'requirements.txt') return requirements;
  if (base === 'Pipfile.lock') return pipfileLock;
  if (base === 'METADATA' && /\.dist-info\/METADATA$/.test(name)) return distInfo;
  if (base === 'package-lock.json' && !name.includes('node_modules/')) return packageLock;
  if (base === 'package.json' && /(^|\/)node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(name)) return installedNodePackage;
  if (base === 'go.mod') return goMod;
  if (base === 'Gemfile.lock') return gemfileLock;
  return undefined;
}

/** The packages the manifests in a deployment package declare (each package once). */
export function packagesInZip(zip: Buffer): InstalledPackage[] {
  const packages = new Map<string, InstalledPackage>();
  let inflated = 0;
  let read = 0;
  for (const entry of entriesOf(zip)) {
    if (!safeName(entry.name)) continue;
    const parse = parserOf(entry.name);
    if (!parse) continue;
    if (++read > MAX_MANIFESTS || inflated + entry.size > MAX_TOTAL_BYTES) break;
    const content = contentOf(zip, entry);
    if (!content) continue;
    inflated += content.length;
    for (const pkg of parse(content.toString('utf8'), entry.name)) {
      const key = `${pkg.ecosystem}|${pkg.name}|${pkg.version}`;
      if (!packages.has(key)) packages.set(key, pkg);
      if (packages.size >= MAX_PACKAGES) return [...packages.values()];
    }
  }
  return [...packages.values()];
}

// ---------------------------------------------------------------- the manifests

const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+!_~-]{0,127}$/;
const PACKAGE_NAME = /^[A-Za-z0-9@][A-Za-z0-9@._/:+-]{0,213}$/;

function pkg(ecosystem: InstalledPackage['ecosystem'], name: string, version: string, filePath: string): InstalledPackage[] {
  return PACKAGE_NAME.test(name) && VERSION.test(version) ? [{ name, version, ecosystem, filePath }] : [];
}

/** PyPI's normalized name (PEP 503): lower case, runs of -_. as one -. */
function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** requirements.txt: the pinned ones (name==version); ranges say no installed version. */
const requirements: Parser = (text, filePath) =>
  text.split(/\r?\n/).flatMap((line) => {
    const pinned = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9.+!_-]+)\s*(?:[;#].*)?$/.exec(line);
    return pinned ? pkg('pypi', pypiName(pinned[1]!), pinned[2]!, filePath) : [];
  });

/** An installed distribution's METADATA: its Name and Version headers. */
const distInfo: Parser = (text, filePath) => {
  const headers = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const name = /^Name:\s*(\S+)\s*$/m.exec(headers)?.[1];
  const version = /^Version:\s*(\S+)\s*$/m.exec(headers)?.[1];
  return name && version ? pkg('pypi', pypiName(name), version, filePath) : [];
};

function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const pipfileLock: Parser = (text, filePath) => {
  const lock = record(json(text));
  return ['default', 'develop'].flatMap((section) =>
    Object.entries(record(lock?.[section]) ?? {}).flatMap(([name, entry]) => {
      const version = record(entry)?.version;
      return typeof version === 'string' && version.startsWith('==') ? pkg('pypi', pypiName(name), version.slice(2), filePath) : [];
    }),
  );
};

/** package-lock.json: v2/v3's `packages` (paths under node_modules), or v1's nested `dependencies`. */
const packageLock: Parser = (text, filePath) => {
  const lock = record(json(text));
  const found: InstalledPackage[] = [];
  const packages = record(lock?.packages);
  if (packages) {
    for (const [path, entry] of Object.entries(packages)) {
      const at = path.lastIndexOf('node_modules/');
      const version = record(entry)?.version;
      if (at >= 0 && typeof version === 'string') found.push(...pkg('npm', path.slice(at + 'node_modules/'.length), version, filePath));
    }
    return found;
  }
  const walk = (dependencies: Record<string, unknown> | undefined, depth: number) => {
    if (!dependencies || depth > 32) return;
    for (const [name, entry] of Object.entries(dependencies)) {
      const version = record(entry)?.version;
      if (typeof version === 'string') found.push(...pkg('npm', name, version, filePath));
      walk(record(record(entry)?.dependencies), depth + 1);
    }
  };
  walk(record(lock?.dependencies), 0);
  return found;
};

/** node_modules/<name>/package.json: an installed package's own name and version. */
const installedNodePackage: Parser = (text, filePath) => {
  const manifest = record(json(text));
  return typeof manifest?.name === 'string' && typeof manifest.version === 'string' ? pkg('npm', manifest.name, manifest.version, filePath) : [];
};

/** go.mod: its require directives, single or in a block. */
const goMod: Parser = (text, filePath) => {
  const found: InstalledPackage[] = [];
  let block = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (block && line === ')') block = false;
    else if (/^require\s*\($/.test(line)) block = true;
    else {
      const require = (block ? /^(\S+)\s+(v\S+)$/ : /^require\s+(\S+)\s+(v\S+)$/).exec(line);
      if (require) found.push(...pkg('go', require[1]!, require[2]!, filePath));
    }
  }
  return found;
};

/** Gemfile.lock: the gems under `specs:`, four spaces in (their own dependencies are six). */
const gemfileLock: Parser = (text, filePath) =>
  text.split(/\r?\n/).flatMap((line) => {
    const spec = /^ {4}([A-Za-z0-9._-]+) \(([^)\s]+)\)$/.exec(line);
    return spec ? pkg('rubygems', spec[1]!, spec[2]!.replace(/-(x86_64|aarch64|arm64|java|x86)[-a-z0-9_]*$/, ''), filePath) : [];
  });
