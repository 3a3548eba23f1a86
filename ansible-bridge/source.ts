// Where the Ansible bridge reads from: the inventory through its loader and views (never
// the YAML directly), plus the stacks' outputs when present.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OUTDIR } from '../stacks/layout.ts';
import { inventoryDir, loadInventory, siteView } from '../inventory/index.ts';
import { buildModel, type AnsibleModel } from './model.ts';
import { readStackFacts } from './stack-outputs.ts';

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SITE = 'oog';
/** Option 2 is the deployment the project builds towards at OOG. */
export const DEFAULT_OPTION = 'option2';

export interface ModelRequest {
  site: string;
  option?: string | undefined;
  inventoryDir?: string;
  cdktfOut?: string;
  /** Use option2 when the site has several options and none is named (the dynamic script). */
  defaultOption?: boolean;
}

/** Load, validate (InventoryError lists every issue with file:line:col) and build the model. */
export function loadModel(req: ModelRequest): AnsibleModel {
  const inv = loadInventory(req.inventoryDir ? resolve(req.inventoryDir) : inventoryDir());
  const options = Object.keys(inv.sites[req.site]?.options ?? {});
  const option = req.option ?? (req.defaultOption && options.length > 1 && options.includes(DEFAULT_OPTION) ? DEFAULT_OPTION : undefined);
  const view = siteView(inv, req.site, option);
  const facts = readStackFacts(req.cdktfOut ?? join(REPO_DIR, DEFAULT_OUTDIR), view.site, view.option);
  return buildModel(view, facts);
}

