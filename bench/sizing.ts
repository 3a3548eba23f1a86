// `coc bench sizing`: CPU and wall time of `coc sizing --pattern 3 --json` as a planner runs it
// (a fresh process through bin/coc.mjs each time), side by side with a bare `node -e 0`, runs
// interleaved so both see the same machine load. CPU (user + sys of the child, from bash's
// `times`) stays meaningful on a busy machine; the target is coc ≤ 4× node's CPU.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { numberFlag, parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 4;

export const USAGE = `usage: coc bench sizing [--runs N]

Runs \`coc sizing --pattern 3 --json\` and \`node -e 0\` N times each (default 10), interleaved,
and prints min/median/max wall and CPU time of each and the CPU ratio (target ≤ ${TARGET_RATIO}×).
It asserts nothing.`;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One run: wall ms and child CPU ms. */
function once(argv: string[]): { wall: number; cpu: number } {
  const cmd = `${quote(process.execPath)} ${argv.map(quote).join(' ')} >/dev/null || exit $?; times`;
  const t = performance.now();
  const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`run failed (${r.status}): ${r.stderr}`);
  // `times` prints the shell's, then its children's user and sys time, e.g. "0m0.512s 0m0.061s".
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: ((secs[0] ?? NaN) + (secs[1] ?? NaN)) * 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(0)}, median ${median(s).toFixed(0)}, max ${s[s.length - 1]!.toFixed(0)} ms`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length > 1) throw new InputError(`unexpected argument "${positionals[1]}"; expected --runs N`);
  // A bare number is the older way to give the run count.
  const runs = numberFlag('bench sizing', 'runs', values.runs ?? positionals[0], (n) => Number.isInteger(n) && n >= 1 && n <= 200, 'a whole number of runs from 1 to 200') ?? 10;
  const coc = ['bin/coc.mjs', 'sizing', '--pattern', '3', '--json'];
  const node = ['-e', '0'];
  const compiled = existsSync(join(ROOT, 'dist', 'main.js'));
  once(coc); // warm the file-system cache and the inventory cache
  const load = loadavg();
  const a: { wall: number; cpu: number }[] = [];
  const b: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(once(coc));
    b.push(once(node));
  }
  const ratio = median(a.map((r) => r.cpu)) / median(b.map((r) => r.cpu));
  console.log(`coc sizing --pattern 3 --json (${runs} runs, ${compiled ? 'compiled dist/' : 'no dist/: TypeScript through tsx'})`);
  console.log(`  wall: ${stats(a.map((r) => r.wall))}`);
  console.log(`  cpu:  ${stats(a.map((r) => r.cpu))}`);
  console.log(`node -e 0 (${runs} runs, interleaved)`);
  console.log(`  wall: ${stats(b.map((r) => r.wall))}`);
  console.log(`  cpu:  ${stats(b.map((r) => r.cpu))}`);
  console.log(`cpu ratio (median): ${ratio.toFixed(1)}× node -e 0; target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
  console.log(`load average at start: ${load.map((x) => x.toFixed(2)).join(', ')} (${(await import('node:os')).cpus().length} cores)`);
  return 0;
}
