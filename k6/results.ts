// Reads what a k6 run left (handleSummary's JSON, or --summary-export as a fallback; the
// two nest metric values differently) and compares it with the plan's targets.
import type { Plan } from './src/types.ts';

export type Metrics = Record<string, Record<string, number>>;

/** Flattens either format to metric -> { count, rate, p(95), ... }. */
export function normalizeMetrics(doc: unknown): Metrics {
  const root = doc as { summary?: { metrics?: unknown }; metrics?: unknown } | null;
  const metrics = (root?.summary?.metrics ?? root?.metrics) as Record<string, Record<string, unknown>> | undefined;
  if (!metrics || typeof metrics !== 'object') throw new Error('no "metrics" object: not a k6 summary');
  const out: Metrics = {};
  for (const [name, m] of Object.entries(metrics)) {
    const values = (m.values && typeof m.values === 'object' ? m.values : m) as Record<string, unknown>;
    const flat: Record<string, number> = {};
    for (const [k, v] of Object.entries(values)) if (typeof v === 'number') flat[k] = v;
    // --summary-export calls a rate metric's fraction "value"; handleSummary calls it "rate".
    if (m.type === undefined && flat.value !== undefined && flat.passes !== undefined && flat.rate === undefined) flat.rate = flat.value;
    out[name] = flat;
  }
  return out;
}

export interface Check { name: string; target: string; achieved: string; ok: boolean }
export interface Outcome {
  acceptedReports: number;
  reportsPerSecond: number;
  MBps: number;
  uploadP95Ms: number | null;
  failedRate: number;
  droppedIterations: number;
  checksRate: number | null;
  checks: Check[];
  ok: boolean;
}

/**
 * Achieved rates are accepted reports over the scenario's duration (not k6's test run,
 * which adds start-up and graceful stop), so a run that keeps up scores its full rate.
 */
export function evaluate(plan: Plan, m: Metrics, durationSeconds: number, scenarios: readonly string[], k6Exit: number | null): Outcome {
  const get = (metric: string, key: string) => m[metric]?.[key];
  const accepted = get('girs_reports_accepted', 'count') ?? 0;
  const bytes = get('girs_report_bytes', 'count') ?? accepted * plan.reportBytes;
  const rps = accepted / durationSeconds;
  const MBps = bytes / 1e6 / durationSeconds;
  const p95 = get('http_req_duration{op:upload}', 'p(95)') ?? null;
  const failedRate = get('http_req_failed', 'rate') ?? 0;
  const dropped = get('dropped_iterations', 'count') ?? 0;
  const checksRate = get('checks', 'rate') ?? null;
  const checks: Check[] = [];
  if (scenarios.length === 1 && scenarios[0] === 'peak') {
    // Judged on the count: at Pattern 2's 0.09/s a short run holds few reports, and one
    // report more or less would swing a rate check by several per cent.
    const floor = Math.floor(plan.peak.perSecond * durationSeconds * 0.99);
    checks.push({ name: 'accepted reports', target: `>= ${floor} (99 % of ${plan.peak.rate}/${plan.peak.timeUnitSeconds}s for ${durationSeconds} s)`, achieved: String(accepted), ok: accepted >= floor });
    checks.push({ name: 'accepted reports/s', target: `${plan.peak.perSecond.toFixed(4)} driven`, achieved: rps.toFixed(4), ok: accepted >= floor });
    checks.push({ name: 'MB/s', target: `>= ${(plan.peakMBps * 0.99).toFixed(2)}`, achieved: MBps.toFixed(2), ok: MBps >= plan.peakMBps * 0.99 });
  }
  if (scenarios.some((s) => s !== 'browse')) {
    checks.push({ name: 'upload p95 ms', target: `< ${plan.uploadP95Ms}`, achieved: p95 === null ? 'none measured' : p95.toFixed(0), ok: p95 !== null && p95 < plan.uploadP95Ms });
  }
  checks.push({ name: 'failed requests', target: '< 0.1 %', achieved: `${(failedRate * 100).toFixed(3)} %`, ok: failedRate < 0.001 });
  checks.push({ name: 'dropped iterations', target: '0', achieved: String(dropped), ok: dropped === 0 });
  checks.push({ name: 'checks passed', target: '> 99.9 %', achieved: checksRate === null ? 'none' : `${(checksRate * 100).toFixed(3)} %`, ok: checksRate !== null && checksRate > 0.999 });
  checks.push({ name: 'k6 exit code', target: '0 (99 = thresholds crossed)', achieved: k6Exit === null ? 'killed' : String(k6Exit), ok: k6Exit === 0 });
  return { acceptedReports: accepted, reportsPerSecond: rps, MBps, uploadP95Ms: p95, failedRate, droppedIterations: dropped, checksRate, checks, ok: checks.every((c) => c.ok) };
}
