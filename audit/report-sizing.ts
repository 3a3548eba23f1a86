// The sizing model's results as report sections, read from sizing's public face (the same
// PatternResult that `coc sizing --json` prints): Table 19 published vs model with the
// differing cells marked, the findings where Table 19 contradicts the survey's own text,
// and the assumption ledger. At CCOP only the ODB figures appear: Table 19 is GIRS's.
import { FIGURE_KEYS, FIGURE_LABELS, formatReport, type Assumption, type Figures, type Finding, type PatternResult } from '../sizing/index.ts';
import { fx } from './checks/performance.ts';

export const esc = (s: unknown) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');


const findingId = (p: number, i: number) => `finding-p${p}-${i + 1}`;

function value(v: number | string): string {
  return typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : v;
}

/** Table 19 in its own shape: for each pattern, the published figure and the model's; a model cell that differs is marked, and a figure a finding disputes links to it. */
export function table19Html(results: PatternResult[]): string {
  const head = results.map((r) => `<th scope="col" class="num">P${r.pattern} published</th><th scope="col" class="num">P${r.pattern} model</th>`).join('');
  let differing = 0;
  const rows = FIGURE_KEYS.map((k) => {
    const cells = results.map((r) => {
      const same = r.figures[k] === r.published[k];
      if (!same) differing++;
      const disputes = r.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.figure === k && f.consistent !== undefined);
      const marks = disputes.map(({ f, i }) => `<a class="dispute" href="#${findingId(r.pattern, i)}" title="${esc(f.message)}">‡ text gives ${esc(formatReport(k, f.consistent!))}</a>`).join('<br>');
      return `<td class="num">${esc(formatReport(k, r.published[k]))}</td><td class="num${same ? '' : ' differs'}">${esc(formatReport(k, r.figures[k]))}${same ? '' : ' <b class="mark">≠ differs</b>'}${marks ? `<br>${marks}` : ''}</td>`;
    }).join('');
    return `<tr><th scope="row">${esc(FIGURE_LABELS[k])}</th>${cells}</tr>`;
  }).join('');
  const verdict = differing
    ? `<p class="callout fail-text"><b>✗ ${differing} model figure(s) differ from Table 19</b> (marked ≠).</p>`
    : `<p class="callout">✓ With the assumptions below, every model figure equals Table 19's (no cell differs). Figures marked ‡ are disputed by a finding: the survey's own text gives the value shown.</p>`;
  return `${verdict}<div class="scroll"><table class="t19"><thead><tr><th scope="col">Estimation item</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function findingsHtml(results: PatternResult[]): string {
  return results.map((r) => {
    const items = r.findings.map((f: Finding, i) => `<li id="${findingId(r.pattern, i)}" class="finding ${f.severity}"><span class="sev">${f.severity === 'warning' ? '! warning' : 'i info'}</span> ${esc(f.message)}${f.published !== undefined && f.consistent !== undefined && f.figure ? ` <span class="pc">(Table 19: ${esc(formatReport(f.figure, f.published))}; consistent: ${esc(formatReport(f.figure, f.consistent))})</span>` : ''}</li>`).join('');
    return `<h4>Pattern ${r.pattern}: ${esc(r.title)}</h4><ol class="findings">${items}</ol>`;
  }).join('');
}

interface LedgerRow { name: string; unit: string; values: (number | string | null)[]; kinds: (Assumption['kind'] | null)[]; sources: (string | null)[] }

/** One row per assumption name, a value column per pattern. */
export function ledgerRows(results: PatternResult[], keep: (a: Assumption) => boolean): LedgerRow[] {
  const rows = new Map<string, LedgerRow>();
  results.forEach((r, i) => {
    for (const a of r.assumptions.filter(keep)) {
      const row = rows.get(a.name) ?? { name: a.name, unit: a.unit, values: results.map(() => null), kinds: results.map(() => null), sources: results.map(() => null) };
      row.values[i] = a.value;
      row.kinds[i] = a.kind;
      row.sources[i] = a.source;
      rows.set(a.name, row);
    }
  });
  return [...rows.values()];
}

const KIND_TEXT: Record<Assumption['kind'], string> = { stated: 'stated by the report', inferred: 'inferred from Table 19', project: 'ours (project)' };

/** Distinct texts with the patterns they belong to ("P2: …") where the patterns differ. */
function grouped<T extends string>(xs: (T | null)[], results: PatternResult[], show: (x: T) => string): string {
  const distinct = [...new Set(xs.filter((x): x is T => x !== null))];
  if (distinct.length <= 1) return distinct.map(show).join('');
  return distinct.map((d) => `<b>${xs.map((x, i) => (x === d ? `P${results[i]!.pattern}` : null)).filter(Boolean).join(', ')}:</b> ${show(d)}`).join('<br>');
}

export function ledgerHtml(results: PatternResult[], keep: (a: Assumption) => boolean, perPattern: boolean): string {
  const rows = ledgerRows(results, keep);
  const head = perPattern ? results.map((r) => `<th scope="col" class="num">P${r.pattern}</th>`).join('') : '<th scope="col" class="num">Value</th>';
  const body = rows.map((row) => {
    const vals = perPattern ? row.values.map((v) => `<td class="num${typeof v === 'string' ? ' txt' : ''}">${v === null ? '—' : esc(value(v))}</td>`).join('') : `<td class="num">${esc(value(row.values.find((v) => v !== null) ?? '—'))}</td>`;
    const kinds = row.kinds.filter((k): k is Assumption['kind'] => k !== null);
    return `<tr class="kind-${kinds.includes('project') ? 'project' : kinds[0]}"><th scope="row"><code>${esc(row.name)}</code></th>${vals}<td>${esc(row.unit)}</td><td class="kind">${grouped(row.kinds, results, (k) => esc(KIND_TEXT[k]))}</td><td>${grouped(row.sources, results, esc)}</td></tr>`;
  }).join('');
  const n = (k: Assumption['kind']) => rows.filter((r) => r.kinds.includes(k)).length;
  return `<p>${rows.length} assumptions: ${n('stated')} stated by the report, ${n('inferred')} inferred from its published figures, ${n('project')} ours, each with its reason (a row whose kind differs by pattern counts under each).</p><div class="scroll"><table class="ledger"><thead><tr><th scope="col">Assumption</th>${head}<th scope="col">Unit</th><th scope="col">Kind</th><th scope="col">Source / reason</th></tr></thead><tbody>${body}</tbody></table></div>`;
}

const isOdb = (a: Assumption) => a.name.startsWith('odb.');

/** The sizing section of a GIRS (OOG) report. */
export function girsSizingHtml(results: PatternResult[]): string {
  return `<h3 id="table19">Table 19 reproduced from Table 18: published vs model</h3>${table19Html(results)}
