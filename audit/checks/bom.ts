// The bill against its own tables: every row present once, units as many as the quantity,
// and counts in the shape of Table 34.
import { ruleMatrix, summaryCounts, publishedCounts, verdicts } from '../counts.ts';
import { COUNT_KEYS, type CheckResult } from '../types.ts';
import { check, type AuditContext } from './context.ts';

export function bomChecks(ctx: AuditContext): CheckResult[] {
  const out = [rowsCheck(ctx)];
  if (ctx.view.site === 'oog') out.push(table34Check(ctx));
  return out;
}

function rowsCheck({ lines, expectedRows }: AuditContext): CheckResult {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const l of lines) seen.set(l.source, (seen.get(l.source) ?? 0) + 1);
  for (const [src, n] of seen) if (n > 1) problems.push(`${src} appears ${n} times`);
  const expected = expectedRows.flatMap((t) => t.rows.map((r) => `${t.table} #${r}`));
  for (const src of expected) if (!seen.has(src)) problems.push(`${src} is missing from the bill`);
  for (const src of seen.keys()) if (!expected.includes(src)) problems.push(`${src} is not a row of ${expectedRows.map((t) => t.table).join('/')}`);
  for (const l of lines) {
    if (l.kind !== 'middleware' && l.units.length !== l.qty) problems.push(`${l.source} ${l.item}: quantity ${l.qty} but ${l.units.length} named unit(s)`);
  }
  const hw = lines.filter((l) => l.kind === 'hardware');
  return check('bom.rows', 'BOM-TRACE', 'Every table row is in the bill once, with as many units as its quantity',
    problems.length ? 'fail' : 'pass',
    problems.length ? problems : [`${expected.length} table rows traced: ${hw.length} hardware (${hw.reduce((a, l) => a + l.qty, 0)} units), ${lines.filter((l) => l.kind === 'vm').length} virtual-server rows, ${lines.filter((l) => l.kind === 'middleware').length} middleware rows`],
    problems.length ? [] : expected, { rows: expected.length, problems: problems.length });
}

function table34Check(ctx: AuditContext): CheckResult {
  const summary = summaryCounts(ctx.view);
  const published = publishedCounts(ctx.view);
  const matrix = ruleMatrix(ctx.views);
  const me = ctx.view.option ?? ctx.view.site;
  const evidence: string[] = [];
  let status: 'pass' | 'warn' | 'fail' = 'pass';
  for (const v of verdicts(ctx.view, matrix)) {
    const p = published[v.key];
    const s = summary[v.key];
    if (p === null) continue;
    if (s === p) {
      evidence.push(`${v.key}: ${s} = Table 34 ${p}${v.oneRule ? '' : ` (but ${v.explanation})`}`);
      if (!v.oneRule) status = status === 'fail' ? 'fail' : 'warn';
      continue;
    }
    // Another rule giving this option's number turns a mismatch into an explained difference.
    const alt = matrix.filter((r) => r.key === v.key && r.options.find((o) => o.option === me)?.count === p);
    if (alt.length) {
      status = status === 'fail' ? 'fail' : 'warn';
      evidence.push(`${v.key}: ${s} ≠ Table 34 ${p}; ${alt.map((r) => `"${r.description}"`).join(' or ')} gives ${p}; ${v.explanation}`);
    } else {
      status = 'fail';
      evidence.push(`${v.key}: ${s} ≠ Table 34 ${p} and no counting rule gives ${p}`);
    }
  }
  const figures: CheckResult['figures'] = {};
  for (const k of COUNT_KEYS) { figures[k] = summary[k]; figures[`published.${k}`] = published[k]; }
  return check('bom.table34', 'BOM-TABLE34', 'Counts reproduce Table 34', status, evidence, ctx.view.table34 ? [ctx.view.table34.source] : [], figures);
}
