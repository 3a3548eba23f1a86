// `coc report`: writes the self-contained HTML audit report (DIR/index.html) of one site and
// option, or with --all one report per site and option (DIR/<site>[-<option>]/index.html)
// and DIR/index.html comparing the options side by side. Files go through the one output
// writer (cli/write.ts): DIR must be new, empty or a folder coc wrote. Exit code as `coc bill`:
// 0 no check fails, 1 a check fails (with --all: in any report), 2 bad input (nothing written).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { checkOutputFolder, prepareOutputFolder, writeInto, type OutputOptions } from '../cli/write.ts';
import { loadInventory, siteNames, type SiteView } from '../inventory/index.ts';
import { exitCode, expectedRowsOf, loadSizing, runAudit, viewsOf, type AuditResult, type SizingInput } from './audit.ts';
import { auditFromFlags } from './cli.ts';
import { renderReport } from './html.ts';
import { provenance } from './provenance.ts';
import { renderIndex, type IndexEntry } from './report-index.ts';

const USAGE = `usage: coc report --site oog|ccop [--option 1|2] --out DIR
       coc report --all --out DIR

Writes DIR/index.html: the audit of one site and option — summary of verdicts, Table 19
published vs model with the findings and the assumption ledger, capacity charts, checks
(filterable by status), Table 34, requirements, bill and rack elevations — self-contained
for offline viewing and printing.
--all writes one report per site and option (DIR/oog-option1/index.html, …) and
DIR/index.html comparing the options of a site check by check.
DIR must be new, empty or a folder coc wrote (it carries a .coc-output file).
Exit code: 0 no check fails, 1 a check fails (--all: in any report), 2 bad input.`;

/** A report folder written before output folders were marked: only an index.html of ours. */
function legacyReport(dir: string): boolean {
  const entries = readdirSync(dir);
  if (entries.length !== 1 || entries[0] !== 'index.html') return false;
  return /<title>Audit: /.test(readFileSync(join(dir, 'index.html'), 'utf8').slice(0, 4096));
}

const OUT: OutputOptions = { legacyOwn: legacyReport };

function requireOut(out: unknown): string {
  if (typeof out !== 'string') throw new InputError('--out is required; expected a folder to write index.html into');
  checkOutputFolder(out, OUT);
  return out;
}

/** Folder name of a site/option's report under --all. */
export function reportFolder(site: string, option: string | null, optionsOfSite: number): string {
  return optionsOfSite > 1 && option ? `${site}-${option}` : site;
}

interface Built { result: AuditResult; view: SiteView; html: string; folder: string }

/** Every site and option, audited and rendered; nothing written. */
export async function buildAll(sizing?: SizingInput): Promise<{ reports: Built[]; index: string }> {
  const inv = loadInventory();
  const sz = sizing ?? (await loadSizing());
  const prov = provenance();
  const reports: Built[] = [];
  for (const site of siteNames(inv)) {
    const options = Object.keys(inv.sites[site]!.options);
    for (const option of options) {
      const { view, views } = viewsOf(inv, site, option);
      const result = runAudit({ view, views, expectedRows: expectedRowsOf(inv, view), sizing: sz });
      const folder = reportFolder(site, view.option, options.length);
      reports.push({ result, view, folder, html: await renderReport(result, view, sz, prov, '../index.html') });
    }
  }
  const entries: IndexEntry[] = reports.map((r) => ({ result: r.result, href: `${r.folder}/index.html` }));
  return { reports, index: renderIndex(entries, prov) };
}

/** Write index.html into `outDir` (new, empty or coc's own); returns the file written. */
export async function writeReport(outDir: string, html: string): Promise<string> {
  const dir = prepareOutputFolder(outDir, 'report', OUT);
  return writeInto(dir, 'index.html', html);
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--all')) {
    const { values, positionals } = parseFlags(argv, { all: { type: 'boolean' }, out: { type: 'string' }, site: { type: 'string' }, option: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) { console.log(USAGE); return 0; }
    if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; expected flags only (see --help)`);
    if (values.site !== undefined || values.option !== undefined) throw new InputError('--all writes every site and option; expected no --site or --option with it');
    const out = requireOut(values.out);
    const { reports, index } = await buildAll();
    const dir = prepareOutputFolder(out, 'report', OUT);
    for (const r of reports) {
      const file = writeInto(dir, join(r.folder, 'index.html'), r.html);
      console.log(`wrote ${file} (${(r.html.length / 1024).toFixed(0)} KiB)`);
    }
    const file = writeInto(dir, 'index.html', index);
    console.log(`wrote ${file} (${(index.length / 1024).toFixed(0)} KiB)`);
    return Math.max(...reports.map((r) => exitCode(r.result)));
  }
  // --out is checked before the audit runs, so a bad target costs nothing.
  const { values, result, sizing, view } = await auditFromFlags(argv, { out: { type: 'string' } }, (v) => {
    if (v.help) return;
    requireOut(v.out);
  });
  if (!result || !sizing || !view) { console.log(USAGE); return 0; }
  const html = await renderReport(result, view, sizing, provenance());
  const file = await writeReport(values.out as string, html);
  console.log(`wrote ${file} (${(html.length / 1024).toFixed(0)} KiB)`);
  return exitCode(result);
}