<h3 id="findings">Findings: where Table 19 contradicts the survey's own text</h3>${findingsHtml(results)}
<h3 id="assumptions">Assumption ledger</h3>${ledgerHtml(results, (a) => !isOdb(a), true)}`;
}

/** The sizing section of the ODB (CCOP) report: ODB figures only. */
export function odbSizingHtml(results: PatternResult[]): string {
  const odb = results[0]!.capacity.odb;
  const rec = odb.records.map((r) => `<tr><th scope="row">${esc(r.name)}</th><td class="num">${esc(fx(r.count))}</td><td class="num">${esc(fx(r.recordKB))}</td><td class="num">${esc(fx(r.GB))}</td></tr>`).join('');
  const full = odb.monthsUntilFull === null ? 'never full' : `full in ${fx(odb.monthsUntilFull)} months`;
  return `<h3 id="odb">ODB capacity (§4.5.1, Table 40)</h3>
<div class="scroll"><table class="odb"><thead><tr><th scope="col">Records</th><th scope="col" class="num">Count</th><th scope="col" class="num">KB per record</th><th scope="col" class="num">GB</th></tr></thead><tbody>${rec}
<tr class="total"><th scope="row">Total stored</th><td></td><td></td><td class="num">${esc(fx(odb.totalGB))}</td></tr></tbody></table></div>
<ul class="facts"><li>Storage: ${esc(fx(odb.totalGB / 1000, 2))} TB of ${esc(fx(odb.effectiveTB))} TB (${esc(odb.storageSource)}), growing ${esc(fx(odb.growthGBPerYear))} GB/year → ${esc(full)}</li>
<li>Users: ${esc(fx(odb.users))}; concurrent sessions at peak: ${esc(fx(odb.concurrentSessions))}</li></ul>
<p class="note">Table 19 and its findings concern GIRS at OOG and are in the OOG reports.</p>
<h3 id="assumptions">Assumption ledger (ODB)</h3>${ledgerHtml(results, isOdb, false)}`;
}
