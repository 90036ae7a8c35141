// Version ordering for each package ecosystem, and matching of versions against the
// OSV-style affected ranges of the vulnerability catalog. Each scheme follows the tool
// that owns the ecosystem (dpkg, rpm, node-semver and Go's x/mod/semver, Maven's
// ComparableVersion, PEP 440 as in pip's `packaging`, RubyGems' Gem::Version), so that
// a finding appears for exactly the versions the real scanners would flag.
import type { Ecosystem } from './ecosystems.js';

/** One affected range, OSV-style: introduced (inclusive; absent = from the beginning), fixed (exclusive) or lastAffected (inclusive); absent upper bound = still affected. */
export interface VersionRange {
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
}

/** Negative if a < b, 0 if equal, positive if a > b, in the ecosystem's own ordering. Throws a RangeError when either is not a valid version (see isValidVersion). */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  const scheme = schemeOf(ecosystem);
  return Math.sign(scheme.compare(parseOrThrow(ecosystem, a), parseOrThrow(ecosystem, b)));
}

/** Whether the text is a version the ecosystem accepts. */
export function isValidVersion(ecosystem: Ecosystem, version: string): boolean {
  return typeof version === 'string' && schemeOf(ecosystem).parse(version) !== undefined;
}

/**
 * Whether a version falls in any of the ranges. A range with both fixed and lastAffected
 * must satisfy both. `introduced: "0"` means "from the beginning", as in OSV data. Throws a
 * RangeError when the version or a bound is not a valid version of the ecosystem.
 */
export function isAffected(ecosystem: Ecosystem, version: string, ranges: readonly VersionRange[]): boolean {
  const scheme = schemeOf(ecosystem);
  const parsed = parseOrThrow(ecosystem, version);
  const compareTo = (bound: string): number => scheme.compare(parsed, parseOrThrow(ecosystem, bound));
  return ranges.some((range) => {
    if (range.introduced !== undefined && range.introduced !== OSV_BEGINNING && compareTo(range.introduced) < 0) return false;
    if (range.fixed !== undefined && compareTo(range.fixed) >= 0) return false;
    if (range.lastAffected !== undefined && compareTo(range.lastAffected) > 0) return false;
    return true;
  });
}

// OSV writes "introduced: 0" for "every version"; "0" is not even a version in some schemes (Go).
const OSV_BEGINNING = '0';

interface Scheme<T> {
  /** The parsed version, or undefined when the text is not a version of this scheme. */
  parse(text: string): T | undefined;
  compare(a: T, b: T): number;
}

function schemeOf(ecosystem: Ecosystem): Scheme<unknown> {
  const scheme = Object.hasOwn(SCHEMES, ecosystem) ? SCHEMES[ecosystem] : undefined;
  if (scheme === undefined) throw new RangeError(`Unknown ecosystem: ${JSON.stringify(ecosystem)}`);
  return scheme;
}

function parseOrThrow(ecosystem: Ecosystem, text: string): unknown {
  const parsed = typeof text === 'string' ? schemeOf(ecosystem).parse(text) : undefined;
  if (parsed === undefined) throw new RangeError(`Not a valid ${ecosystem} version: ${JSON.stringify(text)}`);
  return parsed;
}

// ---------------------------------------------------------------------------------------
// Shared helpers

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAsciiLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** Orders digit strings by value, whatever their length (no precision loss, leading zeros ignored; '' = 0). */
function compareNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Plain code-unit order, like C's strcmp on ASCII and Java's String.compareTo. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// dpkg: [epoch:]upstream_version[-debian_revision], compared as dpkg's verrevcmp does.

interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const DPKG_UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const DPKG_REVISION = /^[A-Za-z0-9.+~]+$/;

