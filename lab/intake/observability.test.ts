// Access log, /metrics, /openapi.json (checked against real answers) and the Grafana
// dashboard in docs/ (every metric it charts must exist on /metrics).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, type RunningIntake } from './intake.ts';
import { ROUTES } from './app.ts';
import { bucketQuantile, summarizeIntakeMetrics } from './metrics-summary.ts';
import { body, call, eventually, metricValue, newKey, type Reply, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'intake-observe-'));
const DASHBOARD = fileURLToPath(new URL('../../docs/grafana-intake.json', import.meta.url));
let intake: RunningIntake;
const lines: string[] = [];
/** Every answer the tests below saw, with the operation it belongs to. */
const seen: Array<{ method: string; template: string; reply: Reply }> = [];

async function hit(method: string, template: string, path: string, opts: Parameters<typeof call>[3] = {}): Promise<Reply> {
  const reply = await call(intake.url, method, path, opts);
  seen.push({ method, template, reply });
  return reply;
}

beforeAll(async () => {
  intake = await startIntake({ store: 'fs', dataDir: join(dir, 'data'), tokens: TEST_TOKEN_MAP, maxBytes: 200_000, accessLog: (l) => lines.push(l) });
  // A tour of the API, good and bad, recorded for the checks below.
  const b = body(60_000);
  const key = newKey();
  const up = async (bytes: Buffer, o: Parameters<typeof upload>[2]) => {
    const reply = await upload(intake.url, bytes, o);
    seen.push({ method: 'POST', template: '/reports', reply });
    return reply;
  };
  const created = await up(b.bytes, { token: T.m1, key, title: 'Báo cáo quý' });
  await up(b.bytes, { token: T.m1, key }); // 200 replay
  await up(body(10).bytes, { token: T.m1, key }); // 409
  await up(b.bytes, { token: T.m1, sha256: '0'.repeat(64) }); // 422
  await up(body(300_000).bytes, { token: T.m1 }); // 413
  await up(b.bytes, { token: T.m1, sha256: 'xyz' }); // 400
  await up(b.bytes, { token: 'nobody' }); // 401
  await up(b.bytes, { token: T.ex }); // 403
  const id = created.json.id as string;
  await hit('GET', '/reports', '/reports?limit=5', { token: T.ex });
  await hit('GET', '/reports', '/reports?limit=0', { token: T.ex });
  await hit('GET', '/reports', '/reports?agency=ministry-02', { token: T.m1 });
  await hit('GET', '/reports/{id}', `/reports/${id}`, { token: T.m1 });
  await hit('GET', '/reports/{id}', '/reports/nope', { token: T.m1 });
  await hit('GET', '/reports/{id}', `/reports/${id}`, { token: T.m2 }); // 404 for another agency
  await hit('GET', '/reports/{id}/content', `/reports/${id}/content`, { token: T.ex });
  await hit('POST', '/reports/{id}/decision', `/reports/${id}/decision`, { token: T.ex, body: '{"decision":"maybe"}' });
  await hit('POST', '/reports/{id}/decision', `/reports/${id}/decision`, { token: T.ex, body: '{"decision":"approved"}' });
  await hit('DELETE', '/reports/{id}', `/reports/${id}`, { token: T.m1 }); // 409: decided
  const w = (await up(body(100).bytes, { token: T.m2 })).json.id as string;
  await hit('DELETE', '/reports/{id}', `/reports/${w}`, { token: T.m2 });
  await hit('GET', '/healthz', '/healthz');
  await hit('GET', '/openapi.json', '/openapi.json');
  await hit('GET', '/metrics', '/metrics');
}, 60_000);

afterAll(async () => {
  await intake?.close(200);
  rmSync(dir, { recursive: true, force: true });
});

