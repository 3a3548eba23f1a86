/// <reference lib="dom" />
// The what-if planner page, bundled by esbuild for the browser. It runs the sizing model's
// own modules (sizing/model.ts and friends, which are pure) on the data embedded at build
// time: nothing of the model is re-implemented here, only inputs, tables and charts.
import { DemandFileSchema, type DemandFile } from '../inventory/demand-schema.ts';
import { computePattern } from '../sizing/model.ts';
import { toJson } from '../sizing/json.ts';
import { fmt, formatReport } from '../sizing/round.ts';
import { mmc } from '../sizing/queue.ts';
import { analysePlatforms } from '../sizing/nplus1.ts';
import { OVERRIDE_KEYS, OVERRIDES, OverrideError, parseOverrideText, type OverrideKey, type Overrides } from '../sizing/overrides.ts';
import { FIGURE_KEYS, type Figures, type Finding, type PatternId, type PatternResult } from '../sizing/types.ts';
import type { PlannerData } from './data.ts';

const data = JSON.parse(document.getElementById('planner-data')!.textContent!) as PlannerData;

const ITEMS: Record<keyof Figures, string> = {
  reportsPerYear: 'The number of reports', reportsPerDay: 'The number of reports per day',
  reportsPerHour: 'The number of reports per an hour', reportsPerSecond: 'The number of reports per one second',
  dataMBps: 'Data volume at one second (MB)', networkMbps: 'Network transaction volume (Mbps)',
};

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const $ = (id: string) => document.getElementById(id)!;
const pct = (x: number) => (Number.isFinite(x) ? `${fmt(x * 100, 1)} %` : 'overloaded');
const months = (m: number | null) => (m === null ? 'never' : m < 1 ? `${fmt(m * 30.4, 0)} days` : `${fmt(m, 1)} months`);

// ---- Inputs: the what-if flags, and every other number of the ledger (demand.yaml, hypervisor reserve).

interface FileInput { id: string; label: string; unit: string; where: string; get: (d: DemandFile) => number; set: (d: DemandFile, v: number) => void; note: string }

/** Every number of demand.yaml the ledger lists that no flag covers, as a path into the file. */
function demandInputs(d: DemandFile): FileInput[] {
  const out: FileInput[] = [];
  const add = (path: string, unit: string, note: string) => {
    const keys = path.split('.');
    const walk = (doc: DemandFile) => keys.slice(0, -1).reduce<any>((o, k) => o[k], doc);
    const last = keys[keys.length - 1]!;
    out.push({ id: `demand-${path.replace(/[^A-Za-z0-9]+/g, '-')}`, label: path, unit, where: `inventory/demand.yaml ${path}`, note,
      get: (doc) => walk(doc)[last], set: (doc, v) => { walk(doc)[last] = v; } });
  };
  for (const section of ['stated', 'inferred', 'project'] as const) {
    for (const [k, e] of Object.entries(d[section])) {
      add(`${section}.${k}.value`, e.unit, 'source' in e ? String(e.source) : String((e as { reason: string }).reason));
    }
  }
  d.links.gbps.forEach((_, i) => add(`links.gbps.${i}`, 'Gbps', d.links.reason));
  add('dataPlatform.transactionsPerDay', 'transactions/system/day', d.dataPlatform.source);
  add('dataPlatform.transactionSizeMB', 'MB', d.dataPlatform.source);
  for (const k of ['institutions', 'ccopStaff', 'usersPerInstitution', 'concurrentShare', 'indexOverhead', 'annualGrowthShare'] as const) {
    add(`odb.${k}.value`, d.odb[k].unit, 'source' in d.odb[k] ? String((d.odb[k] as { source: string }).source) : String((d.odb[k] as { reason: string }).reason));
  }
  d.odb.records.forEach((r, i) => {
    add(`odb.records.${i}.count.value`, `records (${r.name})`, r.count.source);
    add(`odb.records.${i}.recordKB.value`, `${r.recordKB.unit} (${r.name})`, r.recordKB.reason);
    if (r.attachmentMB) add(`odb.records.${i}.attachmentMB.value`, `${r.attachmentMB.unit} (${r.name})`, r.attachmentMB.reason);
  });
  return out;
}

const RESERVE_KEYS = [
  ['hostReserveGB', 'GB per host', 2], ['reservePerStorageTBGB', 'GB per TB of local storage', 1], ['vcpuPerCoreCeiling', 'vCPU per core', 4],
] as const;

