// `coc sizing`: Table 19 reproduced with its assumptions and findings, what-if flags, and
// capacity per deployment option. Output: aligned tables, --markdown or --json.
import { parseFlags, choiceFlag, type Options } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { loadSizingData } from './data.ts';
import { computePattern } from './model.ts';
import { OVERRIDE_KEYS, OVERRIDES, OverrideError, parseOverrideText, type Overrides } from './overrides.ts';
import { PATTERNS, type PatternId } from './types.ts';
import { toJson } from './json.ts';

const C = 'sizing';

const FLAG_COL = 24;

const USAGE = `usage: coc sizing [--pattern 1|2|3|all] [--json | --markdown] [what-if flags]

Reproduces Table 19 (GIRS) from Table 18 and explicit assumptions (inventory/demand.yaml),
lists where the report is inconsistent, and sizes each deployment option.

what-if flags (recompute every figure; apply to each pattern shown; plain decimals only):
${OVERRIDE_KEYS.map((k) => {
  const s = OVERRIDES[k];
  return `  ${`--${s.flag} N`.padEnd(FLAG_COL)} ${s.help}\n  ${''.padEnd(FLAG_COL)} range: ${s.expected}`;
}).join('\n')}`;

const OPTIONS = {
  pattern: { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(OVERRIDE_KEYS.map((k) => [OVERRIDES[k].flag, { type: 'string' }])),
} as const satisfies Options;

/** The what-if flags as overrides; a bad value names the flag the user typed (exit 2). */
export function parseOverrides(v: Record<string, string | boolean | undefined>): Overrides {
  const o: Record<string, number> = {};
  for (const k of OVERRIDE_KEYS) {
    const raw = v[OVERRIDES[k].flag];
    if (typeof raw !== 'string') continue;
    try {
      o[k] = parseOverrideText(k, raw);
    } catch (e) {
      if (e instanceof OverrideError) throw new InputError(`--${OVERRIDES[k].flag}: ${e.expected}, got "${raw}"`);
      throw e;
    }
  }
  return o as Overrides;
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
  const data = loadSizingData();
  const results = ids.map((id) => computePattern(data, id, overrides));
  if (values.json) {
    const json = results.map(toJson);
    console.log(JSON.stringify(which === 'all' ? json : json[0], null, 2));
  } else {
    const { renderText } = await import('./render.ts');
    console.log(renderText(results, values.markdown === true));
  }
  return 0;
}
