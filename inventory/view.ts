// A flat, per-unit view of one site and deployment option: what every consumer (sizing,
// audit, stacks, workloads, Ansible, k6) reads instead of walking the YAML tree.
import type { Inventory } from './load.ts';
import { perUnit, rowBasis, total, type Basis, type Figures } from './per-unit.ts';
import { SERVER_ROLES, type Flow, type Published, type Role, type SiteFile, type Subsystem, type Table34, type Zone } from './schema.ts';
import { InputError } from '../cli/errors.ts';

export interface RowView {
  source: string;
  table: string;
  name: string;
  kind: 'hardware' | 'vm' | 'middleware';
  role: Role | 'vm' | 'middleware';
  quantity: number;
  basis: Basis;
  published: Published;
  perUnit: Figures;
  total: Figures;
  note?: string;
}

/** Where a physical unit sits and how it is reached; shared by hosts, devices and stack records. */
export interface Placed {
  name: string;
  role: Role;
  rowName: string;
  source: string;
  deviceClass: string;
  ruSize: number;
  powerW: number;
  rack: string | null;
  ru: number | null;
  location: string;
  zone: string | null;
  vlan: number | null;
  ip: string | null;
}

export interface HostView extends Placed {
  platform: 'A' | 'B' | null;
  cpuCores: number;
  ramGB: number;
  diskGB: number | null;
}

export interface DeviceView extends Placed {
  cpu: number | string | null;
  ramGB: number | null;
  specs: string | null;
  /** Ports of each network device, where the row gives them ("24 ports for each"). */
  ports: number | null;
}

export interface VmView {
  name: string;
  /** The table row's name, e.g. "WEB", "Operation Management". */
  role: string;
  source: string;
  vcpu: number;
  ramGB: number;
  diskGB: number;
  platform: 'A' | 'B';
  node: string;
  subsystem: Subsystem;
  zone: string;
  vlan: number;
  cidr: string;
  gateway: string;
  ip: string;
  ports: number[];
  /** Instances of a (2) row form a redundant pair named after the row. */
  pairId: string | null;
  ha: { required: boolean; reason: string };
}

export interface MiddlewareView {
  source: string;
  category: string;
  name: string;
  product: string;
}

export interface StorageView {
  name: string;
  source: string;
  dataTB: number;
  osTB: number | null;
  raid: string;
  diskType: string;
  diskToDiskCopy: boolean;
  hotSpare: boolean;
  fcGbps: number[];
}

export interface SiteView {
  site: string;
  option: string | null;
  title: string;
  optionTitle: string;
  tables: string[];
  rooms: SiteFile['rooms'];
  racks: SiteFile['racks'];
  zones: Zone[];
  flows: Flow[];
  deviceClasses: SiteFile['deviceClasses'];
  settings: SiteFile['settings'];
  backup: SiteFile['backup'];
  hypervisor: SiteFile['hypervisor'] | null;
  table34: Table34 | null;
  rows: RowView[];
  hosts: HostView[];
  vms: VmView[];
  devices: DeviceView[];
  middleware: MiddlewareView[];
  storage: StorageView[];
}

export function siteNames(inv: Inventory): string[] {
  return Object.keys(inv.sites).sort();
}

/** Resolve `--option` the way every CLI does: "2" and "option2" both name option2. */
export function resolveOption(inv: Inventory, site: string, option?: string): string {
  // Object.hasOwn: "--site __proto__" or "--option constructor" must not reach Object.prototype.
  const file = Object.hasOwn(inv.sites, site) ? inv.sites[site] : undefined;
  if (!file) throw new InputError(`unknown site "${site}"; expected one of ${siteNames(inv).join(', ')}`);
  const opts = Object.keys(file.options);
  if (option === undefined) {
    if (opts.length === 1) return opts[0]!;
    throw new InputError(`site "${site}" has ${opts.length} deployment options; expected --option ${opts.map((o) => o.replace(/^option/, '')).join(' or ')}`);
  }
  const name = /^\d+$/.test(option) ? `option${option}` : option;
  if (!Object.hasOwn(file.options, name)) throw new InputError(`site "${site}" has no option "${option}"; expected one of ${opts.join(', ')}`);
  return name;
}

