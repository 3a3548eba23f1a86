// The drill's HTML load report, built from k6's own output (`k6 run --out json=FILE`,
// one JSON object a line) and rendered offline to SVG with the audit report's Vega-Lite
// path (audit/charts.ts toSvg): achieved reports/s against the target line, upload
// latency p50/p95/p99, failed requests and dropped iterations, MB/s.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TopLevelSpec } from 'vega-lite';
import { toSvg } from '../../audit/charts.ts';
import type { Check, Plan, ScenarioName } from '../../k6/index.ts';
import { spikeStages, parseDuration } from '../../k6/index.ts';

export interface Bin { t: number; accepted: number; mb: number; failed: number; dropped: number; requests: number; p50: number | null; p95: number | null; p99: number | null }
export interface Series { binSeconds: number; bins: Bin[]; firstPointMs: number | null; firstUploadMs: number | null; points: number }

function pct(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Reads k6's JSON output (one file per runner of a split test), streaming, into per-bin figures. */
export async function readK6Json(files: string | string[], totalSeconds: number): Promise<Series> {
  const binSeconds = Math.max(1, Math.ceil(totalSeconds / 120));
  type Acc = { accepted: number; bytes: number; failed: number; dropped: number; requests: number; lat: number[] };
  const acc = new Map<number, Acc>();
  let first: number | null = null;
  let firstUpload: number | null = null;
  let points = 0;
  const raw: { ms: number; metric: string; value: number; op?: string; ok?: string }[] = [];
  for (const file of typeof files === 'string' ? [files] : files) for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    // Cheap pre-filter: only the metrics the report draws.
    if (!line.startsWith('{"') || !line.includes('"type":"Point"')) continue;
    if (!/"metric":"(girs_reports_accepted|girs_report_bytes|http_req_failed|dropped_iterations|http_reqs|http_req_duration)"/.test(line)) continue;
    let o: { metric: string; data: { time: string; value: number; tags?: Record<string, string> } };
    try { o = JSON.parse(line); } catch { continue; }
    const ms = Date.parse(o.data.time);
    if (!Number.isFinite(ms)) continue;
    points++;
    if (first === null || ms < first) first = ms;
    if (o.metric === 'http_reqs' && o.data.tags?.op === 'upload' && (firstUpload === null || ms < firstUpload)) firstUpload = ms;
    raw.push({ ms, metric: o.metric, value: o.data.value, op: o.data.tags?.op, ok: o.data.tags?.expected_response });
  }
  for (const r of raw) {
    const b = Math.floor((r.ms - first!) / 1000 / binSeconds);
    let a = acc.get(b);
    if (!a) acc.set(b, (a = { accepted: 0, bytes: 0, failed: 0, dropped: 0, requests: 0, lat: [] }));
    if (r.metric === 'girs_reports_accepted') a.accepted += r.value;
    else if (r.metric === 'girs_report_bytes') a.bytes += r.value;
    else if (r.metric === 'http_req_failed') a.failed += r.value;
    else if (r.metric === 'dropped_iterations') a.dropped += r.value;
    else if (r.metric === 'http_reqs') a.requests += r.value;
    else if (r.metric === 'http_req_duration' && r.op === 'upload' && r.ok === 'true') a.lat.push(r.value);
  }
  const last = acc.size ? Math.max(...acc.keys()) : -1;
  const bins: Bin[] = [];
  for (let b = 0; b <= last; b++) {
    const a = acc.get(b) ?? { accepted: 0, bytes: 0, failed: 0, dropped: 0, requests: 0, lat: [] };
    const s = a.lat.sort((x, y) => x - y);
    bins.push({ t: b * binSeconds, accepted: a.accepted / binSeconds, mb: a.bytes / 1e6 / binSeconds, failed: a.failed, dropped: a.dropped, requests: a.requests, p50: pct(s, 0.5), p95: pct(s, 0.95), p99: pct(s, 0.99) });
  }
  return { binSeconds, bins, firstPointMs: first, firstUploadMs: firstUpload, points };
}

/** Reports/s the chosen scenarios ask for at second t (the target line). */
export function targetAt(plan: Plan, scenarios: readonly ScenarioName[], seconds: number, t: number): number {
  let r = 0;
  for (const s of scenarios) {
    if (t >= seconds) continue;
    if (s === 'peak') r += plan.peak.targetPerSecond;
    else if (s === 'soak') r += plan.soak.targetPerSecond;
    else if (s === 'spike') {
      let start = 0;
      let from = plan.peak.rate;
      for (const st of spikeStages(plan, seconds)) {
        const d = parseDuration(st.duration);
        if (t < start + d) { r += (from + ((st.target - from) * (t - start)) / d) / plan.peak.timeUnitSeconds; break; }
        start += d;
        from = st.target;
      }
    }
  }
  return r;
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: { font: 'system-ui, sans-serif', view: { stroke: null } }, width: 560, height: 220 } as const;