const DEMAND_INPUTS = demandInputs(data.sizing.demand);

function numberInput(id: string, label: string, placeholder: string, help: string, attrs = ''): string {
  return `<label class="in" for="${id}"><span class="name">${esc(label)}</span>
    <input id="${id}" type="text" inputmode="decimal" autocomplete="off" placeholder="${esc(placeholder)}" ${attrs}>
    <span class="help">${esc(help)}</span><span class="err" id="${id}-err" role="alert"></span></label>`;
}

/** The flag inputs show the pattern's own value (from its ledger) until the user types one. */
function showLedgerValues(): void {
  const base = computePattern(data.sizing, pattern(), {});
  const ledger = new Map(base.assumptions.map((a) => [a.name, a.value]));
  for (const k of OVERRIDE_KEYS) {
    const v = ledger.get(k);
    const n = Number(v);
    ($(`flag-${OVERRIDES[k].flag}`) as HTMLInputElement).placeholder = v === undefined ? '' : Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
  }
}

function renderInputs(): void {
  $('flags').innerHTML = OVERRIDE_KEYS.map((k) => {
    const s = OVERRIDES[k];
    return numberInput(`flag-${s.flag}`, `--${s.flag}`, '', `${s.help}. Range: ${s.expected}.`, `data-key="${k}"`);
  }).join('');
  showLedgerValues();
  $('demand').innerHTML = DEMAND_INPUTS.map((i) => numberInput(i.id, i.label, String(i.get(data.sizing.demand)), `${i.unit}. ${i.note}`)).join('');
  $('reserve').innerHTML = data.options.map((o) => RESERVE_KEYS.map(([k, unit, dflt]) =>
    numberInput(`reserve-${o.option}-${k}`, `${o.option}: hypervisor.${k}`, String(o.hostLoss.hypervisor?.[k] ?? dflt), `${unit} (inventory site file, ${o.title})`)).join('')).join('');
}

// ---- State read from the inputs.

function pattern(): PatternId {
  return Number(($('pattern') as HTMLSelectElement).value) as PatternId;
}

interface State { pattern: PatternId; overrides: Overrides; flagText: [string, string][]; demand: DemandFile; edits: string[]; reserves: Map<string, Record<string, number>>; errors: number }

function readState(): State {
  let errors = 0;
  const overrides: Record<string, number> = {};
  const flagText: [string, string][] = [];
  for (const k of OVERRIDE_KEYS) {
    const el = $(`flag-${OVERRIDES[k].flag}`) as HTMLInputElement;
    const err = $(`flag-${OVERRIDES[k].flag}-err`);
    err.textContent = '';
    if (el.value === '') continue;
    try {
      overrides[k] = parseOverrideText(k as OverrideKey, el.value);
      flagText.push([OVERRIDES[k].flag, el.value]);
    } catch (e) {
      if (!(e instanceof OverrideError)) throw e;
      // The same words the CLI prints for the same value.
      err.textContent = `--${OVERRIDES[k].flag}: ${e.expected}, got "${el.value}"`;
      errors++;
    }
  }
  const demand = structuredClone(data.sizing.demand);
  const edits: string[] = [];
  for (const i of DEMAND_INPUTS) {
    const el = $(i.id) as HTMLInputElement;
    $(`${i.id}-err`).textContent = '';
    if (el.value === '') continue;
    const n = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(el.value) ? Number(el.value) : NaN;
    i.set(demand, n);
    edits.push(`${i.label}: ${el.value}`);
  }
  const checked = DemandFileSchema.safeParse(demand);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.join('.');
      const input = DEMAND_INPUTS.find((i) => i.label === path);
      if (input) $(`${input.id}-err`).textContent = `${path}: ${issue.message}`;
      errors++;
    }
  }
  const reserves = new Map<string, Record<string, number>>();
  for (const o of data.options) {
    const r: Record<string, number> = {};
    for (const [k] of RESERVE_KEYS) {
      const id = `reserve-${o.option}-${k}`;
      const el = $(id) as HTMLInputElement;
      $(`${id}-err`).textContent = '';
      if (el.value === '') continue;
      const n = Number(el.value);
      if (!/^\d+(?:\.\d*)?$/.test(el.value) || !(n >= 0 && n <= 1e6)) { $(`${id}-err`).textContent = `${k}: expected a number ≥ 0, got "${el.value}"`; errors++; continue; }
      r[k] = n;
      edits.push(`${o.option} hypervisor.${k}: ${el.value}`);
    }
    reserves.set(o.option, r);
  }
  return { pattern: pattern(), overrides: overrides as Overrides, flagText, demand, edits, reserves, errors };
}

