// The audit of one site and option: bill lines, Table 34 counts, every check, and the
// requirements nothing checks. Pure apart from loading the sizing model.
import { siteView, type Inventory, type SiteView } from '../inventory/index.ts';
import type { PatternResult } from '../sizing/index.ts';
import { billLines } from './bill.ts';
import { availabilityChecks } from './checks/availability.ts';
import { bomChecks } from './checks/bom.ts';
import { worst, type AuditContext } from './checks/context.ts';
import { functionChecks } from './checks/functions.ts';
import { performanceChecks } from './checks/performance.ts';
import { physicalChecks } from './checks/physical.ts';
import { securityChecks } from './checks/security.ts';
import { publishedCounts, ruleMatrix, summaryCounts, verdicts, type KeyVerdict, type RuleRow } from './counts.ts';
import { requirementsFor, type Requirement } from './requirements.ts';
import type { BillLine, CheckResult, Counts, Status } from './types.ts';

export interface RequirementStatus extends Requirement { status: Status | 'uncovered' }

export interface AuditResult {
  site: string;
  option: string | null;
  title: string;
  optionTitle: string;
  lines: BillLine[];
  summary: Counts;
  published: Counts;
  counting: { rules: RuleRow[]; verdicts: KeyVerdict[] };
  checks: CheckResult[];
  uncovered: string[];
  requirements: RequirementStatus[];
}

export type SizingInput = AuditContext['sizing'];

/** Patterns 1–3 from the sizing model, or the reason it could not run (it must not stop the bill). */
export async function loadSizing(): Promise<SizingInput> {
  try {
    const { computePattern, loadSizingData, PATTERNS } = await import('../sizing/index.ts');
    const data = loadSizingData();
    return { results: PATTERNS.map((p) => computePattern(data, p)) as PatternResult[] };
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
}

/** Every option view of the site, and the chosen one. */
export function viewsOf(inv: Inventory, site: string, option?: string): { view: SiteView; views: SiteView[] } {
  const view = siteView(inv, site, option);
  const opts = Object.keys(inv.sites[site]!.options);
  const views = opts.map((o) => (o === (view.option ?? opts[0]) ? view : siteView(inv, site, o)));
  return { view, views };
}

export function expectedRowsOf(inv: Inventory, view: SiteView): AuditContext['expectedRows'] {
  return view.tables.map((t) => ({ table: t, rows: inv.tables.tables.find((x) => x.table === t)?.rows ?? [] }));
}

export function runAudit(ctx: Omit<AuditContext, 'lines'> & { lines?: BillLine[] }): AuditResult {
  const { view } = ctx;
  const full: AuditContext = { ...ctx, lines: ctx.lines ?? billLines(view) };
  const checks = [
    ...bomChecks(full), ...functionChecks(full), ...performanceChecks(full),
    ...availabilityChecks(full), ...securityChecks(full), ...physicalChecks(full),
  ];
  const reqs = requirementsFor(view.site).map((r): RequirementStatus => {
    const mine = checks.filter((c) => c.requirement === r.id);
    return { ...r, checks: mine.map((c) => c.id), status: mine.length ? worst(mine.map((c) => c.status)) : 'uncovered' };
  });
  const rules = ruleMatrix(ctx.views);
  return {
    site: view.site, option: view.option, title: view.title, optionTitle: view.optionTitle,
    lines: full.lines, summary: summaryCounts(view), published: publishedCounts(view),
    counting: { rules, verdicts: verdicts(view, rules) },
    checks, uncovered: reqs.filter((r) => r.status === 'uncovered').map((r) => r.id), requirements: reqs,
  };
}

/** 0 when no check fails, 1 when any does: a pipeline gates on it. */
export function exitCode(result: AuditResult): number {
  return result.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** The stable JSON contract of `coc bill --json`. */
export function toJson(r: AuditResult) {
  return {
    site: r.site, option: r.option,
    lines: r.lines.map((l) => ({ item: l.item, qty: l.qty, source: l.source, kind: l.kind, role: l.role, basis: l.basis, perUnit: l.perUnit, total: l.total, specs: l.specs, product: l.product, units: l.units, note: l.note })),
    summary: r.summary, published: r.published,
    counting: r.counting,
    checks: r.checks.map((c) => ({ id: c.id, requirement: c.requirement, title: c.title, status: c.status, evidence: c.evidence, lines: c.lines, figures: c.figures })),
    uncovered: r.uncovered,
    requirements: r.requirements.map((q) => ({ id: q.id, ref: q.ref, quote: q.quote, checks: q.checks, status: q.status, ...(q.gap ? { gap: q.gap } : {}) })),
  };
}
