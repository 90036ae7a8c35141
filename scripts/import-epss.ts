// `tsx scripts/import-epss.ts [options] <csv>...`: writes seeds/epss.json, the FIRST EPSS
// score of every CVE in the catalog files, from local copies of the published data. It never
// reaches the network: download the daily file first (https://epss.empiricalsecurity.com/,
// epss_scores-YYYY-MM-DD.csv.gz) and pass its path.
//
// Inputs, plain or gzipped: FIRST's daily CSV ("#model_version:…,score_date:…" then
// "cve,epss,percentile" rows), or rows "cve;epss;percentile" as dumps of FIRST's API store
// them (one file per year, no header); several files are merged, and must not disagree.
// Options: --as-of YYYY-MM-DD and --model-version when the files do not say; --source <url>
// (default FIRST's data set); --seeds <dir> (default seeds/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { catalogCveIds, SEEDS_DIR, writeJsonAtomically } from './seed-files.js';

interface Score {
  score: number;
  percentile: number;
}

interface Parsed {
  modelVersion?: string;
  scoreDate?: string;
  scores: Map<string, Score>;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_SOURCE = 'https://epss.empiricalsecurity.com/';

function readText(file: string): string {
  const bytes = readFileSync(file);
  // gzip's magic number, whatever the file is called
  const gzipped = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
}

function probability(text: string | undefined, where: string): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`${where}: ${JSON.stringify(text)} is not a probability`);
  }
  // The published precision: five decimals.
  return Math.round(value * 1e5) / 1e5;
}

function parseFile(file: string): Parsed {
  const parsed: Parsed = { scores: new Map() };
  readText(file)
    .split(/\r?\n/)
    .forEach((line, index) => {
      const where = `${file}:${index + 1}`;
      if (line.trim() === '') return;
      if (line.startsWith('#')) {
        for (const pair of line.slice(1).split(',')) {
          const colon = pair.indexOf(':');
          const key = pair.slice(0, colon).trim();
          const value = pair.slice(colon + 1).trim();
          if (key === 'model_version') parsed.modelVersion = value;
          if (key === 'score_date') parsed.scoreDate = value.slice(0, 10);
        }
        return;
      }
      const [cve, epss, percentile, ...rest] = line.split(/[,;]/).map((cell) => cell.trim());
      if (cve === 'cve') return; // the column header
      if (cve === undefined || !CVE_ID.test(cve) || rest.length > 0) throw new Error(`${where}: not a "cve,epss,percentile" row`);
      const score = { score: probability(epss, where), percentile: probability(percentile, where) };
      const earlier = parsed.scores.get(cve);
      if (earlier !== undefined && (earlier.score !== score.score || earlier.percentile !== score.percentile)) {
        throw new Error(`${where}: ${cve} is listed twice with different scores`);
      }
      parsed.scores.set(cve, score);
    });
  if (parsed.scoreDate !== undefined && !DATE.test(parsed.scoreDate)) throw new Error(`${file}: score_date ${parsed.scoreDate} is not a date`);
  return parsed;
}

function same(what: string, values: (string | undefined)[]): string | undefined {
  const known = [...new Set(values.filter((value): value is string => value !== undefined))];
  if (known.length > 1) throw new Error(`the files disagree on ${what}: ${known.join(', ')}`);
  return known[0];
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'as-of': { type: 'string' },
      'model-version': { type: 'string' },
      source: { type: 'string' },
      seeds: { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new Error('usage: tsx scripts/import-epss.ts [--as-of YYYY-MM-DD] [--model-version v…] [--source url] <csv>...');
  const files = positionals.map(parseFile);
  const asOf =
    values['as-of'] ??
    same(
      'score_date',
      files.map((file) => file.scoreDate),
    );
  const modelVersion =
    values['model-version'] ??
    same(
      'model_version',
      files.map((file) => file.modelVersion),
    );
  if (asOf === undefined || !DATE.test(asOf)) throw new Error('no score date: the files carry none, give --as-of YYYY-MM-DD');

  const all = new Map<string, Score>();
  for (const file of files) for (const [cve, score] of file.scores) all.set(cve, score);

  const seedsDir = values.seeds ?? SEEDS_DIR;
  const scores: Record<string, Score> = {};
  const missing: string[] = [];
  for (const cve of catalogCveIds(seedsDir)) {
    const score = all.get(cve);
    if (score === undefined) missing.push(cve);
    else scores[cve] = score;
  }
  const out = join(seedsDir, 'epss.json');
  writeJsonAtomically(out, { asOf, ...(modelVersion === undefined ? {} : { modelVersion }), source: values.source ?? DEFAULT_SOURCE, scores });
  const total = Object.keys(scores).length + missing.length;
  console.log(`wrote ${out}: ${Object.keys(scores).length} of ${total} catalog CVEs scored (${all.size} rows read)`);
  if (missing.length > 0) console.log(`no score: ${missing.join(' ')}`);
}

try {
  main();
} catch (error) {
  // A bad input file is reported, not thrown: the message names the file and line.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
