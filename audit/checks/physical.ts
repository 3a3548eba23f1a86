// Physical fit: rack units per rack against the racks the rooms allow (Table 33: 4 in OOG's
// server room), power per rack, and the IOC room's display wall. RU and power come from the
// inventory's device classes (stated assumptions; the report gives neither).
import type { SiteView } from '../../inventory/index.ts';
import type { CheckResult, Status } from '../types.ts';
import { check, worst, type AuditContext } from './context.ts';
import { fx } from './performance.ts';

/** Per-rack power a typical dual 32 A single-phase feed carries with headroom; an assumption. */
export const RACK_POWER_BUDGET_W = 6000;
/** Below this share of free RU in the server room, expansion (Table 33) needs another rack. */
export const MIN_FREE_RU_SHARE = 0.1;

export interface RackFill {
  rack: string;
  room: string;
  units: number;
  usedRU: number;
  powerW: number;
  items: { name: string; ru: number; size: number; role: string; source: string }[];
  problems: string[];
}

export function rackFill(view: SiteView): { racks: RackFill[]; unplaced: string[]; floorPowerW: number } {
  const placed = [...view.hosts, ...view.devices];
  const racks = view.racks.map((r): RackFill => {
    const items = placed.filter((p) => p.rack === r.name).map((p) => ({ name: p.name, ru: p.ru ?? 0, size: p.ruSize, role: p.role, source: p.source, powerW: p.powerW }));
    const problems: string[] = [];
    const used = new Map<number, string>();
    for (const it of items) {
      if (it.size === 0) continue;
      if (it.ru < 1 || it.ru + it.size - 1 > r.units) problems.push(`${it.name} at U${it.ru}–U${it.ru + it.size - 1} is outside the ${r.units}U rack`);
      for (let u = it.ru; u < it.ru + it.size; u++) {
        const other = used.get(u);
        if (other) problems.push(`${it.name} overlaps ${other} at U${u}`);
        used.set(u, it.name);
      }
    }
    const usedRU = items.reduce((a, i) => a + i.size, 0);
    if (usedRU > r.units) problems.push(`${usedRU}U of devices in a ${r.units}U rack`);
    return { rack: r.name, room: r.room, units: r.units, usedRU, powerW: items.reduce((a, i) => a + i.powerW, 0), items: items.map(({ powerW: _p, ...i }) => i), problems: [...new Set(problems)] };
  });
  const unplaced = placed.filter((p) => p.ruSize > 0 && !p.rack).map((p) => p.name);
  const floorPowerW = placed.filter((p) => !p.rack).reduce((a, p) => a + p.powerW, 0);
  return { racks, unplaced, floorPowerW };
}

export function physicalChecks(ctx: AuditContext): CheckResult[] {
  const { view } = ctx;
  const fill = rackFill(view);
  const out = [racksCheck(view, fill), powerCheck(fill)];
  if (view.site === 'oog') out.push(headroomCheck(view, fill), iocCheck(view));
  return out;
}

function racksCheck(view: SiteView, fill: ReturnType<typeof rackFill>): CheckResult {
  const evidence: string[] = [];
  const statuses: Status[] = [];
  for (const room of view.rooms) {
    const inRoom = fill.racks.filter((r) => r.room === room.name && r.usedRU > 0);
    const limit = room.maxRacks;
    const over = limit !== null && inRoom.length > limit;
    statuses.push(over ? 'fail' : 'pass');
    evidence.push(`${room.name}: ${inRoom.length} rack(s) in use${limit === null ? ' (no limit stated)' : ` of ${limit} allowed (${room.source})`}${over ? ' — TOO MANY' : ''}`);
  }
  for (const r of fill.racks) {
    statuses.push(r.problems.length ? 'fail' : 'pass');
    evidence.push(`${r.rack}: ${r.usedRU}/${r.units} U used by ${r.items.length} device(s)${r.problems.length ? `; ${r.problems.join('; ')}` : ''}`);
  }
  if (fill.unplaced.length) { statuses.push('warn'); evidence.push(`rack-mounted but not placed in a rack: ${fill.unplaced.join(', ')}`); }
  evidence.push(`RU per device class (inventory deviceClasses, assumptions): ${view.deviceClasses.filter((c) => c.ru > 0).map((c) => `${c.name} ${c.ru}U`).join(', ')}`);
  return check('physical.racks', view.site === 'oog' ? 'SITE-4-RACKS' : 'SITE-RACK-SPACE', 'Devices fit the racks the rooms allow', worst(statuses), evidence,
    [...new Set(fill.racks.flatMap((r) => r.items.map((i) => i.source)))], { racksInUse: fill.racks.filter((r) => r.usedRU > 0).length, usedRU: fill.racks.reduce((a, r) => a + r.usedRU, 0) });
}

