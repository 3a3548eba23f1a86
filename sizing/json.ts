// The stable JSON contract of `coc sizing --json`, kept apart from the table renderer so
// --json does not load cli-table3.
import type { PatternResult } from './types.ts';

/** The stable JSON contract (one object per pattern). */
export function toJson(r: PatternResult): unknown {
  return {
    pattern: r.pattern,
    title: r.title,
    figures: r.figures,
    exact: r.exact,
    published: r.published,
    assumptions: r.assumptions.map(({ name, value, unit, source, kind }) => ({ name, value, unit, source, kind })),
    findings: r.findings.map((f) => ({ severity: f.severity, message: f.message, ...(f.figure ? { figure: f.figure } : {}), ...(f.published !== undefined ? { published: f.published } : {}), ...(f.consistent !== undefined ? { consistent: f.consistent } : {}) })),
    capacity: r.capacity,
  };
}
