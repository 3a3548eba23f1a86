// Charts rendered offline to SVG strings: vega-lite → vega → SVG (no browser, no network),
// and rack elevations drawn by hand. Every key number is written on the chart itself
// (crossing points, service life, link capacities, the N+1 verdict per host), because a
// printed or screenshotted chart travels without its surrounding text. Every number comes
// from the sizing model or the inventory; the charts only place and format them.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { SiteView } from '../inventory/index.ts';
import type { SizingInput } from './audit.ts';
import type { OdbLoad, OptionCapacity, PatternResult } from '../sizing/index.ts';
import { fx, SERVICE_LIFE_MONTHS } from './checks/performance.ts';
import { rackFill } from './checks/physical.ts';
import { analysePlatforms, type ClusterAnalysis } from '../sizing/index.ts';
import { OKABE_ITO, OTHER_ROLE, PATTERN_STYLE, ROLE_STYLE } from './palette.ts';

type Spec = vl.TopLevelSpec;
type Layer = Record<string, unknown>;

export async function toSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  config: { font: 'system-ui, sans-serif', view: { stroke: null }, axis: { labelFontSize: 12, titleFontSize: 12 }, title: { fontSize: 14, anchor: 'start' }, text: { fontSize: 12 } },
} as const;

const patternScale = { domain: [...PATTERN_STYLE.names], range: [...PATTERN_STYLE.colours] };
const dashScale = { domain: [...PATTERN_STYLE.names], range: PATTERN_STYLE.dashes.map((d) => [...d]) };
const months = (m: number | null) => (m === null ? 'never full' : `full in ${fx(m)} months`);
const lifeVerdict = (m: number | null) => (m === null || m >= SERVICE_LIFE_MONTHS ? 'outlasts the service life' : 'before the service life ends');
const text = (t: string, extra: Layer = {}): Layer => ({ type: 'text', align: 'left', baseline: 'middle', fontSize: 12, ...extra, text: t });

function optionCaps(results: PatternResult[], site: string, option: string | null): { p: number; name: string; c: OptionCapacity }[] {
  return results.flatMap((r) => {
    const c = r.capacity.options.find((o) => o.site === site && o.option === option);
    return c ? [{ p: r.pattern, name: `Pattern ${r.pattern}`, c }] : [];
  });
}

/**
 * TB stored over the service life per pattern against the option's effective capacity.
 * The y axis ends at twice the capacity so the capacity line stays readable; a pattern
 * that leaves the plot says so at the top edge with its growth per year, and every
 * crossing of the capacity line is marked with its month.
 */