function powerCheck(fill: ReturnType<typeof rackFill>): CheckResult {
  const over = fill.racks.filter((r) => r.powerW > RACK_POWER_BUDGET_W);
  const total = fill.racks.reduce((a, r) => a + r.powerW, 0) + fill.floorPowerW;
  return check('physical.power', 'SITE-POWER', 'Power per rack within a typical feed', over.length ? 'warn' : 'pass', [
    ...fill.racks.filter((r) => r.powerW > 0).map((r) => `${r.rack}: ${fx(r.powerW / 1000, 2)} kW${r.powerW > RACK_POWER_BUDGET_W ? ` exceeds the ${RACK_POWER_BUDGET_W / 1000} kW budget` : ''}`),
    `outside racks (PCs, displays, gates): ${fx(fill.floorPowerW / 1000, 2)} kW; total ${fx(total / 1000, 2)} kW nameplate — the Vietnamese side provides the supply (Table 42)`,
    `budget per rack ${RACK_POWER_BUDGET_W / 1000} kW is our assumption (dual 32 A feeds); device power from the inventory's device classes`,
  ], [], { totalW: total, maxRackW: Math.max(0, ...fill.racks.map((r) => r.powerW)) });
}

function headroomCheck(view: SiteView, fill: ReturnType<typeof rackFill>): CheckResult {
  const room = view.rooms.find((r) => r.name === 'server-room');
  const racks = fill.racks.filter((r) => r.room === 'server-room');
  const units = racks.reduce((a, r) => a + r.units, 0);
  const used = racks.reduce((a, r) => a + r.usedRU, 0);
  const share = units ? (units - used) / units : 0;
  return check('physical.headroom', 'SCALE-EXPANDABLE', 'Room to expand in the server room', share >= MIN_FREE_RU_SHARE ? 'pass' : 'warn', [
    `server room: ${units - used} of ${units} U free (${fx(share * 100)}%) across ${racks.length} rack(s); room allows ${room?.maxRacks ?? '?'} racks`,
    `expansion needs ≥ ${MIN_FREE_RU_SHARE * 100}% free RU (our threshold): a further 2U platform host pair needs 4U`,
  ], [], { freeRU: units - used, freeShare: Math.round(share * 1000) / 1000 });
}

function iocCheck(view: SiteView): CheckResult {
  const displays = view.devices.filter((d) => d.role === 'display');
  const mux = view.devices.filter((d) => d.role === 'video-multiplexer');
  const ctl = view.hosts.filter((h) => h.role === 'display-control');
  const pcs = view.devices.filter((d) => d.role === 'pc' && d.location === 'ioc-room');
  const want = view.table34?.displays ?? null;
  const src = [...displays, ...mux, ...ctl, ...pcs].map((d) => d.source);
  if (!displays.length && !ctl.length && (want === 0 || want === null)) {
    return check('physical.ioc', 'IOC-ROOM', 'IOC room hardware', 'pass', [`no IOC room hardware in ${view.optionTitle}, as Table 34 says (displays: ${want ?? 'n/a'})`]);
  }
  const problems: string[] = [];
  if (want !== null && displays.length !== want) problems.push(`${displays.length} displays but Table 34 says ${want}`);
  if (mux.length < displays.length) problems.push(`${mux.length} video multiplexers for ${displays.length} displays`);
  if (!ctl.length) problems.push('no display controller');
  if (displays.some((d) => d.location !== 'ioc-room')) problems.push('some displays are not in the IOC room');
  return check('physical.ioc', 'IOC-ROOM', 'IOC room: display wall, controllers and PCs', problems.length ? 'fail' : 'pass', [
    `${displays.length} × 55-inch displays, ${mux.length} video multiplexers, ${ctl.length} display controllers (${ctl.map((c) => `${c.cpuCores} cores/${c.ramGB} GB`).join(', ')}), ${pcs.length} PCs in the IOC room`,
    ...problems,
  ], src, { displays: displays.length, multiplexers: mux.length, controllers: ctl.length, iocPcs: pcs.length });
}
