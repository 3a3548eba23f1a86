// `coc sizing`: Table 19 reproduced with its assumptions and findings, what-if flags, and
// capacity per deployment option. Output: aligned tables, --markdown or --json.
import { parseFlags, numberFlag, choiceFlag } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { PATTERNS, sizePattern, type Overrides, type PatternId } from './index.ts';
import { toJson } from './json.ts';

const C = 'sizing';

const USAGE = `usage: coc sizing [--pattern 1|2|3|all] [--json | --markdown] [what-if flags]

Reproduces Table 19 (GIRS) from Table 18 and explicit assumptions (inventory/demand.yaml),
lists where the report is inconsistent, and sizes each deployment option.

what-if flags (recompute every figure; apply to each pattern shown):
  --reports-per-year N     reports a year
  --peak-days N            days a year the reports concentrate on (Table 19 implies 75; §3.5.1 states 120)
  --peak-hour-share F      share of a peak day's reports in its busiest hour (implied 0.15)
  --report-size-mb N       average report size in MB (10^6 bytes)
  --protocol-overhead F    network bytes per payload byte (Table 19 uses 1)
  --client-upload-mbps N   upload bandwidth of one submitting office (Little's law)
  --target-utilisation F   web/AP utilisation ceiling (default 0.7)
  --per-core-rps N         reports/s one core ingests (default: measured, else 20 MB/s ÷ size)`;

const OPTIONS = {
  pattern: { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'reports-per-year': { type: 'string' },
  'peak-days': { type: 'string' },
  'peak-hour-share': { type: 'string' },
  'report-size-mb': { type: 'string' },
  'protocol-overhead': { type: 'string' },
  'client-upload-mbps': { type: 'string' },
  'target-utilisation': { type: 'string' },
  'per-core-rps': { type: 'string' },
} as const;

export function parseOverrides(v: Record<string, string | boolean | undefined>): Overrides {
  const s = (k: string) => v[k] as string | undefined;
  const o: Overrides = {
    reportsPerYear: numberFlag(C, 'reports-per-year', s('reports-per-year'), (n) => n >= 0, 'a number of reports ≥ 0'),
    peakDays: numberFlag(C, 'peak-days', s('peak-days'), (n) => n > 0 && n <= 366, 'a number of days in (0, 366]'),
    peakHourShare: numberFlag(C, 'peak-hour-share', s('peak-hour-share'), (n) => n > 0 && n <= 1, 'a share in (0, 1], e.g. 0.15'),
    reportSizeMB: numberFlag(C, 'report-size-mb', s('report-size-mb'), (n) => n > 0, 'a positive size in MB'),
    protocolOverhead: numberFlag(C, 'protocol-overhead', s('protocol-overhead'), (n) => n >= 1, 'a factor ≥ 1, e.g. 1.05'),
    clientUploadMbps: numberFlag(C, 'client-upload-mbps', s('client-upload-mbps'), (n) => n > 0, 'a positive bandwidth in Mbps'),
    targetUtilisation: numberFlag(C, 'target-utilisation', s('target-utilisation'), (n) => n > 0 && n < 1, 'a share in (0, 1), e.g. 0.7'),
    perCoreReportsPerSecond: numberFlag(C, 'per-core-rps', s('per-core-rps'), (n) => n > 0, 'a positive rate in reports/s'),
  };
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Overrides;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; expected flags only (see --help)`);
  if (values.json && values.markdown) throw new InputError('--json and --markdown exclude each other; expected one of them');
  const which = choiceFlag(C, 'pattern', values.pattern, ['1', '2', '3', 'all'] as const) ?? 'all';
  const overrides = parseOverrides(values);
  const ids: PatternId[] = which === 'all' ? [...PATTERNS] : [Number(which) as PatternId];
  // An invalid inventory is an InventoryError: the dispatcher prints it once, exit 2.
  const results = ids.map((id) => sizePattern(id, overrides));
  if (values.json) {
    const json = results.map(toJson);
    console.log(JSON.stringify(which === 'all' ? json : json[0], null, 2));
  } else {
    const { renderText } = await import('./render.ts');
    console.log(renderText(results, values.markdown === true));
  }
  return 0;
}
