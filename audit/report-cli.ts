// `coc report`: writes the self-contained HTML audit report (index.html) to --out.
// Exit code as `coc bill`: 0 no check fails, 1 a check fails, 2 bad input.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../cli/errors.ts';
import { exitCode } from './audit.ts';
import { auditFromFlags } from './cli.ts';
import { buildCharts, renderHtml } from './html.ts';

const USAGE = `usage: coc report --site oog|ccop [--option 1|2] --out DIR

Writes DIR/index.html: the audit with charts (storage growth, network demand, per-host
allocation with the N+1 line, rack elevations), self-contained for offline viewing.`;

export async function writeReport(outDir: string, html: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.html');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, file);
  return file;
}

export async function run(argv: string[]): Promise<number> {
  const { values, result, sizing, view } = await auditFromFlags('report', argv, { out: { type: 'string' } });
  if (!result || !sizing || !view) { console.log(USAGE); return 0; }
  const out = values.out;
  if (typeof out !== 'string' || out.trim() === '') throw new CliError('coc report: --out is required; expected a directory to write index.html into');
  const html = renderHtml(result, await buildCharts(view, sizing));
  const file = await writeReport(resolve(out), html);
  console.log(`wrote ${file} (${(html.length / 1024).toFixed(0)} KiB)`);
  return exitCode(result);
}
