// Public face of the inventory: load once, read through views.
export { loadInventory, checkInventory, INVENTORY_DIR, inventoryDir, selectInventoryDir, type Inventory } from './load.ts';
export { siteView, resolveOption, siteNames, slug, type SiteView, type HostView, type VmView, type DeviceView, type MiddlewareView, type RowView, type StorageView, type Placed } from './view.ts';
export { positive } from './zod-helpers.ts';
export { InventoryError, formatIssue, type InventoryIssue } from './validate.ts';
export { perUnit, total, rowBasis, type Figures, type Basis } from './per-unit.ts';
export type { Role, Subsystem, Zone, Flow, SiteFile, TablesFile, Published, Table34 } from './schema.ts';
export type { DemandFile, PatternDef, Stated, Reasoned } from './demand-schema.ts';
