// Pure modules shared by the build, the k6 script and the drill.
import { describe, expect, it } from 'vitest';
import { planFromTargets, vusFor } from './plan.ts';
import { evaluate, normalizeMetrics, thresholdResults } from './results.ts';
import { buildOptions, expectedWork, parseDuration, parseShare, spikeStages } from './src/options.ts';
import { idempotencyKey, parseBodyMode, runIdFrom, stamp, STAMP_BYTES, tokenFor } from './src/payload.ts';
import { integerRate } from './src/rate.ts';
import { junitXml } from './summary.ts';

const targets = { reportsPerSecond: 21.34, reportSizeMB: 10, dataMBps: 213.4, reportsPerDay: 512_248, averageReportsPerSecond: 1.218 };

describe('integerRate', () => {
  it('picks the smallest integer rate per whole-second timeUnit within 0.5 %', () => {
    expect(integerRate(21.34)).toMatchObject({ rate: 64, timeUnitSeconds: 3 });
    expect(integerRate(4)).toMatchObject({ rate: 4, timeUnitSeconds: 1, relativeError: 0 });
    const slow = integerRate(0.0876);
    expect(slow.relativeError).toBeLessThanOrEqual(0.005);
    // Nothing smaller would do: every lower rate misses by more than 0.5 %.
    for (let r = 1; r < slow.rate; r++) {
      const t = Math.max(1, Math.round(r / 0.0876));
      expect(Math.abs(r / t - 0.0876) / 0.0876).toBeGreaterThan(0.005);
    }
    expect(() => integerRate(0)).toThrow(/positive rate/);
  });
});

describe('options', () => {
  const plan = planFromTargets(1, targets, new Date(0));

  it('parses k6 durations and rejects anything else', () => {
    expect(parseDuration('60s')).toBe(60);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1.5m')).toBe(90);
    expect(parseDuration('250ms')).toBe(0.25);
    for (const bad of ['', '60', 'abc', '10x', '-5s', '0s', '5s junk']) expect(() => parseDuration(bad)).toThrow(/DURATION: expected/);
  });

  it('shapes the spike as peak -> k x peak -> peak over the whole run', () => {
    const stages = spikeStages(plan, 600);
    expect(stages.map((s) => s.target)).toEqual([64, 192, 192, 64, 64]);
    expect(stages.reduce((n, s) => n + parseDuration(s.duration), 0)).toBe(600);
  });

  it('runs peak by default, with per-scenario default durations', () => {
    const o = buildOptions(plan, {}) as { scenarios: Record<string, { duration: string }> };
    expect(Object.keys(o.scenarios)).toEqual(['peak']);
    expect(o.scenarios.peak!.duration).toBe('600s');
    const soak = buildOptions(plan, { SCENARIO: 'soak' }) as { scenarios: Record<string, { rate: number; timeUnit: string; duration: string }>; thresholds: object };
    expect(soak.scenarios.soak).toMatchObject({ rate: plan.soak.rate, timeUnit: `${plan.soak.timeUnitSeconds}s`, duration: '7200s' });
    const browse = buildOptions(plan, { SCENARIO: 'browse' }) as { thresholds: Record<string, unknown> };
    expect(browse.thresholds['http_req_duration{op:upload,expected_response:true}']).toBeUndefined();
    expect(browse.thresholds.girs_reports_accepted).toBeUndefined();
    expect(() => buildOptions(plan, { SCENARIO: 'peak,storm' })).toThrow(/SCENARIO: expected one or more of peak, soak, spike, browse/);
    expect(() => buildOptions(plan, { UPLOAD_P95_MS: 'fast' })).toThrow(/UPLOAD_P95_MS/);
  });

  it('pre-allocates VUs for half the p95 bound in flight and allows the whole bound', () => {
    expect(plan.uploadP95Ms).toBe(5000);
    expect(plan.vus.peak).toEqual({ pre: Math.ceil((64 / 3) * 2.5), max: Math.ceil((64 / 3) * 5) });
    expect(plan.vus.spike.max).toBe(Math.ceil((64 / 3) * 3 * 5));
    expect(vusFor(0.01, 5000)).toEqual({ pre: 2, max: 2 });
  });

  it('puts a floor on what the run must deliver, so a run that delivers nothing fails', () => {
    const o = buildOptions(plan, { DURATION: '60s' }) as { thresholds: Record<string, unknown[]>; scenarios: Record<string, { gracefulStop: string }> };
    // 64 per 3 s for 60 s: 1280 reports asked for, 99 % of them must be accepted.
    expect(expectedWork(plan, { DURATION: '60s' })).toMatchObject({ reports: 1280, looks: 0 });
    expect(o.thresholds.girs_reports_accepted).toEqual(['count>=1267', `rate>=${(1267 / 70).toFixed(4)}`]);
    expect(o.scenarios.peak!.gracefulStop).toBe('10s');
    expect(o.thresholds['http_req_duration{op:upload,expected_response:true}']).toEqual(['p(95)<5000']);
    expect(o.thresholds.http_req_failed).toEqual(['rate<0.001', { threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '60s' }]);
    // A runner that executes half the test (k6-operator parallelism 2) owes half the reports.
    const half = buildOptions(plan, { DURATION: '60s', GIRS_SHARE: '1/2' }) as { thresholds: Record<string, unknown[]> };
    expect(half.thresholds.girs_reports_accepted![0]).toBe('count>=633');
    const browse = buildOptions(plan, { DURATION: '10s', SCENARIO: 'browse' }) as { thresholds: Record<string, unknown[]> };
    expect(browse.thresholds.girs_browse_looks).toEqual(['count>=19']);
    expect(browse.thresholds['http_req_duration{scenario:browse,expected_response:true}']).toEqual(['p(95)<2000']);
    // Even a run too short for a whole report at Pattern 2 must deliver one.
    const p2 = planFromTargets(2, { reportsPerSecond: 0.0876, reportSizeMB: 20, dataMBps: 1.75, reportsPerDay: 3500, averageReportsPerSecond: 0.005 });
    expect((buildOptions(p2, { DURATION: '3s' }) as { thresholds: Record<string, string[]> }).thresholds.girs_reports_accepted![0]).toBe('count>=1');
    expect(parseShare('1/4')).toBe(0.25);
    for (const bad of ['0', '3/2', 'half']) expect(() => parseShare(bad)).toThrow(/GIRS_SHARE/);
  });
});

