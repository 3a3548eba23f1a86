// `npm run bench:synth`: times synthesizing every stack from the inventory (target ≤ 5 s
// for all of them) and prints the numbers; it asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkTerraformJson } from '../stacks/proxmox/schema-check.ts';
import { checkStack } from '../stacks/policy.ts';
import { stackViews, synthInto } from '../stacks/synth.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 5000;

const t0 = performance.now();
const views = stackViews();
const loadMs = performance.now() - t0;

const times: number[] = [];
let resources = 0;
let checkMs = 0;
for (let i = 0; i < RUNS; i++) {
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
console.log(`synth ${views.size} stacks (${resources} resources), ${RUNS} runs: min ${times[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${times[times.length - 1]!.toFixed(0)} ms`);
console.log(`schema check + policies:     ${checkMs.toFixed(0)} ms (last run)`);
console.log(`slowest run incl. load: ${(loadMs + Math.max(...times)).toFixed(0)} ms; target ≤ ${TARGET_MS} ms: ${loadMs + Math.max(...times) <= TARGET_MS ? 'met' : 'NOT met'}`);
