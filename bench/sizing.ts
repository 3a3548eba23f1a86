// Wall time of `coc sizing --pattern 3 --json`, as a planner would run it: a fresh Node
// process through tsx each time. Prints min/median/max wall time, and the CPU time of the
// child (user + sys, from bash's `times`), which stays meaningful on a busy machine.
// Usage: npm run bench:sizing -- [runs]   (default 10; target: well under 1 s)
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const runs = Number(process.argv[2] ?? 10);
if (!Number.isInteger(runs) || runs < 1 || runs > 200) {
  console.error(`bench:sizing: expected a number of runs in 1..200, got "${process.argv[2]}"`);
  process.exit(2);
}
const TSX = 'node_modules/tsx/dist/cli.mjs';
const SIZING = [TSX, 'cli/main.ts', 'sizing', '--pattern', '3', '--json'];
const FLOOR = [TSX, '-e', '0'];

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One run: wall ms and child CPU ms. */
function once(argv: string[]): { wall: number; cpu: number } {
  const cmd = `${quote(process.execPath)} ${argv.map(quote).join(' ')} >/dev/null || exit $?; times`;
  const t = performance.now();
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 60_000 });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`run failed (${r.status}): ${r.stderr}`);
  // `times` prints the shell's then its children's user and sys time, e.g. "0m0.512s 0m0.061s".
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: ((secs[0] ?? NaN) + (secs[1] ?? NaN)) * 1000 };
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return `min ${s[0]!.toFixed(0)}, median ${median.toFixed(0)}, max ${s[s.length - 1]!.toFixed(0)} ms`;
}

once(SIZING); // warm the file-system cache and tsx's transform cache
const cli = Array.from({ length: runs }, () => once(SIZING));
// The floor: Node plus tsx with nothing to run, to tell start-up from our own work.
const floor = Array.from({ length: runs }, () => once(FLOOR));
console.log(`coc sizing --pattern 3 --json (${runs} runs)`);
console.log(`  wall: ${stats(cli.map((r) => r.wall))}`);
console.log(`  cpu:  ${stats(cli.map((r) => r.cpu))}`);
console.log(`node + tsx start-up alone (${runs} runs)`);
console.log(`  wall: ${stats(floor.map((r) => r.wall))}`);
console.log(`  cpu:  ${stats(floor.map((r) => r.cpu))}`);
