// `coc report`: writes the self-contained HTML audit report (index.html) to --out.
// Exit code as `coc bill`: 0 no check fails, 1 a check fails, 2 bad input.
import { InputError } from '../cli/errors.ts';
import { checkOutputFolder, prepareOutputFolder, writeInto, type OutputOptions } from '../cli/write.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCode } from './audit.ts';
import { auditFromFlags } from './cli.ts';
import { buildCharts, renderHtml } from './html.ts';

const USAGE = `usage: coc report --site oog|ccop [--option 1|2] --out DIR

Writes DIR/index.html: the audit with charts (storage growth, network demand, per-host
allocation with the N+1 line, rack elevations), self-contained for offline viewing.
DIR must be new, empty or a folder coc wrote (it carries a .coc-output file).`;

/** A report folder written before output folders were marked: only an index.html of ours. */
function legacyReport(dir: string): boolean {
  const entries = readdirSync(dir);
  if (entries.length !== 1 || entries[0] !== 'index.html') return false;
  return /<title>Audit: /.test(readFileSync(join(dir, 'index.html'), 'utf8').slice(0, 4096));
}

const OUT: OutputOptions = { legacyOwn: legacyReport };

/** Write index.html into `outDir` (new, empty or coc's own); returns the file written. */
export async function writeReport(outDir: string, html: string): Promise<string> {
  const dir = prepareOutputFolder(outDir, 'report', OUT);
  return writeInto(dir, 'index.html', html);
}

export async function run(argv: string[]): Promise<number> {
  // --out is checked before the audit runs, so a bad target costs nothing.
  const { values, result, sizing, view } = await auditFromFlags(argv, { out: { type: 'string' } }, (v) => {
    if (v.help) return;
    if (typeof v.out !== 'string') throw new InputError('--out is required; expected a folder to write index.html into');
    checkOutputFolder(v.out, OUT);
  });
  if (!result || !sizing || !view) { console.log(USAGE); return 0; }
  const html = renderHtml(result, await buildCharts(view, sizing));
  const file = await writeReport(values.out as string, html);
  console.log(`wrote ${file} (${(html.length / 1024).toFixed(0)} KiB)`);
  return exitCode(result);
}

