// Performance from the sizing model (sizing/index.ts): Pattern 2 must be met, Pattern 3
// "endured to a certain extent" (Table 33), Pattern 1 shown where it would break.
import type { OptionCapacity, PatternResult } from '../../sizing/index.ts';
import type { CheckResult, Status } from '../types.ts';
import { check, worst, type AuditContext } from './context.ts';

/** Storage must last the hardware's service life; our assumption, the report states none. */
export const SERVICE_LIFE_MONTHS = 60;
/** Below this runway Pattern 3 is not "endured to a certain extent" but overrun. */
export const ENDURE_MIN_MONTHS = 12;

export function performanceChecks(ctx: AuditContext): CheckResult[] {
  const { view } = ctx;
  const ids = view.site === 'oog'
    ? [['performance.pattern2', 'GIRS-PERF-P2'], ['performance.pattern3', 'GIRS-PERF-P3'], ['performance.pattern1', 'GIRS-PERF-P1'], ['performance.data-platform', 'DAMP-PERF']]
    : [['performance.odb', 'ODB-SCALE']];
  if ('error' in ctx.sizing) {
    const msg = ctx.sizing.error;
    return ids.map(([id, req]) => check(id!, req!, 'Sizing model', 'warn', [`sizing model unavailable, nothing measured: ${msg}`]));
  }
  const results = ctx.sizing.results;
  const byPattern = (p: number) => results.find((r) => r.pattern === p);
  if (view.site !== 'oog') return [odbCheck(ctx, results[0])];
  const opt = (r: PatternResult | undefined) => r?.capacity.options.find((o) => o.site === view.site && o.option === view.option);
  const out: CheckResult[] = [];
  for (const p of [2, 3, 1] as const) {
    const r = byPattern(p);
    const cap = opt(r);
    const id = `performance.pattern${p}`;
    const req = `GIRS-PERF-P${p}`;
    if (!r || !cap) { out.push(check(id, req, `Pattern ${p}`, 'warn', [`the sizing model has no capacity figures for ${view.site} ${view.option}`])); continue; }
    out.push(patternCheck(id, req, p, r, cap));
  }
  out.push(dataPlatformCheck(ctx, byPattern(2)));
  return out;
}

export interface Aspect { name: string; status: Status; text: string }

function aspects(cap: OptionCapacity, p: 1 | 2 | 3): Aspect[] {
  const s = cap.storage;
  const months = s.monthsUntilFull;
  const storage: Aspect = {
    name: 'storage',
    // Pattern 3 need only be endured "to a certain extent": a short runway is a warning
    // that quantifies the extent, not a failure.
    status: months === null || months >= SERVICE_LIFE_MONTHS ? 'pass' : p === 3 ? 'warn' : 'fail',
    text: `storage ${fx(s.effectiveTB)} TB effective (${s.sources.join(', ')}), growth ${fx(s.growthTBPerYear)} TB/year → ${months === null ? 'never full' : `full in ${fx(months)} months`} (service life ${SERVICE_LIFE_MONTHS} months)${p === 3 && months !== null && months < ENDURE_MIN_MONTHS ? `; under ${ENDURE_MIN_MONTHS} months: Pattern 3 volume needs a storage expansion within the first year` : ''}`,
  };
  const network = networkAspect(cap);
  const q = cap.webAp;
  const compute: Aspect = {
    name: 'compute',
    status: q.inventoryStable && q.inventoryServers >= q.serversNeeded ? 'pass' : q.inventoryStable ? 'warn' : 'fail',
    text: `web/AP queue (M/M/c): ${fx(q.arrivalsPerSecond)} reports/s needs ${q.serversNeeded} server(s) at ≤${fx(q.targetUtilisation * 100)}% utilisation; the bill has ${q.inventoryServers} AP VM(s) → ${fx(q.inventoryUtilisation * 100)}% utilisation${q.inventoryStable ? '' : ' (unstable: arrivals exceed service)'}`,
  };
  return [storage, network, compute];
}

/**
 * The peak against each candidate uplink. The bill names no link speed, so the verdict
 * says which speed the peak needs: the smallest link fits → pass; only a faster one
 * fits → warn (procurement must specify it); none fits → fail. The words follow the
 * verdict: a link the peak overruns is said to be exceeded, never passed.
 */
export function networkAspect(cap: OptionCapacity): Aspect {
  const links = [...cap.network.links].sort((a, b) => a.gbps - b.gbps);
  const fitting = links.find((l) => l.fits);
  const status: Status = !fitting ? 'fail' : fitting === links[0] ? 'pass' : 'warn';
  const each = links.map((l) => `${fx(l.utilisation * 100)}% of ${l.gbps} GbE${l.fits ? '' : ' (exceeds it)'}`).join(', ');
  const verdict = !fitting
    ? `exceeds every candidate link up to ${links.at(-1)?.gbps ?? '?'} GbE`
    : status === 'warn'
      ? `needs a ${fitting.gbps} GbE uplink, a speed the bill does not state`
      : `fits a ${fitting.gbps} GbE uplink`;
  return { name: 'network', status, text: `network peak ${fx(cap.network.demandMbps)} Mbps ${verdict}: ${each}` };
}

