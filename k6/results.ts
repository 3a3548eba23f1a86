// Reads what a k6 run left (--summary-export; a handleSummary JSON document is read too)
// and judges it against the plan: the drill's verdict does not rest on k6's thresholds
// alone, because k6 passes a threshold whose metric had no samples.
import { expectedWork, floorOf, scenarioSeconds, type Env } from './src/options.ts';
import type { Plan, ScenarioName } from './src/types.ts';

export type Metrics = Record<string, Record<string, number>>;
export interface ThresholdResult { metric: string; expression: string; ok: boolean }

type RawMetric = Record<string, unknown> & { values?: Record<string, unknown>; thresholds?: Record<string, unknown>; type?: string };

function rawMetrics(doc: unknown): Record<string, RawMetric> {
  const root = doc as { summary?: { metrics?: unknown }; metrics?: unknown } | null;
  const metrics = (root?.summary?.metrics ?? root?.metrics) as Record<string, RawMetric> | undefined;
  if (!metrics || typeof metrics !== 'object') throw new Error('no "metrics" object: not a k6 summary');
  return metrics;
}

/** Flattens either format to metric -> { count, rate, p(95), ... }. */
export function normalizeMetrics(doc: unknown): Metrics {
  const out: Metrics = {};
  for (const [name, m] of Object.entries(rawMetrics(doc))) {
    const values = (m.values && typeof m.values === 'object' ? m.values : m) as Record<string, unknown>;
    const flat: Record<string, number> = {};
    for (const [k, v] of Object.entries(values)) if (typeof v === 'number') flat[k] = v;
    // --summary-export calls a rate metric's fraction "value"; handleSummary calls it "rate".
    if (m.type === undefined && flat.value !== undefined && flat.passes !== undefined && flat.rate === undefined) flat.rate = flat.value;
    out[name] = flat;
  }
  return out;
}

/**
 * k6's own threshold verdicts. --summary-export maps each expression to `true` when it was
 * crossed; handleSummary data to `{ ok }`.
 */
export function thresholdResults(doc: unknown): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(rawMetrics(doc))) {
    for (const [expression, v] of Object.entries(m.thresholds ?? {})) {
      const ok = typeof v === 'boolean' ? !v : Boolean(v && typeof v === 'object' && (v as { ok?: unknown }).ok === true);
      out.push({ metric, expression, ok });
    }
  }
  return out;
}

export interface Check { name: string; target: string; achieved: string; ok: boolean }
export interface Outcome {
  acceptedReports: number;
  expectedReports: number;
  reportsPerSecond: number;
  MBps: number;
  uploadP95Ms: number | null;
  requests: number;
  failedRate: number;
  droppedIterations: number;
  checksRate: number | null;
  checks: Check[];
  ok: boolean;
}

/** What the drill knows beyond k6's summary. */
export interface RunFacts {
  /** k6's exit code; null when it was killed. */
  k6Exit: number | null;
  timedOut: boolean;
  /** Reports of this run the intake stored (each one SHA-256 verified); null when not known. */
  intakeStored?: number | null;
  /** k6's thresholds, all of which must hold. */
  thresholds?: ThresholdResult[];
}

/**
 * Achieved rates are accepted reports over the scenario's duration (not k6's test run,
 * which adds the graceful stop), so a run that keeps up scores its full rate. Every rate
 * is compared with what its own scenarios ask for.
 */