// ---- Output.

function table19(r: PatternResult, base: PatternResult): string {
  const rows = FIGURE_KEYS.map((k) => {
    const differs = r.figures[k] !== r.published[k];
    return `<tr data-figure="${k}"><th scope="row">${ITEMS[k]}</th><td>${formatReport(k, r.published[k])}</td><td>${formatReport(k, base.figures[k])}</td>
      <td class="${differs ? 'differs' : ''}" data-value="${r.figures[k]}">${formatReport(k, r.figures[k])}${differs ? ' <span class="mark" title="differs from Table 19">≠</span>' : ''}</td></tr>`;
  }).join('');
  return `<table id="table19"><caption>Table 19, Pattern ${r.pattern}: published, model with the report's assumptions, and this what-if (≠ differs from Table 19)</caption>
    <thead><tr><th>Estimation item</th><th>published</th><th>model</th><th>what-if</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Findings keyed without their numbers' what-if notes, so a change shows what it resolved and created. */
function findingsDiff(now: Finding[], before: Finding[]): string {
  const real = (f: Finding) => !f.message.startsWith('What-if:');
  const was = new Set(before.filter(real).map((f) => f.message));
  const is = new Set(now.filter(real).map((f) => f.message));
  const BADGE: Record<string, string> = { created: '＋ created by this change', resolved: '✓ resolved by this change' };
  const item = (f: Finding, tag: string) => `<li class="finding ${tag}" data-status="${tag}"><span class="badge ${f.severity}">${f.severity === 'warning' ? '⚠ warning' : 'ℹ info'}</span>${BADGE[tag] ? ` <span class="badge ${tag}">${BADGE[tag]}</span>` : ''} ${esc(f.message)}</li>`;
  const resolved = before.filter((f) => real(f) && !is.has(f.message));
  const list = [
    ...now.map((f) => item(f, !real(f) ? 'note' : was.has(f.message) ? 'kept' : 'created')),
    ...resolved.map((f) => item(f, 'resolved')),
  ];
  const created = now.filter((f) => real(f) && !was.has(f.message)).length;
  return `<p id="findings-summary">${resolved.length} resolved, ${created} created by this change (against the model with the report's own assumptions).</p><ul>${list.join('')}</ul>`;
}

function capacityTable(r: PatternResult, st: State): string {
  const opts = r.capacity.options;
  const row = (label: string, f: (o: (typeof opts)[number], i: number) => string, key = '') =>
    `<tr${key ? ` data-row="${key}"` : ''}><th scope="row">${label}</th>${opts.map((o, i) => `<td>${f(o, i)}</td>`).join('')}</tr>`;
  const verdict = (ok: boolean, yes: string, no: string) => `<span class="${ok ? 'ok' : 'bad'}">${ok ? '✓' : '✗'} ${ok ? yes : no}</span>`;
  const n1 = opts.map((o) => {
    const q = o.webAp;
    return q.inventoryServers > 1 ? mmc(q.arrivalsPerSecond, q.serviceRatePerServer, q.inventoryServers - 1) : null;
  });
  const hostLoss = data.options.map((o) => {
    const reserve = st.reserves.get(o.option) ?? {};
    const hv = { ...(o.hostLoss.hypervisor ?? { hostReserveGB: 2, reservePerStorageTBGB: 1, vcpuPerCoreCeiling: 4 }), ...reserve };
    return analysePlatforms({ ...o.hostLoss, hypervisor: hv as never });
  });
  return `<table id="capacity"><caption>Capacity per deployment option (${esc(data.sizing.girs.site.toUpperCase())}) at Pattern ${r.pattern}</caption>
    <thead><tr><th></th>${opts.map((o) => `<th>${esc(o.option)}</th>`).join('')}</tr></thead><tbody>
    ${row('Effective storage (TB)', (o) => fmt(o.storage.effectiveTB))}
    ${row('Storage growth (TB/year)', (o) => fmt(o.storage.growthTBPerYear, 2))}
    ${row('Storage full in', (o) => months(o.storage.monthsUntilFull), 'months')}
    ${row('Network demand (Mbps)', (o) => fmt(o.network.demandMbps, 1), 'network')}
    ${(opts[0]?.network.links ?? []).map((l, li) => row(`${l.gbps} GbE link utilisation`, (o) => `${pct(o.network.links[li]!.utilisation)} ${verdict(o.network.links[li]!.fits, 'fits', 'over')}`, `link-${l.gbps}`)).join('')}
    ${row("Concurrent uploads (Little's law)", (o) => fmt(o.uploads.concurrentAtPeak, 1))}
    ${row('AP service rate (reports/s/VM)', (o) => `${fmt(o.webAp.serviceRatePerServer, 2)} (${o.webAp.coresPerServer} vCPU)`)}
    ${row('AP VMs needed at ≤ target', (o) => `${fmt(o.webAp.serversNeeded, 0)} (≤ ${pct(o.webAp.targetUtilisation)})`, 'needed')}
    ${row('…utilisation / P(wait) / mean wait', (o) => `${pct(o.webAp.utilisation)} / ${pct(o.webAp.probabilityOfWaiting)} / ${fmt(o.webAp.meanWaitSeconds * 1000, 1)} ms`, 'queue')}
    ${row('AP VMs in inventory / utilisation', (o) => `${o.webAp.inventoryServers} / ${o.webAp.inventoryStable ? pct(o.webAp.inventoryUtilisation) : 'overloaded'} ${verdict(o.webAp.inventoryStable && o.webAp.inventoryUtilisation <= o.webAp.targetUtilisation, 'within target', 'over target')}`, 'inventory-ap')}
    ${row('N+1: one AP VM lost', (_, i) => n1[i] ? `${pct(n1[i]!.utilisation)} ${verdict(n1[i]!.stable && n1[i]!.utilisation <= 1, 'survivors keep up', 'survivors overloaded')}` : 'only one AP VM', 'n1-ap')}
    ${row('N+1: any one platform host lost', (_, i) => hostLoss[i]!.map((c) => `${esc(c.cluster)} ${verdict(c.holds, 'holds', `fails${c.scenarios.some((s) => s.ramShortfallGB > 0) ? ` (${fmt(Math.max(...c.scenarios.map((s) => s.ramShortfallGB)), 2)} GB short)` : ''}`)}`).join('<br>'), 'n1-hosts')}
    </tbody></table>`;
}

// Hand-drawn SVG charts: a few lines each, so the page needs no charting library.
const SVG_W = 520;
const SVG_H = 230;
const M = { l: 56, r: 16, t: 28, b: 40 };
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7']; // Okabe–Ito, colour-blind safe

function axisTicks(max: number): number[] {
  const step = 10 ** Math.floor(Math.log10(max || 1));
  const s = max / step > 5 ? step * 2 : max / step > 2 ? step : step / 2;
  return Array.from({ length: Math.floor(max / s) + 1 }, (_, i) => i * s);
}

function storageChart(r: PatternResult): string {
  const life = 60;
  const maxTB = Math.max(...r.capacity.options.map((o) => Math.max(o.storage.effectiveTB * 1.3, Math.min(o.storage.growthTBPerYear * life / 12, o.storage.effectiveTB * 3))));
  const x = (m: number) => M.l + (m / life) * (SVG_W - M.l - M.r);
  const y = (tb: number) => SVG_H - M.b - (Math.min(tb, maxTB) / maxTB) * (SVG_H - M.t - M.b);
  const parts: string[] = [];
  for (const t of axisTicks(maxTB)) parts.push(`<line x1="${M.l}" x2="${SVG_W - M.r}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${M.l - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  for (let m = 0; m <= life; m += 12) parts.push(`<text x="${x(m)}" y="${SVG_H - M.b + 16}" text-anchor="middle">${m}</text>`);
  r.capacity.options.forEach((o, i) => {
    const c = COLOURS[i]!;
    parts.push(`<line x1="${x(0)}" x2="${x(life)}" y1="${y(o.storage.effectiveTB)}" y2="${y(o.storage.effectiveTB)}" stroke="${c}" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${x(life) - 4}" y="${y(o.storage.effectiveTB) - 5}" text-anchor="end" fill="${c}">${esc(o.option)} capacity ${fmt(o.storage.effectiveTB)} TB</text>`);
    // The growth line stops where it leaves the plot, so its slope stays true.
    const perMonth = o.storage.growthTBPerYear / 12;
    const end = perMonth > 0 ? Math.min(life, maxTB / perMonth) : life;
    parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(end)}" y2="${y(perMonth * end)}" stroke="${c}" stroke-width="2.5"/>`);
    const full = o.storage.monthsUntilFull;
    if (full !== null && full <= life) parts.push(`<circle cx="${x(full)}" cy="${y(o.storage.effectiveTB)}" r="4" fill="${c}"/><text x="${x(full) + 6}" y="${y(o.storage.effectiveTB) + 14 + i * 12}" fill="${c}">${esc(o.option)} full in ${months(full)}</text>`);
  });
  return `<figure class="chart" data-chart="storage"><svg viewBox="0 0 ${SVG_W} ${SVG_H}" role="img" aria-label="TB stored over 60 months against each option's capacity">
    <text x="${M.l}" y="16" class="title">TB stored over 5 years vs effective capacity (dashed)</text>${parts.join('')}
    <text x="${(SVG_W + M.l) / 2}" y="${SVG_H - 6}" text-anchor="middle">months in service</text></svg></figure>`;
}

