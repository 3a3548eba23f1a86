// The self-contained HTML audit report of one site and option: every chart an inline SVG,
// styles inline, no scripts and no external URL, so it reads the same offline, printed or
// online. Sections in the order a reviewer works: summary of verdicts, the sizing model's
// results, capacity charts, checks (filterable by status with CSS :target, no JS), Table 34,
// requirements, bill, rack elevations.
import type { SiteView } from '../inventory/index.ts';
import type { AuditResult, SizingInput } from './audit.ts';
import { figuresText } from './bill.ts';
import { buildCharts, rackSvg, type Chart } from './charts.ts';
import { STATUS_STYLE } from './palette.ts';
import type { Provenance } from './provenance.ts';
import { esc, girsSizingHtml, odbSizingHtml } from './report-sizing.ts';
import { COUNT_KEYS, type Status } from './types.ts';
import { headline } from './wording.ts';

/** The sections of a report, in order; ids are the anchors. */
export const SECTIONS = [
  ['summary', 'Summary of verdicts'],
  ['sizing', 'Sizing model'],
  ['charts', 'Capacity charts'],
  ['checks', 'Checks'],
  ['table34', 'Table 34 counts'],
  ['requirements', 'Requirements'],
  ['bill', 'Bill of materials'],
  ['racks', 'Rack elevations'],
] as const;

export const badge = (s: Status | 'uncovered') => `<span class="badge s-${s}">${STATUS_STYLE[s].glyph} ${STATUS_STYLE[s].word}</span>`;
export const checkAnchor = (id: string) => `check-${id}`;