export function siteView(inv: Inventory, site: string, option?: string): SiteView {
  const opt = resolveOption(inv, site, option);
  const file = inv.sites[site]!;
  const dep = file.options[opt]!;
  const basisOf = (source: string): Basis => {
    const table = source.split(' #')[0];
    return inv.tables.tables.find((t) => t.table === table)?.basis ?? 'none';
  };
  const zones = new Map(file.zones.map((z) => [z.name, z]));
  const classes = new Map(file.deviceClasses.map((c) => [c.name, c]));

  const rows: RowView[] = [];
  const hosts: HostView[] = [];
  const devices: DeviceView[] = [];
  const storage: StorageView[] = [];
  for (const row of dep.hardware) {
    const basis = rowBasis(basisOf(row.source), row.published);
    const unit = perUnit(row.published, row.quantity, basis);
    rows.push({
      source: row.source, table: row.source.split(' #')[0]!, name: row.name, kind: 'hardware', role: row.role,
      quantity: row.quantity, basis, published: row.published, perUnit: unit, total: total(row.published, row.quantity, basis),
      ...(row.note ? { note: row.note } : {}),
    });
    const cls = classes.get(row.assumed.deviceClass)!;
    if (row.published.storage) {
      const s = row.published.storage;
      storage.push({ name: row.assumed.units[0]!.name, source: row.source, dataTB: s.dataTB, osTB: s.osTB ?? null, raid: s.raid, diskType: s.diskType, diskToDiskCopy: s.diskToDiskCopy, hotSpare: s.hotSpare, fcGbps: s.fcGbps });
    }
    for (const u of row.assumed.units) {
      const placed: Placed = {
        name: u.name, role: row.role, rowName: row.name, source: row.source, deviceClass: cls.name, ruSize: cls.ru, powerW: cls.powerW,
        rack: u.rack ?? null, ru: u.ru ?? null, location: u.location ?? 'server-room',
        zone: u.zone ?? null, vlan: u.zone ? zones.get(u.zone)!.vlan : null, ip: u.ip ?? null,
      };
      if (SERVER_ROLES.includes(row.role) && typeof unit.cpuCores === 'number' && unit.ramGB !== null) {
        hosts.push({ ...placed, platform: row.platform ?? null, cpuCores: unit.cpuCores, ramGB: unit.ramGB, diskGB: unit.diskGB });
      } else {
        devices.push({ ...placed, cpu: unit.cpuCores, ramGB: unit.ramGB, specs: row.published.specs ?? null, ports: row.published.portsEach ?? null });
      }
    }
  }
  const vms: VmView[] = [];
  for (const row of dep.vms) {
    const basis = rowBasis(basisOf(row.source), row.published);
    const unit = perUnit(row.published, row.count, basis);
    rows.push({
      source: row.source, table: row.source.split(' #')[0]!, name: row.name, kind: 'vm', role: 'vm',
      quantity: row.count, basis, published: row.published, perUnit: unit, total: total(row.published, row.count, basis),
    });
    const zone = zones.get(row.assumed.zone)!;
    for (const inst of row.assumed.instances) {
      vms.push({
        name: inst.name, role: row.name, source: row.source, vcpu: unit.vcpu!, ramGB: unit.ramGB!, diskGB: row.assumed.diskGB,
        platform: row.platform, node: inst.node, subsystem: row.assumed.subsystem, zone: zone.name, vlan: zone.vlan,
        cidr: zone.cidr, gateway: zone.gateway, ip: inst.ip, ports: [...row.assumed.ports],
        pairId: row.count > 1 ? slug(row.name) : null, ha: { ...row.assumed.ha },
      });
    }
  }
  const middleware = dep.middleware.map((m) => {
    rows.push({ source: m.source, table: m.source.split(' #')[0]!, name: m.name, kind: 'middleware', role: 'middleware', quantity: 1, basis: 'none', published: {}, perUnit: nothing(), total: nothing() });
    return { source: m.source, category: m.category, name: m.name, product: m.assumed.product };
  });
  const single = Object.keys(file.options).length === 1;
  return structuredClone({
    site, option: single ? null : opt, title: file.title, optionTitle: dep.title, tables: dep.tables,
    rooms: file.rooms, racks: file.racks, zones: file.zones, flows: file.flows, deviceClasses: file.deviceClasses,
    settings: file.settings, backup: file.backup, hypervisor: file.hypervisor ?? null, table34: dep.table34 ?? null,
    rows, hosts, vms, devices, middleware, storage,
  });
}

function nothing(): Figures {
  return { cpuCores: null, vcpu: null, ramGB: null, diskGB: null };
}

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
