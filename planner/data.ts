// The planner's edge: what the page needs, read once at build time and embedded as JSON.
// The page computes everything else with the sizing model itself (bundled, not copied).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INVENTORY_DIR, siteView, type Inventory } from '../inventory/index.ts';
import { loadSizingData, type HostLossView, type SizingData } from '../sizing/index.ts';

export interface PlannerOption {
  option: string;
  title: string;
  /** The hosts, VMs and hypervisor reserve the N+1 host-loss model reads. */
  hostLoss: HostLossView;
}

export interface PlannerData {
  sizing: SizingData;
  options: PlannerOption[];
  provenance: { builtAt: string; inventoryDir: string; inventorySha256: string };
}

/** SHA-256 over the inventory's YAML files (names and bytes), so a page says which inventory it shows. */
export function inventoryHash(dir: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) h.update(`${f}\0`).update(readFileSync(join(dir, f))).update('\0');
  const measured = join(dir, 'measured');
  try {
    for (const f of readdirSync(measured).filter((n) => n.endsWith('.yaml')).sort()) h.update(`measured/${f}\0`).update(readFileSync(join(measured, f))).update('\0');
  } catch { /* no measurements yet */ }
  return h.digest('hex');
}

export function plannerData(inv: Inventory, now = new Date()): PlannerData {
  const sizing = loadSizingData(inv);
  const options = sizing.girs.options.map(({ option, title }) => {
    const v = siteView(inv, sizing.girs.site, option);
    return { option, title, hostLoss: { hosts: v.hosts, vms: v.vms, hypervisor: v.hypervisor } };
  });
  return { sizing, options, provenance: { builtAt: now.toISOString(), inventoryDir: relative(join(INVENTORY_DIR, '..'), inv.dir) || '.', inventorySha256: inventoryHash(inv.dir) } };
}
