// The load drill with the real k6 (found as everywhere: K6, PATH, ../shared/bin/k6) against
// the lab intake, or a stand-in GIRS that fails on purpose, on loopback. These judge
// correctness — what was asked for, accepted, stored and reported — never the machine's
// speed: the figures of a run belong in README's benchmark table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPattern, findK6, k6FileNames } from '../k6/index.ts';
import type { PatternId } from '../sizing/index.ts';
import { run } from './load.ts';

const k6 = findK6();
const CHROMIUM = '/usr/bin/chromium';
const scratch = mkdtempSync(join(tmpdir(), 'load-k6-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// A busy 2-core box: k6 start-up, the run, its graceful stop and the evidence.
const T = 240_000;

const quiet = { log: () => {}, print: () => {}, echoK6: false, heartbeatSeconds: 3600 };
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

/** Runs the drill; returns its exit code (thrown InputErrors included) and its evidence. */
async function drill(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string; ev: any; summary: any; junit: string; html: string }> {
  const out = mkdtempSync(join(scratch, 'run-'));
  let code: number;
  try {
    code = await run([...args, '--out', out], { ...quiet, env });
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? -1;
  }
  const pattern = Number(args[args.indexOf('--pattern') + 1]) as PatternId;
  return {
    code, out, ev: readJson(join(out, 'evidence.json')), summary: readJson(join(out, k6FileNames(pattern).summary)),
    junit: readFileSync(join(out, k6FileNames(pattern).junit), 'utf8'), html: readFileSync(join(out, 'load-report.html'), 'utf8'),
  };
}

/** JUnit's own tally matches its test cases, and its failures match the verdict. */
function expectConsistentJunit(junit: string, ok: boolean): void {
  const tests = Number(/<testsuite [^>]*tests="(\d+)"/.exec(junit)![1]);
  const failures = Number(/<testsuite [^>]*failures="(\d+)"/.exec(junit)![1]);
  expect(tests).toBeGreaterThan(0);
  expect(junit.match(/<testcase /g)!.length).toBe(tests);
  expect(junit.match(/<failure /g)?.length ?? 0).toBe(failures);
  expect(failures === 0).toBe(ok);
}

/** A stand-in GIRS: lists answer 200, uploads are handled by `upload`. */
async function fakeGirs(upload: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET') { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"total":0,"reports":[]}'); return; }
    upload(req, res);
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const drain = (req: IncomingMessage, then: () => void) => { req.resume(); req.on('end', then); };
const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });

