// The one loader: reads inventory/*.yaml, validates each file against the schema and then
// across files (table rows covered exactly once, references, names, addresses, rack space).
// Every problem found is reported, not only the first.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../cli/errors.ts';
import { readRegularFile } from '../cli/files.ts';
import { SiteFileSchema, TablesFileSchema, type SiteFile, type TablesFile } from './schema.ts';
import { displayPath, InventoryError, SourceFile, validate, type InventoryIssue } from './validate.ts';
import { checkSite } from './crossref.ts';
import { DemandFileSchema, type DemandFile } from './demand-schema.ts';

export const INVENTORY_DIR = resolve(dirname(fileURLToPath(import.meta.url)));

let selected: string | undefined;

/**
 * The inventory folder every command reads: the one chosen with `coc --inventory DIR`
 * (selectInventoryDir), else COC_INVENTORY_DIR, else the repository's own inventory/.
 */
export function inventoryDir(): string {
  if (selected) return selected;
  const env = process.env.COC_INVENTORY_DIR;
  return env ? resolve(env) : INVENTORY_DIR;
}

/** Choose the inventory folder for this process (the dispatcher's global --inventory flag). */
export function selectInventoryDir(dir: string | undefined): void {
  selected = dir === undefined ? undefined : resolve(dir);
}

/** Refuse an inventory folder that does not exist or is not a folder (exit 2, no stack). */
function checkDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new InputError(`inventory folder ${dir}: no such folder; expected a folder holding tables.yaml and the site files (--inventory DIR or COC_INVENTORY_DIR)`);
  }
  if (!st.isDirectory()) throw new InputError(`inventory folder ${dir}: not a folder; expected a folder holding tables.yaml and the site files`);
}

/** An unreadable file (directory, device, dangling link, loop) is an issue like any other. */
function readIssue(path: string, e: unknown): InventoryIssue {
  if (!(e instanceof InputError)) throw e;
  const name = displayPath(path);
  return { file: name, line: 1, col: 1, path: '', message: e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message };
}

function readSource(path: string, issues: InventoryIssue[]): SourceFile | undefined {
  try {
    return SourceFile.read(path);
  } catch (e) {
    issues.push(readIssue(path, e));
    return undefined;
  }
}
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
export function checkInventory(dir = inventoryDir(), files?: string[]): { inventory?: Inventory; issues: InventoryIssue[] } {
  checkDir(dir);
  const issues: InventoryIssue[] = [];
  const tablesPath = join(dir, 'tables.yaml');
  if (!existsSync(tablesPath)) {
    return { issues: [{ file: tablesPath, line: 1, col: 1, path: '', message: 'missing file; expected the table catalogue tables.yaml' }] };
  }
  const tablesSrc = readSource(tablesPath, issues);
  if (!tablesSrc) return { issues };
  const tables = validate(tablesSrc, TablesFileSchema);
  issues.push(...tables.issues);

  // Null-prototype maps: a site named "__proto__" or "toString" is data, not a prototype member.
  const sites: Record<string, SiteFile> = Object.create(null) as Record<string, SiteFile>;
  const sources: Record<string, SourceFile> = Object.create(null) as Record<string, SourceFile>;
  let siteFileFailed = false;
  for (const path of files ?? siteFiles(dir)) {
    const src = readSource(path, issues);
    if (!src) {
      siteFileFailed = true;
      continue;
    }
    const res = validate(src, SiteFileSchema);
    issues.push(...res.issues);
    if (!res.data) {
      siteFileFailed = true;
      continue;
    }
    if (Object.hasOwn(sites, res.data.site)) {
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
        if (!Object.hasOwn(sites, t.site)) issues.push(tablesSrc.issue(['tables', i, 'site'], `no site file defines site "${t.site}"; expected one of ${Object.keys(sites).join(', ')}`));
      });
    }
  }
  // demand.yaml is optional so fixture directories without it still load.
  let demand: DemandFile | undefined;
  const demandPath = join(dir, 'demand.yaml');
  if (!files && existsSync(demandPath)) {
    const src = readSource(demandPath, issues);
    const res = src ? validate(src, DemandFileSchema) : undefined;
    if (res) issues.push(...res.issues);
    demand = res?.data;
  }
  if (issues.length || !tables.data) return { issues };
  return { inventory: { dir, tables: tables.data, sites: { ...sites }, ...(demand ? { demand } : {}) }, issues };
}

let cached: { dir: string; inventory: Inventory } | undefined;

// Parsing the YAML with positions and validating it costs most of a CLI answer, so the
// validated inventory is cached, keyed by the content of every inventory file and of the
// inventory code (a schema change invalidates it too). Only a valid inventory is cached.
const CACHE_DIR = join(INVENTORY_DIR, '..', 'node_modules', '.cache', 'coc-infra');

/** undefined when any file cannot be read safely: checkInventory then says why. */
function cacheKey(dir: string): string | undefined {
  const h = createHash('sha256');
  const add = (d: string, pick: (f: string) => boolean) => {
    if (!existsSync(d)) return;
    for (const f of readdirSync(d).filter(pick).sort()) h.update(`${f}\0`).update(readRegularFile(join(d, f))).update('\0');
  };
  try {
    add(dir, (f) => f.endsWith('.yaml'));
    add(INVENTORY_DIR, (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
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
export function loadInventory(dir = inventoryDir()): Inventory {
  dir = resolve(dir);
  // Kept in memory only for the folder commands read (a test's temp folder may change under it).
  const memo = dir === inventoryDir();
  if (memo && cached?.dir === dir) return structuredClone(cached.inventory);
  checkDir(dir);
  const key = cacheKey(dir);
  const path = join(CACHE_DIR, `inventory-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.json`);
  let inventory = key ? readCache(path, key) : undefined;
  if (!inventory) {
    const res = checkInventory(dir);
    if (!res.inventory) throw new InventoryError(res.issues);
    inventory = res.inventory;
    if (key) writeCache(path, key, inventory);
  }
  if (memo) cached = { dir, inventory };
  return structuredClone(inventory);
}
