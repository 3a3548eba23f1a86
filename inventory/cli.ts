// `coc inventory show|validate|schema`: read, check and print the inventory.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags } from '../cli/args.ts';
import { table } from '../cli/table.ts';
import { writeFileAtomicSync } from '../cli/write.ts';
import { InputError } from '../cli/errors.ts';
import { checkInventory, INVENTORY_DIR, inventoryDir, loadInventory, type Inventory } from './load.ts';
import { jsonSchemas } from './json-schema.ts';
import { formatIssue } from './validate.ts';
import { siteView, type SiteView } from './view.ts';

const HELP = `usage: coc inventory <show|validate|schema> [options]

  show --site oog|ccop [--option 1|2] [--json]   the hosts, VMs, devices and middleware of one deployment
  validate [files…]                              check the inventory (or the named site files); every error is listed
  schema                                         rewrite inventory/*.schema.json from the schema

Errors are printed as file:line:col path: message; exit code 2.`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 2;
  }
  if (sub === 'show') return show(rest);
  if (sub === 'validate') return validateCmd(rest);
  if (sub === 'schema') return schemaCmd(rest);
  throw new InputError(`unknown subcommand "${sub}"; expected show, validate or schema`);
}

/** Load the selected inventory; an invalid one is an InventoryError (exit 2, every issue listed). */
export function loadOrExit(): Inventory {
  return loadInventory();
}

function show(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, { site: { type: 'string' }, option: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; expected --site, --option and --json`);
  if (!values.site) throw new InputError('missing --site; expected --site oog or --site ccop');
  const inv = loadOrExit();
  const view = siteView(inv, values.site, values.option);
  if (values.json) {
    console.log(JSON.stringify(view, null, 2));
    return 0;
  }
  console.log(renderView(view));
  return 0;
}

export function renderView(v: SiteView): string {
  const out: string[] = [`${v.title}${v.option ? ` — ${v.optionTitle}` : ''}`, ''];
  out.push(`Physical servers (${v.hosts.length}); per-unit figures derived from the published totals`,
    table(['host', 'role', 'platform', 'cores', 'RAM GB', 'disk GB', 'rack/RU', 'IP', 'source'],
      v.hosts.map((h) => [h.name, h.role, h.platform, h.cpuCores, h.ramGB, h.diskGB, h.rack ? `${h.rack}/${h.ru}` : '', h.ip, h.source])), '');
  if (v.vms.length) {
    out.push(`Virtual servers (${v.vms.length})`,
      table(['VM', 'row', 'vCPU', 'RAM GB', 'disk GB', 'platform/node', 'zone (VLAN)', 'IP', 'HA', 'source'],
        v.vms.map((m) => [m.name, m.role, m.vcpu, m.ramGB, m.diskGB, `${m.platform}/${m.node}`, `${m.zone} (${m.vlan})`, m.ip, m.ha.required ? 'yes' : m.pairId ? 'pair' : 'no', m.source])), '');
  }
  const devRows = new Map<string, { name: string; role: string; qty: number; where: Set<string>; specs: string }>();
  for (const d of v.devices) {
    const e = devRows.get(d.source) ?? { name: d.rowName, role: d.role, qty: 0, where: new Set<string>(), specs: d.specs ?? '' };
    e.qty++;
    e.where.add(d.rack ?? d.location);
    devRows.set(d.source, e);
  }
  out.push(`Devices (${v.devices.length} units)`,
    table(['device', 'role', 'qty', 'where', 'specs', 'source'], [...devRows].map(([src, e]) => [e.name, e.role, e.qty, [...e.where].join(', '), e.specs, src]), { widths: [34, 18, 5, 24, 44, 14] }), '');
  out.push(`Middleware (${v.middleware.length})`,
    table(['middleware', 'category', 'product (assumption)', 'source'], v.middleware.map((m) => [m.name, m.category, m.product, m.source]), { widths: [44, 26, 50, 14] }));
  return out.join('\n');
}

function validateCmd(argv: string[]): number {
  const { positionals, values } = parseFlags(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(HELP); return 0; }
  const missing = positionals.filter((f) => !existsSync(f));
  if (missing.length) throw new InputError(`no such file: ${missing.join(', ')}; expected site files such as inventory/oog.yaml`);
  const files = positionals.length ? positionals.map((f) => resolve(f)) : undefined;
  const dir = files ? resolve(files[0]!, '..') : inventoryDir();
  const { issues } = checkInventory(dir, files);
  if (issues.length) {
    for (const i of issues) console.error(formatIssue(i));
    console.error(`${issues.length} error(s)`);
    return 2;
  }
  console.log(`inventory OK: ${files ? files.length : 'all'} file(s) valid`);
  return 0;
}

function schemaCmd(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(HELP); return 0; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; it takes no arguments`);
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    const path = join(INVENTORY_DIR, name);
    writeFileAtomicSync(path, `${JSON.stringify(schema, null, 2)}\n`);
    console.log(`wrote ${path}`);
  }
  return 0;
}
