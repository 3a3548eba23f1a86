// Charts rendered offline to SVG strings: vega-lite → vega → SVG (no browser, no network),
// and rack elevations drawn by hand. The HTML report inlines them.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { SiteView } from '../inventory/index.ts';
import type { PatternResult } from '../sizing/index.ts';
import { analysePlatforms } from '../sizing/index.ts';
import { rackFill } from './checks/physical.ts';
import { SERVICE_LIFE_MONTHS } from './checks/performance.ts';

type Spec = vl.TopLevelSpec;

export async function toSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: 'system-ui, sans-serif', view: { stroke: null } } } as const;

/** Storage used over the service life per pattern, against the option's effective capacity. */
export function storageSpec(results: PatternResult[], site: string, option: string | null): Spec | null {
  const caps = results.map((r) => ({ p: r.pattern, c: r.capacity.options.find((o) => o.site === site && o.option === option) })).filter((x) => x.c);
  if (!caps.length) return null;
  const cap = caps[0]!.c!.storage.effectiveTB;
  const values = caps.flatMap(({ p, c }) => Array.from({ length: SERVICE_LIFE_MONTHS / 3 + 1 }, (_, i) => ({ pattern: `Pattern ${p}`, month: i * 3, tb: c!.storage.growthTBPerYear * (i * 3) / 12 })));
  return {
    ...base, width: 470, height: 250, title: `TB stored vs ${cap} TB effective capacity`,
    layer: [
      { data: { values }, mark: { type: 'line', strokeWidth: 2.5, clip: true }, encoding: {
        x: { field: 'month', type: 'quantitative', title: 'months in service' },
        y: { field: 'tb', type: 'quantitative', title: 'TB stored', scale: { domain: [0, cap * 1.6] } },
        color: { field: 'pattern', type: 'nominal', title: null, legend: { orient: 'bottom' }, scale: { domain: ['Pattern 1', 'Pattern 2', 'Pattern 3'], range: ['#b2182b', '#1a9850', '#e08214'] } } } },
      { data: { values: [{ tb: cap, label: `capacity ${cap} TB` }] }, mark: { type: 'rule', strokeDash: [6, 4], color: '#333' }, encoding: { y: { field: 'tb', type: 'quantitative' } } },
      { data: { values: [{ tb: cap, label: `capacity ${cap} TB`, month: 1 }] }, mark: { type: 'text', align: 'left', dy: -8, color: '#333' }, encoding: { y: { field: 'tb', type: 'quantitative' }, x: { field: 'month', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  };
}

/** Peak network demand per pattern against 1 and 10 GbE. */
export function networkSpec(results: PatternResult[], site: string, option: string | null): Spec | null {
  const values = results.map((r) => ({ pattern: `Pattern ${r.pattern}`, mbps: r.capacity.options.find((o) => o.site === site && o.option === option)?.network.demandMbps ?? r.exact.networkMbps }));
  if (!values.length) return null;
  const links = [{ mbps: 1000, label: '1 GbE' }, { mbps: 10000, label: '10 GbE' }];
  return {
    ...base, width: 470, height: 200, title: 'Peak Mbps vs 1 and 10 GbE (log scale)',
    layer: [
      { data: { values }, mark: { type: 'bar', height: 28 }, encoding: {
        y: { field: 'pattern', type: 'nominal', title: null, sort: ['Pattern 1', 'Pattern 2', 'Pattern 3'] },
        x: { field: 'mbps', type: 'quantitative', title: 'Mbps at peak', scale: { type: 'log', domain: [1, 20000] } },
        // A log scale has no zero: bars start at 1 Mbps.
        x2: { datum: 1 },
        color: { field: 'pattern', type: 'nominal', legend: null, scale: { domain: ['Pattern 1', 'Pattern 2', 'Pattern 3'], range: ['#b2182b', '#1a9850', '#e08214'] } } } },
      { data: { values }, mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'pattern', type: 'nominal', sort: ['Pattern 1', 'Pattern 2', 'Pattern 3'] }, x: { field: 'mbps', type: 'quantitative' }, text: { field: 'mbps', type: 'quantitative', format: ',.1f' } } },
      { data: { values: links }, mark: { type: 'rule', strokeDash: [6, 4], color: '#333' }, encoding: { x: { field: 'mbps', type: 'quantitative' } } },
      { data: { values: links }, mark: { type: 'text', dy: -4, baseline: 'bottom', color: '#333' }, encoding: { x: { field: 'mbps', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
    ],
  };
}

/** Per-host RAM and vCPU: allocated now, the worst load after any single host loss (N+1), and the usable limit. */
export function hostSpecs(view: SiteView): Spec[] {
  const clusters = analysePlatforms(view);
  const rows = clusters.flatMap((c) => c.hosts.map((h) => {
    const after = c.scenarios.flatMap((s) => s.after).filter((a) => a.host === h.host);
    return {
      host: `${h.host} (${c.cluster.replace('Platform ', '')})`,
      ram: h.vmRamGB, ramAfter: Math.max(h.vmRamGB, ...after.map((a) => a.vmRamGB + sumMoves(c.scenarios, h.host))) , usable: h.usableRamGB,
      vcpu: h.vcpu, vcpuAfter: Math.max(h.vcpu, ...after.map((a) => a.vcpu)), vcpuCeiling: h.vcpuCeiling,
    };
  }));
  if (!rows.length) return [];
  const one = (title: string, now: string, after: string, limit: string, unit: string): Spec => ({
    ...base, width: 420, height: 34 * rows.length, title,
    data: { values: rows },
    encoding: { y: { field: 'host', type: 'nominal', title: null } },
    layer: [
      { mark: { type: 'bar', color: '#d9d9d9', height: 22 }, encoding: { x: { field: limit, type: 'quantitative', title: unit } } },
      { mark: { type: 'bar', color: '#4575b4', height: 22 }, encoding: { x: { field: now, type: 'quantitative' } } },
      { mark: { type: 'tick', color: '#d73027', thickness: 3, size: 30 }, encoding: { x: { field: after, type: 'quantitative' } } },
    ],
  });
  return [
    one('RAM (GB)', 'ram', 'ramAfter', 'usable', 'GB'),
    one('vCPU', 'vcpu', 'vcpuAfter', 'vcpuCeiling', 'vCPU'),
  ];
}

/** RAM a host must take on in the scenarios where it survives, including VMs with no room (they count against it). */
function sumMoves(scenarios: ReturnType<typeof analysePlatforms>[number]['scenarios'], host: string): number {
  // Unplaced restarts (to = null) show as demand on the best survivor so the shortfall is visible.
  return Math.max(0, ...scenarios.filter((s) => s.survivors.includes(host)).map((s) => s.restarts.filter((m) => m.to === null).reduce((a, m) => a + m.ramGB, 0)));
}

const ROLE_COLOURS: Record<string, string> = {
  platform: '#4575b4', db: '#313695', 'virt-mgmt': '#74add1', 'display-control': '#abd9e9', server: '#4575b4', storage: '#fdae61',
  firewall: '#d73027', 'l2-switch': '#1a9850', 'l3-switch': '#66bd63', 'fc-switch': '#a6d96a', 'security-sensor': '#f46d43',
};

/** Hand-drawn rack elevations: one column per rack, U1 at the bottom. */
export function rackSvg(view: SiteView): string {
  const { racks } = rackFill(view);
  const u = 11;
  const colW = 190;
  const maxU = Math.max(...racks.map((r) => r.units), 1);
  const h = maxU * u + 60;
  const w = racks.length * (colW + 20) + 20;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = racks.map((r, i) => {
    const x = 20 + i * (colW + 20);
    const top = 40 + (maxU - r.units) * u;
    const items = r.items.filter((it) => it.size > 0).map((it) => {
      const y = top + (r.units - (it.ru + it.size - 1)) * u;
      return `<g><title>${esc(`${it.name} U${it.ru}${it.size > 1 ? `–U${it.ru + it.size - 1}` : ''} (${it.source})`)}</title><rect x="${x + 22}" y="${y}" width="${colW - 26}" height="${it.size * u - 1}" fill="${ROLE_COLOURS[it.role] ?? '#999'}" rx="1"/><text x="${x + 26}" y="${y + it.size * u - 3}" font-size="9" fill="#fff">${esc(it.name)}</text></g>`;
    }).join('');
    const labels = Array.from({ length: r.units }, (_, k) => k + 1).filter((n) => n % 5 === 0 || n === 1).map((n) => `<text x="${x + 2}" y="${top + (r.units - n + 1) * u - 2}" font-size="8" fill="#777">${n}</text>`).join('');
    return `<g><text x="${x + colW / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${esc(r.rack)}</text><text x="${x + colW / 2}" y="32" text-anchor="middle" font-size="10" fill="#555">${esc(r.room)} · ${r.usedRU}/${r.units} U · ${(r.powerW / 1000).toFixed(1)} kW</text><rect x="${x + 20}" y="${top}" width="${colW - 22}" height="${r.units * u}" fill="#f7f7f7" stroke="${r.problems.length ? '#d73027' : '#444'}" stroke-width="${r.problems.length ? 3 : 1}"/>${labels}${items}</g>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="system-ui, sans-serif">${parts}</svg>`;
}