describe('payload', () => {
  it('stamps the body in place and makes keys unique across runners', () => {
    const buf = new ArrayBuffer(1001);
    const text = stamp(buf, 'peak', 42, 1_700_000_000_000);
    expect(text).toHaveLength(STAMP_BYTES);
    expect(Buffer.from(buf, 0, STAMP_BYTES).toString('latin1')).toBe(text);
    expect(text).toMatch(/^GIRS-LOAD peak i=000000042 t=1700000000000/);
    expect(() => stamp(new ArrayBuffer(10), 'peak', 1, 0)).toThrow(/more than 48 bytes/);
    // iterationInTest is unique across execution segments, so the key is too.
    expect(idempotencyKey(1, 'r1', 'peak', 42)).toBe('p1-r1-peak-42');
    expect(runIdFrom('abc-1', () => 'x')).toBe('abc-1');
    expect(runIdFrom(undefined, () => 'x')).toBe('x');
    expect(() => runIdFrom('a b', () => 'x')).toThrow(/GIRS_RUN_ID/);
    expect(parseBodyMode(undefined)).toBe('unique');
    expect(() => parseBodyMode('shared')).toThrow(/GIRS_BODY: expected one of unique, per-vu/);
  });

  it('hands agency tokens to VUs round-robin', () => {
    expect([1, 2, 3, 4].map((vu) => tokenFor('a, b,c', vu))).toEqual(['a', 'b', 'c', 'a']);
    expect(() => tokenFor(' , ', 1)).toThrow(/GIRS_TOKEN/);
  });
});

/** Well-formedness: balanced tags, quoted attributes, no bare & or < in text. */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length && (m = token.exec(body)) !== null) {
    at = token.lastIndex;
    if (m[5] !== undefined) {
      expect(m[5].replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/[&<>]/);
      continue;
    }
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(at).toBe(body.length);
  expect(stack).toEqual([]);
}

describe('JUnit', () => {
  it('never passes a run that measured nothing, and names every missed target', () => {
    const empty = junitXml({ suite: 'GIRS load', seconds: 3, outcome: null, thresholds: [], failure: 'k6 exited 107 and left no summary' });
    assertWellFormedXml(empty);
    expect(empty).toContain('tests="1" failures="1"');
    expect(empty).toContain('<failure message="k6 exited 107 and left no summary"');
    expect(junitXml({ suite: 's', seconds: 0, outcome: null, thresholds: [] })).toContain('failures="1"');
    const xml = junitXml({ suite: 'suite & <co>', seconds: 61, thresholds: [{ metric: 'x{tag:<a&b>}', expression: 'rate<"1"\u0001', ok: false }], outcome: {
      acceptedReports: 0, expectedReports: 40, reportsPerSecond: 0, MBps: 0, uploadP95Ms: null, requests: 0, failedRate: 0, droppedIterations: 0, checksRate: null, ok: false,
      checks: [{ name: 'accepted reports', target: '>= 39', achieved: '0', ok: false }, { name: 'dropped iterations', target: '0', achieved: '0', ok: true }],
    } });
    assertWellFormedXml(xml);
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('tests="3" failures="2"');
    expect(xml).toContain('<testcase classname="girs.load" name="dropped iterations"/>');
    expect(xml).toMatch(/name="accepted reports">\s*<failure message="accepted reports: wanted &gt;= 39, got 0"/);
  });
});

