// `coc bench synth`: times synthesizing every stack from the inventory (target ≤ 5 s for all
// of them) and prints the numbers; it asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { numberFlag, parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';

const TARGET_MS = 5000;

export const USAGE = `usage: coc bench synth [--runs N]

Synthesizes all three stacks N times (default 5, or env BENCH_RUNS) into a temporary folder and
prints the inventory load time, min/median/max synthesis time and the schema-check time
(target: ≤ ${TARGET_MS} ms including the load). It asserts nothing.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; expected --runs N`);
  const runs = numberFlag('bench synth', 'runs', values.runs ?? process.env.BENCH_RUNS, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'a whole number of runs from 1 to 100') ?? 5;
  // Loaded here, not at the top: `--help` must not pay for cdktf.
  const { checkTerraformJson } = await import('../stacks/proxmox/schema-check.ts');
  const { checkStack } = await import('../stacks/policy.ts');
  const { stackViews, synthInto } = await import('../stacks/synth.ts');

  const t0 = performance.now();
  const views = stackViews();
  const loadMs = performance.now() - t0;

  const times: number[] = [];
  let resources = 0;
  let checkMs = 0;
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'coc-bench-synth-'));
    try {
      const s = performance.now();
      const out = synthInto(views, dir);
      times.push(performance.now() - s);
      resources = [...out.values()].reduce((n, tf) => n + Object.values<object>(tf.resource ?? {}).reduce((m, r) => m + Object.keys(r).length, 0), 0);
      const c = performance.now();
      for (const tf of out.values()) { checkTerraformJson(tf); checkStack(tf); }
      checkMs = performance.now() - c;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`inventory load + views:      ${loadMs.toFixed(0)} ms`);
  console.log(`synth ${views.size} stacks (${resources} resources), ${runs} runs: min ${times[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms`);
  console.log(`schema check + policies:     ${checkMs.toFixed(0)} ms (last run)`);
  console.log(`slowest run incl. load: ${(loadMs + Math.max(...times)).toFixed(0)} ms; target ≤ ${TARGET_MS} ms: ${loadMs + Math.max(...times) <= TARGET_MS ? 'met' : 'NOT met'}`);
  return 0;
}