function networkChart(r: PatternResult): string {
  const links = r.capacity.options[0]?.network.links.map((l) => l.gbps * 1000) ?? [];
  const max = Math.max(...links, ...r.capacity.options.map((o) => o.network.demandMbps)) * 1.1;
  const bw = SVG_W - M.l - M.r;
  const x = (mbps: number) => M.l + (mbps / max) * bw;
  const parts: string[] = [];
  r.capacity.options.forEach((o, i) => {
    const y0 = M.t + 10 + i * 40;
    parts.push(`<rect x="${M.l}" y="${y0}" width="${Math.max(1, x(o.network.demandMbps) - M.l)}" height="26" fill="${COLOURS[i]}"/><text x="${M.l - 6}" y="${y0 + 17}" text-anchor="end">${esc(o.option)}</text>`);
    parts.push(`<text x="${Math.min(x(o.network.demandMbps) + 6, SVG_W - 140)}" y="${y0 + 17}">${fmt(o.network.demandMbps, 1)} Mbps</text>`);
  });
  for (const l of links) parts.push(`<line x1="${x(l)}" x2="${x(l)}" y1="${M.t}" y2="${SVG_H - M.b}" class="link"/><text x="${x(l) - 4}" y="${SVG_H - M.b + 16}" text-anchor="end">${fmt(l / 1000)} GbE</text>`);
  return `<figure class="chart" data-chart="network"><svg viewBox="0 0 ${SVG_W} ${SVG_H}" role="img" aria-label="Network demand per option against link speeds, linear scale">
    <text x="${M.l}" y="16" class="title">Peak network demand vs link speed (linear, Mbps)</text>${parts.join('')}</svg></figure>`;
}