export const CSS = `:root{--pass:${STATUS_STYLE.pass.colour};--warn:${STATUS_STYLE.warn.colour};--fail:${STATUS_STYLE.fail.colour};--ink:#1a1a1a;--head:#1f3a5f}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0;color:var(--ink);background:#fafafa}
header{background:var(--head);color:#fff;padding:18px 28px}header h1{margin:0;font-size:24px}header p{margin:4px 0 0}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:10px 0 0;font-size:13px}dl.prov dt{opacity:.8}dl.prov dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
nav.toc{padding:8px 28px;background:#e9eef5;border-bottom:1px solid #c9d3e0;position:sticky;top:0;z-index:2}nav.toc a{margin-right:14px;color:#123;font-weight:600}
main{padding:8px 28px 40px;max-width:1500px}section{margin-top:8px}h2{margin:28px 0 10px;font-size:20px;border-bottom:2px solid var(--head);padding-bottom:4px}h3{font-size:17px;margin:20px 0 8px}h4{margin:14px 0 4px}
a{color:#0b4f8a}.badge{display:inline-block;padding:1px 7px;border-radius:4px;font-weight:700;font-size:13px;white-space:nowrap;border:2px solid}
.s-pass{background:#d9f2e9;border-color:var(--pass);color:#00513a}.s-warn{background:#fcebc4;border-color:var(--warn);color:#5c3d00}.s-fail{background:#f9d9c7;border-color:var(--fail);color:#7a2900}.s-uncovered{background:#eee;border-color:#777;color:#333}
.tally{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}.tally a{text-decoration:none;font-size:16px}.tally .badge{font-size:16px;padding:6px 14px}
.verdict{font-size:17px;font-weight:600}.callout{background:#fff;border-left:5px solid var(--head);padding:8px 12px}.fail-text{border-left-color:var(--fail)}
ul.attention li{margin:3px 0}.nw{white-space:nowrap;margin-right:6px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(700px,1fr));gap:16px}
figure.chart{background:#fff;border:1px solid #ccc;border-radius:6px;margin:0;padding:12px;overflow-x:auto}figure.chart figcaption{font-weight:700;margin-bottom:6px;font-size:16px}
figure.chart svg{max-width:100%;height:auto}figure.chart p.legend{font-size:13px;color:#333;margin:6px 0 0}ul.facts{margin:6px 0 0;padding-left:20px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}thead th{background:#e9eef5}tbody th{font-weight:600;background:#fbfcfe}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.differs{background:#f9d9c7;outline:2px solid var(--fail)}.mark{color:#7a2900}a.dispute{font-size:12px;color:#5c3d00;white-space:nowrap}
.scroll{overflow-x:auto}ol.findings li{margin:4px 0}.finding .sev{font-weight:700;font-size:12px;border:1px solid #999;border-radius:3px;padding:0 4px;white-space:nowrap}.finding.warning .sev{border-color:var(--warn);background:#fcebc4}
.kind{white-space:nowrap}table.ledger td:last-child{width:40%}table.ledger td.num{white-space:nowrap}table.ledger td.txt{white-space:normal;text-align:left;min-width:7em}tr.kind-project .kind{font-weight:700}
td.st{width:92px;text-align:center}ul.ev{margin:0;padding-left:16px}.note{color:#555;font-style:italic}code{font-size:13px}
.filter{margin:6px 0 10px}.filter a{margin-right:10px;text-decoration:none}.filter a .badge{font-size:13px}.flt{scroll-margin-top:60px}
#checks-fail:target~table.checks tbody tr:not(.row-fail),#checks-warn:target~table.checks tbody tr:not(.row-warn),#checks-pass:target~table.checks tbody tr:not(.row-pass),#checks-attention:target~table.checks tbody tr.row-pass{display:none}
#checks-fail:target~.filter a[href="#checks-fail"],#checks-warn:target~.filter a[href="#checks-warn"],#checks-pass:target~.filter a[href="#checks-pass"],#checks-attention:target~.filter a[href="#checks-attention"]{outline:3px solid var(--head);outline-offset:2px}
.filter .shown{display:none;font-weight:600}#checks-fail:target~.filter .shown.f-fail,#checks-warn:target~.filter .shown.f-warn,#checks-pass:target~.filter .shown.f-pass,#checks-attention:target~.filter .shown.f-attention{display:inline}
tr:target td,tr:target th{background:#fff6cc}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{background:#fff;font-size:11pt}header{background:#fff;color:#000;border-bottom:3px solid #000;padding:0 0 8px}
 nav.toc,.filter,.no-print{display:none}main{padding:0;max-width:none}
 table.checks tbody tr{display:table-row!important}
 h2{break-after:avoid}h3,h4{break-after:avoid}#charts,#checks,#racks,#bill{break-before:page}
 figure.chart,li,table.t19 tr,table.checks tr{break-inside:avoid}figure.chart svg{display:block;max-height:135mm;max-width:100%;width:auto;height:auto}figure.chart{border:1px solid #999;overflow:visible}.grid{display:block}.grid>figure{margin-bottom:10px}
 .scroll{overflow:visible}a{color:inherit;text-decoration:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;

export interface ReportInput {
  result: AuditResult;
  view: SiteView;
  sizing: SizingInput;
  charts: Chart[];
  provenance: Provenance;
  /** Link back to the --all index, when there is one. */
  indexHref?: string;
}

/** Build charts and render: the one call the CLI and the tests make. */
export async function renderReport(r: AuditResult, view: SiteView, sizing: SizingInput, provenance: Provenance, indexHref?: string): Promise<string> {
  return renderHtml({ result: r, view, sizing, charts: await buildCharts(view, sizing), provenance, ...(indexHref ? { indexHref } : {}) });
}

export function provenanceHtml(p: Provenance): string {
  return `<dl class="prov"><dt>Generated at</dt><dd>${esc(p.generatedAt)}</dd><dt>Commit</dt><dd>${esc(p.commit)}</dd><dt>Inventory (sha256)</dt><dd>${esc(p.inventoryHash)}</dd><dt>Tool</dt><dd>${esc(p.toolVersion)}</dd></dl>`;
}

function summaryHtml(r: AuditResult): string {
  const n = (s: Status) => r.checks.filter((c) => c.status === s).length;
  const fails = r.checks.filter((c) => c.status === 'fail');
  const warns = r.checks.filter((c) => c.status === 'warn');
  const verdict = fails.length
    ? `✗ ${fails.length} of ${r.checks.length} checks fail: this bill does not meet every requirement as it stands (exit code 1).`
    : `✓ No check fails (exit code 0)${warns.length ? `; ${warns.length} warning(s) need a reviewer's attention` : ''}.`;
  const list = (cs: typeof fails) => cs.map((c) => `<li>${badge(c.status)} <a href="#${esc(checkAnchor(c.id))}">${esc(c.title)}</a> <code>${esc(c.id)}</code>: ${esc(headline(c))}</li>`).join('');
  return `<p class="verdict">${esc(verdict)}</p>
