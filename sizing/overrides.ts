// The one definition of the what-if overrides: each one's range, unit and wording. The CLI
// flags (sizing/cli.ts), the Pulumi settings (workloads/settings.ts), the model
// (sizing/model.ts), the planner page and docs/sizing.md all take it from here, so a range
// cannot drift between them. Messages say what was expected and never name a flag or a
// setting: each caller prefixes the name the user actually typed.
import { z } from 'zod';
import { InputError } from '../cli/errors.ts';

export interface OverrideSpec {
  /** The `coc sizing` flag, without the leading dashes. */
  flag: string;
  unit: string;
  /** Inclusive bounds. They keep every figure finite and the queueing arithmetic bounded. */
  min: number;
  max: number;
  /** What a valid value looks like, for error messages and --help. */
  expected: string;
  /** One line for --help and the docs. */
  help: string;
}

// Why these bounds: a busiest hour carries at least an even 1/24 of its day; reports
// concentrate on at least one day; a share of servers below 5 % or above 95 % busy is not a
// plan (at 100 % the queue never drains); the other ceilings are orders of magnitude above
// anything in the report (Pattern 1 is 38 M reports a year of 10 MB) and keep λ/μ, and so
// the Erlang C recursion, bounded.
export const OVERRIDES = {
  reportsPerYear: {
    flag: 'reports-per-year', unit: 'reports/year', min: 0, max: 1e9,
    expected: 'a number of reports a year from 0 to 1,000,000,000', help: 'reports a year',
  },
  peakDays: {
    flag: 'peak-days', unit: 'days/year', min: 1, max: 366,
    expected: 'a number of days from 1 to 366', help: 'days a year the reports concentrate on (Table 19 implies 75; §3.5.1 states 120)',
  },
  peakHourShare: {
    flag: 'peak-hour-share', unit: 'share of a peak day', min: 1 / 24, max: 1,
    expected: 'a share from 1/24 (0.041667, an even day) to 1, e.g. 0.15', help: "share of a peak day's reports in its busiest hour (implied 0.15)",
  },
  reportSizeMB: {
    flag: 'report-size-mb', unit: 'MB', min: 0.001, max: 10_000,
    expected: 'a size from 0.001 to 10,000 MB', help: 'average report size in MB (10^6 bytes)',
  },
  protocolOverhead: {
    flag: 'protocol-overhead', unit: '× payload', min: 1, max: 10,
    expected: 'a factor from 1 to 10, e.g. 1.05', help: 'network bytes per payload byte (Table 19 uses 1)',
  },
  clientUploadMbps: {
    flag: 'client-upload-mbps', unit: 'Mbps per upload', min: 0.01, max: 100_000,
    expected: 'a bandwidth from 0.01 to 100,000 Mbps', help: "upload bandwidth of one submitting office (Little's law)",
  },
  targetUtilisation: {
    flag: 'target-utilisation', unit: 'share of server capacity', min: 0.05, max: 0.95,
    expected: 'a share from 0.05 to 0.95, e.g. 0.7', help: 'web/AP utilisation ceiling (default 0.7)',
  },
  perCoreReportsPerSecond: {
    flag: 'per-core-rps', unit: 'reports/s per core', min: 0.01, max: 100_000,
    expected: 'a rate from 0.01 to 100,000 reports/s per core', help: 'reports/s one core ingests (default: measured, else 20 MB/s ÷ size)',
  },
} as const satisfies Record<string, OverrideSpec>;

export type OverrideKey = keyof typeof OVERRIDES;
export const OVERRIDE_KEYS = Object.keys(OVERRIDES) as OverrideKey[];

/** One override as a zod number: finite (zod 4 refuses ±Infinity and NaN) and within its range. */
export function overrideNumber(key: OverrideKey) {
  const s = OVERRIDES[key];
  const error = `expected ${s.expected}`;
  return z.number({ error }).min(s.min, { error }).max(s.max, { error });
}

export const OverridesSchema = z.strictObject({
  reportsPerYear: overrideNumber('reportsPerYear').optional(),
  peakDays: overrideNumber('peakDays').optional(),
  peakHourShare: overrideNumber('peakHourShare').optional(),
  reportSizeMB: overrideNumber('reportSizeMB').optional(),
  protocolOverhead: overrideNumber('protocolOverhead').optional(),
  clientUploadMbps: overrideNumber('clientUploadMbps').optional(),
  targetUtilisation: overrideNumber('targetUtilisation').optional(),
  perCoreReportsPerSecond: overrideNumber('perCoreReportsPerSecond').optional(),
});
export type Overrides = z.infer<typeof OverridesSchema>;

/** A bad override (input error, exit 2), with the key it was given under; a CLI re-names it as its flag. */
export class OverrideError extends InputError {
  constructor(readonly key: string, readonly given: unknown, readonly expected: string) {
    super(`${key}: ${expected}, got ${typeof given === 'string' ? JSON.stringify(given) : String(given)}`);
    this.name = 'OverrideError';
  }
}

/** Validate overrides given as numbers (an API caller, the planner); throws on the first bad one. */
export function checkOverrides(raw: unknown): Overrides {
  const res = OverridesSchema.safeParse(raw ?? {});
  if (res.success) return dropUndefined(res.data);
  const issue = res.error.issues[0]!;
  const key = issue.code === 'unrecognized_keys' ? issue.keys[0]! : String(issue.path[0] ?? 'overrides');
  const given = raw && typeof raw === 'object' && key in raw ? (raw as Record<string, unknown>)[key] : raw;
  throw new OverrideError(key, given, key in OVERRIDES ? issue.message : `unknown override; expected one of ${OVERRIDE_KEYS.join(', ')}`);
}

// A plain decimal such as 120, 0.15, 1e6 or .5. Number() alone would also take "0x10",
// "0b1", "Infinity", " 1" and "" (as 0), which a what-if must never silently accept.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parse one override from text (a flag value); refuses anything but a plain decimal in range. */
export function parseOverrideText(key: OverrideKey, text: string): number {
  const expected = `expected ${OVERRIDES[key].expected}`;
  if (!DECIMAL.test(text)) throw new OverrideError(key, text, expected);
  const n = Number(text);
  const res = overrideNumber(key).safeParse(n);
  if (!res.success) throw new OverrideError(key, text, expected);
  return n;
}

function dropUndefined(o: Overrides): Overrides {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Overrides;
}