function queueChart(r: PatternResult): string {
  const opts = r.capacity.options;
  const bars = opts.flatMap((o) => [
    { label: `${o.option} sized (${fmt(o.webAp.serversNeeded, 0)})`, u: o.webAp.utilisation },
    { label: `${o.option} inventory (${o.webAp.inventoryServers})`, u: o.webAp.inventoryStable ? o.webAp.inventoryUtilisation : 1.2 },
  ]);
  const max = 1.25;
  const x = (u: number) => M.l + 90 + (Math.min(u, max) / max) * (SVG_W - M.l - 90 - M.r);
  const target = opts[0]?.webAp.targetUtilisation ?? 0.7;
  const parts = bars.map((b, i) => {
    const y0 = M.t + 6 + i * 34;
    const over = b.u > target;
    return `<rect x="${x(0)}" y="${y0}" width="${x(b.u) - x(0)}" height="24" fill="${over ? '#d55e00' : '#0072b2'}" ${over ? 'fill-opacity="0.85" stroke="#000" stroke-dasharray="3 2"' : ''}/>
      <text x="${x(0) - 6}" y="${y0 + 16}" text-anchor="end">${esc(b.label)}</text><text x="${x(b.u) + 4}" y="${y0 + 16}">${b.u >= 1 ? 'overloaded' : pct(b.u)}${over ? ' (over target)' : ''}</text>`;
  });
  parts.push(`<line x1="${x(target)}" x2="${x(target)}" y1="${M.t}" y2="${SVG_H - M.b}" class="link"/><text x="${x(target)}" y="${SVG_H - M.b + 16}" text-anchor="middle">target ${pct(target)}</text>`);
  parts.push(`<line x1="${x(1)}" x2="${x(1)}" y1="${M.t}" y2="${SVG_H - M.b}" class="grid"/><text x="${x(1)}" y="${SVG_H - M.b + 30}" text-anchor="middle">100 %</text>`);
  return `<figure class="chart" data-chart="queue"><svg viewBox="0 0 ${SVG_W} ${SVG_H}" role="img" aria-label="Web/AP utilisation at peak against the target">
    <text x="${M.l}" y="16" class="title">Web/AP utilisation at peak (M/M/c) vs target</text>${parts.join('')}</svg></figure>`;
}

