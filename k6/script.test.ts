// The bundled script's logic, run in Node with recording fakes of k6's modules.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { girsTargets } from '../sizing/index.ts';
import { planFor } from './plan.ts';
import { STAMP_BYTES } from './src/payload.ts';
import { loadScript } from './testing.ts';

const ENV = { GIRS_URL: 'http://127.0.0.1:9/', GIRS_TOKEN: 'token-a-0123456789abcdef,token-b-0123456789abcdef' };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('submit (Pattern 1)', () => {
  it('uploads the pattern\'s report size as a raw body whose SHA-256 header matches, with a unique key per report', async () => {
    const plan = planFor(1);
    const { script, fake, setIter } = await loadScript(plan, { ...ENV, GIRS_RUN_ID: 'run-7' }, 2);
    for (const i of [0, 1, 2]) { setIter(i); script.submit(); }
    expect(fake.requests).toHaveLength(3);
    for (const r of fake.requests) {
      expect(r.method).toBe('POST');
      expect(r.url).toBe('http://127.0.0.1:9/reports');
      expect(r.bodyCopy!.length).toBe(girsTargets(1).reportSizeMB * 1e6);
      expect(r.params.headers['X-Report-SHA256']).toBe(sha(r.bodyCopy!));
      expect(r.params.headers.Authorization).toBe('Bearer token-b-0123456789abcdef'); // VU 2 -> second token
      expect(r.params.headers['Content-Type']).toBe('application/octet-stream');
      expect(decodeURIComponent(r.params.headers['X-Report-Title'])).toMatch(/^Báo cáo định kỳ — GIRS load P1 run run-7 peak \d$/);
      expect(r.params.tags.op).toBe('upload');
    }
    // One buffer per VU, re-stamped: the bodies differ only in the stamp, so hashes and keys differ.
    const [a, b] = [fake.requests[0]!.bodyCopy!, fake.requests[1]!.bodyCopy!];
    expect(a.subarray(STAMP_BYTES).equals(b.subarray(STAMP_BYTES))).toBe(true);
    expect(a.subarray(0, STAMP_BYTES).toString('latin1')).toMatch(/^GIRS-LOAD peak i=000000000 t=\d+ *$/);
    expect(new Set(fake.requests.map((r) => r.params.headers['X-Report-SHA256'])).size).toBe(3);
    expect(fake.requests.map((r) => r.params.headers['Idempotency-Key'])).toEqual(['p1-run-7-peak-0', 'p1-run-7-peak-1', 'p1-run-7-peak-2']);
    expect(fake.metrics.filter((m) => m.name === 'girs_report_bytes').map((m) => m.value)).toEqual([1e7, 1e7, 1e7]);
  });

  it('with GIRS_BODY=per-vu sends the VU\'s body hashed once, still one key per report', async () => {
    const { script, fake, setIter } = await loadScript(planFor(3), { ...ENV, GIRS_BODY: 'per-vu' }, 1);
    for (const i of [0, 1]) { setIter(i); script.submit(); }
    const [a, b] = fake.requests;
    expect(a!.bodyCopy!.equals(b!.bodyCopy!)).toBe(true);
    expect(a!.params.headers['X-Report-SHA256']).toBe(sha(a!.bodyCopy!));
    expect(a!.params.headers['Idempotency-Key']).not.toBe(b!.params.headers['Idempotency-Key']);
  });

  it('sends GIRS_PAYLOAD (the drill\'s one report on disk) with its given SHA-256, refusing a file of the wrong size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-payload-'));
    try {
      const plan = planFor(3);
      const file = join(dir, 'r.bin');
      const data = randomBytes(plan.reportBytes);
      writeFileSync(file, data);
      const { script, fake } = await loadScript(plan, { ...ENV, GIRS_BODY: 'per-vu', GIRS_PAYLOAD: file, GIRS_PAYLOAD_SHA256: sha(data) }, 1);
      script.submit();
      expect(fake.requests[0]!.bodyCopy!.equals(data)).toBe(true);
      expect(fake.requests[0]!.params.headers['X-Report-SHA256']).toBe(sha(data));
      writeFileSync(file, data.subarray(0, 1000));
      await expect(loadScript(plan, { ...ENV, GIRS_PAYLOAD: file }, 1)).rejects.toThrow(/GIRS_PAYLOAD: expected a file of 10000000 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts only accepted reports and fails the check otherwise', async () => {
    const { script, fake } = await loadScript(planFor(3), ENV);
    fake.respond = () => ({ status: 422 }); // a refusal: 503 would be retried (retry.ts)
    script.submit();
    expect(fake.checks).toEqual([{ name: 'report accepted (201)', ok: false }]);
    expect(fake.metrics).toEqual([]);
  });

  it('exports options with the model\'s integer rate, thresholds and discarded bodies', async () => {
    const plan = planFor(1);
    const { script } = await loadScript(plan, { ...ENV, SCENARIO: 'peak,spike,browse', DURATION: '60s' });
    const o = script.options;
    expect(o.discardResponseBodies).toBe(true);
    expect(o.scenarios.peak).toMatchObject({ executor: 'constant-arrival-rate', exec: 'submit', rate: plan.peak.rate, timeUnit: `${plan.peak.timeUnitSeconds}s`, duration: '60s' });
    expect(Math.abs(o.scenarios.peak.rate / plan.peak.timeUnitSeconds - girsTargets(1).reportsPerSecond) / girsTargets(1).reportsPerSecond).toBeLessThanOrEqual(0.005);
    expect(o.scenarios.spike.executor).toBe('ramping-arrival-rate');
    expect(Math.max(...o.scenarios.spike.stages.map((s: { target: number }) => s.target))).toBe(plan.peak.rate * plan.spikeFactor);
    expect(o.scenarios.browse.exec).toBe('browse');
    expect(Object.keys(o.thresholds).sort()).toEqual([
      'checks', 'dropped_iterations', 'girs_browse_looks', 'girs_reports_accepted', 'http_req_duration{op:upload,expected_response:true}',
      'http_req_duration{scenario:browse,expected_response:true}', 'http_req_failed',
    ]);
  });

  it('refuses to run as another pattern than it was built for, or without a URL or token', async () => {
    await expect(loadScript(planFor(1), { ...ENV, PATTERN: '2' })).rejects.toThrow(/built for Pattern 1; run k6\/dist\/girs-p2.js/);
    await expect(loadScript(planFor(1), { GIRS_TOKEN: 'x'.repeat(20) })).rejects.toThrow(/GIRS_URL: expected/);
    await expect(loadScript(planFor(1), { GIRS_URL: 'http://127.0.0.1:9' })).rejects.toThrow(/GIRS_TOKEN: expected/);
    await expect(loadScript(planFor(1), { ...ENV, GIRS_TOKEN: ' , ' })).rejects.toThrow(/GIRS_TOKEN: expected/);
    await expect(loadScript(planFor(1), { ...ENV, GIRS_BODY: 'zip' })).rejects.toThrow(/GIRS_BODY: expected/);
  });
});