const dpkg: Scheme<DpkgVersion> = {
  // Valid = what dpkg parses without an error or a warning: the epoch ends at the first colon,
  // the revision starts after the last hyphen, and the upstream part starts with a digit.
  parse(text) {
    const colon = text.indexOf(':');
    const epoch = colon === -1 ? '0' : text.slice(0, colon);
    const rest = text.slice(colon + 1);
    const hyphen = rest.lastIndexOf('-');
    const upstream = hyphen === -1 ? rest : rest.slice(0, hyphen);
    const revision = hyphen === -1 ? '' : rest.slice(hyphen + 1);
    if (!/^\d+$/.test(epoch) || !DPKG_UPSTREAM.test(upstream)) return undefined;
    if (hyphen !== -1 && !DPKG_REVISION.test(revision)) return undefined;
    return { epoch, upstream, revision };
  },
  compare(a, b) {
    return compareNumbers(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
  },
};

/** dpkg's weight of one character ('' = end of string): ~ first, then the end, letters, then other symbols. */
function dpkgOrder(c: string): number {
  if (c === '' || isDigit(c)) return 0;
  if (isAsciiLetter(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** Alternates non-digit runs (compared character by character) and digit runs (compared by value). */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charAt(i))) || (j < b.length && !isDigit(b.charAt(j)))) {
      const difference = dpkgOrder(a.charAt(i)) - dpkgOrder(b.charAt(j));
      if (difference !== 0) return difference;
      i++;
      j++;
    }
    const aStart = i;
    const bStart = j;
    while (i < a.length && isDigit(a.charAt(i))) i++;
    while (j < b.length && isDigit(b.charAt(j))) j++;
    const difference = compareNumbers(a.slice(aStart, i), b.slice(bStart, j));
    if (difference !== 0) return difference;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------
// rpm: [epoch:]version[-release], each part compared with rpmvercmp (rpm >= 4.15, with ^).

interface RpmVersion {
  epoch: string;
  version: string;
  release: string;
}

// The characters rpmbuild allows in Version and Release; neither may contain a hyphen.
const RPM_EVR = /^(?:(\d+):)?([A-Za-z0-9._+~^]+)(?:-([A-Za-z0-9._+~^]+))?$/;

const rpm: Scheme<RpmVersion> = {
  parse(text) {
    const match = RPM_EVR.exec(text);
    if (!match) return undefined;
    return { epoch: match[1] ?? '0', version: match[2] ?? '', release: match[3] ?? '' };
  },
  // A missing release compares as the empty string, so it sorts before any release. rpm itself
  // treats a missing release as matching any release, which is not a total order; scanners
  // (OSV, Trivy) compare the empty string as done here.
  compare(a, b) {
    return compareNumbers(a.epoch, b.epoch) || rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
  },
};

const isRpmSeparator = (c: string): boolean => !isDigit(c) && !isAsciiLetter(c) && c !== '~' && c !== '^';

function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && isRpmSeparator(a.charAt(i))) i++;
    while (j < b.length && isRpmSeparator(b.charAt(j))) j++;
    const ca = a.charAt(i);
    const cb = b.charAt(j);

    // A tilde sorts before everything, even the end of the string: 1.0~rc1 < 1.0.
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // A caret sorts after the end of the string but before anything else: 1.0 < 1.0^git1 < 1.0.1.
    if (ca === '^' || cb === '^') {
      if (ca === '') return -1;
      if (cb === '') return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '' || cb === '') break;

    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isAsciiLetter;
    const aStart = i;
    const bStart = j;
    while (i < a.length && inSegment(a.charAt(i))) i++;
    while (j < b.length && inSegment(b.charAt(j))) j++;
    const segmentA = a.slice(aStart, i);
    const segmentB = b.slice(bStart, j);
    // Segments of different kinds: the numeric one is newer.
    if (segmentB === '') return numeric ? 1 : -1;
    const difference = numeric ? compareNumbers(segmentA, segmentB) : compareStrings(segmentA, segmentB);
    if (difference !== 0) return difference;
  }
  // Equal segments, possibly different separators: whichever has something left is newer.
  if (i >= a.length && j >= b.length) return 0;
  return i < a.length ? 1 : -1;
}

// ---------------------------------------------------------------------------------------
// apk: Alpine's versions, number{.number}[letter]{_suffix[number]}[-rN], compared as
// apk-tools' version.c does: token by token; where the two differ in kind, the one that
// goes on is newer unless what follows is a prerelease suffix (_alpha, _beta, _pre, _rc).
// apk-tools also reads a ~commit-hash part; Alpine's packages and secdb do not use it, so
// it is not accepted here.