export function storageGrowthSpec(results: PatternResult[], site: string, option: string | null): Spec | null {
  const caps = optionCaps(results, site, option);
  if (!caps.length) return null;
  const cap = caps[0]!.c.storage.effectiveTB;
  const top = cap * 2;
  const values = caps.flatMap(({ name, c }) => [0, SERVICE_LIFE_MONTHS].map((month) => ({ pattern: name, month, tb: (c.storage.growthTBPerYear * month) / 12 })));
  const crossing = caps.filter(({ c }) => c.storage.monthsUntilFull !== null && c.storage.monthsUntilFull <= SERVICE_LIFE_MONTHS);
  const offScale = caps.filter(({ c }) => (c.storage.growthTBPerYear * SERVICE_LIFE_MONTHS) / 12 > top);
  const layers: Layer[] = [
    { data: { values }, mark: { type: 'line', strokeWidth: 2.5, clip: true }, encoding: {
      x: { field: 'month', type: 'quantitative', title: 'months in service', scale: { domain: [0, SERVICE_LIFE_MONTHS + 6] } },
      y: { field: 'tb', type: 'quantitative', title: 'TB stored', scale: { domain: [0, top] } },
      color: { field: 'pattern', type: 'nominal', title: null, legend: { orient: 'bottom', symbolStrokeWidth: 3 }, scale: patternScale },
      strokeDash: { field: 'pattern', type: 'nominal', title: null, scale: dashScale } } },
    { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeWidth: 1.5 }, encoding: { y: { datum: cap } } },
    { data: { values: [{}] }, mark: text(`effective capacity ${fx(cap)} TB (${caps[0]!.c.storage.sources.join(', ')})`, { dy: -9, color: '#333', fontWeight: 'bold' }), encoding: { x: { datum: SERVICE_LIFE_MONTHS * 0.3 }, y: { datum: cap } } },
    { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeDash: [6, 4] }, encoding: { x: { datum: SERVICE_LIFE_MONTHS } } },
    { data: { values: [{}] }, mark: text(`service life ${SERVICE_LIFE_MONTHS} months`, { angle: 270, align: 'right', dx: -4, dy: -8, color: '#333' }), encoding: { x: { datum: SERVICE_LIFE_MONTHS }, y: { datum: top } } },
  ];
  crossing.forEach(({ name, c }, k) => {
    const m = c.storage.monthsUntilFull!;
    layers.push(
      { data: { values: [{}] }, mark: { type: 'point', shape: 'diamond', size: 120, filled: true, color: PATTERN_STYLE.colours[PATTERN_STYLE.names.indexOf(name as never)] }, encoding: { x: { datum: m }, y: { datum: cap } } },
      { data: { values: [{}] }, mark: text(`${name} full at month ${fx(m)}`, { dx: 8, dy: 16 + 16 * k, fontWeight: 'bold' }), encoding: { x: { datum: m }, y: { datum: cap } } },
    );
  });
  // A pattern that does not fill the storage within the service life says when it would.
  caps.filter(({ c }) => !crossing.some((x) => x.c === c) && !offScale.some((x) => x.c === c)).forEach(({ name, c }, k) => {
    layers.push({ data: { values: [{}] }, mark: text(`${name}: ${months(c.storage.monthsUntilFull)}, after the service life`, { align: 'right', dx: -6, dy: -12 - 15 * k, fontWeight: 'bold' }), encoding: { x: { datum: SERVICE_LIFE_MONTHS }, y: { datum: (c.storage.growthTBPerYear * SERVICE_LIFE_MONTHS) / 12 } } });
  });
  offScale.forEach(({ name, c }, k) => {
    layers.push({ data: { values: [{}] }, mark: text(`↑ ${name} leaves the plot: ${fx(c.storage.growthTBPerYear)} TB/year`, { dy: -10 - 15 * k, dx: 4 }), encoding: { x: { datum: (top * 12) / c.storage.growthTBPerYear }, y: { datum: top } } });
  });
  return { ...base, width: 560, height: 280, title: { text: `TB stored vs ${fx(cap)} TB effective capacity`, offset: 14 + 15 * offScale.length }, layer: layers } as unknown as Spec;
}

/** Months until the storage is full per pattern, on a linear scale with the service life marked. */
export function storageRunwaySpec(results: PatternResult[], site: string, option: string | null): Spec | null {
  const caps = optionCaps(results, site, option);
  if (!caps.length) return null;
  const finite = caps.map(({ c }) => c.storage.monthsUntilFull).filter((m): m is number => m !== null);
  const max = Math.max(SERVICE_LIFE_MONTHS * 1.1, ...finite) * 1.05;
  const values = caps.map(({ name, c }) => ({ pattern: name, months: c.storage.monthsUntilFull ?? 0, label: `${months(c.storage.monthsUntilFull)}: ${lifeVerdict(c.storage.monthsUntilFull)}` }));
  const y = { field: 'pattern', type: 'nominal', title: null, sort: [...PATTERN_STYLE.names] };
  return {
    ...base, width: 560, height: { step: 40 }, title: 'Months until the storage is full',
    layer: [
      { data: { values }, mark: { type: 'bar', height: 20 }, encoding: { y, x: { field: 'months', type: 'quantitative', title: 'months in service', scale: { domain: [0, max] } }, color: { field: 'pattern', type: 'nominal', legend: null, scale: patternScale } } },
      { data: { values }, mark: { type: 'text', align: 'left', dx: 6, fontSize: 12, fontWeight: 'bold' }, encoding: { y, x: { field: 'months', type: 'quantitative' }, text: { field: 'label' } } },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x: { datum: SERVICE_LIFE_MONTHS } } },
      { data: { values: [{}] }, mark: text(`service life ${SERVICE_LIFE_MONTHS} months`, { align: 'center', baseline: 'bottom', dy: -4, color: '#333' }), encoding: { x: { datum: SERVICE_LIFE_MONTHS }, y: { value: 0 } } },
    ],
  } as unknown as Spec;
}

