// The index page of `coc report --all`: a link to every site's and option's report, and the
// sites with several options (OOG: option 1 and option 2) compared side by side, every
// check's verdict next to each other with the differences highlighted. Self-contained like
// the reports: inline CSS, no scripts; "differences only" is a CSS :target filter.
import type { AuditResult } from './audit.ts';
import { badge, checkAnchor, CSS, provenanceHtml } from './html.ts';
import type { Provenance } from './provenance.ts';
import { esc } from './report-sizing.ts';
import { COUNT_KEYS, type Status } from './types.ts';

export interface IndexEntry { result: AuditResult; href: string }

const INDEX_CSS = `td.tally-cell{white-space:nowrap}
#differences:target~table.compare tbody tr.same{display:none}
tr.differs td,tr.differs th{background:#fff3cc}tr.differs td.diffcell{font-weight:700}
.diffmark{font-weight:700;color:#5c3d00;white-space:nowrap}`;

const tally = (r: AuditResult) => {
  const n = (s: Status) => r.checks.filter((c) => c.status === s).length;
  return (["pass", "warn", "fail"] as const).map((s) => `<span class="nw">${n(s)} ${badge(s)}</span>`).join(" ");
};

/** Rows of the side-by-side comparison: one per check id of any option, in first-seen order. */
export function compareRows(entries: IndexEntry[]): { id: string; title: string; cells: (Status | null)[]; differs: boolean }[] {
  const ids: string[] = [];
  for (const e of entries) for (const c of e.result.checks) if (!ids.includes(c.id)) ids.push(c.id);
  return ids.map((id) => {
    const cells = entries.map((e) => e.result.checks.find((c) => c.id === id)?.status ?? null);
    const title = entries.map((e) => e.result.checks.find((c) => c.id === id)?.title).find(Boolean) ?? id;
    return { id, title, cells, differs: new Set(cells).size > 1 };
  });
}

function compareHtml(site: string, entries: IndexEntry[]): string {
  const rows = compareRows(entries);
  const diffs = rows.filter((r) => r.differs).length;
  const head = entries.map((e) => `<th scope="col"><a href="${esc(e.href)}">${esc(e.result.optionTitle)}</a></th>`).join('');
  const body = rows.map((row) => `<tr class="${row.differs ? 'differs' : 'same'}" id="cmp-${esc(site)}-${esc(row.id)}"><th scope="row">${esc(row.title)}<br><code>${esc(row.id)}</code></th>${row.cells.map((s, i) => `<td class="${row.differs ? 'diffcell' : ''}">${s ? `<a href="${esc(entries[i]!.href)}#${esc(checkAnchor(row.id))}">${badge(s)}</a>` : '<span class="note">no such check</span>'}</td>`).join('')}<td>${row.differs ? '<span class="diffmark">≠ differs</span>' : '= same'}</td></tr>`).join('');
  return `<p>${rows.length} checks; ${diffs} differ between the options (highlighted, marked ≠).</p>
<span id="differences" class="flt"></span><nav class="filter">Show: <a href="#compare-${esc(site)}">all ${rows.length}</a> <a href="#differences">only the ${diffs} that differ</a></nav>
<table class="compare"><thead><tr><th scope="col">Check</th>${head}<th scope="col">Difference</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Table 34's counts of each option next to each other: the bill's count, Table 34's, marked where they differ. */
function countsHtml(entries: IndexEntry[]): string {
  const head = entries.map((e) => `<th scope="col" class="num">${esc(e.result.optionTitle)}: bill / Table 34</th>`).join('');
  const body = COUNT_KEYS.map((k) => `<tr><th scope="row">${esc(k)}</th>${entries.map((e) => {
    const bill = e.result.summary[k];
    const pub = e.result.published[k];
    const differs = pub !== null && bill !== pub;
    return `<td class="num${differs ? ' differs' : ''}">${bill ?? '—'} / ${pub ?? '—'}${differs ? ' <b class="mark">≠</b>' : ''}</td>`;
  }).join('')}</tr>`).join('');
  return `<h3>Table 34 counts</h3><table class="counts"><thead><tr><th scope="col">Count</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function renderIndex(entries: IndexEntry[], provenance: Provenance): string {
  const list = entries.map((e) => `<tr><th scope="row"><a href="${esc(e.href)}">${esc(e.result.title)}</a></th><td>${esc(e.result.optionTitle)}</td><td class="tally-cell">${tally(e.result)}</td><td>${e.result.uncovered.length}</td><td>${e.result.checks.some((c) => c.status === 'fail') ? '1 (a check fails)' : '0'}</td></tr>`).join('');
  const bySite = new Map<string, IndexEntry[]>();
  for (const e of entries) bySite.set(e.result.site, [...(bySite.get(e.result.site) ?? []), e]);
  const compares = [...bySite.entries()].filter(([, es]) => es.length > 1)
    .map(([site, es]) => `<section id="compare-${esc(site)}" data-section="compare"><h2>${esc(es[0]!.result.title)}: options side by side</h2>${compareHtml(site, es)}${countsHtml(es)}</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Bill-of-materials audit: every site and option</title><style>${CSS}\n${INDEX_CSS}</style></head>
<body><header><h1>Bill-of-materials audit: every site and option</h1><p>One report per site and deployment option; the options of a site compared check by check.</p>${provenanceHtml(provenance)}</header><main>
<section id="reports" data-section="reports"><h2>Reports</h2><table><thead><tr><th scope="col">Site</th><th scope="col">Option</th><th scope="col">Checks</th><th scope="col">Requirements no check covers</th><th scope="col">Exit code of <code>coc bill</code></th></tr></thead><tbody>${list}</tbody></table></section>
${compares}
</main></body></html>
`;
}
