// Pure modules shared by the build, the k6 script and the drill.
import { describe, expect, it } from 'vitest';
import { planFromTargets } from './plan.ts';
import { evaluate, normalizeMetrics } from './results.ts';
import { buildOptions, parseDuration, spikeStages } from './src/options.ts';
import { idempotencyKey, makeBody, stamp, STAMP_BYTES, tokenFor } from './src/payload.ts';
import { integerRate } from './src/rate.ts';
import { headline, junitXml, summaryFiles, type SummaryData } from './src/summary.ts';

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
    expect(o.scenarios.peak!.duration).toBe('10m');
    const soak = buildOptions(plan, { SCENARIO: 'soak' }) as { scenarios: Record<string, { rate: number; timeUnit: string; duration: string }>; thresholds: object };
    expect(soak.scenarios.soak).toMatchObject({ rate: plan.soak.rate, timeUnit: `${plan.soak.timeUnitSeconds}s`, duration: '2h' });
    const browse = buildOptions(plan, { SCENARIO: 'browse' }) as { thresholds: Record<string, unknown> };
    expect(browse.thresholds['http_req_duration{op:upload}']).toBeUndefined();
    expect(() => buildOptions(plan, { SCENARIO: 'peak,storm' })).toThrow(/SCENARIO: expected one or more of peak, soak, spike, browse/);
    expect(() => buildOptions(plan, { UPLOAD_P95_MS: 'fast' })).toThrow(/UPLOAD_P95_MS/);
  });

  it('sizes VUs by Little\'s law at the p95 bound', () => {
    expect(plan.uploadP95Ms).toBe(5000);
    expect(plan.vus.peak.pre).toBe(Math.ceil((64 / 3) * 5));
    expect(plan.vus.spike.pre).toBe(Math.ceil((64 / 3) * 3 * 5));
  });
});

