// Public face of the sizing model: Table 19 (GIRS throughput) recomputed from Table 18
// and explicit assumptions, the report's inconsistencies as findings, and the capacity
// each deployment option needs. The pure core is model.ts (with chain, findings, capacity,
// queue); data.ts is the edge that reads the inventory. Callers without data of their own
// get it read for them here.
import { loadSizingData } from './data.ts';
import { computePattern, targetsOf } from './model.ts';
import type { GirsTargets, Overrides, PatternId, PatternResult, SizingData } from './types.ts';

export * from './types.ts';
export { computePattern, targetsOf } from './model.ts';
export { loadSizingData } from './data.ts';
export { OVERRIDES, OVERRIDE_KEYS, OverridesSchema, OverrideError, overrideNumber, checkOverrides, parseOverrideText, type OverrideKey, type OverrideSpec } from './overrides.ts';
export { reportRound, formatReport } from './round.ts';
export { erlangC, mmc, serversFor, littlesLaw, monthsUntilFull } from './queue.ts';
export * from './nplus1.ts';
export * from './units.ts';

/** One pattern, sized from `data` (read from the repository's inventory when not given). */
export function sizePattern(pattern: PatternId, overrides: Overrides = {}, data: SizingData = loadSizingData()): PatternResult {
  return computePattern(data, pattern, overrides);
}

/** What the GIRS intake must sustain for a pattern: the targets the load tests aim at. */
export function girsTargets(pattern: PatternId, overrides: Overrides = {}, data: SizingData = loadSizingData()): GirsTargets {
  return targetsOf(computePattern(data, pattern, overrides));
}
