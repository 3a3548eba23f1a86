// Strict flag parsing shared by every subcommand: unknown flags and bad values are
// rejected with a message naming the flag and what was expected (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends Options>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new CliError(`coc ${command}: ${msg.replace(/\. To specify a positional.*$/s, '')}`);
  }
}

/** A finite number flag, optionally constrained; `what` says what was expected. */
export function numberFlag(command: string, flag: string, raw: string | undefined, check: (n: number) => boolean, what: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new CliError(`coc ${command}: --${flag}: expected ${what}, got "${raw}"`);
  }
  return n;
}

export function choiceFlag<C extends string>(command: string, flag: string, raw: string | undefined, choices: readonly C[]): C | undefined {
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new CliError(`coc ${command}: --${flag}: expected one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as C;
}
