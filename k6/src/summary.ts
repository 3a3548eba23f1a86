// handleSummary's outputs: the k6 summary as JSON, thresholds as JUnit XML (one test case
// per threshold, so CI shows which target failed), and a short text summary for stdout.
// Written here rather than imported from a jslib URL: the bundles make no network imports.
import type { Plan } from './types.ts';

/** The part of k6's handleSummary data this module reads (same in k6 0.47 and 1.x). */
export interface SummaryMetric {
  type?: string;
  values?: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
export interface SummaryData {
  state?: { testRunDurationMs?: number };
  metrics: Record<string, SummaryMetric>;
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export interface ThresholdResult { metric: string; expression: string; ok: boolean; values: Record<string, number> }

export function thresholdResults(data: SummaryData): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  // Defensive reads: a future k6 may reshape this data; a summary must still be written.
  const metrics = data.metrics || {};
  for (const metric of Object.keys(metrics).sort()) {
    const m = metrics[metric] as SummaryMetric;
    const th = m.thresholds || {};
    for (const expression of Object.keys(th)) {
      out.push({ metric, expression, ok: Boolean(th[expression] && th[expression]!.ok), values: m.values || {} });
    }
  }
  return out;
}

export function junitXml(data: SummaryData, suite: string): string {
  const results = thresholdResults(data);
  const failures = results.filter((r) => !r.ok).length;
  const secs = ((data.state && data.state.testRunDurationMs) || 0) / 1000;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(suite)}" tests="${results.length}" failures="${failures}" time="${secs.toFixed(3)}">`,
    `  <testsuite name="${xmlEscape(suite)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${secs.toFixed(3)}">`,
  ];
  for (const r of results) {
    const name = xmlEscape(`${r.metric} ${r.expression}`);
    if (r.ok) {
      lines.push(`    <testcase classname="k6.thresholds" name="${name}"/>`);
    } else {
      const observed = Object.keys(r.values).map((k) => `${k}=${r.values[k]}`).join(', ');
      lines.push(`    <testcase classname="k6.thresholds" name="${name}">`);
      lines.push(`      <failure message="${xmlEscape(`threshold ${r.expression} crossed`)}" type="threshold">${xmlEscape(`${r.metric}: ${observed}`)}</failure>`);
      lines.push('    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function value(data: SummaryData, metric: string, key: string): number | undefined {
  const m = (data.metrics || {})[metric];
  return m && m.values ? m.values[key] : undefined;
}

/** The figures the drill compares with the targets. */
export function headline(data: SummaryData): { reportsPerSecond: number; MBps: number; uploadP95Ms: number | undefined; failedRate: number; dropped: number } {
  return {
    reportsPerSecond: value(data, 'girs_reports_accepted', 'rate') || 0,
    MBps: (value(data, 'girs_report_bytes', 'rate') || 0) / 1e6,
    uploadP95Ms: value(data, 'http_req_duration{op:upload}', 'p(95)'),
    failedRate: value(data, 'http_req_failed', 'rate') || 0,
    dropped: value(data, 'dropped_iterations', 'count') || 0,
  };
}

export function textSummary(data: SummaryData, plan: Plan): string {
  const h = headline(data);
  const results = thresholdResults(data);
  const f = (n: number | undefined, d = 2) => (n === undefined ? 'n/a' : n.toFixed(d));
  const lines = [
    `GIRS load, Pattern ${plan.pattern} (${plan.reportSizeMB} MB reports)`,
    `  accepted reports/s  ${f(h.reportsPerSecond, 3)}   target ${plan.peak.targetPerSecond.toFixed(3)} (driven ${plan.peak.rate}/${plan.peak.timeUnitSeconds}s)`,
    `  MB/s                ${f(h.MBps)}   target ${plan.peakMBps.toFixed(2)}`,
    `  upload p95 ms       ${f(h.uploadP95Ms, 0)}   target < ${plan.uploadP95Ms}`,
    `  failed requests     ${(h.failedRate * 100).toFixed(3)} %   dropped iterations ${h.dropped}`,
    ...results.map((r) => `  ${r.ok ? 'ok  ' : 'FAIL'} ${r.metric} ${r.expression}`),
    '',
  ];
  return lines.join('\n');
}

/** handleSummary's return value: file path (or "stdout") -> content. */
export function summaryFiles(data: SummaryData, plan: Plan, env: Record<string, string | undefined>): Record<string, string> {
  const dir = (env.SUMMARY_DIR || '.').replace(/\/+$/, '');
  const base = `${dir}/k6-girs-p${plan.pattern}`;
  return {
    stdout: textSummary(data, plan),
    [`${base}-summary.json`]: JSON.stringify({ plan, headline: headline(data), summary: data }, null, 2),
    [`${base}-junit.xml`]: junitXml(data, `GIRS load Pattern ${plan.pattern}`),
  };
}
