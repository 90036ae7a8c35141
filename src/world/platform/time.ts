// Durations and instants in the text forms users write: "15m", "90s", "2h", "1d", "500ms",
// ISO 8601 durations ("PT1H30M", "P1D"); instants as ISO 8601 or relative to now ("-3d").

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or undefined when the text is not a duration. */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim();
  const simple = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(trimmed);
  if (simple) return Number(simple[1]) * UNIT_MS[simple[2] as keyof typeof UNIT_MS];
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(trimmed);
  if (iso && trimmed !== 'P' && !trimmed.endsWith('T')) {
    const [, d = '0', h = '0', m = '0', s = '0'] = iso;
    return Number(d) * UNIT_MS.d + Number(h) * UNIT_MS.h + Number(m) * UNIT_MS.m + Number(s) * UNIT_MS.s;
  }
  return undefined;
}

/** An instant from ISO 8601 text or "-<duration>" before `now`; undefined when neither. */
export function instant(text: string, now: number): Date | undefined {
  if (text.startsWith('-')) {
    const ago = durationMs(text.slice(1));
    return ago === undefined ? undefined : new Date(now - ago);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