describe('payload', () => {
  it('fills the body with noise, stamps it in place, and makes unique keys', () => {
    const buf = makeBody(1001, 7);
    expect(buf.byteLength).toBe(1001);
    const bytes = new Uint8Array(buf);
    expect(new Set(bytes.subarray(0, 1000)).size).toBeGreaterThan(200); // not a constant fill
    expect(new Uint8Array(makeBody(1001, 8))).not.toEqual(bytes);
    const text = stamp(buf, 3, 42, 1_700_000_000_000);
    expect(text).toHaveLength(STAMP_BYTES);
    expect(Buffer.from(buf, 0, STAMP_BYTES).toString('latin1')).toBe(text);
    expect(text).toMatch(/^GIRS-LOAD vu=000003 it=000000042 t=1700000000000/);
    expect(idempotencyKey(1, 3, 42, 1_700_000_000_000, 0.5)).toBe('p1-vu3-it42-loyw3v28-80000000');
    expect(idempotencyKey(1, 3, 42, 1_700_000_000_000, 0.25)).not.toBe(idempotencyKey(1, 3, 42, 1_700_000_000_000, 0.5));
    expect(() => makeBody(10, 1)).toThrow(/more than 48 bytes/);
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

describe('handleSummary', () => {
  const plan = planFromTargets(1, targets, new Date(0));
  const data: SummaryData = {
    state: { testRunDurationMs: 61_000 },
    metrics: {
      http_req_failed: { type: 'rate', values: { rate: 0.002, passes: 2, fails: 998 }, thresholds: { 'rate<0.001': { ok: false } } },
      dropped_iterations: { type: 'counter', values: { count: 0, rate: 0 }, thresholds: { 'count==0': { ok: true } } },
      checks: { type: 'rate', values: { rate: 0.998 }, thresholds: { 'rate>0.999': { ok: false } } },
      'http_req_duration{op:upload}': { type: 'trend', values: { 'p(95)': 812.5, avg: 400 }, thresholds: { 'p(95)<5000': { ok: true } } },
      girs_reports_accepted: { type: 'counter', values: { count: 1296, rate: 21.25 } },
      girs_report_bytes: { type: 'counter', values: { count: 1.296e10, rate: 2.125e8 } },
    },
  };

  it('writes JSON and JUnit XML (one case per threshold, failures named) next to SUMMARY_DIR', () => {
    const files = summaryFiles(data, plan, { SUMMARY_DIR: '/tmp/evidence/' });
    expect(Object.keys(files).sort()).toEqual(['/tmp/evidence/k6-girs-p1-junit.xml', '/tmp/evidence/k6-girs-p1-summary.json', 'stdout']);
    const json = JSON.parse(files['/tmp/evidence/k6-girs-p1-summary.json']!);
    expect(json.plan.peak.rate).toBe(64);
    expect(json.headline).toEqual({ reportsPerSecond: 21.25, MBps: 212.5, uploadP95Ms: 812.5, failedRate: 0.002, dropped: 0 });
    const xml = files['/tmp/evidence/k6-girs-p1-junit.xml']!;
    assertWellFormedXml(xml);
    expect(xml).toContain('tests="4" failures="2"');
    expect(xml).toContain('<testcase classname="k6.thresholds" name="http_req_duration{op:upload} p(95)&lt;5000"/>');
    expect(xml).toMatch(/name="http_req_failed rate&lt;0.001">\s*<failure message="threshold rate&lt;0.001 crossed"/);
    expect(files.stdout).toMatch(/FAIL http_req_failed rate<0.001/);
    expect(headline({ metrics: {} })).toEqual({ reportsPerSecond: 0, MBps: 0, uploadP95Ms: undefined, failedRate: 0, dropped: 0 });
    // A reshaped summary (another k6 release) still yields files rather than an exception.
    const odd = summaryFiles({ metrics: { x: { thresholds: { 'rate<1': { ok: true } } } } } as unknown as SummaryData, plan, {});
    expect(odd['./k6-girs-p1-junit.xml']).toContain('tests="1" failures="0"');
  });

  it('escapes markup and drops control characters', () => {
    const xml = junitXml({ metrics: { 'x{tag:<a&b>}': { type: 'rate', values: { rate: 1 }, thresholds: { 'rate<"1"\u0001': { ok: false } } } } }, 'suite & <co>');
    assertWellFormedXml(xml);
    expect(xml).not.toContain('\u0001');
  });
});

describe('results', () => {
  const plan = planFromTargets(3, { reportsPerSecond: 4, reportSizeMB: 10, dataMBps: 40, reportsPerDay: 28_235, averageReportsPerSecond: 0.23 });

  it('reads --summary-export and handleSummary documents alike', () => {
    const exported = { metrics: {
      girs_reports_accepted: { count: 240, rate: 3.7 },
      'http_req_duration{op:upload}': { avg: 300, 'p(95)': 900, thresholds: { 'p(95)<5000': false } },
      http_req_failed: { passes: 0, fails: 240, value: 0 },
      checks: { passes: 240, fails: 0, value: 1 },
    } };
    const own = { summary: { metrics: {
      girs_reports_accepted: { type: 'counter', values: { count: 240, rate: 3.7 } },
      'http_req_duration{op:upload}': { type: 'trend', values: { avg: 300, 'p(95)': 900 } },
      http_req_failed: { type: 'rate', values: { rate: 0, passes: 0, fails: 240 } },
      checks: { type: 'rate', values: { rate: 1, passes: 240, fails: 0 } },
    } } };
    for (const doc of [exported, own]) {
      const o = evaluate(plan, normalizeMetrics(doc), 60, ['peak'], 0);
      expect(o).toMatchObject({ acceptedReports: 240, reportsPerSecond: 4, MBps: 40, uploadP95Ms: 900, failedRate: 0, checksRate: 1, ok: true });
    }
    expect(() => normalizeMetrics({ root_group: {} })).toThrow(/not a k6 summary/);
  });

  it('fails a run that fell behind, measured nothing, or crossed a threshold', () => {
    const m = normalizeMetrics({ metrics: { girs_reports_accepted: { count: 200 }, checks: { value: 1, passes: 1, fails: 0 }, 'http_req_duration{op:upload}': { 'p(95)': 100 } } });
    const names = (o: { checks: { name: string; ok: boolean }[] }) => o.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(names(evaluate(plan, m, 60, ['peak'], 0))).toEqual(['accepted reports', 'accepted reports/s', 'MB/s']);
    expect(names(evaluate(plan, normalizeMetrics({ metrics: {} }), 60, ['soak'], 99))).toEqual(['upload p95 ms', 'checks passed', 'k6 exit code']);
  });
});
