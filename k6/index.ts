// k6/'s public face: what the drill, the benchmarks and the workloads use. Everything
// else under k6/ is internal (k6/src/ runs inside k6).
export { buildPattern, DIST, type Built } from './build.ts';
export { isBundleFile, k6FileNames, type K6FileNames } from './names.ts';
export { describeK6Exit, findK6, k6Version, versionOf, SHARED_K6, type K6Found, type K6Lookup } from './bin.ts';
export { planFor, planFromTargets, vusFor, ASSUMPTIONS } from './plan.ts';
export { evaluate, normalizeMetrics, thresholdResults, type Check, type Metrics, type Outcome, type RunFacts, type ThresholdResult } from './results.ts';
export { junitXml, checkLines, type Verdict } from './summary.ts';
export { expectedWork, floorOf, parseDuration, parseShare, parseScenarios, spikeStages, uploadGracefulStopSeconds, type Env } from './src/options.ts';
export { BODY_MODES, idempotencyKey, parseBodyMode, reportTitle, stamp, uploadHeaders, type BodyMode } from './src/payload.ts';
export { SCENARIOS, type Plan, type ScenarioName } from './src/types.ts';
