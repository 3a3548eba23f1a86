// Physical items (servers, SAN, switches, firewalls, sensors, PCs, displays, entrance
// control) are constructs, not Terraform resources: they place units in racks and feed
// the stack outputs (rack elevations, device list) that the audit and the Ansible
// bridge read from cdk.tf.json.
import { StackInputError } from './errors.ts';
import { Construct } from 'constructs';
import type { DeviceView, HostView, Placed, SiteView } from '../inventory/index.ts';
import { jsonOutput } from './outputs.ts';
import { tfName } from './naming.ts';

export interface DeviceRecord extends Omit<Placed, 'role'> {
  role: string;
  platform: 'A' | 'B' | null;
  cpuCores: number | string | null;
  ramGB: number | null;
  /** Ethernet/FC port count where the report gives one ("24 ports for each"). */
  ports: number | null;
}

export function deviceRecords(view: SiteView): DeviceRecord[] {
  const fromHost = (h: HostView): DeviceRecord => ({
    name: h.name, role: h.role, rowName: h.rowName, source: h.source, deviceClass: h.deviceClass, ruSize: h.ruSize, powerW: h.powerW,
    rack: h.rack, ru: h.ru, location: h.location, zone: h.zone, vlan: h.vlan, ip: h.ip, platform: h.platform,
    cpuCores: h.cpuCores, ramGB: h.ramGB, ports: null,
  });
  const fromDevice = (d: DeviceView): DeviceRecord => ({
    name: d.name, role: d.role, rowName: d.rowName, source: d.source, deviceClass: d.deviceClass, ruSize: d.ruSize, powerW: d.powerW,
    rack: d.rack, ru: d.ru, location: d.location, zone: d.zone, vlan: d.vlan, ip: d.ip, platform: null,
    cpuCores: d.cpu, ramGB: d.ramGB, ports: d.ports,
  });
  return [...view.hosts.map(fromHost), ...view.devices.map(fromDevice)];
}

/** One unit of equipment. */
export class Device extends Construct {
  constructor(scope: Construct, readonly record: DeviceRecord) {
    super(scope, record.name);
  }
}

export interface ElevationSlot {
  /** Top and bottom RU occupied (RU 1 is the bottom of the rack). */
  top: number;
  bottom: number;
  name: string;
  role: string;
  deviceClass: string;
  powerW: number;
}

/** A rack: refuses units that overlap or do not fit, and renders its elevation. */
export class Rack extends Construct {
  private readonly slots: ElevationSlot[] = [];
  constructor(scope: Construct, readonly rackName: string, readonly room: string, readonly units: number) {
    super(scope, rackName);
  }

  place(d: DeviceRecord): void {
    if (d.ru === null) throw new StackInputError(`device "${d.name}" is in rack ${this.rackName} but has no RU; expected a unit number 1–${this.units}`);
    const bottom = d.ru;
    const top = d.ru + Math.max(d.ruSize, 1) - 1;
    if (bottom < 1 || top > this.units) {
      throw new StackInputError(`device "${d.name}" (${d.ruSize}U at RU ${d.ru}) does not fit rack ${this.rackName} of ${this.units}U`);
    }
    const clash = this.slots.find((s) => bottom <= s.top && top >= s.bottom);
    if (clash) throw new StackInputError(`device "${d.name}" (RU ${bottom}–${top}) overlaps "${clash.name}" (RU ${clash.bottom}–${clash.top}) in rack ${this.rackName}`);
    this.slots.push({ top, bottom, name: d.name, role: d.role, deviceClass: d.deviceClass, powerW: d.powerW });
  }

  elevation() {
    const slots = [...this.slots].sort((a, b) => b.top - a.top);
    const usedU = slots.reduce((n, s) => n + s.top - s.bottom + 1, 0);
    return {
      rack: this.rackName, room: this.room, units: this.units, usedU, freeU: this.units - usedU,
      powerW: slots.reduce((n, s) => n + s.powerW, 0), slots,
    };
  }
}

/** Racks and devices of a site view, with outputs `devices` and `rack_<name>` (JSON values). */
export class Facility extends Construct {
  readonly devices: DeviceRecord[];
  readonly racks = new Map<string, Rack>();

  constructor(scope: Construct, id: string, view: SiteView) {
    super(scope, id);
    for (const r of view.racks) this.racks.set(r.name, new Rack(this, r.name, r.room, r.units));
    this.devices = deviceRecords(view).sort((a, b) => a.name.localeCompare(b.name));
    const units = new Construct(this, 'units');
    for (const d of this.devices) {
      new Device(units, d);
      if (d.rack === null) continue;
      const rack = this.racks.get(d.rack);
      if (!rack) throw new StackInputError(`device "${d.name}" names rack "${d.rack}", which site ${view.site} does not define; expected one of ${[...this.racks.keys()].join(', ')}`);
      rack.place(d);
    }
    jsonOutput(scope, 'devices', 'Every physical unit of the site/option: role, rack/RU, power, zone, address', this.devices);
    for (const rack of this.racks.values()) {
      jsonOutput(scope, tfName('rack', rack.rackName), `Rack elevation of ${rack.rackName} (top RU first), used and free units, power`, rack.elevation());
    }
  }
}