describe('results', () => {
  const plan = planFromTargets(3, { reportsPerSecond: 4, reportSizeMB: 10, dataMBps: 40, reportsPerDay: 28_235, averageReportsPerSecond: 0.23 });
  const env = { DURATION: '60s' };

  it('reads --summary-export (thresholds true = crossed) and handleSummary documents alike', () => {
    const exported = { metrics: {
      girs_reports_accepted: { count: 240, rate: 3.7, thresholds: { 'count>=237': false } },
      girs_report_bytes: { count: 2.4e9 },
      http_reqs: { count: 240 },
      'http_req_duration{op:upload,expected_response:true}': { avg: 300, 'p(95)': 900, thresholds: { 'p(95)<5000': false } },
      http_req_failed: { passes: 0, fails: 240, value: 0 },
      checks: { passes: 240, fails: 0, value: 1 },
    } };
    const own = { summary: { metrics: {
      girs_reports_accepted: { type: 'counter', values: { count: 240, rate: 3.7 }, thresholds: { 'count>=237': { ok: true } } },
      girs_report_bytes: { type: 'counter', values: { count: 2.4e9 } },
      http_reqs: { type: 'counter', values: { count: 240 } },
      'http_req_duration{op:upload,expected_response:true}': { type: 'trend', values: { avg: 300, 'p(95)': 900 } },
      http_req_failed: { type: 'rate', values: { rate: 0, passes: 0, fails: 240 } },
      checks: { type: 'rate', values: { rate: 1, passes: 240, fails: 0 } },
    } } };
    for (const doc of [exported, own]) {
      const thresholds = thresholdResults(doc);
      expect(thresholds.find((t) => t.expression === 'count>=237')).toMatchObject({ metric: 'girs_reports_accepted', ok: true });
      const o = evaluate(plan, normalizeMetrics(doc), ['peak'], env, { k6Exit: 0, timedOut: false, thresholds, intakeStored: 240 });
      expect(o).toMatchObject({ acceptedReports: 240, expectedReports: 240, reportsPerSecond: 4, MBps: 40, uploadP95Ms: 900, failedRate: 0, checksRate: 1 });
      expect(o.checks.filter((c) => !c.ok)).toEqual([]);
    }
    expect(thresholdResults({ metrics: { x: { thresholds: { 'rate<0.1': true } } } })).toEqual([{ metric: 'x', expression: 'rate<0.1', ok: false }]);
    expect(() => normalizeMetrics({ root_group: {} })).toThrow(/not a k6 summary/);
  });

  it('fails a run that fell behind, measured nothing, lost reports, or crossed a threshold', () => {
    const m = normalizeMetrics({ metrics: { girs_reports_accepted: { count: 200 }, http_reqs: { count: 200 }, checks: { value: 1, passes: 1, fails: 0 }, 'http_req_duration{op:upload,expected_response:true}': { 'p(95)': 100 } } });
    const names = (o: { checks: { name: string; ok: boolean }[] }) => o.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(names(evaluate(plan, m, ['peak'], env, { k6Exit: 0, timedOut: false, thresholds: [{ metric: 'a', expression: 'b', ok: true }] }))).toEqual(['accepted reports', 'accepted reports/s', 'MB/s']);
    // Nothing measured: no requests, no checks, no thresholds; k6 exited 0 all the same.
    expect(names(evaluate(plan, normalizeMetrics({ metrics: {} }), ['soak'], env, { k6Exit: 0, timedOut: false }))).toEqual(['accepted reports', 'accepted reports/s', 'upload p95 ms (answered)', 'failed requests', 'checks passed', 'k6 thresholds']);
    const stored = evaluate(plan, normalizeMetrics({ metrics: { girs_reports_accepted: { count: 240 } } }), ['peak'], env, { k6Exit: null, timedOut: true, intakeStored: 239 });
    expect(names(stored)).toEqual(expect.arrayContaining(['stored and SHA-256 verified by the intake', 'k6 exit code']));
  });
});
