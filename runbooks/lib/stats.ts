// Summary statistics for repeated drill measurements.
export interface Summary { min: number; median: number; max: number }

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: round(s[0]!), median: round(median), max: round(s[s.length - 1]!) };
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
