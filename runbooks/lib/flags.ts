// Flags every drill shares (--lab | --target, --dry-run, --json, --out, --patroni-url),
// parsed strictly with the CLI helpers so bad input exits 2 with a clear message. Messages do
// not name the drill: the dispatcher prefixes `coc drill <name>:`.
import { parseFlags, numberFlag, type Options } from '../../cli/args.ts';
import { InputError } from '../../cli/errors.ts';
import { checkOutputFolder } from '../../cli/write.ts';

export const commonOptions = {
  lab: { type: 'boolean' },
  target: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  'patroni-url': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export interface CommonFlags {
  mode: 'lab' | 'target';
  dryRun: boolean;
  json: boolean;
  out: string | undefined;
  patroniUrls: string[];
  help: boolean;
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Parse argv with the common options plus a drill's own; validates the shared ones. */
export function parseDrillFlags<T extends Options>(drill: string, argv: string[], extra: T, usage: string) {
  const { values, positionals } = parseFlags(argv, { ...commonOptions, ...extra });
  const v = values as Values;
  if (positionals.length > 0) throw new InputError(`unexpected argument "${positionals[0]}"; all options are flags (see --help)`);
  if (v.help) return { common: { mode: 'lab', dryRun: true, json: false, out: undefined, patroniUrls: [], help: true } as CommonFlags, values: v, usage };
  if (v.lab && v.target) throw new InputError(`--lab and --target exclude each other; choose one`);
  if (!v.lab && !v.target) throw new InputError(`expected --lab (loopback lab cluster) or --target (a real site, with --patroni-url)`);
  const urls = (v['patroni-url'] as string[] | undefined) ?? [];
  for (const u of urls) {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(u).protocol); } catch { ok = false; }
    if (!ok) throw new InputError(`--patroni-url: expected an http(s) URL of a Patroni REST API, got "${u}"`);
  }
  if (v.target && urls.length === 0) throw new InputError(`--target needs at least one --patroni-url URL (each Patroni member's REST API)`);
  if (v.lab && urls.length > 0) throw new InputError(`--patroni-url only applies to --target; the lab discovers its own members`);
  // The evidence folder is checked before the drill runs: new, empty or written by coc.
  if (typeof v.out === 'string') checkOutputFolder(v.out);
  const common: CommonFlags = {
    mode: v.lab ? 'lab' : 'target', dryRun: Boolean(v['dry-run']), json: Boolean(v.json),
    out: v.out as string | undefined, patroniUrls: urls, help: false,
  };
  return { common, values: v, usage };
}

/** A positive integer flag with a default and an upper bound. */
export function intFlag(drill: string, flag: string, raw: unknown, def: number, max: number): number {
  if (raw !== undefined && typeof raw !== 'string') throw new InputError(`--${flag}: expected a value`);
  return numberFlag(drill, flag, raw, (n) => Number.isInteger(n) && n >= 1 && n <= max, `an integer from 1 to ${max}`) ?? def;
}

/** A positive number of seconds. */
export function secondsFlag(drill: string, flag: string, raw: unknown, def: number, max: number): number {
  if (raw !== undefined && typeof raw !== 'string') throw new InputError(`--${flag}: expected a value`);
  return numberFlag(drill, flag, raw, (n) => n > 0 && n <= max, `seconds, more than 0 and at most ${max}`) ?? def;
}