describe('access log', () => {
  it('writes one JSON line per request with id, agency, route, status, bytes and duration, and never a token', async () => {
    // A line is written when the server closes the answer, which may be just after the client has it.
    await eventually('a line per request', () => lines.length >= seen.length);
    expect(lines.length).toBe(seen.length);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, e] of entries.entries()) {
      expect(Object.keys(e).sort()).toEqual(['agency', 'bytesIn', 'bytesOut', 'durationMs', 'error', 'method', 'path', 'remote', 'requestId', 'route', 'status', 'time'].concat('msg').sort());
      expect(typeof e.durationMs).toBe('number');
      expect(e.requestId, `line ${i}`).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Each line belongs to an answer that carried its id.
    const ids = new Set(seen.map((s) => s.reply.headers['x-request-id']));
    expect(new Set(entries.map((e) => e.requestId))).toEqual(ids);
    const first = entries.find((e) => e.requestId === seen[0]!.reply.headers['x-request-id'])!;
    expect(first).toMatchObject({ method: 'POST', route: '/reports', status: 201, agency: 'ministry-01', bytesIn: 60_000, error: null });
    expect(first.bytesOut).toBe(seen[0]!.reply.body.length);
    expect(entries.find((e) => e.status === 422)).toMatchObject({ error: 'checksum_mismatch', agency: 'ministry-01' });
    expect(entries.find((e) => e.status === 401)).toMatchObject({ error: 'unauthorized', agency: null });
    const text = lines.join('\n');
    for (const token of [...Object.values(T), 'nobody']) expect(text).not.toContain(token);
  });

  it('takes a well-formed X-Request-Id from the caller and replaces a malformed one', async () => {
    const mine = await call(intake.url, 'GET', '/healthz', { headers: { 'x-request-id': 'lb-7f3a.1' } });
    expect(mine.headers['x-request-id']).toBe('lb-7f3a.1');
    const bad = await call(intake.url, 'GET', '/healthz', { headers: { 'x-request-id': 'a b\tc' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/metrics', () => {
  it('counts requests by route and status, bytes, stored reports, uploads in flight and fsync time', async () => {
    // A request is counted when its socket closes, which can come just after the client has
    // read the whole answer: wait for that event rather than read the counters once. A body
    // streamed from disk whose client hangs up the moment the last byte arrives may close
    // before the server's end() runs, and is then counted as cut short (499), as nginx does.
    let m = '';
    const count = (route: string, status: string) => metricValue(m, 'girs_intake_http_requests_total', { route, status });
    const content = () => count('/reports/:id/content', '200') + count('/reports/:id/content', '499');
    for (let i = 0; i < 100 && content() < 1; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      m = (await call(intake.url, 'GET', '/metrics')).body.toString();
    }
    expect(count('/reports', '201')).toBe(2);
    expect(count('/reports', '422')).toBe(1);
    expect(content()).toBe(1);
    expect(metricValue(m, 'girs_intake_http_request_duration_seconds_count', { route: '/reports', status: '201' })).toBe(2);
    expect(metricValue(m, 'girs_intake_reports_stored_total', { store: 'fs' })).toBe(2);
    // Two 60,000-byte bodies (first and replay), the 422 one, the 100-byte one, and at least what was read of the rest.
    expect(metricValue(m, 'girs_intake_received_bytes_total')).toBeGreaterThanOrEqual(3 * 60_000 + 100);
    expect(metricValue(m, 'girs_intake_uploads_in_flight')).toBe(0);
    for (const kind of ['body', 'objects_dir', 'meta']) {
      expect(metricValue(m, 'girs_intake_fsync_duration_seconds_count', { kind }), kind).toBeGreaterThanOrEqual(2);
    }
    expect(m).toMatch(/^# TYPE girs_intake_store_errors_total counter$/m);
    expect(m).toMatch(/^girs_intake_process_resident_memory_bytes \d+/m);
    // Route labels are templates, never raw paths with ids.
    const routes = new Set([...m.matchAll(/route="([^"]*)"/g)].map((x) => x[1]));
    for (const r of routes) expect([...ROUTES, 'unmatched']).toContain(r);
  });
});

describe('/openapi.json', () => {
  type Doc = { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required: boolean }>; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>; components: { schemas: Record<string, object> } };

  it('is OpenAPI 3.1 and documents the headers the handlers check', async () => {
    const doc = (await call(intake.url, 'GET', '/openapi.json')).json as Doc;
    expect(doc.openapi).toBe('3.1.0');
    const params = doc.paths['/reports']!.post!.parameters!;
    expect(params.filter((p) => p.in === 'header').map((p) => [p.name, p.required])).toEqual([['X-Report-SHA256', true], ['Idempotency-Key', true], ['X-Report-Title', false]]);
    expect(doc.paths['/reports']!.get!.parameters!.map((p) => p.name)).toEqual(['agency', 'status', 'q', 'limit', 'offset']);
  });

  it('describes every real answer: status documented, JSON bodies valid against its schemas', async () => {
    const doc = (await call(intake.url, 'GET', '/openapi.json')).json as Doc;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    const validatorFor = (ref: string) => {
      if (!validators.has(ref)) validators.set(ref, ajv.compile(doc.components.schemas[ref.replace('#/components/schemas/', '')]!));
      return validators.get(ref)!;
    };
    const statuses = new Set<string>();
    for (const { method, template, reply } of seen) {
      const op = doc.paths[template]?.[method.toLowerCase()];
      expect(op, `${method} ${template}`).toBeDefined();
      const documented = op!.responses[String(reply.status)];
      expect(documented, `${method} ${template} answered ${reply.status}, which the document does not list`).toBeDefined();
      statuses.add(`${method} ${template} ${reply.status}`);
      const ref = documented!.content?.['application/json']?.schema.$ref;
      if (ref) {
        const valid = validatorFor(ref);
        expect(valid(reply.json), `${method} ${template} ${reply.status}: ${JSON.stringify(valid.errors)}`).toBe(true);
      }
    }
    // Every operation was seen succeeding at least once, so none is documented blind.
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        expect([...statuses].some((s) => s.startsWith(`${method.toUpperCase()} ${path} 2`)), `${method} ${path}`).toBe(true);
      }
    }
  });
});

describe('Grafana dashboard (docs/grafana-intake.json)', () => {
  it('is valid JSON whose every panel charts metrics the intake really exports', async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dash.uid).toBe('girs-lab-intake');
    expect(dash.panels.length).toBeGreaterThanOrEqual(10);
    const m = (await call(intake.url, 'GET', '/metrics')).body.toString();
    const families = new Set([...m.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : type === 'summary' ? [name!, `${name}_sum`, `${name}_count`] : [name!]));
    const used = new Set<string>();
    for (const p of dash.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) {
        const names = [...t.expr.matchAll(/\b(girs_intake_[a-z0-9_]+)/g)].map((x) => x[1]!);
        expect(names.length, `${p.title}: ${t.expr}`).toBeGreaterThan(0);
        for (const n of names) {
          expect(families.has(n), `${p.title}: ${n} is not on /metrics`).toBe(true);
          used.add(n.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    // Every intake-specific metric has a panel.
    for (const name of ['http_requests_total', 'http_request_duration_seconds', 'received_bytes_total', 'reports_stored_total', 'uploads_in_flight', 'fsync_duration_seconds', 'store_errors_total']) {
      expect(used.has(`girs_intake_${name}`), name).toBe(true);
    }
  });
});

describe('summarizeIntakeMetrics (the server-side view a load drill records)', () => {
  it('sums answers, uploads, bytes and errors and interpolates quantiles from the buckets', async () => {
    const s = summarizeIntakeMetrics((await call(intake.url, 'GET', '/metrics')).body.toString());
    expect(s.uploadsCreated).toBe(2);
    expect(s.reportsStored).toBe(2);
    expect(s.answers['422']).toBe(1);
    expect(s.receivedBytes).toBeGreaterThanOrEqual(3 * 60_000 + 100);
    expect(s.uploadSeconds.p95).toBeGreaterThan(0);
    expect(Object.keys(s.fsyncP99).sort()).toEqual(['body', 'meta', 'objects_dir']);
  });

  it('bucketQuantile matches histogram_quantile on a known histogram', () => {
    const b = [{ le: 0.1, count: 10 }, { le: 0.5, count: 90 }, { le: 1, count: 100 }, { le: Infinity, count: 100 }];
    expect(bucketQuantile(b, 0.5)).toBeCloseTo(0.1 + 0.4 * (40 / 80));
    expect(bucketQuantile(b, 0.95)).toBeCloseTo(0.5 + 0.5 * (5 / 10));
    expect(bucketQuantile([{ le: Infinity, count: 0 }], 0.5)).toBeNull();
  });
});
