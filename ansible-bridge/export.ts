// The exported inventory the coc.infra.inventory plugin reads: every site and option, each
// the `ansible-inventory --list` JSON of the model (what the former Node.js script printed).
import { resolve } from 'node:path';
import { inventoryDir, loadInventory } from '../inventory/index.ts';
import { toListJson } from './model.ts';
import { DEFAULT_OPTION, loadModel } from './source.ts';

/** Must equal FORMAT in collections/ansible_collections/coc/infra/plugins/inventory/inventory.py. */
export const EXPORT_FORMAT = 'coc-ansible-inventory/1';

export interface ExportBundle {
  format: typeof EXPORT_FORMAT;
  generator: string;
  /** Per site: the option served when none is asked for, and each option's listing ("" for a site without options). */
  sites: Record<string, { default_option: string | null; options: Record<string, Record<string, unknown>> }>;
}

export function exportBundle(opts: { inventoryDir?: string; cdktfOut?: string; site?: string } = {}): ExportBundle {
  const inv = loadInventory(opts.inventoryDir ? resolve(opts.inventoryDir) : inventoryDir());
  const sites: ExportBundle['sites'] = {};
  for (const site of Object.keys(inv.sites).sort()) {
    if (opts.site && site !== opts.site) continue;
    const names = Object.keys(inv.sites[site]!.options ?? {});
    const options: Record<string, Record<string, unknown>> = {};
    for (const option of names.length > 1 ? names : [undefined]) {
      const model = loadModel({ site, option, ...(opts.inventoryDir ? { inventoryDir: opts.inventoryDir } : {}), ...(opts.cdktfOut ? { cdktfOut: opts.cdktfOut } : {}) });
      options[model.option && names.length > 1 ? model.option : ''] = toListJson(model);
    }
    sites[site] = { default_option: names.length > 1 ? (names.includes(DEFAULT_OPTION) ? DEFAULT_OPTION : names[0]!) : null, options };
  }
  return { format: EXPORT_FORMAT, generator: 'coc ansible export', sites };
}
