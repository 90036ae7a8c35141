// CVSS v3.x base scores from vectors (the FIRST specification's formula), so that the
// Inspector score can re-score a vulnerability with the metrics the environment changes.

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;
const PRIVILEGES = { U: { N: 0.85, L: 0.62, H: 0.27 }, C: { N: 0.85, L: 0.68, H: 0.5 } } as const;

export type CvssMetrics = Record<'AV' | 'AC' | 'PR' | 'UI' | 'S' | 'C' | 'I' | 'A', string>;

/** The base metrics of a `CVSS:3.x/AV:N/...` vector; undefined when it is not one. */
export function parseVector(vector: string): CvssMetrics | undefined {
  const [prefix, ...parts] = vector.split('/');
  if (!/^CVSS:3\.[01]$/.test(prefix ?? '')) return undefined;
  const metrics: Record<string, string> = {};
  for (const part of parts) {
    const [key, value] = part.split(':');
    if (key && value) metrics[key] = value;
  }
  const required = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
  return required.every((k) => metrics[k] !== undefined) ? (metrics as CvssMetrics) : undefined;
}

export function formatVector(version: string, metrics: CvssMetrics): string {
  return `CVSS:${version}/` + (['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const).map((k) => `${k}:${metrics[k]}`).join('/');
}

/** Rounds up to one decimal as CVSS 3.1 specifies (avoiding floating-point artefacts). */
function roundUp(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

export function baseScore(metrics: CvssMetrics): number {
  const changed = metrics.S === 'C';
  const weight = <K extends keyof typeof WEIGHTS>(k: K) => (WEIGHTS[k] as Record<string, number>)[metrics[k]] ?? 0;
  const privileges = (PRIVILEGES[changed ? 'C' : 'U'] as Record<string, number>)[metrics.PR] ?? 0;
  const iss = 1 - (1 - weight('C')) * (1 - weight('I')) * (1 - weight('A'));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * weight('AV') * weight('AC') * privileges * weight('UI');
  return changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export function severityOf(score: number): Severity {
  if (score === 0) return 'INFORMATIONAL';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}
