// `coc`: the one entry point. Global flags, command lookup, lazy loading of the command's
// module, and the one place errors become messages and exit codes (cli/errors.ts).
import { readFileSync } from 'node:fs';
import { describeError, InputError } from '../cli/errors.ts';
import { InventoryError } from '../inventory/validate.ts';
import { selectInventoryDir } from '../inventory/load.ts';
import { COMMANDS, isGroup, type Command, type Leaf } from './commands.ts';
import { completionScript } from './completion.ts';

const GLOBAL_HELP = `  --inventory DIR   read the inventory from DIR instead of inventory/ (also env COC_INVENTORY_DIR)
  --version         print the version
  --help            this help; \`coc <command> --help\` for one command
Environment: NO_COLOR=1 (or output that is not a terminal) prints no colour codes.`;

function usage(): string {
  const rows: string[] = [];
  for (const [name, c] of Object.entries(COMMANDS)) {
    if (isGroup(c)) {
      for (const [sub, leaf] of Object.entries(c.children)) rows.push(`  ${`${name} ${sub}`.padEnd(32)} ${leaf.describe}`);
    } else {
      rows.push(`  ${(c.subcommands ? `${name} ${c.subcommands.join('|')}` : name).padEnd(32)} ${c.describe}`);
    }
  }
  rows.push(`  ${'completion bash'.padEnd(32)} print a bash completion script (source <(coc completion bash))`);
  return ['usage: coc [--inventory DIR] <command> [options]', '', 'commands:', ...rows, '', 'global options:', GLOBAL_HELP].join('\n');
}

function groupUsage(name: string, c: Command & { children: Record<string, Leaf> }): string {
  const rows = Object.entries(c.children).map(([sub, leaf]) => `  ${sub.padEnd(16)} ${leaf.describe}`);
  return [`usage: coc ${name} <${Object.keys(c.children).join('|')}> [options]`, '', c.describe, '', ...rows, '', `Run \`coc ${name} <name> --help\` for its options.`].join('\n');
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version} (node ${process.versions.node})`;
}

/** Take the global --inventory flag out of argv (before or after the command name). */
function takeGlobals(argv: string[]): { argv: string[]; inventory?: string } {
  const out: string[] = [];
  let inventory: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { out.push(...argv.slice(i)); break; }
    if (a === '--inventory') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new InputError('--inventory: expected a folder path (the inventory folder to read)');
      inventory = v;
      i++;
    } else if (a.startsWith('--inventory=')) {
      inventory = a.slice('--inventory='.length);
    } else out.push(a);
  }
  if (inventory !== undefined && inventory.trim() === '') throw new InputError('--inventory: expected a folder path, got ""');
  return { argv: out, ...(inventory !== undefined ? { inventory } : {}) };
}

/** Resolve argv to a leaf command, the words that named it, and the arguments left. */
function lookup(argv: string[]): { leaf?: Leaf; path: string[]; rest: string[]; help?: string } {
  const [name, ...rest] = argv;
  if (!name || !Object.hasOwn(COMMANDS, name)) return { path: [], rest };
  const c = COMMANDS[name]!;
  if (!isGroup(c)) return { leaf: c, path: [name], rest };
  const [sub, ...more] = rest;
  if (!sub || sub === '--help' || sub === '-h') return { path: [name], rest: more, help: groupUsage(name, c) };
  if (!Object.hasOwn(c.children, sub)) {
    throw new InputError(`unknown command "${sub}"; expected one of ${Object.keys(c.children).join(', ')}`);
  }
  return { leaf: c.children[sub]!, path: [name, sub], rest: more };
}

/** Print an error the one way: input errors as one message, bugs with their stack. */
export function report(e: unknown, prefix: string, legacy: readonly string[] = []): number {
  if (e instanceof InventoryError) {
    const n = e.issues.length;
    console.error(`${prefix}: the inventory is not valid (${n} error${n === 1 ? '' : 's'}):\n${e.message}`);
    return e.exitCode;
  }
  const { code, text } = describeError(e, prefix, legacy);
  console.error(text);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  let prefix = 'coc';
  let legacy: readonly string[] = [];
  try {
    const g = takeGlobals(argv);
    const [first] = g.argv;
    if (first === '--version' || first === '-V') { console.log(version()); return 0; }
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      console.log(usage());
      return first === undefined ? 2 : 0;
    }
    if (first === 'completion') {
      const shell = g.argv[1];
      if (shell !== 'bash') throw new InputError(`completion: expected the shell name bash, got ${shell === undefined ? 'nothing' : `"${shell}"`}`);
      process.stdout.write(completionScript());
      return 0;
    }
    selectInventoryDir(g.inventory);
    if (Object.hasOwn(COMMANDS, first)) prefix = `coc ${first}`;
    const found = lookup(g.argv);
    // A module's own subcommand (inventory show, workloads render) is part of the name too.
    const sub = found.leaf?.subcommands?.includes(found.rest[0] ?? '') ? [found.rest[0]!] : [];
    prefix = ['coc', ...found.path, ...sub].join(' ');
    if (found.help) { console.log(found.help); return 0; }
    if (!found.leaf) {
      throw new InputError(`unknown command "${first}"; expected one of ${[...Object.keys(COMMANDS), 'completion'].join(', ')} (see coc --help)`);
    }
    legacy = found.leaf.legacy ?? [];
    const mod = await found.leaf.load();
    return await mod.run(found.rest);
  } catch (e) {
    return report(e, prefix, legacy);
  }
}

/** The one entry point (bin/coc.mjs calls it): exit code set, aborted drills flushed and ended. */
export async function runMain(argv = process.argv.slice(2)): Promise<void> {
  const code = await main(argv);
  process.exitCode = code;
  // An aborted drill (SIGINT 130, SIGTERM 143) may leave timers or sockets of the work it
  // abandoned: exit once the output is flushed instead of waiting on them.
  if (code === 130 || code === 143) process.stdout.write('', () => process.exit(code));
}