const APK_VERSION = /^\d+(?:\.\d+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(?:-r\d+)?$/;
const APK_PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const APK_POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

// Token kinds in apk-tools' order: where kinds differ, the lower kind means "more version follows".
const ApkToken = { DigitOrZero: 0, Digit: 1, Letter: 2, Suffix: 3, SuffixNumber: 4, Revision: 5, End: 6 } as const;

interface ApkPart {
  kind: (typeof ApkToken)[keyof typeof ApkToken];
  value: bigint;
}

const apk: Scheme<ApkPart[]> = {
  parse(text) {
    if (text.length > 128 || !APK_VERSION.test(text)) return undefined;
    const parts: ApkPart[] = [];
    const revision = /-r(\d+)$/.exec(text);
    const body = revision ? text.slice(0, revision.index) : text;
    const [core = '', ...suffixes] = body.split('_');
    const letter = /[a-z]$/.test(core) ? core.slice(-1) : '';
    const numbers = (letter ? core.slice(0, -1) : core).split('.');
    numbers.forEach((digits, index) => {
      if (index > 0 && digits.startsWith('0')) {
        // apk-tools gives leading zeros after a dot their own token, worth minus their count (1.01 < 1.1).
        const zeros = /^0+/.exec(digits)![0].length;
        parts.push({ kind: ApkToken.DigitOrZero, value: BigInt(-zeros) });
        if (zeros < digits.length) parts.push({ kind: ApkToken.Digit, value: BigInt(digits.slice(zeros)) });
        return;
      }
      parts.push({ kind: index === 0 ? ApkToken.Digit : ApkToken.DigitOrZero, value: BigInt(digits) });
    });
    if (letter) parts.push({ kind: ApkToken.Letter, value: BigInt(letter.charCodeAt(0)) });
    for (const suffix of suffixes) {
      const [, name = '', number = ''] = /^([a-z]+)(\d*)$/.exec(suffix) ?? [];
      const pre = APK_PRE_SUFFIXES.indexOf(name);
      // Prerelease suffixes are negative (alpha < beta < pre < rc < none), the others positive.
      parts.push({ kind: ApkToken.Suffix, value: BigInt(pre !== -1 ? pre - APK_PRE_SUFFIXES.length : APK_POST_SUFFIXES.indexOf(name) + 1) });
      if (number !== '') parts.push({ kind: ApkToken.SuffixNumber, value: BigInt(number) });
    }
    if (revision) parts.push({ kind: ApkToken.Revision, value: BigInt(revision[1]!) });
    return parts;
  },
  compare(a, b) {
    for (let k = 0; ; k++) {
      const x = a[k];
      const y = b[k];
      const kindX: number = x?.kind ?? ApkToken.End;
      const kindY: number = y?.kind ?? ApkToken.End;
      if (kindX !== kindY) {
        if (kindX === ApkToken.Suffix && x!.value < 0n) return -1;
        if (kindY === ApkToken.Suffix && y!.value < 0n) return 1;
        // The kinds differ: the side with more version to come (the lower kind) is newer.
        return kindX > kindY ? -1 : 1;
      }
      if (x === undefined || y === undefined) return 0;
      if (x.value !== y.value) return x.value < y.value ? -1 : 1;
    }
  },
};

// ---------------------------------------------------------------------------------------
// npm and Go: Semantic Versioning 2.0.0. Build metadata is accepted and ignored.

interface SemanticVersion {
  core: [string, string, string];
  prerelease: string[];
}

const NUMBER = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER_BODY = `(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?`;
// node-semver accepts an optional leading "v"; Go requires it.
const NPM_SEMVER = new RegExp(`^v?${SEMVER_BODY}$`);
const GO_SEMVER = new RegExp(`^v${SEMVER_BODY}$`);
// x/mod/semver also accepts the shorthands v1 and v1.2 (for v1.0.0 and v1.2.0).
const GO_SHORTHAND = new RegExp(`^v(${NUMBER})(?:\\.(${NUMBER}))?$`);
// node-semver's limits: MAX_LENGTH and Number.MAX_SAFE_INTEGER for major, minor and patch.
const NPM_MAX_LENGTH = 256;

function semverFromMatch(match: RegExpExecArray): SemanticVersion {
  return {
    core: [match[1] ?? '0', match[2] ?? '0', match[3] ?? '0'],
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

const npm: Scheme<SemanticVersion> = {
  parse(text) {
    const match = text.length <= NPM_MAX_LENGTH ? NPM_SEMVER.exec(text) : null;
    if (!match) return undefined;
    const version = semverFromMatch(match);
    return version.core.every((part) => BigInt(part) <= BigInt(Number.MAX_SAFE_INTEGER)) ? version : undefined;
  },
  compare: compareSemver,
};

const go: Scheme<SemanticVersion> = {
  parse(text) {
    const full = GO_SEMVER.exec(text);
    if (full) return semverFromMatch(full);
    const shorthand = GO_SHORTHAND.exec(text);
    return shorthand ? { core: [shorthand[1] ?? '0', shorthand[2] ?? '0', '0'], prerelease: [] } : undefined;
  },
  // Pseudo-versions (v0.0.0-20210101000000-abcdef123456) are ordinary prereleases: their
  // timestamp orders them among themselves, and they sort before the release they precede.
  compare: compareSemver,
};

function compareSemver(a: SemanticVersion, b: SemanticVersion): number {
  for (let k = 0; k < 3; k++) {
    const difference = compareNumbers(a.core[k] ?? '0', b.core[k] ?? '0');
    if (difference !== 0) return difference;
  }
  // A release is newer than any of its prereleases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let k = 0; k < length; k++) {
    const x = a.prerelease[k];
    const y = b.prerelease[k];
    // More identifiers win when all the shared ones are equal.
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const difference = comparePrereleaseIdentifiers(x, y);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Numeric identifiers compare by value and sort before alphanumeric ones, which compare in ASCII order. */
function comparePrereleaseIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return compareNumbers(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return compareStrings(a, b);
}

// ---------------------------------------------------------------------------------------
// Maven: org.apache.maven.artifact.versioning.ComparableVersion as of Maven 3.9.2+ (with
// the MNG-7644 and MNG-7714 changes). A version is a tree: "-" and a switch from digits to
// letters open a sub-list; "alpha1" style tokens are combination items.

type MavenItem =
  | { kind: 'number'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'combination'; text: MavenStringItem; number: bigint }
  | { kind: 'list'; items: MavenItem[] };
type MavenStringItem = Extract<MavenItem, { kind: 'string' }>;
type MavenListItem = Extract<MavenItem, { kind: 'list' }>;

const MAVEN_QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const MAVEN_RELEASE_QUALIFIERS = ['ga', 'final', 'release'];
const MAVEN_RELEASE_RANK = String(MAVEN_QUALIFIERS.indexOf(''));
// Characters the Maven model validator bans from versions (they end up in file paths).
const MAVEN_BANNED = /[\\/:"<>|?*\s\p{Cc}]/u;

const maven: Scheme<MavenListItem> = {
  parse(text) {
    return text === '' || MAVEN_BANNED.test(text) ? undefined : parseMaven(text);
  },
  compare: (a, b) => compareMavenItems(a, b),
};

function mavenString(value: string, followedByDigit: boolean): MavenStringItem {
  // a1 = alpha-1, b1 = beta-1, m1 = milestone-1; a lone "a" is just an unknown qualifier.
  if (followedByDigit && value.length === 1) {
    value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  }
  return { kind: 'string', value: value === 'cr' ? 'rc' : value };
}

function parseMavenItem(isCombination: boolean, isNumber: boolean, token: string): MavenItem {
  if (isCombination) {
    const letters = token.replace(/-/g, '');
    const firstDigit = letters.search(/[0-9]/);
    return { kind: 'combination', text: mavenString(letters.slice(0, firstDigit), true), number: BigInt(letters.slice(firstDigit)) };
  }
  return isNumber ? { kind: 'number', value: BigInt(token) } : mavenString(token, false);
}

function parseMaven(original: string): MavenListItem {
  const version = original.toLowerCase();
  const root: MavenListItem = { kind: 'list', items: [] };
  const lists = [root];
  let list = root;
  const openSubList = (): void => {
    const sub: MavenListItem = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    lists.push(sub);
  };
  let isNumber = false;
  let isCombination = false;
  let start = 0;

  for (let i = 0; i < version.length; i++) {
    const c = version.charAt(i);
    if (c === '.') {
      list.items.push(i === start ? { kind: 'number', value: 0n } : parseMavenItem(isCombination, isNumber, version.slice(start, i)));
      isCombination = false;
      start = i + 1;
    } else if (c === '-') {
      if (i === start) {
        list.items.push({ kind: 'number', value: 0n });
      } else {
        // "X-1" is read as the combination "X1".
        if (!isNumber && i !== version.length - 1 && isDigit(version.charAt(i + 1))) {
          isCombination = true;
          continue;
        }
        list.items.push(parseMavenItem(isCombination, isNumber, version.slice(start, i)));
      }
      start = i + 1;
      if (list.items.length > 0) openSubList();
      isCombination = false;
    } else if (isDigit(c)) {
      if (!isNumber && i > start) {
        // Letters then digits: "X1", a combination, in its own sub-list (1.0.0.X1 < 1.0.0-X2).
        isCombination = true;
        if (list.items.length > 0) openSubList();
      }
      isNumber = true;
    } else {
      if (isNumber && i > start) {
        list.items.push(parseMavenItem(isCombination, true, version.slice(start, i)));
        start = i;
        openSubList();
        isCombination = false;
      }
      isNumber = false;
    }
  }
  if (version.length > start) {
    // Treat a trailing ".X" as "-X" for any qualifier X.
    if (!isNumber && list.items.length > 0) openSubList();
    list.items.push(parseMavenItem(isCombination, isNumber, version.slice(start)));
  }
  // Innermost lists first, as Maven pops its stack.
  for (let k = lists.length - 1; k >= 0; k--) normalizeMavenList(lists[k] as MavenListItem);
  return root;
}

function isMavenNull(item: MavenItem): boolean {
  switch (item.kind) {
    case 'number':
      return item.value === 0n;
    case 'string':
      return item.value === '';
    case 'combination':
      return false;
    case 'list':
      return item.items.length === 0;
  }
}

/** Drops null items (0, "", empty lists) at the end, and zeros in front of a qualifier: 1.0.0 = 1, 1.0-sp1 = 1-sp1. */
function normalizeMavenList(list: MavenListItem): void {
  const items = list.items;
  for (let i = items.length - 1; i >= 0; i--) {
    if (!isMavenNull(items[i] as MavenItem)) continue;
    const next = items[i + 1];
    const nextFirst = next?.kind === 'list' ? next.items[0] : undefined;
    if (next === undefined || next.kind === 'string' || nextFirst?.kind === 'combination' || nextFirst?.kind === 'string') {
      items.splice(i, 1);
    }
  }
}

function mavenQualifierRank(qualifier: string): string {
  if (MAVEN_RELEASE_QUALIFIERS.includes(qualifier)) return MAVEN_RELEASE_RANK;
  const index = MAVEN_QUALIFIERS.indexOf(qualifier);
  // Unknown qualifiers sort after the known ones, among themselves lexically.
  return index === -1 ? `${MAVEN_QUALIFIERS.length}-${qualifier}` : String(index);
}

/** ComparableVersion's Item.compareTo; `b` undefined stands for a missing item (the shorter side). */
function compareMavenItems(a: MavenItem, b: MavenItem | undefined): number {
  switch (a.kind) {
    case 'number':
      if (b === undefined) return a.value === 0n ? 0 : 1;
      if (b.kind === 'number') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
      return 1; // 1.1 > 1-sp, 1.1 > 1-1
    case 'string':
      if (b === undefined) return compareStrings(mavenQualifierRank(a.value), MAVEN_RELEASE_RANK); // 1-rc < 1, 1-sp > 1
      if (b.kind === 'string') return compareStrings(mavenQualifierRank(a.value), mavenQualifierRank(b.value));
      if (b.kind === 'combination') return compareMavenItems(a, b.text) || -1; // X < X1
      return -1; // 1.any < 1.1, 1.any < 1-1
    case 'combination':
      if (b === undefined) return compareMavenItems(a.text, undefined);
      if (b.kind === 'string') return compareMavenItems(a.text, b) || 1; // X1 > X
      if (b.kind === 'combination') {
        return compareMavenItems(a.text, b.text) || compareMavenItems({ kind: 'number', value: a.number }, { kind: 'number', value: b.number });
      }
      return -1;
    case 'list':
      if (b === undefined) {
        for (const item of a.items) {
          const result = compareMavenItems(item, undefined);
          if (result !== 0) return result;
        }
        return 0;
      }
      if (b.kind === 'number') return -1; // 1-1 < 1.0.x
      if (b.kind !== 'list') return 1; // 1-1 > 1-sp
      for (let k = 0; k < Math.max(a.items.length, b.items.length); k++) {
        const left = a.items[k];
        const right = b.items[k];
        const result = left === undefined ? (right === undefined ? 0 : -compareMavenItems(right, undefined)) : compareMavenItems(left, right);
        if (result !== 0) return result;
      }
      return 0;
  }
}

// ---------------------------------------------------------------------------------------
// PyPI: PEP 440, with the spellings and normalizations of pip's `packaging` library.

interface Pep440Version {
  epoch: bigint;
  release: bigint[]; // trailing zeros removed: 1.0 == 1.0.0
  pre?: { rank: number; number: bigint };
  post?: bigint;
  dev?: bigint;
  local?: (bigint | string)[];
}

// packaging's VERSION_PATTERN, without the surrounding whitespace it tolerates.
const PEP440 = new RegExp(
  '^v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?:[-_.]?(?<preLabel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preNumber>[0-9]+)?)?' +
    '(?:-(?<implicitPost>[0-9]+)|[-_.]?(?<postLabel>post|rev|r)[-_.]?(?<postNumber>[0-9]+)?)?' +
    '(?:[-_.]?(?<devLabel>dev)[-_.]?(?<devNumber>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);
// a < b < rc, whatever the spelling.
const PEP440_PRE_RANK: Readonly<Record<string, number>> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

const pypi: Scheme<Pep440Version> = {
  parse(text) {
    const groups = PEP440.exec(text)?.groups;
    if (!groups) return undefined;
    const release = (groups.release ?? '0').split('.').map(BigInt);
    while (release.length > 1 && release[release.length - 1] === 0n) release.pop();
    const version: Pep440Version = { epoch: BigInt(groups.epoch ?? '0'), release };
    // A label without a number means 0: 1.0a == 1.0a0, 1.0.post == 1.0.post0, 1.0.dev == 1.0.dev0.
    if (groups.preLabel !== undefined) {
      version.pre = { rank: PEP440_PRE_RANK[groups.preLabel.toLowerCase()] ?? 0, number: BigInt(groups.preNumber ?? '0') };
    }
    if (groups.implicitPost !== undefined) version.post = BigInt(groups.implicitPost); // 1.0-1 == 1.0.post1
    if (groups.postLabel !== undefined) version.post = BigInt(groups.postNumber ?? '0');
    if (groups.devLabel !== undefined) version.dev = BigInt(groups.devNumber ?? '0');
    if (groups.local !== undefined) {
      version.local = groups.local
        .toLowerCase()
        .split(/[-_.]/)
        .map((part) => (/^\d+$/.test(part) ? BigInt(part) : part));
    }
    return version;
  },
  compare: comparePep440,
};

const compareBigInts = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** packaging's _cmpkey: epoch, release, pre, post, dev, local, each with its own idea of "absent". */
function comparePep440(a: Pep440Version, b: Pep440Version): number {
  const epoch = compareBigInts(a.epoch, b.epoch);
  if (epoch !== 0) return epoch;
  for (let k = 0; k < Math.max(a.release.length, b.release.length); k++) {
    const difference = compareBigInts(a.release[k] ?? 0n, b.release[k] ?? 0n);
    if (difference !== 0) return difference;
  }
  return (
    compareTuples(pep440PreKey(a), pep440PreKey(b)) ||
    // No post-release sorts before any post-release; no dev release sorts after any dev release.
    compareTuples(a.post === undefined ? [0n] : [1n, a.post], b.post === undefined ? [0n] : [1n, b.post]) ||
    compareTuples(a.dev === undefined ? [1n] : [0n, a.dev], b.dev === undefined ? [1n] : [0n, b.dev]) ||
    comparePep440Local(a.local, b.local)
  );
}

/** A bare dev release (1.0.dev1) sorts before every pre-release of 1.0; a final release after them. */
function pep440PreKey(version: Pep440Version): bigint[] {
  if (version.pre !== undefined) return [1n, BigInt(version.pre.rank), version.pre.number];
  return version.post === undefined && version.dev !== undefined ? [0n] : [2n];
}

function compareTuples(a: readonly bigint[], b: readonly bigint[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    const difference = compareBigInts(x, y);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** No local label sorts first; segments compare numbers by value above strings, and a longer label wins a tie. */
function comparePep440Local(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    if (typeof x !== typeof y) return typeof x === 'bigint' ? 1 : -1;
    const difference = typeof x === 'bigint' ? compareBigInts(x, y as bigint) : compareStrings(x, y as string);
    if (difference !== 0) return difference;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------
// RubyGems: Gem::Version.

// Gem::Version::ANCHORED_VERSION_PATTERN, without the surrounding whitespace it tolerates
// and without the empty string it reads as "0".
const GEM_VERSION = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

type GemSegment = bigint | string;

const rubygems: Scheme<GemSegment[]> = {
  parse(text) {
    if (!GEM_VERSION.test(text)) return undefined;
    // Gem::Version reads "-" as ".pre.", so 1.0-1 is a prerelease of 1.0.
    const segments = (text.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((s): GemSegment => (isDigit(s.charAt(0)) ? BigInt(s) : s));
    return canonicalGemSegments(segments);
  },
  compare(a, b) {
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      const x = a[k] ?? 0n;
      const y = b[k] ?? 0n;
      if (x === y) continue;
      // A letter segment marks a prerelease, which sorts before any number: 1.0.a < 1.0 < 1.0.1.
      if (typeof x !== typeof y) return typeof x === 'string' ? -1 : 1;
      return typeof x === 'bigint' ? compareBigInts(x, y as bigint) : compareStrings(x, y as string);
    }
    return 0;
  },
};

/** Gem::Version#canonical_segments: trailing zeros dropped from the release part and from the prerelease part. */
function canonicalGemSegments(segments: GemSegment[]): GemSegment[] {
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const split = firstString === -1 ? segments.length : firstString;
  const dropTrailingZeros = (part: GemSegment[]): GemSegment[] => {
    let end = part.length;
    while (end > 0 && part[end - 1] === 0n) end--;
    return part.slice(0, end);
  };
  return [...dropTrailingZeros(segments.slice(0, split)), ...dropTrailingZeros(segments.slice(split))];
}

// ---------------------------------------------------------------------------------------

const SCHEMES: { readonly [E in Ecosystem]: Scheme<unknown> } = {
  dpkg: dpkg,
  rpm: rpm,
  apk: apk,
  npm: npm,
  go: go,
  maven: maven,
  pypi: pypi,
  rubygems: rubygems,
};

// ---------------------------------------------------------------------------------------
// A distribution package's version as Inspector reports it: epoch, version and release apart.

/** dpkg's [epoch:]upstream[-revision], rpm's [epoch:]version[-release] and apk's version[-rN], split into Inspector's parts (epoch 0 when absent). */
export function splitOsVersion(ecosystem: 'dpkg' | 'rpm' | 'apk', text: string): { epoch: number; version: string; release: string } {
  if (ecosystem === 'apk') {
    const revision = /-(r\d+)$/.exec(text);
    return { epoch: 0, version: revision ? text.slice(0, revision.index) : text, release: revision?.[1] ?? '' };
  }
  const colon = /^\d+:/.exec(text);
  const epoch = colon ? Number(colon[0].slice(0, -1)) : 0;
  const rest = colon ? text.slice(colon[0].length) : text;
  const hyphen = rest.lastIndexOf('-');
  return { epoch, version: hyphen === -1 ? rest : rest.slice(0, hyphen), release: hyphen === -1 ? '' : rest.slice(hyphen + 1) };
}

/**
 * A vendor's fixed version as Inspector writes fixedInVersion, `epoch:version-release`
 * (AWS's examples: "0:3.0.13-0ubuntu3.4", "0:5.15.189-131.202.amzn2"). A fix published
 * without an epoch is taken to be in the epoch of the installed package: advisories often
 * print package versions without the epoch, and a fix never moves a package to another
 * epoch, so comparing it in the installed epoch is what a scanner must do (an absent epoch
 * read as 0 would make every fix of an epoch-1 package look older than what is installed).
 */
export function withEpoch(ecosystem: 'dpkg' | 'rpm' | 'apk', fixed: string, installedEpoch: number): string {
  if (ecosystem === 'apk' || /^\d+:/.test(fixed)) return fixed;
  return `${installedEpoch}:${fixed}`;
}
