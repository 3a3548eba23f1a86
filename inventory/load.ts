// The one loader: reads inventory/*.yaml, validates each file against the schema and then
// across files (table rows covered exactly once, references, names, addresses, rack space).
// Every problem found is reported, not only the first.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SiteFileSchema, TablesFileSchema, type SiteFile, type TablesFile } from './schema.ts';
import { InventoryError, SourceFile, validate, type InventoryIssue } from './validate.ts';
import { checkSite } from './crossref.ts';
import { DemandFileSchema, type DemandFile } from './demand-schema.ts';

export const INVENTORY_DIR = resolve(dirname(fileURLToPath(import.meta.url)));

export interface Inventory {
  dir: string;
  tables: TablesFile;
  sites: Record<string, SiteFile>;
  /** demand.yaml (the report's demand facts for sizing), when the directory has one. */
  demand?: DemandFile;
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
  let siteFileFailed = false;
  for (const path of files ?? siteFiles(dir)) {
    if (!existsSync(path)) {
      issues.push({ file: path, line: 1, col: 1, path: '', message: 'no such file' });
      continue;
    }
    const src = SourceFile.read(path);
    const res = validate(src, SiteFileSchema);
    issues.push(...res.issues);
    if (!res.data) {
      siteFileFailed = true;
      continue;
    }
    if (sites[res.data.site]) {
      issues.push(src.issue(['site'], `duplicate site "${res.data.site}"; it is defined in ${sources[res.data.site]!.file} too`));
      continue;
    }
    sites[res.data.site] = res.data;
    sources[res.data.site] = src;
  }
  if (tables.data) {
    for (const [site, data] of Object.entries(sites)) issues.push(...checkSite(data, sources[site]!, tables.data, tablesSrc));
    // A table whose site has no file at all is a missing row too (only when the whole directory is
    // read, and only when every site file parsed: a broken file may be the one that defines it).
    if (!files && !siteFileFailed) {
      tables.data.tables.forEach((t, i) => {
        if (!sites[t.site]) issues.push(tablesSrc.issue(['tables', i, 'site'], `no site file defines site "${t.site}"; expected one of ${Object.keys(sites).join(', ')}`));
      });
    }
  }
  // demand.yaml is optional so fixture directories without it still load.
  let demand: DemandFile | undefined;
  const demandPath = join(dir, 'demand.yaml');
  if (!files && existsSync(demandPath)) {
    const res = validate(SourceFile.read(demandPath), DemandFileSchema);
    issues.push(...res.issues);
    demand = res.data;
  }
  if (issues.length || !tables.data) return { issues };
  return { inventory: { dir, tables: tables.data, sites, ...(demand ? { demand } : {}) }, issues };
}

let cached: Inventory | undefined;

// Parsing the YAML with positions and validating it costs most of a CLI answer, so the
// validated inventory is cached, keyed by the content of every inventory file and of the
// inventory code (a schema change invalidates it too). Only a valid inventory is cached.
const CACHE_DIR = join(INVENTORY_DIR, '..', 'node_modules', '.cache', 'coc-infra');

function cacheKey(dir: string): string {
  const h = createHash('sha256');
  const add = (d: string, pick: (f: string) => boolean) => {
    if (!existsSync(d)) return;
    for (const f of readdirSync(d).filter(pick).sort()) h.update(`${f}\0`).update(readFileSync(join(d, f))).update('\0');
  };
  add(dir, (f) => f.endsWith('.yaml'));
  add(INVENTORY_DIR, (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  return h.digest('hex');
}

function readCache(path: string, key: string): Inventory | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as { key: string; inventory: Inventory };
    return c.key === key ? c.inventory : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(path: string, key: string, inventory: Inventory): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, inventory }));
    renameSync(tmp, path);
  } catch {
    // A read-only checkout still works, only slower.
  }
}

/** Load and validate the inventory; throws InventoryError listing every issue. */
export function loadInventory(dir = INVENTORY_DIR): Inventory {
  if (dir === INVENTORY_DIR && cached) return structuredClone(cached);
  const key = cacheKey(dir);
  const path = join(CACHE_DIR, `inventory-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16)}.json`);
  let inventory = readCache(path, key);
  if (!inventory) {
    const res = checkInventory(dir);
    if (!res.inventory) throw new InventoryError(res.issues);
    inventory = res.inventory;
    writeCache(path, key, inventory);
  }
  if (dir === INVENTORY_DIR) cached = inventory;
  return structuredClone(inventory);
}
