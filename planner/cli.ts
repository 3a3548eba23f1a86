// `coc planner --out DIR`: writes DIR/index.html, the interactive what-if planner. The data
// (demand, inventory capacity figures, calibration) is read here, at the edge, and embedded.
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { writeFileAtomicSync } from '../cli/write.ts';
import { loadInventory } from '../inventory/index.ts';
import { InventoryError } from '../inventory/validate.ts';
import { GENERATOR, plannerHtml } from './build.ts';
import { plannerData } from './data.ts';

const C = 'planner';

const USAGE = `usage: coc planner --out DIR

Writes DIR/index.html: one self-contained page (no network, works from file://) that runs
the sizing model in the browser. Every assumption of the ledger is an input; Table 19,
findings, storage months, link utilisation, queueing, N+1 and the charts recompute on every
change, and "Copy as command" gives the matching \`npm run sizing -- …\` line.
An existing DIR/index.html is replaced only when this command wrote it.`;

/** Refuse to replace anything this tool did not write. */
function checkTarget(dir: string): string {
  if (existsSync(dir) && !lstatSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a directory; expected a directory for index.html`);
  const file = join(dir, 'index.html');
  if (!existsSync(file)) return file;
  if (!lstatSync(file).isFile()) throw new InputError(`--out ${dir}: index.html there is not a regular file; expected a new or planner-written directory`);
  const head = readFileSync(file, 'utf8').slice(0, 2000);
  if (!head.includes(`<meta name="generator" content="${GENERATOR}">`)) {
    throw new InputError(`--out ${dir}: index.html there was not written by coc planner; expected a new directory or one this command wrote`);
  }
  return file;
}

/**
 * Create the missing folders one level at a time. Node's recursive mkdir never returns under
 * /proc (it retries ENOENT forever); one level at a time fails at once with a message.
 */
function makeDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      throw new InputError(`--out ${dir}: cannot create ${d}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, C);
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; expected --out DIR`);
  if (typeof values.out !== 'string' || values.out.trim() === '') throw new InputError(`--out is required; expected a directory to write index.html into`);
  const dir = resolve(values.out);
  const file = checkTarget(dir);
  let data;
  try {
    data = plannerData(loadInventory());
  } catch (e) {
    if (e instanceof InventoryError) throw new InputError(`the inventory does not validate:\n${e.message}`);
    throw e;
  }
  const html = await plannerHtml(data);
  makeDir(dir);
  try {
    writeFileAtomicSync(file, html);
  } catch (e) {
    throw new InputError(`cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  console.log(`wrote ${file} (${(html.length / 1024).toFixed(0)} KiB)`);
  return 0;
}