<div class="tally"><a href="#checks-pass">${badge('pass')}&nbsp;${n('pass')} pass</a><a href="#checks-warn">${badge('warn')}&nbsp;${n('warn')} warn</a><a href="#checks-fail">${badge('fail')}&nbsp;${n('fail')} fail</a><a href="#requirements-uncovered">${badge('uncovered')}&nbsp;${r.uncovered.length} requirement(s) no check covers</a></div>
${fails.length ? `<h3>Failing checks</h3><ul class="attention">${list(fails)}</ul>` : ''}
${warns.length ? `<h3>Warnings</h3><ul class="attention">${list(warns)}</ul>` : ''}`;
}

function chartsHtml(charts: Chart[]): string {
  return `<div class="grid">${charts.map((c) => `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}"><figcaption>${esc(c.title)}</figcaption>${c.svg ?? `<p class="note">${esc(c.note ?? 'not available')}</p>`}${c.legend ? `<p class="legend">${esc(c.legend)}</p>` : ''}${c.facts?.length ? `<ul class="facts">${c.facts.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : ''}</figure>`).join('\n')}</div>`;
}

function checksHtml(r: AuditResult): string {
  const n = (s: Status) => r.checks.filter((c) => c.status === s).length;
  const rows = r.checks.map((c) => `<tr id="${esc(checkAnchor(c.id))}" class="row-${c.status}" data-status="${c.status}"><td class="st">${badge(c.status)}</td><td><b>${esc(c.title)}</b><br><a href="#${esc(checkAnchor(c.id))}"><code>${esc(c.id)}</code></a> · <a href="#req-${esc(c.requirement)}">${esc(c.requirement)}</a></td><td><ul class="ev">${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>${c.lines.length ? `<small>lines: ${esc(c.lines.join(', '))}</small>` : ''}</td></tr>`).join('');
  return `<span class="flt" id="checks-fail"></span><span class="flt" id="checks-warn"></span><span class="flt" id="checks-pass"></span><span class="flt" id="checks-attention"></span>
<nav class="filter" aria-label="Filter checks by status">Show: <a href="#checks">all ${r.checks.length}</a> <a href="#checks-attention">${badge('warn')}+${badge('fail')} only (${n('warn') + n('fail')})</a> <a href="#checks-fail">${badge('fail')} only (${n('fail')})</a> <a href="#checks-warn">${badge('warn')} only (${n('warn')})</a> <a href="#checks-pass">${badge('pass')} only (${n('pass')})</a>
<span class="shown f-fail">· showing FAIL only</span><span class="shown f-warn">· showing WARN only</span><span class="shown f-pass">· showing PASS only</span><span class="shown f-attention">· showing WARN and FAIL only</span></nav>
<table class="checks"><thead><tr><th scope="col">Status</th><th scope="col">Check</th><th scope="col">Evidence</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function table34Html(r: AuditResult): string {
  const rows = COUNT_KEYS.map((k) => {
    const v = r.counting.verdicts.find((x) => x.key === k)!;
    const pub = r.published[k];
    const differs = pub !== null && r.summary[k] !== pub;
    return `<tr><th scope="row">${esc(k)}</th><td class="num${differs ? ' differs' : ''}">${r.summary[k] ?? '—'}${differs ? ' <b class="mark">≠</b>' : ''}</td><td class="num">${pub ?? '—'}</td><td>${esc(v.explanation)}</td></tr>`;
  }).join('');
  return `<table><thead><tr><th scope="col">Count</th><th scope="col" class="num">Bill</th><th scope="col" class="num">Table 34</th><th scope="col">How</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function requirementsHtml(r: AuditResult): string {
  const rows = r.requirements.map((q) => `<tr id="req-${esc(q.id)}"><td class="st">${badge(q.status)}</td><td><code>${esc(q.id)}</code></td><td>${esc(q.ref)}</td><td>${esc(q.quote)}</td><td>${q.checks.length ? q.checks.map((c) => `<a href="#${esc(checkAnchor(c))}">${esc(c)}</a>`).join(', ') : esc(q.gap ?? '')}</td></tr>`).join('');
  const unc = r.requirements.filter((q) => q.status === 'uncovered');
  return `<p id="requirements-uncovered">${unc.length} requirement(s) no check covers: ${unc.map((q) => `<a href="#req-${esc(q.id)}"><code>${esc(q.id)}</code></a>`).join(', ') || 'none'}.</p>
<table><thead><tr><th scope="col">Status</th><th scope="col">ID</th><th scope="col">Reference</th><th scope="col">Quote</th><th scope="col">Checks / gap</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function billHtml(r: AuditResult): string {
  const rows = r.lines.map((l) => `<tr><td>${esc(l.source)}</td><td>${esc(l.item)}</td><td class="num">${l.qty}</td><td>${esc(l.kind === 'middleware' ? `${l.product ?? ''} (our product choice)` : figuresText(l.perUnit))}</td><td>${esc(l.kind === 'middleware' ? '' : figuresText(l.total))}</td><td>${esc(l.specs ?? '')}</td><td>${esc(l.units.join(', '))}</td></tr>`).join('');
  return `<table><thead><tr><th scope="col">Source</th><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col">Per unit / product</th><th scope="col">Total</th><th scope="col">Specs</th><th scope="col">Units</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function racksHtml(view: SiteView): string {
  return `<figure class="chart" id="chart-racks" data-chart="racks"><figcaption>Rack elevations (U1 at the bottom; RU and power per device class are our assumptions, the report states neither)</figcaption>${rackSvg(view)}<p class="legend">Each device is labelled with its name; the colour key is under the racks. A rack outlined in a dashed heavy line has a placement problem, written under it.</p></figure>`;
}

export function renderHtml(input: ReportInput): string {
  const { result: r, view, sizing, charts, provenance } = input;
  const results = 'results' in sizing ? sizing.results : [];
  const sizingBody = !results.length
    ? `<p class="note">${esc('error' in sizing ? `sizing model unavailable: ${sizing.error}` : 'no sizing results')}</p>`
    : view.site === 'oog' ? girsSizingHtml(results) : odbSizingHtml(results);
  const body: Record<(typeof SECTIONS)[number][0], string> = {
    summary: summaryHtml(r), sizing: sizingBody, charts: chartsHtml(charts), checks: checksHtml(r),
    table34: table34Html(r), requirements: requirementsHtml(r), bill: billHtml(r), racks: racksHtml(view),
  };
  const sections = SECTIONS.map(([id, title]) => `<section id="${id}" data-section="${id}"><h2>${esc(title)}</h2>${body[id]}</section>`).join('\n');
  const toc = SECTIONS.map(([id, title]) => `<a href="#${id}">${esc(title)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`Audit: ${r.title} — ${r.optionTitle}`)}</title><style>${CSS}</style></head>
<body><header><h1>Bill-of-materials audit — ${esc(r.title)}</h1><p>${esc(r.optionTitle)}</p>${provenanceHtml(provenance)}</header>
<nav class="toc" aria-label="Contents">${input.indexHref ? `<a href="${esc(input.indexHref)}">⇦ All sites and options</a>` : ''}${toc}</nav><main>
${sections}
</main></body></html>
`;
}
