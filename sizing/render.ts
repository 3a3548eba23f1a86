// Presentation: Table 19 in its own shape (published vs model), the assumption ledger,
// findings and capacity, as aligned terminal tables or Markdown, and the JSON contract.
import { mdTable, table, type Cell } from '../cli/table.ts';
import { FIGURE_KEYS, FIGURE_LABELS, type Figures, type PatternResult } from './types.ts';
import { fmt, formatReport } from './round.ts';


interface Grid { title: string; head: string[]; rows: Cell[][]; align?: ('left' | 'right')[] }

function md(g: Grid): string {
  return [`### ${g.title}`, '', mdTable(g.head, g.rows, g.align ? { align: g.align } : {})].join('\n');
}

function text(g: Grid, widths?: number[]): string {
  return `${g.title}\n${table(g.head, g.rows, { ...(g.align ? { align: g.align } : {}), ...(widths ? { widths } : {}) })}`;
}

function figuresGrid(results: PatternResult[]): Grid {
  const head = ['Estimation item'];
  for (const r of results) head.push(`P${r.pattern} published`, `P${r.pattern} model`);
  const rows = FIGURE_KEYS.map((k) => {
    const row: Cell[] = [FIGURE_LABELS[k]];
    for (const r of results) {
      const same = r.figures[k] === r.published[k];
      row.push(formatReport(k, r.published[k]), `${formatReport(k, r.figures[k])}${same ? '' : ' *'}`);
    }
    return row;
  });
  return { title: `Table 19 (GIRS): published vs model${results.some((r) => FIGURE_KEYS.some((k) => r.figures[k] !== r.published[k])) ? ' (* differs from Table 19)' : ''}`, head, rows, align: ['left', ...head.slice(1).map(() => 'right' as const)] };
}

function assumptionsGrid(r: PatternResult): Grid {
  return {
    title: `Assumptions of Pattern ${r.pattern}`,
    head: ['Name', 'Value', 'Unit', 'Kind', 'Source'],
    rows: r.assumptions.map((a) => [a.name, typeof a.value === 'number' ? fmt(a.value, 4) : a.value, a.unit, a.kind, a.source]),
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${fmt(x * 100, 1)} %` : 'overloaded');
const months = (m: number | null) => (m === null ? 'never' : m < 1 ? `${fmt(m * 30.4, 0)} days` : `${fmt(m, 1)} months`);

function capacityGrid(results: PatternResult[]): Grid {
  const cols = results.flatMap((r) => r.capacity.options.map((o) => ({ r, o })));
  const head = ['Capacity at peak', ...cols.map(({ r, o }) => `P${r.pattern} ${o.option}`)];
  const row = (label: string, f: (c: (typeof cols)[number]) => Cell): Cell[] => [label, ...cols.map(f)];
  const linkRows = (cols[0]?.o.network.links ?? []).map((l, i) =>
    row(`${l.gbps} GbE uplink utilisation`, ({ o }) => `${pct(o.network.links[i]!.utilisation)}${o.network.links[i]!.fits ? '' : ' (over)'}`));
  return {
    title: 'Capacity per deployment option (OOG)',
    head,
    align: ['left', ...cols.map(() => 'right' as const)],
    rows: [
      row('Effective storage (TB)', ({ o }) => fmt(o.storage.effectiveTB)),
      row('Storage growth (TB/year)', ({ o }) => fmt(o.storage.growthTBPerYear, 2)),
      row('Storage full in', ({ o }) => months(o.storage.monthsUntilFull)),
      row('Network demand (Mbps)', ({ o }) => fmt(o.network.demandMbps, 1)),
      ...linkRows,
      row('Seconds per upload', ({ o }) => fmt(o.uploads.secondsPerUpload, 2)),
      row("Concurrent uploads (Little's law)", ({ o }) => fmt(o.uploads.concurrentAtPeak, 1)),
      row('AP service rate (reports/s/VM)', ({ o }) => `${fmt(o.webAp.serviceRatePerServer, 2)} (${o.webAp.coresPerServer} vCPU)`),
      row('Offered load (Erlangs)', ({ o }) => fmt(o.webAp.offeredLoad, 2)),
      row(`AP VMs needed at ≤ target`, ({ o }) => `${o.webAp.serversNeeded} (≤ ${pct(o.webAp.targetUtilisation)})`),
      row('…utilisation / P(wait)', ({ o }) => `${pct(o.webAp.utilisation)} / ${pct(o.webAp.probabilityOfWaiting)}`),
      row('…mean wait in queue (ms)', ({ o }) => fmt(o.webAp.meanWaitSeconds * 1000, 1)),
      row('AP VMs in inventory / utilisation', ({ o }) => `${o.webAp.inventoryServers} / ${o.webAp.inventoryStable ? pct(o.webAp.inventoryUtilisation) : 'overloaded'}`),
    ],
  };
}

function otherLoads(r: PatternResult): string[] {
  const { dataPlatform: p, odb, intake } = r.capacity;
  return [
    `Intake rate per core: ${fmt(intake.perCoreReportsPerSecond, 3)} reports/s (${intake.measured ? 'measured' : 'not measured yet'}; ${intake.source})`,
    `Data Analysis and Management Platform (§3.5.1 (3)): ${p.systems} systems × ${fmt(p.transactionsPerDay)} transactions/day × ${fmt(p.transactionSizeMB)} MB = ${fmt(p.MBPerDay)} MB/day, ${fmt(p.TBPerYear, 3)} TB/year, ${fmt(p.averageTransactionsPerSecond, 4)} transactions/s on average`,
    `ODB (CCOP, §4.5.1): ${odb.records.map((x) => `${x.name} ${fmt(x.count)} × ${fmt(x.recordKB)} KB → ${fmt(x.GB, 1)} GB`).join('; ')}`,
    `ODB storage: ${fmt(odb.totalGB / 1000, 2)} TB of ${fmt(odb.effectiveTB)} TB (${odb.storageSource}), growing ${fmt(odb.growthGBPerYear, 0)} GB/year → full in ${months(odb.monthsUntilFull)}; ${fmt(odb.users)} users, ${fmt(odb.concurrentSessions)} concurrent sessions at peak`,
  ];
}

function findingLines(r: PatternResult): string[] {
  return r.findings.map((f) => `- [${f.severity}] ${f.message}`);
}

export function renderText(results: PatternResult[], markdown: boolean): string {
  const out: string[] = [];
  const show = (g: Grid, widths?: number[]) => out.push(markdown ? md(g) : text(g, widths), '');
  out.push(markdown ? '## GIRS sizing (Table 19)' : 'GIRS sizing (Table 19, §3.5.1)', '');
  for (const r of results) out.push(`Pattern ${r.pattern}: ${r.title}`);
  out.push('');
  show(figuresGrid(results));
  for (const r of results) {
    out.push(markdown ? `### Findings, Pattern ${r.pattern}` : `Findings, Pattern ${r.pattern}:`, '', ...findingLines(r), '');
  }
  show(capacityGrid(results));
  for (const r of results) {
    out.push(markdown ? `### Other loads, Pattern ${r.pattern}` : `Other loads, Pattern ${r.pattern}:`, '', ...otherLoads(r).map((l) => `- ${l}`), '');
  }
  for (const r of results) show(assumptionsGrid(r), [34, 14, 22, 10, 70]);
  return out.join('\n');
}