function patternCheck(id: string, req: string, p: 1 | 2 | 3, r: PatternResult, cap: OptionCapacity): CheckResult {
  const a = aspects(cap, p);
  const failing = a.filter((x) => x.status === 'fail').map((x) => x.name);
  const limited = a.filter((x) => x.status === 'warn').map((x) => x.name);
  let status = worst(a.map((x) => x.status));
  const head = `Pattern ${p}: ${fx(r.figures.reportsPerYear)} reports/year, ${fx(r.figures.reportsPerSecond)} reports/s at peak, ${fx(r.figures.networkMbps)} Mbps`;
  const evidence = [head, ...a.map((x) => `${x.status.toUpperCase()} ${x.text}`)];
  if (p === 1) {
    // The report itself calls Pattern 1 unrealistic: show where it breaks, do not gate on it.
    const parts = [failing.length ? `would fail on: ${failing.join(', ')}` : '', limited.length ? `would need more on: ${limited.join(', ')}` : ''].filter(Boolean);
    evidence.push(parts.length ? `${parts.join('; ')} (the report deems Pattern 1 unrealistic, §3.5.1 (2))` : 'would hold on every aspect');
    status = parts.length ? 'warn' : 'pass';
  } else if (p === 3) {
    evidence.push(failing.length || limited.length ? `endured with limits on: ${[...failing, ...limited].join(', ')}` : 'endured in full');
  }
  const figures: CheckResult['figures'] = {
    monthsUntilFull: cap.storage.monthsUntilFull === null ? null : round(cap.storage.monthsUntilFull),
    growthTBPerYear: round(cap.storage.growthTBPerYear), effectiveTB: cap.storage.effectiveTB,
    networkMbps: round(cap.network.demandMbps), serversNeeded: cap.webAp.serversNeeded, serversInBill: cap.webAp.inventoryServers,
    apUtilisation: round(cap.webAp.inventoryUtilisation),
  };
  for (const l of cap.network.links) figures[`link${l.gbps}GbE`] = round(l.utilisation);
  return check(id, req, p === 2 ? 'Pattern 2 is met' : p === 3 ? 'Pattern 3 is endured to a certain extent' : 'Pattern 1: where it would fail', status, evidence, cap.storage.sources, figures);
}

function dataPlatformCheck(ctx: AuditContext, r: PatternResult | undefined): CheckResult {
  const hosts = ctx.view.vms.filter((v) => v.subsystem === 'vedh');
  if (!r) return check('performance.data-platform', 'DAMP-PERF', 'Data platform load', 'warn', ['no Pattern 2 result from the sizing model']);
  const d = r.capacity.dataPlatform;
  const text = `${d.systems} systems × ${d.transactionsPerDay} transactions/day × ${d.transactionSizeMB} MB = ${fx(d.MBPerDay)} MB/day, ${fx(d.TBPerYear, 3)} TB/year, ${fx(d.averageTransactionsPerSecond, 4)} transactions/s on average`;
  if (!hosts.length) return check('performance.data-platform', 'DAMP-PERF', 'Data platform load', 'warn', [text, `${ctx.view.optionTitle} hosts no data platform (VEDH/VEDB), so nothing here carries this load`], [], { TBPerYear: d.TBPerYear });
  return check('performance.data-platform', 'DAMP-PERF', 'Data platform load fits', 'pass', [text, `carried by ${hosts.map((h) => h.name).join(', ')}; counted in the storage growth of the pattern checks`], hosts.map((h) => h.source), { TBPerYear: d.TBPerYear, MBPerDay: d.MBPerDay });
}

function odbCheck(ctx: AuditContext, r: PatternResult | undefined): CheckResult {
  if (!r) return check('performance.odb', 'ODB-SCALE', 'ODB scale', 'warn', ['no result from the sizing model']);
  const o = r.capacity.odb;
  const months = o.monthsUntilFull;
  const status: Status = o.totalGB > o.effectiveTB * 1000 ? 'fail' : months !== null && months < SERVICE_LIFE_MONTHS ? 'warn' : 'pass';
  return check('performance.odb', 'ODB-SCALE', 'ODB records and users fit the bill', status, [
    ...o.records.map((x) => `${x.name}: ${fx(x.count)} records × ${x.recordKB} KB = ${fx(x.GB)} GB`),
    `total ${fx(o.totalGB)} GB of ${fx(o.effectiveTB)} TB (${o.storageSource}); growth ${fx(o.growthGBPerYear)} GB/year → ${months === null ? 'never full' : `full in ${fx(months)} months`}`,
    `${fx(o.users)} users, ${fx(o.concurrentSessions)} concurrent sessions at peak`,
  ], [o.storageSource, ...ctx.view.hosts.filter((h) => /database/i.test(h.rowName)).map((h) => h.source)], { totalGB: round(o.totalGB), effectiveTB: o.effectiveTB, monthsUntilFull: months === null ? null : round(months) });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function fx(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}