describe.skipIf(k6.path === null)(k6.path === null ? `real k6: SKIPPED — ${k6.reason}` : `real k6 (${k6.version}, ${k6.path})`, () => {
  it.each(['1', '2', '3'])('drill at Pattern %s for a few seconds: what k6 accepted, the intake stored and verified, and the files agree', async (p) => {
    const r = await drill(['--pattern', p, '--duration', '3s']);
    const o = r.ev.outcome;
    expect(r.ev.k6).toMatchObject({ version: k6.path ? k6.version : '', exits: [expect.any(Number)] });
    expect(o.expectedReports).toBeGreaterThan(0);
    expect(o.acceptedReports).toBeGreaterThan(0);
    // Every report k6 counted as accepted is one the intake stored after its SHA-256 check
    // (it may hold a few more: uploads it finished after k6's graceful stop gave up on them).
    expect(r.ev.intakeStored).toBeGreaterThanOrEqual(o.acceptedReports);
    expect(r.ev.intakeStored).toBeLessThanOrEqual(o.acceptedReports + r.ev.resources.k6.vusMax);
    // The intake's own metrics sit next to k6's: every upload it answered 201 (the preflight's
    // one included) and nothing it counted as a store error.
    expect(r.ev.intakeMetrics.uploadsCreated).toBe(r.ev.intakeStored + 1);
    expect(r.ev.intakeMetrics.answers['201']).toBeGreaterThanOrEqual(r.ev.intakeMetrics.uploadsCreated);
    expect(r.ev.intakeMetrics.storeErrors).toEqual({});
    expect(r.code).toBe(o.ok ? 0 : 1);
    expect(r.summary.ok).toBe(o.ok);
    expectConsistentJunit(r.junit, o.ok);
    expect(r.ev.firstReportAfterSeconds).toEqual(expect.any(Number));
    expect(r.ev.resources.k6).toMatchObject({ cpuSeconds: expect.any(Number), peakRssMB: expect.any(Number), vusMax: expect.any(Number) });
    expect(r.ev.resources.intake.peakRssMB).toBeGreaterThan(0);
    // k6's own end-of-test summary, for people, is in its log.
    expect(readFileSync(join(r.out, 'k6.log'), 'utf8')).toMatch(/girs_reports_accepted\.+: \d+/);
  }, T);

  it('runs every scenario: soak, spike and browse together', async () => {
    const r = await drill(['--pattern', '3', '--duration', '6s', '--scenario', 'soak,spike,browse']);
    const points = readFileSync(join(r.out, 'k6-points.json'), 'utf8');
    for (const s of ['soak', 'spike', 'browse']) expect(points).toContain(`"scenario":"${s}"`);
    const names = r.ev.outcome.checks.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['accepted reports', 'browse looks answered', 'stored and SHA-256 verified by the intake']));
    expect(r.ev.intakeStored).toBeGreaterThanOrEqual(r.ev.outcome.acceptedReports);
    expect(r.ev.thresholds.map((t: { metric: string }) => t.metric)).toEqual(expect.arrayContaining(['girs_browse_looks', 'http_req_duration{scenario:browse,expected_response:true}']));
    expectConsistentJunit(r.junit, r.ev.outcome.ok);
  }, T);

  it('splits a test over two k6 instances with the execution segments k6-operator uses, with no duplicate keys', async () => {
    const r = await drill(['--pattern', '3', '--duration', '4s', '--runners', '2']);
    const parts = ['-1', '-2'].map((s) => readJson(join(r.out, `k6-summary-export${s}.json`)).metrics);
    const iterations = parts.map((m) => m.iterations?.count ?? 0);
    const dropped = parts.map((m) => m.dropped_iterations?.count ?? 0);
    // Each runner ran its half of the arrivals (4/s for 4 s), together all of them.
    for (let i = 0; i < 2; i++) expect(iterations[i]! + dropped[i]!).toBeGreaterThanOrEqual(8);
    expect(iterations[0]! + dropped[0]! + iterations[1]! + dropped[1]!).toBeGreaterThanOrEqual(r.ev.outcome.expectedReports);
    // Every answered request was a new report (a repeated key is a 200 replay or a 409, not
    // a 201), and the intake stored every one of them.
    expect(r.ev.outcome.requests).toBe(r.ev.outcome.acceptedReports);
    expect(r.ev.intakeStored).toBeGreaterThanOrEqual(r.ev.outcome.acceptedReports);
    expect(r.ev.k6.exits).toHaveLength(2);
    expectConsistentJunit(r.junit, r.ev.outcome.ok);
    // The report draws both runners' samples.
    expect(r.html).toContain('id="chart-rate"');
  }, T);

  describe('a run that misses its target fails: exit code, JSON summary and JUnit', () => {
    const expectFailed = (r: Awaited<ReturnType<typeof drill>>, missed: RegExp) => {
      expect(r.code).toBe(1);
      expect(r.summary.ok).toBe(false);
      expect(r.ev.status).not.toBe('targets-met');
      expectConsistentJunit(r.junit, false);
      expect(r.junit).toMatch(missed);
      expect(r.html).toMatch(/class="verdict fail"/);
    };

    it('when the intake answers 5xx', async () => {
      const g = await fakeGirs((req, res) => drain(req, () => { res.writeHead(503, { 'Retry-After': '1' }); res.end('{"error":"unavailable"}'); }));
      try {
        const r = await drill(['--pattern', '3', '--duration', '3s'], { ...process.env, GIRS_URL: g.url, GIRS_TOKEN: 'agency-token-0123456789' });
        expectFailed(r, /name="accepted reports">\s*<failure/);
        expect(r.ev.outcome.acceptedReports).toBe(0);
        expect(r.junit).toMatch(/name="http_req_failed rate&lt;0.001">\s*<failure/);
      } finally { await close(g.server); }
    }, T);

    it('when the intake is slow', async () => {
      // 6 s per upload against the 5 s p95 bound of a 10 MB report.
      const g = await fakeGirs((req, res) => drain(req, () => setTimeout(() => { res.writeHead(201, { 'Content-Type': 'application/json' }); res.end('{}'); }, 6000)));
      try {
        const r = await drill(['--pattern', '3', '--duration', '3s'], { ...process.env, GIRS_URL: g.url, GIRS_TOKEN: 'agency-token-0123456789' });
        expectFailed(r, /name="upload p95 ms \(answered\)">\s*<failure/);
      } finally { await close(g.server); }
    }, T);

    it('when the intake goes down after the preflight', async () => {
      const g = await fakeGirs((req) => req.socket.destroy());
      const r = await drill(['--pattern', '3', '--duration', '3s'], { ...process.env, GIRS_URL: g.url, GIRS_TOKEN: 'agency-token-0123456789' });
      await close(g.server);
      expectFailed(r, /name="failed requests">\s*<failure/);
      expect(r.ev.outcome.acceptedReports).toBe(0);
    }, T);

    it('when k6 cannot start its VUs', async () => {
      const g = await fakeGirs((req, res) => drain(req, () => { res.writeHead(201); res.end('{}'); }));
      try {
        // A token list with no token in it passes the drill's check but fails every VU's init.
        const r = await drill(['--pattern', '3', '--duration', '3s'], { ...process.env, GIRS_URL: g.url, GIRS_TOKEN: ' , ' });
        expectFailed(r, /name="k6 run">\s*<failure message="k6 exited 107/);
        expect(r.ev.status).toBe('k6-failed');
        expect(readFileSync(join(r.out, 'k6.log'), 'utf8')).toMatch(/GIRS_TOKEN: expected a bearer token/);
      } finally { await close(g.server); }
    }, T);

    it('k6 itself refuses a bundle run without GIRS_URL (exit 107, before any request)', async () => {
      const b = await buildPattern(3, join(scratch, 'dist'));
      const r = spawnSync(k6.path!, ['run', '--quiet', b.bundle], { encoding: 'utf8', env: { ...process.env, GIRS_URL: '', GIRS_TOKEN: 'x', DURATION: '2s' }, timeout: T });
      expect(r.status).toBe(107);
      expect(r.stdout + r.stderr).toMatch(/GIRS_URL: expected the GIRS base URL/);
    }, T);
  });

  it.skipIf(!existsSync(CHROMIUM))('the HTML load report opens in Chromium with its four charts and no network', async () => {
    const r = await drill(['--pattern', '3', '--duration', '4s']);
    expect(r.html).not.toMatch(/<script|<link|src="http/);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (q) => { if (!q.url().startsWith('file:')) requests.push(q.url()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${join(r.out, 'load-report.html')}`);
      const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return { id: f.id, caption: f.querySelector('figcaption')?.textContent ?? '', marks: svg ? svg.querySelectorAll('path, line, rect, circle').length : 0, w: box?.width ?? 0, h: box?.height ?? 0 };
      }));
      expect(charts.map((c) => c.id)).toEqual(['chart-rate', 'chart-latency', 'chart-errors', 'chart-mbps']);
      for (const c of charts) {
        expect(c.marks, c.id).toBeGreaterThan(3);
        expect(c.w * c.h, c.id).toBeGreaterThan(10_000);
      }
      expect(charts[0]!.caption).toMatch(/against the model's target/);
      const rows = await page.$$eval('#checks tr', (trs) => trs.length);
      expect(rows).toBe(r.ev.outcome.checks.length + 1);
      expect(await page.textContent('#verdict')).toBe(r.ev.outcome.ok ? 'targets met' : r.ev.status);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, T);
});
