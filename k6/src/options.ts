// k6 options (scenarios + thresholds) from the baked plan and the run's environment.
// Pure: runs in k6's init context and in Node tests alike, so no k6 imports here.
import type { Plan, ScenarioName } from './types.ts';
import { SCENARIOS } from './types.ts';

export type Env = Record<string, string | undefined>;

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Go-style durations as k6 takes them ("90s", "10m", "1h30m"); seconds, or throws. */
export function parseDuration(raw: string): number {
  const text = raw.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
    consumed = m.index + m[0].length;
  }
  if (text === '' || consumed !== text.length || !(total > 0)) {
    throw new Error(`DURATION: expected a duration such as 60s, 10m or 1h30m, got "${raw}"`);
  }
  return total;
}

/** Seconds as a k6 duration string, whole seconds (k6 accepts "90s"). */
export function seconds(n: number): string {
  return `${Math.max(1, Math.round(n))}s`;
}

export function parseScenarios(raw: string | undefined): ScenarioName[] {
  const names = (raw ?? 'peak').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new Error(`SCENARIO: expected one or more of ${SCENARIOS.join(', ')} (comma-separated), got "${raw}"`);
  for (const n of names) {
    if ((SCENARIOS as readonly string[]).indexOf(n) < 0) throw new Error(`SCENARIO: expected one or more of ${SCENARIOS.join(', ')} (comma-separated), got "${n}"`);
  }
  return names as ScenarioName[];
}

/** The baked pattern must be the one asked for: a P1 bundle must never run as "P2". */
export function checkPattern(plan: Plan, env: Env): void {
  const raw = env.PATTERN;
  if (raw !== undefined && raw !== '' && raw !== String(plan.pattern)) {
    throw new Error(`PATTERN=${raw}, but this bundle was built for Pattern ${plan.pattern}; run k6/dist/girs-p${raw}.js or rebuild with PATTERN=${raw} npm run k6:build`);
  }
}

/** Deadline-day burst: peak, ramp to k × peak, hold, back to peak (fractions of the run). */
export function spikeStages(plan: Plan, totalSeconds: number): { target: number; duration: string }[] {
  const top = plan.peak.rate * plan.spikeFactor;
  const part = (f: number) => seconds(totalSeconds * f);
  return [
    { target: plan.peak.rate, duration: part(0.2) },
    { target: top, duration: part(0.1) },
    { target: top, duration: part(0.4) },
    { target: plan.peak.rate, duration: part(0.1) },
    { target: plan.peak.rate, duration: part(0.2) },
  ];
}

/** Iterations an arrival-rate executor starts in `secs`: the first at 0, then one every timeUnit/rate. */
function arrivals(rate: number, timeUnitSeconds: number, secs: number): number {
  return Math.ceil((secs * rate) / timeUnitSeconds - 1e-9);
}

/** Area under a ramping-arrival-rate's stages (iterations), from its start rate. */
function rampArrivals(startRate: number, timeUnitSeconds: number, stages: { target: number; duration: string }[]): number {
  let from = startRate;
  let n = 0;
  for (const s of stages) {
    n += ((from + s.target) / 2) * (parseDuration(s.duration) / timeUnitSeconds);
    from = s.target;
  }
  return Math.floor(n);
}

/** Seconds each chosen scenario runs (DURATION, or the plan's default for it). */
export function scenarioSeconds(plan: Plan, env: Env, name: ScenarioName): number {
  return env.DURATION ? Math.max(1, Math.round(parseDuration(env.DURATION))) : parseDuration(plan.durations[name]);
}

/** How long k6 lets an upload in flight finish after a scenario's end: twice the p95 bound, 10 s at least. */
export function uploadGracefulStopSeconds(plan: Plan): number {
  return Math.max(10, Math.ceil((2 * plan.uploadP95Ms) / 1000));
}

/** Reports (submit iterations) the chosen scenarios ask for, and browse looks. */
export function expectedWork(plan: Plan, env: Env): { reports: number; looks: number; longestSeconds: number } {
  let reports = 0;
  let looks = 0;
  let longest = 0;
  for (const name of parseScenarios(env.SCENARIO)) {
    const secs = scenarioSeconds(plan, env, name);
    longest = Math.max(longest, secs);
    if (name === 'peak' || name === 'soak') reports += arrivals(plan[name].rate, plan[name].timeUnitSeconds, secs);
    else if (name === 'spike') reports += rampArrivals(plan.peak.rate, plan.peak.timeUnitSeconds, spikeStages(plan, secs));
    else looks += arrivals(plan.browse.rate, plan.browse.timeUnitSeconds, secs);
  }
  return { reports, looks, longestSeconds: longest };
}

/** A floor a run must reach: passFraction of what was asked for, and never zero. */
export function floorOf(plan: Plan, expected: number): number {
  return Math.max(1, Math.floor(expected * plan.passFraction));
}

