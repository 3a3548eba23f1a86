// Table 19's rounding: counts of 1,000 or more are whole numbers, smaller counts and all
// rates keep one decimal, and a trailing ".0" is not printed (4, 40, 14, 320).
import type { Figures } from './types.ts';

const COUNTS: ReadonlySet<keyof Figures> = new Set(['reportsPerYear', 'reportsPerDay', 'reportsPerHour']);

/** Round half away from zero at `digits`, tolerant of binary noise (0.15 × 3 = 0.44999…). */
function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f + Math.sign(x) * 1e-9) / f;
}

export function reportRound(key: keyof Figures, x: number): number {
  if (COUNTS.has(key) && Math.abs(x) >= 1000) return roundTo(x, 0);
  return roundTo(x, 1);
}

export function roundFigures(f: Figures): Figures {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, reportRound(k as keyof Figures, v)])) as unknown as Figures;
}

/** Print a figure as the report prints it: thousands separators, no trailing ".0". */
export function formatReport(key: keyof Figures, x: number): string {
  const r = reportRound(key, x);
  return r.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A plain number for prose: thousands separators and at most `digits` decimals. */
export function fmt(x: number, digits = 1): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}
