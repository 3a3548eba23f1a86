// The self-contained HTML audit report: every chart an inline SVG, styles inline, no
// scripts and no external URL, so it opens the same offline as online.
import type { SiteView } from '../inventory/index.ts';
import type { AuditResult, SizingInput } from './audit.ts';
import { figuresText } from './bill.ts';
import { hostSpecs, networkSpec, rackSvg, storageSpec, toSvg } from './charts.ts';
import { COUNT_KEYS } from './types.ts';

const esc = (s: unknown) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Chart { id: string; title: string; svg: string | null; note?: string }

export async function buildCharts(view: SiteView, sizing: SizingInput): Promise<Chart[]> {
  const charts: Chart[] = [];
  const results = 'results' in sizing ? sizing.results : [];
  const missing = 'error' in sizing ? `sizing model unavailable: ${sizing.error}` : 'no capacity figures for this site/option';
  const st = results.length ? storageSpec(results, view.site, view.option) : null;
  charts.push({ id: 'storage', title: 'Storage growth vs capacity per pattern', svg: st ? await toSvg(st) : null, note: st ? undefined : missing });
  const net = results.length ? networkSpec(results, view.site, view.option) : null;
  charts.push({ id: 'network', title: 'Network demand vs link speed', svg: net ? await toSvg(net) : null, note: net ? undefined : missing });
  const hs = hostSpecs(view);
  const names = ['hosts-ram', 'hosts-cpu'];
  for (let i = 0; i < hs.length; i++) charts.push({ id: names[i]!, title: i === 0 ? 'Per-host RAM: allocated (blue), usable after the hypervisor reserve (grey), worst load after any one host loss (red N+1 line)' : 'Per-host vCPU: allocated (blue), cores × ceiling ratio (grey), worst after any one host loss (red N+1 line)', svg: await toSvg(hs[i]!) });
  if (!hs.length) charts.push({ id: 'hosts-ram', title: 'Per-host allocation', svg: null, note: 'no virtual platform at this site (bare-metal servers)' });
  charts.push({ id: 'racks', title: 'Rack elevations', svg: rackSvg(view) });
  return charts;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f3a5f;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85}
main{padding:12px 28px 40px;max-width:1400px}h2{margin:28px 0 8px;font-size:18px;border-bottom:2px solid #1f3a5f;padding-bottom:4px}
.tally{display:flex;gap:12px;margin:16px 0}.tally div{padding:10px 16px;border-radius:6px;font-weight:600;color:#fff}
.pass{background:#1a9850}.warn{background:#e08214}.fail{background:#d73027}.uncov{background:#777}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(640px,1fr));gap:16px}
figure.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:0;padding:12px;overflow-x:auto}figure.chart figcaption{font-weight:600;margin-bottom:6px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}th{background:#eef2f7}
td.st{font-weight:700;color:#fff;text-align:center;width:52px}ul.ev{margin:0;padding-left:16px}.note{color:#666;font-style:italic}#chart-racks{grid-column:1/-1}`;

export function renderHtml(r: AuditResult, charts: Chart[]): string {
  const n = (s: string) => r.checks.filter((c) => c.status === s).length;
  const chartHtml = charts.map((c) => `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}"><figcaption>${esc(c.title)}</figcaption>${c.svg ?? `<p class="note">${esc(c.note ?? 'not available')}</p>`}</figure>`).join('\n');
  const checks = r.checks.map((c) => `<tr><td class="st ${c.status}">${c.status.toUpperCase()}</td><td><b>${esc(c.title)}</b><br><code>${esc(c.id)}</code> · ${esc(c.requirement)}</td><td><ul class="ev">${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>${c.lines.length ? `<small>lines: ${esc(c.lines.join(', '))}</small>` : ''}</td></tr>`).join('');
  const counts = COUNT_KEYS.map((k) => {
    const v = r.counting.verdicts.find((x) => x.key === k)!;
    return `<tr><td>${esc(k)}</td><td>${r.summary[k]}</td><td>${r.published[k] ?? '—'}</td><td>${esc(v.explanation)}</td></tr>`;
  }).join('');
  const bill = r.lines.map((l) => `<tr><td>${esc(l.source)}</td><td>${esc(l.item)}</td><td>${l.qty}</td><td>${esc(l.kind === 'middleware' ? l.product : figuresText(l.perUnit))}</td><td>${esc(l.kind === 'middleware' ? '' : figuresText(l.total))}</td><td>${esc(l.specs ?? '')}</td></tr>`).join('');
  const reqs = r.requirements.map((q) => `<tr><td class="st ${q.status === 'uncovered' ? 'uncov' : q.status}">${q.status === 'uncovered' ? '—' : q.status.toUpperCase()}</td><td><code>${esc(q.id)}</code></td><td>${esc(q.ref)}</td><td>${esc(q.quote)}</td><td>${esc(q.checks.join(', ') || q.gap || '')}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`Audit: ${r.title} — ${r.optionTitle}`)}</title><style>${CSS}</style></head>
<body><header><h1>Bill-of-materials audit — ${esc(r.title)}</h1><p>${esc(r.optionTitle)}</p></header><main>
<div class="tally"><div class="pass">${n('pass')} pass</div><div class="warn">${n('warn')} warn</div><div class="fail">${n('fail')} fail</div><div class="uncov">${r.uncovered.length} uncovered</div></div>
<h2>Charts</h2><div class="grid">${chartHtml}</div>
<h2>Checks</h2><table><tr><th>Status</th><th>Check</th><th>Evidence</th></tr>${checks}</table>
<h2>Counts in the shape of Table 34</h2><table><tr><th>Count</th><th>Bill</th><th>Table 34</th><th>How</th></tr>${counts}</table>
<h2>Requirements</h2><table><tr><th>Status</th><th>ID</th><th>Reference</th><th>Quote</th><th>Checks / gap</th></tr>${reqs}</table>
<h2>Bill of materials</h2><table><tr><th>Source</th><th>Item</th><th>Qty</th><th>Per unit / product</th><th>Total</th><th>Specs</th></tr>${bill}</table>
</main></body></html>
`;
}