/**
 * GIRS_SHARE: the part of the test this k6 instance runs when the test is split over
 * several runners (k6-operator's parallelism, --execution-segment): "1/2", "0.5". Each
 * runner judges its own thresholds, so the floors on what it must deliver scale with it.
 */
export function parseShare(raw: string | undefined): number {
  const text = (raw ?? '').trim();
  if (text === '') return 1;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const v = m ? Number(m[1]) / Number(m[2]) : Number(text);
  if (!(v > 0 && v <= 1)) throw new Error(`GIRS_SHARE: expected this runner's part of the test as a fraction such as 1/2 or 0.25 (0 < share <= 1), got "${raw}"`);
  return v;
}

type Threshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/**
 * Thresholds that fail a run that delivers nothing: k6 passes a threshold whose metric
 * has no samples (a rate<x on zero requests "holds"), so every run also needs a floor on
 * what it must have done — accepted reports (count, and a rate over the whole test) and
 * answered browse looks.
 */
export function thresholdsFor(plan: Plan, env: Env): Record<string, Threshold[]> {
  const chosen = parseScenarios(env.SCENARIO);
  const p95 = env.UPLOAD_P95_MS ? Number(env.UPLOAD_P95_MS) : plan.uploadP95Ms;
  if (!(p95 > 0)) throw new Error(`UPLOAD_P95_MS: expected a positive number of milliseconds, got "${env.UPLOAD_P95_MS}"`);
  const work = expectedWork(plan, env);
  const share = parseShare(env.GIRS_SHARE);
  const t: Record<string, Threshold[]> = {
    // Strict at the end; a dead or failing target aborts a long run after a minute.
    http_req_failed: ['rate<0.001', { threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '60s' }],
    dropped_iterations: ['count==0'],
    checks: ['rate>0.999'],
  };
  if (chosen.some((n) => n !== 'browse')) {
    const floor = floorOf(plan, work.reports * share);
    // k6's counter rate divides by the whole test run, which the graceful stop may lengthen.
    const rateFloor = (floor / (work.longestSeconds + uploadGracefulStopSeconds(plan)));
    t.girs_reports_accepted = [`count>=${floor}`, `rate>=${rateFloor.toFixed(4)}`];
    // Only answered uploads: a failed request's duration would flatter the p95.
    t['http_req_duration{op:upload,expected_response:true}'] = [`p(95)<${p95}`];
  }
  if (chosen.indexOf('browse') >= 0) {
    t.girs_browse_looks = [`count>=${floorOf(plan, work.looks * share)}`];
    t['http_req_duration{scenario:browse,expected_response:true}'] = [`p(95)<${plan.browseP95Ms}`];
  }
  return t;
}

// Options are built as plain objects; the k6 script types them against @types/k6.
export function buildOptions(plan: Plan, env: Env): Record<string, unknown> {
  checkPattern(plan, env);
  const chosen = parseScenarios(env.SCENARIO);
  const duration = (name: ScenarioName) => seconds(scenarioSeconds(plan, env, name));
  const unit = (s: number) => `${s}s`;
  const uploadStop = seconds(uploadGracefulStopSeconds(plan));
  const scenarios: Record<string, unknown> = {};
  for (const name of chosen) {
    if (name === 'peak' || name === 'soak') {
      const r = plan[name];
      scenarios[name] = {
        executor: 'constant-arrival-rate', exec: 'submit', rate: r.rate, timeUnit: unit(r.timeUnitSeconds),
        duration: duration(name), preAllocatedVUs: plan.vus[name].pre, maxVUs: plan.vus[name].max,
        gracefulStop: uploadStop, tags: { scenario_kind: name },
      };
    } else if (name === 'spike') {
      scenarios.spike = {
        executor: 'ramping-arrival-rate', exec: 'submit', startRate: plan.peak.rate, timeUnit: unit(plan.peak.timeUnitSeconds),
        stages: spikeStages(plan, scenarioSeconds(plan, env, 'spike')),
        preAllocatedVUs: plan.vus.spike.pre, maxVUs: plan.vus.spike.max, gracefulStop: uploadStop, tags: { scenario_kind: name },
      };
    } else {
      scenarios.browse = {
        executor: 'constant-arrival-rate', exec: 'browse', rate: plan.browse.rate, timeUnit: unit(plan.browse.timeUnitSeconds),
        duration: duration('browse'), preAllocatedVUs: plan.vus.browse.pre, maxVUs: plan.vus.browse.max,
        gracefulStop: '30s', tags: { scenario_kind: name },
      };
    }
  }
  return {
    scenarios,
    thresholds: thresholdsFor(plan, env),
    // Uploads need no answer body beyond the status; requests that do set responseType.
    discardResponseBodies: true,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    // k6 would otherwise warn and stop at 15 min of setup; there is none, keep it explicit.
    setupTimeout: '60s',
  };
}