export function evaluate(plan: Plan, m: Metrics, scenarios: readonly ScenarioName[], env: Env, facts: RunFacts): Outcome {
  const get = (metric: string, key: string) => m[metric]?.[key];
  const runEnv: Env = { ...env, SCENARIO: scenarios.join(',') };
  const work = expectedWork(plan, runEnv);
  const secs = work.longestSeconds;
  const accepted = get('girs_reports_accepted', 'count') ?? 0;
  const bytes = get('girs_report_bytes', 'count') ?? accepted * plan.reportBytes;
  const rps = accepted / secs;
  const MBps = bytes / 1e6 / secs;
  const p95 = get('http_req_duration{op:upload,expected_response:true}', 'p(95)') ?? null;
  const requests = get('http_reqs', 'count') ?? 0;
  const failedRate = get('http_req_failed', 'rate') ?? 0;
  const dropped = get('dropped_iterations', 'count') ?? 0;
  const checksRate = get('checks', 'rate') ?? null;
  const checks: Check[] = [];
  const submitting = scenarios.some((s) => s !== 'browse');
  if (submitting) {
    const floor = floorOf(plan, work.reports);
    checks.push({ name: 'accepted reports', target: `>= ${floor} (${plan.passFraction * 100} % of ${work.reports} asked for)`, achieved: String(accepted), ok: accepted >= floor });
    const wanted = work.reports / secs;
    checks.push({ name: 'accepted reports/s', target: `>= ${(wanted * plan.passFraction).toFixed(4)} (${wanted.toFixed(4)} asked for${scenarios.length === 1 && scenarios[0] === 'peak' ? `, model ${plan.peak.targetPerSecond.toFixed(4)}` : ''})`, achieved: rps.toFixed(4), ok: rps >= wanted * plan.passFraction });
    if (scenarios.length === 1 && scenarios[0] === 'peak') {
      const mbFloor = (floor * plan.reportBytes) / 1e6 / scenarioSeconds(plan, runEnv, 'peak');
      checks.push({ name: 'MB/s', target: `>= ${mbFloor.toFixed(2)} (model ${plan.peakMBps.toFixed(2)})`, achieved: MBps.toFixed(2), ok: MBps >= mbFloor });
    }
    checks.push({ name: 'upload p95 ms (answered)', target: `< ${plan.uploadP95Ms}`, achieved: p95 === null ? 'none measured' : p95.toFixed(0), ok: p95 !== null && accepted > 0 && p95 < plan.uploadP95Ms });
    if (facts.intakeStored !== undefined && facts.intakeStored !== null) {
      // Every accepted report must be there. The intake may hold more: uploads it finished
      // after k6 stopped waiting for them (cut at the end of the graceful stop).
      const extra = facts.intakeStored - accepted;
      checks.push({ name: 'stored and SHA-256 verified by the intake', target: `>= accepted (${accepted})`, achieved: `${facts.intakeStored}${extra > 0 ? ` (${extra} finished after k6 stopped waiting)` : ''}`, ok: facts.intakeStored >= accepted });
    }
  }
  if (scenarios.indexOf('browse') >= 0) {
    const looks = get('girs_browse_looks', 'count') ?? 0;
    const floor = floorOf(plan, work.looks);
    checks.push({ name: 'browse looks answered', target: `>= ${floor}`, achieved: String(looks), ok: looks >= floor });
  }
  checks.push({ name: 'failed requests', target: '< 0.1 % of at least one request', achieved: `${(failedRate * 100).toFixed(3)} % of ${requests}`, ok: requests > 0 && failedRate < 0.001 });
  checks.push({ name: 'dropped iterations', target: '0', achieved: String(dropped), ok: dropped === 0 });
  checks.push({ name: 'checks passed', target: '> 99.9 %', achieved: checksRate === null ? 'none' : `${(checksRate * 100).toFixed(3)} %`, ok: checksRate !== null && checksRate > 0.999 });
  const th = facts.thresholds ?? [];
  const crossed = th.filter((t) => !t.ok);
  checks.push({ name: 'k6 thresholds', target: 'all hold', achieved: th.length === 0 ? 'none reported' : crossed.length === 0 ? `${th.length} hold` : `crossed: ${crossed.map((t) => `${t.metric} ${t.expression}`).join('; ')}`, ok: th.length > 0 && crossed.length === 0 });
  checks.push({ name: 'k6 exit code', target: '0 (99 = thresholds crossed)', achieved: facts.timedOut || facts.k6Exit === null ? 'killed' : String(facts.k6Exit), ok: !facts.timedOut && facts.k6Exit === 0 });
  return { acceptedReports: accepted, expectedReports: work.reports, reportsPerSecond: rps, MBps, uploadP95Ms: p95, requests, failedRate, droppedIterations: dropped, checksRate, checks, ok: checks.every((c) => c.ok) };
}
