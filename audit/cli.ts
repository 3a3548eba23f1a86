// `coc bill`: the bill of materials audited against Table 34 and the requirement catalogue.
// Exit 0 when no check fails, 1 when any does, 2 on bad input.
import { choiceFlag, parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { loadInventory, siteNames } from '../inventory/index.ts';
import { exitCode, expectedRowsOf, loadSizing, runAudit, toJson, viewsOf, type AuditResult } from './audit.ts';
import { renderMarkdown, renderTerminal } from './render.ts';

const USAGE = `usage: coc bill --site oog|ccop [--option 1|2] [--json | --markdown]

Prints the bill of materials of a site and deployment option, its counts next to Table 34,
every check (pass/warn/fail with evidence) and the requirements no check covers.
Exit code: 0 no check fails, 1 a check fails, 2 bad input.`;

/** Parse the flags shared by `bill` and `report` and run the audit. */
export async function auditFromFlags(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}, precheck?: (v: Record<string, string | boolean | undefined>) => void) {
  const { values, positionals } = parseFlags(argv, {
    site: { type: 'string' }, option: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...extra,
  });
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; expected flags only (see --help)`);
  const flags = values as Record<string, string | boolean | undefined>;
  precheck?.(flags);
  if (flags.help) return { values: flags, result: null, sizing: null };
  const inv = loadInventory();
  const site = choiceFlag('', 'site', values.site as string | undefined, siteNames(inv));
  if (!site) throw new InputError(`--site is required; expected one of ${siteNames(inv).join(', ')}`);
  let views;
  try {
    views = viewsOf(inv, site, values.option as string | undefined);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--option: ${e.message}`);
    throw e;
  }
  const sizing = await loadSizing();
  const result: AuditResult = runAudit({ ...views, expectedRows: expectedRowsOf(inv, views.view), sizing });
  return { values: flags, result, sizing, view: views.view };
}

export async function run(argv: string[]): Promise<number> {
  const { values, result } = await auditFromFlags(argv, { json: { type: 'boolean' }, markdown: { type: 'boolean' } }, (v) => {
    if (v.json && v.markdown) throw new InputError('--json and --markdown exclude each other; choose one');
  });
  if (!result) { console.log(USAGE); return 0; }
  if (values.json) process.stdout.write(JSON.stringify(toJson(result), null, 2) + '\n');
  else if (values.markdown) process.stdout.write(renderMarkdown(result));
  else console.log(renderTerminal(result));
  return exitCode(result);
}