export function chartSpecs(plan: Plan, scenarios: readonly ScenarioName[], seconds: number, s: Series): { id: string; title: string; spec: TopLevelSpec }[] {
  const x = { field: 't', type: 'quantitative', title: `seconds since the first request (${s.binSeconds} s bins)` } as const;
  const rate = s.bins.flatMap((b) => [{ t: b.t, v: b.accepted, series: 'accepted reports/s' }]);
  const steps = Math.max(2, Math.ceil(seconds) + 1);
  const target = Array.from({ length: steps }, (_, i) => ({ t: Math.min(i, seconds - 0.001), v: targetAt(plan, scenarios, seconds, Math.min(i, seconds - 0.001)), series: 'model target' }));
  const lat = s.bins.flatMap((b) => (['p50', 'p95', 'p99'] as const).filter((k) => b[k] !== null).map((k) => ({ t: b.t, ms: b[k], series: k })));
  const errs = s.bins.flatMap((b) => [{ t: b.t, n: b.failed, series: 'failed requests' }, { t: b.t, n: b.dropped, series: 'dropped iterations' }]);
  const mb = s.bins.map((b) => ({ t: b.t, v: b.mb }));
  const line = (values: unknown[], y: object, extra: object = {}) => ({ data: { values }, mark: { type: 'line', point: s.bins.length < 30, ...extra }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } } } });
  return [
    { id: 'rate', title: 'Accepted reports per second against the model\'s target (dashed)', spec: { ...base, layer: [
      line(rate, { field: 'v', type: 'quantitative', title: 'reports/s' }),
      { data: { values: target }, mark: { type: 'line', strokeDash: [6, 4], color: '#333', interpolate: 'step-after' }, encoding: { x, y: { field: 'v', type: 'quantitative' } } },
    ] } as TopLevelSpec },
    { id: 'latency', title: 'Upload latency of answered uploads: p50, p95, p99 (dashed: the p95 bound)', spec: { ...base, layer: [
      line(lat, { field: 'ms', type: 'quantitative', title: 'ms' }),
      { data: { values: [{ ms: plan.uploadP95Ms }] }, mark: { type: 'rule', strokeDash: [6, 4], color: '#b2182b' }, encoding: { y: { field: 'ms', type: 'quantitative' } } },
    ] } as TopLevelSpec },
    { id: 'errors', title: 'Failed requests and dropped iterations per bin', spec: { ...base, ...line(errs, { field: 'n', type: 'quantitative', title: 'count', axis: { format: 'd', tickMinStep: 1 }, scale: { domainMin: 0, domainMax: Math.max(1, ...errs.map((e) => e.n)) } }) } as TopLevelSpec },
    { id: 'mbps', title: 'MB/s of accepted reports (dashed: the model\'s target)', spec: { ...base, layer: [
      { data: { values: mb }, mark: { type: 'area', opacity: 0.6, color: '#1f77b4' }, encoding: { x, y: { field: 'v', type: 'quantitative', title: 'MB/s' } } },
      { data: { values: target.map((p) => ({ t: p.t, v: p.v * plan.reportSizeMB })) }, mark: { type: 'line', strokeDash: [6, 4], color: '#333', interpolate: 'step-after' }, encoding: { x, y: { field: 'v', type: 'quantitative' } } },
    ] } as TopLevelSpec },
  ];
}

const esc = (v: unknown) => String(v ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ReportInput {
  plan: Plan;
  scenarios: readonly ScenarioName[];
  seconds: number;
  status: string;
  checks: readonly Check[];
  facts: [string, string][];
  series: Series | null;
}

/** Self-contained HTML: inline SVG and styles, no scripts, no external URL. */
export async function loadReportHtml(r: ReportInput): Promise<string> {
  const charts = r.series && r.series.bins.length ? await Promise.all(chartSpecs(r.plan, r.scenarios, r.seconds, r.series).map(async (c) => ({ ...c, svg: await toSvg(c.spec) }))) : [];
  const ok = r.checks.length > 0 && r.checks.every((c) => c.ok);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GIRS load — Pattern ${r.plan.pattern} (${esc(r.status)})</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}header{background:#1f3a5f;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}
main{padding:12px 28px 40px;max-width:1400px}.verdict{display:inline-block;padding:6px 14px;border-radius:6px;color:#fff;font-weight:700}.pass{background:#1a9850}.fail{background:#d73027}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(640px,1fr));gap:16px}figure{background:#fff;border:1px solid #ddd;border-radius:6px;margin:0;padding:12px}figcaption{font-weight:600;margin-bottom:6px}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}th{background:#eef2f7}</style></head>
<body><header><h1>GIRS load drill — Pattern ${r.plan.pattern}: ${esc(r.scenarios.join(', '))} for ${r.seconds} s</h1></header><main>
<p><span class="verdict ${ok ? 'pass' : 'fail'}" id="verdict">${ok ? 'targets met' : esc(r.status)}</span></p>
<h2>Targets</h2><table id="checks"><tr><th>check</th><th>target</th><th>achieved</th><th>ok</th></tr>
${r.checks.map((c) => `<tr class="${c.ok ? 'pass-row' : 'fail-row'}"><td>${esc(c.name)}</td><td>${esc(c.target)}</td><td>${esc(c.achieved)}</td><td>${c.ok ? 'yes' : 'NO'}</td></tr>`).join('\n')}
</table>
<h2>Run</h2><table id="facts">${r.facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<h2>Over time</h2>${charts.length ? `<div class="grid">${charts.map((c) => `<figure class="chart" id="chart-${c.id}"><figcaption>${esc(c.title)}</figcaption>${c.svg}</figure>`).join('\n')}</div>` : '<p class="note" id="no-data">k6 left no time series: nothing was measured.</p>'}
</main></body></html>
`;
}