/** Peak Mbps per pattern against each candidate link, on a linear scale from zero. */
export function networkSpec(results: PatternResult[], site: string, option: string | null): Spec | null {
  const caps = optionCaps(results, site, option);
  if (!caps.length) return null;
  const links = caps[0]!.c.network.links;
  const values = caps.map(({ name, c }) => ({
    pattern: name, mbps: c.network.demandMbps,
    label: `${fx(c.network.demandMbps)} Mbps: ${c.network.links.map((l) => `${fx(l.utilisation * 100)}% of ${l.gbps} GbE${l.fits ? '' : ' (exceeds it)'}`).join(', ')}`,
  }));
  const max = Math.max(...links.map((l) => l.gbps * 1000), ...values.map((v) => v.mbps)) * 1.04;
  const y = { field: 'pattern', type: 'nominal', title: null, sort: [...PATTERN_STYLE.names] };
  const layers: Layer[] = [
    { data: { values }, mark: { type: 'bar', height: 20 }, encoding: { y, x: { field: 'mbps', type: 'quantitative', title: 'Mbps at peak (linear scale)', scale: { domain: [0, max] } }, color: { field: 'pattern', type: 'nominal', legend: null, scale: patternScale } } },
    { data: { values }, mark: { type: 'text', align: 'left', dx: 6, fontSize: 12, fontWeight: 'bold' }, encoding: { y, x: { field: 'mbps', type: 'quantitative' }, text: { field: 'label' } } },
  ];
  for (const l of links) {
    layers.push(
      { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x: { datum: l.gbps * 1000 } } },
      { data: { values: [{}] }, mark: text(`${l.gbps} GbE = ${fx(l.gbps * 1000)} Mbps`, { align: 'center', baseline: 'bottom', dy: -4, color: '#333' }), encoding: { x: { datum: l.gbps * 1000 }, y: { value: 0 } } },
    );
  }
  return { ...base, width: 560, height: { step: 40 }, title: 'Peak network demand vs link capacity', layer: layers } as unknown as Spec;
}

/** ODB data over the service life against Table 40's storage. */
export function odbGrowthSpec(odb: OdbLoad): Spec {
  const capTB = odb.effectiveTB;
  const values = [0, SERVICE_LIFE_MONTHS].map((month) => ({ month, tb: (odb.totalGB + (odb.growthGBPerYear * month) / 12) / 1000 }));
  return {
    ...base, width: 560, height: 240, title: `ODB data vs ${fx(capTB)} TB of storage (${odb.storageSource})`,
    layer: [
      { data: { values }, mark: { type: 'line', strokeWidth: 2.5, color: OKABE_ITO.blue, point: true }, encoding: {
        x: { field: 'month', type: 'quantitative', title: 'months in service', scale: { domain: [0, SERVICE_LIFE_MONTHS + 6] } },
        y: { field: 'tb', type: 'quantitative', title: 'TB stored', scale: { domain: [0, capTB * 1.15] } } } },
      { data: { values: [{}] }, mark: text(`today ${fx(odb.totalGB / 1000, 2)} TB, growing ${fx(odb.growthGBPerYear)} GB/year`, { dy: 16, fontWeight: 'bold' }), encoding: { x: { datum: 0 }, y: { datum: odb.totalGB / 1000 } } },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeWidth: 1.5 }, encoding: { y: { datum: capTB } } },
      { data: { values: [{}] }, mark: text(`capacity ${fx(capTB)} TB (${odb.storageSource}); ${months(odb.monthsUntilFull)}: ${lifeVerdict(odb.monthsUntilFull)}`, { dy: -9, fontWeight: 'bold' }), encoding: { x: { datum: 1 }, y: { datum: capTB } } },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeDash: [6, 4] }, encoding: { x: { datum: SERVICE_LIFE_MONTHS } } },
      { data: { values: [{}] }, mark: text(`service life ${SERVICE_LIFE_MONTHS} months`, { angle: 270, align: 'right', dx: -30, dy: -8, color: '#333' }), encoding: { x: { datum: SERVICE_LIFE_MONTHS }, y: { datum: capTB } } },
    ],
  } as unknown as Spec;
}

