// `coc report`: writes the self-contained HTML audit report (DIR/index.html) of one site and
// option, or with --all one report per site and option (DIR/<site>[-<option>]/index.html)
// and DIR/index.html comparing the options side by side. Files go through the one atomic
// writer (cli/write.ts). Exit code as `coc bill`: 0 no check fails, 1 a check fails (with
// --all: in any report), 2 bad input (nothing written).
import { join, resolve } from 'node:path';
import { parseFlags } from '../cli/args.ts';
import { CliError } from '../cli/errors.ts';
import { writeFileAtomicSync } from '../cli/write.ts';
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
Exit code: 0 no check fails, 1 a check fails (--all: in any report), 2 bad input.`;

function outDir(command: string, out: unknown): string {
  if (typeof out !== 'string' || out.trim() === '') throw new CliError(`coc ${command}: --out is required; expected a directory to write index.html into`);
  return resolve(out);
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

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { all: { type: 'boolean' }, out: { type: 'string' }, site: { type: 'string' }, option: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, 'report');
  if (values.help) { console.log(USAGE); return 0; }
  if (values.all) {
    if (values.site !== undefined || values.option !== undefined) throw new CliError('coc report: --all writes every site and option; expected no --site or --option with it');
    const dir = outDir('report', values.out);
    const { reports, index } = await buildAll();
    for (const r of reports) {
      const file = join(dir, r.folder, 'index.html');
      writeFileAtomicSync(file, r.html);
      console.log(`wrote ${file} (${(r.html.length / 1024).toFixed(0)} KiB)`);
    }
    writeFileAtomicSync(join(dir, 'index.html'), index);
    console.log(`wrote ${join(dir, 'index.html')} (${(index.length / 1024).toFixed(0)} KiB)`);
    return Math.max(...reports.map((r) => exitCode(r.result)));
  }
  const { result, sizing, view } = await auditFromFlags('report', argv.filter((a) => a !== '--all'), { out: { type: 'string' }, all: { type: 'boolean' } });
  if (!result || !sizing || !view) { console.log(USAGE); return 0; }
  const dir = outDir('report', values.out);
  const html = await renderReport(result, view, sizing, provenance());
  const file = join(dir, 'index.html');
  writeFileAtomicSync(file, html);
  console.log(`wrote ${file} (${(html.length / 1024).toFixed(0)} KiB)`);
  return exitCode(result);
}
