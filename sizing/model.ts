// The orchestrator: one pattern sized from data read at the edge and the what-if overrides.
// Pure, so the planner page runs this very module in the browser (planner/page.ts).
import type { GirsTargets, Overrides, PatternId, PatternResult, SizingData } from './types.ts';
import { patternDef, resolveInputs, chain } from './chain.ts';
import { computeCapacity } from './capacity.ts';
import { computeFindings } from './findings.ts';
import { checkOverrides } from './overrides.ts';
import { roundFigures } from './round.ts';
import { SECONDS_PER_YEAR } from './units.ts';

export function computePattern(data: SizingData, id: PatternId, overrides: Overrides = {}): PatternResult {
  const o = checkOverrides(overrides);
  const d = data.demand;
  const inputs = resolveInputs(d, id, o);
  const exact = chain(inputs);
  const capacity = computeCapacity(data, inputs, exact, o);
  return {
    pattern: id,
    title: patternDef(d, id).title,
    figures: roundFigures(exact),
    exact,
    published: { ...d.published[String(id) as '1' | '2' | '3'] },
    assumptions: [...inputs.assumptions, ...capacity.assumptions],
    findings: computeFindings(d, id, inputs, o),
    capacity: capacity.capacity,
  };
}

/** What the GIRS intake must sustain, from a pattern already sized (no second model run). */
export function targetsOf(r: PatternResult): GirsTargets {
  const size = Number(r.assumptions.find((a) => a.name === 'reportSizeMB')!.value);
  return {
    reportsPerSecond: r.exact.reportsPerSecond,
    reportSizeMB: size,
    dataMBps: r.exact.dataMBps,
    reportsPerDay: r.exact.reportsPerDay,
    averageReportsPerSecond: r.exact.reportsPerYear / SECONDS_PER_YEAR,
  };
}
