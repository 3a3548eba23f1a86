import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planFor } from '../../k6/index.ts';
import { loadReportHtml, readK6Json, targetAt } from './load-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'load-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const point = (metric: string, ms: number, value: number, tags: Record<string, string> = {}) =>
  JSON.stringify({ type: 'Point', metric, data: { time: new Date(ms).toISOString(), value, tags } });

describe('load report from k6 --out json', () => {
  it('bins accepted reports, MB, failures, drops and answered-upload latency by second', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const lines = [
      JSON.stringify({ type: 'Metric', data: { name: 'http_reqs' }, metric: 'http_reqs' }),
      point('http_reqs', t0 + 100, 1, { op: 'upload' }),
      point('http_req_duration', t0 + 100, 120, { op: 'upload', expected_response: 'true' }),
      point('http_req_duration', t0 + 200, 9999, { op: 'upload', expected_response: 'false' }),
      point('girs_reports_accepted', t0 + 150, 1), point('girs_report_bytes', t0 + 150, 1e7),
      point('http_req_failed', t0 + 1200, 1), point('dropped_iterations', t0 + 1300, 1),
      point('girs_reports_accepted', t0 + 2500, 1), point('girs_report_bytes', t0 + 2500, 1e7),
      'not json',
    ];
    const file = join(dir, 'points.json');
    writeFileSync(file, lines.join('\n') + '\n');
    const s = await readK6Json(file, 3);
    expect(s.binSeconds).toBe(1);
    expect(s.firstUploadMs).toBe(t0 + 100);
    expect(s.bins.map((b) => [b.accepted, b.mb, b.failed, b.dropped])).toEqual([[1, 10, 0, 0], [0, 0, 1, 1], [1, 10, 0, 0]]);
    // Failed uploads do not enter the latency percentiles.
    expect(s.bins[0]).toMatchObject({ p50: 120, p95: 120, p99: 120 });
    expect(s.bins[1]!.p95).toBeNull();
  });

  it('draws the target each scenario asks for, the spike ramping to 3x peak', () => {
    const plan = planFor(3);
    expect(targetAt(plan, ['peak'], 60, 10)).toBe(4);
    expect(targetAt(plan, ['peak'], 60, 61)).toBe(0);
    expect(targetAt(plan, ['spike'], 100, 5)).toBe(4);
    expect(targetAt(plan, ['spike'], 100, 50)).toBe(12);
    expect(targetAt(plan, ['peak', 'soak'], 60, 1)).toBeCloseTo(4 + plan.soak.targetPerSecond, 9);
  });

  it('says plainly when there is no time series instead of drawing empty charts', async () => {
    const html = await loadReportHtml({ plan: planFor(3), scenarios: ['peak'], seconds: 10, status: 'k6-failed', checks: [], facts: [['k6', 'exit 107']], series: null });
    expect(html).toContain('id="no-data"');
    expect(html).toContain('class="verdict fail"');
    expect(html).not.toMatch(/<script|<svg/);
  });
});
