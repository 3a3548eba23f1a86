// Strict flag parsing shared by every command (Node's util.parseArgs): unknown flags and bad
// values are rejected with a message naming the flag and what was expected (InputError, exit 2).
// Messages never name the command; the dispatcher adds `coc <command>:`.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** `_command` is accepted for older callers and ignored: the dispatcher names the command. */
export function parseFlags<T extends Options>(argv: string[], options: T, _command?: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new InputError(msg.replace(/\. To specify a positional.*$/s, ''));
  }
}

/** A finite decimal number flag, optionally constrained; `what` says what was expected. */
export function numberFlag(_command: string, flag: string, raw: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  // Decimal only: Number() would also take "0x10", "0b1", "Infinity" and "" (= 0).
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !check(n)) throw new InputError(`--${flag}: expected ${what}, got "${raw}"`);
  return n;
}

export function choiceFlag<C extends string>(_command: string, flag: string, raw: string | undefined, choices: readonly C[]): C | undefined {
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) throw new InputError(`--${flag}: expected one of ${choices.join(', ')}, got "${raw}"`);
  return raw as C;
}
