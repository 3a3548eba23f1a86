// The one loader: reads inventory/*.yaml, validates each file against the schema and then
// across files (table rows covered exactly once, references, names, addresses, rack space).
// Every problem found is reported, not only the first.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SiteFileSchema, TablesFileSchema, type SiteFile, type TablesFile } from './schema.ts';
import { InventoryError, SourceFile, validate, type InventoryIssue } from './validate.ts';
import { checkSite } from './crossref.ts';

export const INVENTORY_DIR = resolve(dirname(fileURLToPath(import.meta.url)));

export interface Inventory {
  dir: string;
  tables: TablesFile;
  sites: Record<string, SiteFile>;
  /** Where each site came from, for positioned messages downstream. */
  sources: Record<string, SourceFile>;
}

const NOT_SITES = new Set(['tables.yaml', 'demand.yaml']);

/** Site files are the YAML files of the directory other than the named special ones. */
function siteFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml') && !NOT_SITES.has(f)).sort().map((f) => join(dir, f));
}

/**
 * Validate the given files (or the whole directory) and return every issue found.
 * `files` may name site files only; tables.yaml is always read from their directory.
 */
export function checkInventory(dir = INVENTORY_DIR, files?: string[]): { inventory?: Inventory; issues: InventoryIssue[] } {
  const issues: InventoryIssue[] = [];
  const tablesPath = join(dir, 'tables.yaml');
  if (!existsSync(tablesPath)) {
    return { issues: [{ file: tablesPath, line: 1, col: 1, path: '', message: 'missing file; expected the table catalogue tables.yaml' }] };
  }
  const tablesSrc = SourceFile.read(tablesPath);
  const tables = validate(tablesSrc, TablesFileSchema);
  issues.push(...tables.issues);

  const sites: Record<string, SiteFile> = {};
  const sources: Record<string, SourceFile> = {};
  for (const path of files ?? siteFiles(dir)) {
    if (!existsSync(path)) {
      issues.push({ file: path, line: 1, col: 1, path: '', message: 'no such file' });
      continue;
    }
    const src = SourceFile.read(path);
    const res = validate(src, SiteFileSchema);
    issues.push(...res.issues);
    if (!res.data) continue;
    if (sites[res.data.site]) {
      issues.push(src.issue(['site'], `duplicate site "${res.data.site}"; it is defined in ${sources[res.data.site]!.file} too`));
      continue;
    }
    sites[res.data.site] = res.data;
    sources[res.data.site] = src;
  }
  if (tables.data) {
    for (const [site, data] of Object.entries(sites)) issues.push(...checkSite(data, sources[site]!, tables.data, tablesSrc));
    // A table whose site has no file at all is a missing row too (only when the whole directory is read).
    if (!files) {
      tables.data.tables.forEach((t, i) => {
        if (!sites[t.site]) issues.push(tablesSrc.issue(['tables', i, 'site'], `no site file defines site "${t.site}"; expected one of ${Object.keys(sites).join(', ')}`));
      });
    }
  }
  if (issues.length || !tables.data) return { issues };
  return { inventory: { dir, tables: tables.data, sites, sources }, issues };
}

let cached: Inventory | undefined;

/** Load and validate the inventory; throws InventoryError listing every issue. */
export function loadInventory(dir = INVENTORY_DIR): Inventory {
  if (dir === INVENTORY_DIR && cached) return cached;
  const { inventory, issues } = checkInventory(dir);
  if (!inventory) throw new InventoryError(issues);
  if (dir === INVENTORY_DIR) cached = inventory;
  return inventory;
}