function command(st: State): string {
  const flags = st.flagText.map(([f, v]) => `--${f} ${v}`);
  return ['npm run sizing --', `--pattern ${st.pattern}`, ...flags].join(' ');
}

function update(): void {
  try {
    render();
  } finally {
    // Renders are counted so a test (or a script) can wait for the page to settle.
    document.body.dataset.ready = String(Number(document.body.dataset.ready ?? 0) + 1);
  }
}

function render(): void {
  const st = readState();
  $('command').textContent = command(st);
  $('file-edits').innerHTML = st.edits.length
    ? `No flag covers these; change them in the inventory files for the command to give the same figures:<ul>${st.edits.map((e) => `<li><code>${esc(e)}</code></li>`).join('')}</ul>`
    : '';
  $('status').textContent = st.errors ? `${st.errors} input(s) out of range: the figures below are from the last valid inputs.` : '';
  if (st.errors) return;
  const sizing = { ...data.sizing, demand: st.demand };
  let r: PatternResult;
  try {
    r = computePattern(sizing, st.pattern, st.overrides);
  } catch (e) {
    // A demand.yaml edit the schema allows can still break the model (e.g. an infinite rate).
    $('status').textContent = `The model refused these inputs: ${e instanceof Error ? e.message : String(e)}. The figures below are from the last valid inputs.`;
    return;
  }
  const base = computePattern(data.sizing, st.pattern, {});
  $('table19-out').innerHTML = table19(r, base);
  $('findings').innerHTML = findingsDiff(r.findings, base.findings);
  $('capacity-out').innerHTML = capacityTable(r, st);
  const o = r.capacity.odb;
  $('odb').innerHTML = `ODB (CCOP, §4.5.1): ${fmt(o.totalGB / 1000, 2)} TB of ${fmt(o.effectiveTB)} TB, growing ${fmt(o.growthGBPerYear, 0)} GB/year → full in <span id="odb-months">${months(o.monthsUntilFull)}</span>; ${fmt(o.users)} users, ${fmt(o.concurrentSessions)} concurrent sessions at peak.`;
  $('charts').innerHTML = storageChart(r) + networkChart(r) + queueChart(r);
  $('json').textContent = JSON.stringify(toJson(r), null, 2);
}

function copyCommand(): void {
  const text = $('command').textContent ?? '';
  const done = () => { $('copied').textContent = 'copied'; setTimeout(() => { $('copied').textContent = ''; }, 1500); };
  // file:// pages may not get the async clipboard; fall back to a selection copy.
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, () => legacyCopy(text, done));
  else legacyCopy(text, done);
}

function legacyCopy(text: string, done: () => void): void {
  const ta = document.createElement('textarea');
  ta.value = text;
  document.body.append(ta);
  ta.select();
  if (document.execCommand('copy')) done();
  ta.remove();
}

function init(): void {
  const p = data.provenance;
  $('provenance').textContent = `Built ${p.builtAt} from ${p.inventoryDir} (inventory SHA-256 ${p.inventorySha256.slice(0, 12)}…); intake rate ${data.sizing.calibration ? `measured (${data.sizing.calibration.file})` : 'not measured yet'}.`;
  renderInputs();
  $('pattern').addEventListener('change', () => { showLedgerValues(); update(); });
  $('inputs').addEventListener('input', update);
  $('copy').addEventListener('click', copyCommand);
  $('reset').addEventListener('click', () => { document.querySelectorAll<HTMLInputElement>('#inputs input').forEach((el) => { el.value = ''; }); update(); });
  update();
}

init();
