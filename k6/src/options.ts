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

// Options are built as plain objects; the k6 script types them against @types/k6.
export function buildOptions(plan: Plan, env: Env): Record<string, unknown> {
  checkPattern(plan, env);
  const chosen = parseScenarios(env.SCENARIO);
  const duration = (name: ScenarioName) => (env.DURATION ? seconds(parseDuration(env.DURATION)) : plan.durations[name]);
  const unit = (s: number) => `${s}s`;
  const scenarios: Record<string, unknown> = {};
  for (const name of chosen) {
    if (name === 'peak' || name === 'soak') {
      const r = plan[name];
      scenarios[name] = {
        executor: 'constant-arrival-rate', exec: 'submit', rate: r.rate, timeUnit: unit(r.timeUnitSeconds),
        duration: duration(name), preAllocatedVUs: plan.vus[name].pre, maxVUs: plan.vus[name].max,
        gracefulStop: '60s', tags: { scenario_kind: name },
      };
    } else if (name === 'spike') {
      scenarios.spike = {
        executor: 'ramping-arrival-rate', exec: 'submit', startRate: plan.peak.rate, timeUnit: unit(plan.peak.timeUnitSeconds),
        stages: spikeStages(plan, parseDuration(duration('spike'))),
        preAllocatedVUs: plan.vus.spike.pre, maxVUs: plan.vus.spike.max, gracefulStop: '60s', tags: { scenario_kind: name },
      };
    } else {
      scenarios.browse = {
        executor: 'constant-arrival-rate', exec: 'browse', rate: plan.browse.rate, timeUnit: unit(plan.browse.timeUnitSeconds),
        duration: duration('browse'), preAllocatedVUs: plan.vus.browse.pre, maxVUs: plan.vus.browse.max,
        gracefulStop: '30s', tags: { scenario_kind: name },
      };
    }
  }
  const p95 = env.UPLOAD_P95_MS ? Number(env.UPLOAD_P95_MS) : plan.uploadP95Ms;
  if (!(p95 > 0)) throw new Error(`UPLOAD_P95_MS: expected a positive number of milliseconds, got "${env.UPLOAD_P95_MS}"`);
  const thresholds: Record<string, string[]> = {
    http_req_failed: ['rate<0.001'],
    dropped_iterations: ['count==0'],
    checks: ['rate>0.999'],
  };
  if (chosen.some((n) => n !== 'browse')) thresholds['http_req_duration{op:upload}'] = [`p(95)<${p95}`];
  return {
    scenarios,
    thresholds,
    // Uploads need no answer body beyond the status; requests that do set responseType.
    discardResponseBodies: true,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    // k6 would otherwise warn and stop at 15 min of setup; there is none, keep it explicit.
    setupTimeout: '60s',
  };
}
