// The edge of the model: everything it reads (demand.yaml, the inventory's GIRS and ODB
// sites, the intake calibration) gathered into one SizingData. The CLI, audit, workloads,
// k6 and the planner's build call this once and pass the result into the pure model.
import { loadInventory, siteView, type Inventory } from '../inventory/index.ts';
import { InputError } from '../cli/errors.ts';
import { calibrationPath, readCalibration } from './calibration.ts';
import type { GirsOptionData, SizingData } from './types.ts';

/** The VM row of Tables 36/39 that ingests reports. */
const AP_ROLE = 'AP';
/** The subsystem whose site the GIRS capacity is computed for. */
const GIRS_SUBSYSTEM = 'girs';

type InventoryPart = Omit<SizingData, 'calibration'>;
// Views are pure functions of the (cached) inventory; build them once per inventory.
const parts = new WeakMap<Inventory, InventoryPart>();

function inventoryPart(inv: Inventory): InventoryPart {
  const known = parts.get(inv);
  if (known) return known;
  if (!inv.demand) throw new InputError(`${inv.dir}/demand.yaml is missing; it holds the demand facts the sizing model computes from`);
  // GIRS runs where the inventory places its VMs, not where a constant says.
  const girsSites = Object.keys(inv.sites).sort().filter((site) =>
    Object.keys(inv.sites[site]!.options).some((o) => siteView(inv, site, o).vms.some((v) => v.subsystem === GIRS_SUBSYSTEM)));
  if (girsSites.length !== 1) {
    throw new InputError(`${inv.dir}: expected exactly one site with VMs of subsystem "${GIRS_SUBSYSTEM}", found ${girsSites.length ? girsSites.join(', ') : 'none'}`);
  }
  const site = girsSites[0]!;
  const options: GirsOptionData[] = Object.keys(inv.sites[site]!.options).sort().map((option) => {
    const v = siteView(inv, site, option);
    return {
      option, title: v.optionTitle,
      storage: v.storage.map((s) => ({ dataTB: s.dataTB, source: s.source })),
      apVcpu: v.vms.filter((vm) => vm.role === AP_ROLE).map((vm) => vm.vcpu),
    };
  });
  const odbSite = inv.demand.odb.site;
  if (!inv.sites[odbSite]) throw new InputError(`${inv.dir}/demand.yaml: odb.site "${odbSite}" is not a site of the inventory; expected one of ${Object.keys(inv.sites).sort().join(', ')}`);
  const odb = siteView(inv, odbSite);
  const part: InventoryPart = {
    demand: inv.demand,
    girs: { site, options },
    odbStorage: odb.storage.map((s) => ({ dataTB: s.dataTB, source: s.source })),
  };
  parts.set(inv, part);
  return part;
}

/** Read what the model needs. The calibration is read on every call: the intake benchmark may rewrite it. */
export function loadSizingData(inv: Inventory = loadInventory()): SizingData {
  return { ...inventoryPart(inv), calibration: readCalibration(calibrationPath(inv.dir)) };
}