/** ODB records per database and the users and sessions they serve. */
export function odbLoadSpec(odb: OdbLoad): Spec {
  const rows = [
    ...odb.records.map((r) => ({ what: r.name, group: 'GB stored', v: r.GB, label: `${fx(r.count)} records × ${fx(r.recordKB)} KB → ${fx(r.GB)} GB` })),
  ];
  const people = [
    { what: 'users', v: odb.users, label: `${fx(odb.users)} users` },
    { what: 'concurrent sessions at peak', v: odb.concurrentSessions, label: `${fx(odb.concurrentSessions)} concurrent sessions at peak` },
  ];
  const bars = (values: unknown[], title: string, colour: string, x: string) => ({
    width: 300, height: { step: 34 }, title,
    layer: [
      { data: { values }, mark: { type: 'bar', height: 18, color: colour }, encoding: { y: { field: 'what', type: 'nominal', title: null, sort: null, axis: { labelLimit: 320 } }, x: { field: 'v', type: 'quantitative', title: x } } },
      { data: { values }, mark: { type: 'text', align: 'left', dx: 6, fontSize: 12, fontWeight: 'bold' }, encoding: { y: { field: 'what', type: 'nominal', sort: null }, x: { field: 'v', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  });
  return { ...base, vconcat: [bars(rows, 'Records per database', OKABE_ITO.orange, 'GB'), bars(people, 'Users and sessions', OKABE_ITO.skyBlue, 'people')], spacing: 24 } as unknown as Spec;
}

export interface HostRow {
  host: string;
  cluster: string;
  holds: boolean;
  usableRamGB: number;
  ramGB: number;
  ramAfterGB: number;
  vcpu: number;
  vcpuAfter: number;
  vcpuCeiling: number;
  /** The N+1 verdict for this host, written out: the worst single loss it must absorb. */
  ramText: string;
  vcpuText: string;
  /** The verdict as two lines under the bar: what fails or holds, then the numbers. */
  ramLines: [string, string];
  vcpuLines: [string, string];
}

/**
 * Per host: what it runs now and the worst it must carry after any one other host is lost.
 * A VM no survivor had room for is counted on the survivor with the most free RAM (the
 * one the shortfall is measured against), so the failure shows on both charts.
 */
export function hostRows(clusters: ClusterAnalysis[]): HostRow[] {
  return clusters.flatMap((c) => c.hosts.map((h): HostRow => {
    type Case = { failed: string; ram: number; vcpu: number; stranded: { vm: string; ramGB: number; vcpu: number }[]; shortGB: number; over: boolean };
    const cases: Case[] = c.scenarios.filter((x) => x.survivors.includes(h.host)).map((s) => {
      const after = s.after.find((a) => a.host === h.host)!;
      const best = [...s.after].sort((a, b) => (b.usableRamGB - b.vmRamGB) - (a.usableRamGB - a.vmRamGB))[0];
      const stranded = best?.host === h.host ? s.restarts.filter((m) => m.to === null) : [];
      return {
        failed: s.failed, stranded: stranded.map((m) => ({ vm: m.vm, ramGB: m.ramGB, vcpu: m.vcpu })), shortGB: stranded.length ? s.ramShortfallGB : 0,
        ram: after.vmRamGB + stranded.reduce((a, m) => a + m.ramGB, 0), vcpu: after.vcpu + stranded.reduce((a, m) => a + m.vcpu, 0), over: s.vcpuOverCeiling.includes(h.host),
      };
    });
    // The case to show: a failing one first, else the heaviest.
    const bad = (k: Case) => k.stranded.length > 0 || k.over;
    const worst: Case = [...cases].sort((a, b) => Number(bad(b)) - Number(bad(a)) || b.ram - a.ram)[0] ?? { failed: '', ram: h.vmRamGB, vcpu: h.vcpu, stranded: [], shortGB: 0, over: false };
    // This host's verdict: it takes on no stranded VM, stays under the vCPU ceiling, and its own loss holds.
    const own = c.scenarios.find((s) => s.failed === h.host);
    const holds = !bad(worst) && (own?.holds ?? true);
    const who = worst.stranded.map((m) => `${m.vm} (${fx(m.ramGB)} GB, ${m.vcpu} vCPU)`).join(', ');
    const lose = worst.failed ? `losing ${worst.failed}` : 'no other host to lose';
    // Nothing strands here, yet this host fails N+1: its own loss does.
    const ownStranded = own?.restarts.filter((m) => m.to === null).map((m) => m.vm) ?? [];
    const elsewhere = !holds && !bad(worst) ? `; losing ${h.host} itself ${ownStranded.length ? `strands ${ownStranded.join(', ')}` : 'breaks N+1'}` : '';
    const verdictHead = (why = '') => `${holds && !why ? '✓ N+1 holds' : `✗ N+1 FAILS${why}`}: ${lose}${elsewhere}`;
    const ramLines: [string, string] = worst.stranded.length
      ? [verdictHead(), `${who} cannot restart here: needs ${fx(worst.ram)} of ${fx(h.usableRamGB)} GB usable, short ${fx(worst.shortGB)} GB`]
      : [verdictHead(), `worst case ${fx(worst.ram)} of ${fx(h.usableRamGB)} GB usable`];
    const vcpuLines: [string, string] = worst.stranded.length
      ? [verdictHead(' (RAM)'), `${worst.stranded.map((m) => m.vm).join(', ')} could not restart; with it ${worst.vcpu} of ${h.vcpuCeiling} vCPU`]
      : [verdictHead(worst.over ? ' (over the vCPU ceiling)' : ''), `worst case ${worst.vcpu} of ${h.vcpuCeiling} vCPU`];
    return {
      host: h.host, cluster: c.cluster, holds, usableRamGB: h.usableRamGB, ramGB: h.vmRamGB, ramAfterGB: worst.ram,
      vcpu: h.vcpu, vcpuAfter: worst.vcpu, vcpuCeiling: h.vcpuCeiling, ramLines, vcpuLines, ramText: ramLines.join(' — '), vcpuText: vcpuLines.join(' — '),
    };
  }));
}

/** One chart per resource: limit (grey), allocated now (blue), worst after one loss (dashed outline), verdict under each bar. */
export function hostSpecs(view: SiteView): { ram: Spec; vcpu: Spec; rows: HostRow[] } | null {
  const rows = hostRows(analysePlatforms(view)).map((r) => ({ ...r, label: `${r.host} (${r.cluster})` }));
  if (!rows.length) return null;
  const one = (title: string, limit: keyof HostRow, now: keyof HostRow, after: keyof HostRow, verdict: keyof HostRow, unit: string): Spec => {
    const max = Math.max(...rows.map((r) => Math.max(r[limit] as number, r[after] as number))) * 1.08;
    const y = { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelFontWeight: 'bold', labelPadding: 6, labelLimit: 320 } };
    const x = (f: string, t?: string) => ({ field: f, type: 'quantitative', ...(t ? { title: t, scale: { domain: [0, max] } } : {}) });
    return {
      ...base, width: 560, height: { step: 78 }, title, data: { values: rows },
      layer: [
        { mark: { type: 'bar', height: 18, yOffset: -12, color: '#e6e6e6', stroke: '#555', strokeWidth: 1 }, encoding: { y, x: x(limit, unit) } },
        { mark: { type: 'bar', height: 18, yOffset: -12, color: OKABE_ITO.blue }, encoding: { y, x: x(now) } },
        { mark: { type: 'bar', height: 24, yOffset: -12, fill: null, fillOpacity: 0, strokeWidth: 2.5, strokeDash: [5, 3] }, encoding: { y, x: x(after), stroke: { field: 'holds', type: 'nominal', legend: null, scale: { domain: [true, false], range: ['#000000', OKABE_ITO.vermillion] } } } },
        { mark: { type: 'text', align: 'left', baseline: 'top', dy: 6, lineHeight: 15, fontSize: 12, fontWeight: 'bold' }, encoding: { y, x: { datum: 0 }, text: { field: verdict }, color: { field: 'holds', type: 'nominal', legend: null, scale: { domain: [true, false], range: ['#00573f', '#8a2f00'] } } } },
      ],
    } as unknown as Spec;
  };
  return {
    ram: one('RAM per host (GB)', 'usableRamGB', 'ramGB', 'ramAfterGB', 'ramLines', 'GB'),
    vcpu: one('vCPU per host', 'vcpuCeiling', 'vcpu', 'vcpuAfter', 'vcpuLines', 'vCPU'),
    rows,
  };
}

const escXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Hand-drawn rack elevations: one column per rack, U1 at the bottom, a legend of roles. */
export function rackSvg(view: SiteView): string {
  const { racks } = rackFill(view);
  const u = 14;
  const colW = 230;
  const maxU = Math.max(...racks.map((r) => r.units), 1);
  const top0 = 48;
  const roles = [...new Set(racks.flatMap((r) => r.items.filter((i) => i.size > 0).map((i) => i.role)))];
  const legendRows = Math.ceil(roles.length / 4);
  const h = top0 + maxU * u + 20 + legendRows * 22 + 10;
  const w = Math.max(racks.length * (colW + 20) + 20, 4 * 220 + 20);
  const parts = racks.map((r, i) => {
    const x = 20 + i * (colW + 20);
    const top = top0 + (maxU - r.units) * u;
    const items = r.items.filter((it) => it.size > 0).map((it) => {
      const st = ROLE_STYLE[it.role] ?? OTHER_ROLE;
      const y = top + (r.units - (it.ru + it.size - 1)) * u;
      const hh = it.size * u - 1;
      return `<g><title>${escXml(`${it.name}: ${st.label}, U${it.ru}${it.size > 1 ? `–U${it.ru + it.size - 1}` : ''} (${it.source})`)}</title><rect x="${x + 26}" y="${y}" width="${colW - 30}" height="${hh}" fill="${st.fill}" stroke="#fff" stroke-width="0.5"/><text x="${x + 31}" y="${y + hh / 2}" dominant-baseline="central" font-size="11" fill="${st.text}">${escXml(`${it.name}${it.size > 1 ? ` (${it.size}U)` : ''}`)}</text></g>`;
    }).join('');
    const labels = Array.from({ length: r.units }, (_, k) => k + 1).filter((n) => n % 5 === 0 || n === 1).map((n) => `<text x="${x + 20}" y="${top + (r.units - n) * u + u / 2}" dominant-baseline="central" text-anchor="end" font-size="10" fill="#444">${n}</text>`).join('');
    const empty = r.usedRU === 0 ? `<text x="${x + 24 + (colW - 26) / 2}" y="${top + (r.units * u) / 2}" text-anchor="middle" font-size="12" fill="#444"><tspan x="${x + 24 + (colW - 26) / 2}">empty in this option:</tspan><tspan x="${x + 24 + (colW - 26) / 2}" dy="16">no device is placed here</tspan></text>` : '';
    const bad = r.problems.length ? `<text x="${x + colW / 2}" y="${top + r.units * u + 16}" text-anchor="middle" font-size="11" font-weight="700" fill="${OKABE_ITO.vermillion}">✗ ${escXml(r.problems[0]!)}</text>` : '';
    return `<g data-rack="${escXml(r.rack)}"><text x="${x + colW / 2}" y="18" text-anchor="middle" font-size="14" font-weight="700">${escXml(r.rack)}</text><text x="${x + colW / 2}" y="36" text-anchor="middle" font-size="12" fill="#333">${escXml(r.room)} · ${r.usedRU}/${r.units} U · ${fx(r.powerW / 1000)} kW</text><rect x="${x + 24}" y="${top}" width="${colW - 26}" height="${r.units * u}" fill="#f4f4f4" stroke="${r.problems.length ? OKABE_ITO.vermillion : '#444'}" stroke-width="${r.problems.length ? 3 : 1}" ${r.problems.length ? 'stroke-dasharray="6 3"' : ''}/>${labels}${items}${empty}${bad}</g>`;
  }).join('');
  const ly = top0 + maxU * u + 24;
  const legend = roles.map((role, k) => {
    const st = ROLE_STYLE[role] ?? OTHER_ROLE;
    const lx = 20 + (k % 4) * 220;
    const yy = ly + Math.floor(k / 4) * 22;
    return `<rect x="${lx}" y="${yy}" width="16" height="14" fill="${st.fill}" stroke="#444"/><text x="${lx + 22}" y="${yy + 7}" dominant-baseline="central" font-size="12">${escXml(st.label)}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="system-ui, sans-serif" role="img" aria-label="Rack elevations">${parts}<g class="legend">${legend}</g></svg>`;
}

export interface Chart {
  id: string;
  title: string;
  svg: string | null;
  /** What each mark means, in words (colour is never the only key). */
  legend?: string;
  /** Verdicts or figures written out under the chart. */
  facts?: string[];
  note?: string;
}

/** The capacity charts of a site and option, as inline SVG. */
export async function buildCharts(view: SiteView, sizing: SizingInput): Promise<Chart[]> {
  const charts: Chart[] = [];
  const results = 'results' in sizing ? sizing.results : [];
  const missing = 'error' in sizing ? `sizing model unavailable: ${sizing.error}` : 'no capacity figures for this site/option';
  if (view.site === 'oog') {
    const growth = results.length ? storageGrowthSpec(results, view.site, view.option) : null;
    charts.push({ id: 'storage', title: 'Storage growth per pattern (GIRS reports and the data platform)', svg: growth ? await toSvg(growth) : null, note: missing, legend: 'Lines: TB stored per pattern (solid, dashed, dotted); solid horizontal line: effective capacity; dashed vertical line: service life (our assumption); diamonds: the month the storage is full.' });
    const runway = results.length ? storageRunwaySpec(results, view.site, view.option) : null;
    charts.push({ id: 'runway', title: 'Storage runway per pattern', svg: runway ? await toSvg(runway) : null, note: missing });
    const net = results.length ? networkSpec(results, view.site, view.option) : null;
    charts.push({ id: 'network', title: 'Network demand vs link capacity', svg: net ? await toSvg(net) : null, note: missing, legend: 'Bars: peak Mbps per pattern; dashed lines: candidate uplink capacities (the bill names none).' });
  } else {
    const odb = results[0]?.capacity.odb;
    charts.push({ id: 'odb-storage', title: 'ODB storage growth vs Table 40', svg: odb ? await toSvg(odbGrowthSpec(odb)) : null, note: missing });
    charts.push({ id: 'odb-load', title: 'ODB records, users and sessions', svg: odb ? await toSvg(odbLoadSpec(odb)) : null, note: missing });
  }
  const hs = hostSpecs(view);
  const legend = 'Grey bar: usable (after the hypervisor reserve) or the vCPU ceiling; blue bar: allocated now; dashed outline: the worst load after any one other host is lost, including a VM that could not restart anywhere.';
  if (hs) {
    const facts = hs.rows.map((r) => `${r.host} (${r.cluster}): ${r.ramText.replace(/^[✓✗] /, '')}`);
    charts.push({ id: 'hosts-ram', title: 'N+1: RAM per host after losing any one host', svg: await toSvg(hs.ram), legend, facts });
    charts.push({ id: 'hosts-cpu', title: 'N+1: vCPU per host after losing any one host', svg: await toSvg(hs.vcpu), legend, facts: hs.rows.map((r) => `${r.host} (${r.cluster}): ${r.vcpuText.replace(/^[✓✗] /, '')}`) });
  } else {
    charts.push({ id: 'hosts', title: 'N+1 per host', svg: null, note: 'no virtual platform at this site: its servers run bare metal (see the availability checks)' });
  }
  return charts;
}