describe('browse', () => {
  it('lists, searches, reads a listed report, and downloads its content every n-th look', async () => {
    const plan = planFor(2);
    const id = '0b5c3f3e-1f0a-4c43-9a3e-0f1f2a3b4c5d';
    const { script, fake, setIter } = await loadScript(plan, { ...ENV, SCENARIO: 'browse', GIRS_BROWSE_TOKEN: 'examiner-token-0123456789' });
    fake.respond = (r) => ({ status: 200, body: r.url.includes('/reports?limit') ? JSON.stringify({ total: 1, reports: [{ id }] }) : '{}' });
    setIter(0);
    script.browse();
    const urls = fake.requests.map((r) => r.url.replace('http://127.0.0.1:9', ''));
    expect(urls).toEqual(['/reports?limit=20&offset=0', '/reports?q=load&limit=20', `/reports/${id}`, `/reports/${id}/content`]);
    expect(fake.requests[0]!.params.responseType).toBe('text');
    expect(fake.requests.every((r) => r.params.headers.Authorization === 'Bearer examiner-token-0123456789')).toBe(true);
    fake.requests.length = 0;
    setIter(1);
    script.browse();
    expect(fake.requests.map((r) => r.url)).not.toContain(`http://127.0.0.1:9/reports/${id}/content`);
    expect(fake.checks.every((c) => c.ok)).toBe(true);
  });
});
