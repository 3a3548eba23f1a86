// GIRS report-submission load for k6 (run here on v0.48; written against the current
// k6 API, @types/k6 2.x): peak / soak / spike submit reports, browse plays OOG staff
// searching and examining them. Every rate, size and duration comes from the plan: baked
// in by `npm run k6:build` (k6/build.ts), or read from GIRS_PLAN when k6 >= 1.0 runs
// this TypeScript file directly.
//
// No handleSummary: k6 prints its usual end-of-test summary; the drill turns
// --summary-export and --out json into the JSON, JUnit and HTML evidence.
import { check } from 'k6';
import { randomBytes, sha256 } from 'k6/crypto';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { buildOptions, parseScenarios } from './options.ts';
import { browseQueries, hex, parseBodyMode, idempotencyKey, joinUrl, reportTitle, runIdFrom, stamp, tokenFor, uploadHeaders } from './payload.ts';
import { postWithRetry } from './retry.ts';
import { withRetryHeadroom } from './retry-policy.ts';
import type { Plan } from './types.ts';

declare const __GIRS_PLAN__: Plan;
function loadPlan(): Plan {
  if (typeof __GIRS_PLAN__ !== 'undefined') return __GIRS_PLAN__;
  const file = __ENV.GIRS_PLAN || '';
  if (file === '') throw new Error('GIRS_PLAN: this unbundled script needs the plan file, e.g. -e GIRS_PLAN=$PWD/k6/dist/girs-p2.plan.json (npm run k6:build writes it)');
  return JSON.parse(open(file)) as Plan;
}
const plan: Plan = loadPlan();

export const options = withRetryHeadroom(buildOptions(plan, __ENV), __ENV);

const base = __ENV.GIRS_URL || '';
if (__VU > 0 && !/^https?:\/\/[^/]+/.test(base)) throw new Error(`GIRS_URL: expected the GIRS base URL such as http://127.0.0.1:8080, got "${base}"`);
const tokens = __ENV.GIRS_TOKEN || '';
const chosen = parseScenarios(__ENV.SCENARIO);
const submitting = chosen.some((s) => s !== 'browse');
// Checked in every VU's init, so a bad token list stops k6 before any load.
const token = __VU > 0 && submitting ? tokenFor(tokens, __VU) : '';
const examinerToken = __VU > 0 && chosen.indexOf('browse') >= 0 ? tokenFor(__ENV.GIRS_BROWSE_TOKEN || tokens, __VU) : '';
const runId = runIdFrom(__ENV.GIRS_RUN_ID, () => hex(randomBytes(4)));

// One report buffer per VU, made in its init context; VU 0 only parses options.
// GIRS_PAYLOAD names a file of the report's size to send (k6 copies it into each VU in
// milliseconds; VU 0 must open it too, so it is part of the test); without it every VU
// fills its buffer natively with randomBytes (~50-250 ms per 10 MB).
const payloadFile = __ENV.GIRS_PAYLOAD || '';
const payload: ArrayBuffer | null = submitting && payloadFile !== '' ? open(payloadFile, 'b') : null;
if (payload !== null && payload.byteLength !== plan.reportBytes) throw new Error(`GIRS_PAYLOAD: expected a file of ${plan.reportBytes} bytes (the Pattern ${plan.pattern} report), got ${payload.byteLength} bytes in ${payloadFile}`);
const body: ArrayBuffer | null = __VU > 0 && submitting ? (payload !== null ? payload : randomBytes(plan.reportBytes)) : null;
// GIRS_BODY=unique (default): every report distinct, stamped and hashed again (one native
// SHA-256 of the whole report per submission: ~80 ms per 10 MB on k6 0.48's Go 1.19).
// GIRS_BODY=per-vu: the VU's body is hashed once (or GIRS_PAYLOAD_SHA256 is taken) and
// sent for each of its reports, with distinct keys and titles: for an intake that does not
// de-duplicate content, where hashing 21 reports/s of 10 MB would take more CPU than the
// load generator has.
const bodyMode = parseBodyMode(__ENV.GIRS_BODY);
const fixedDigest: string | null = body === null || bodyMode !== 'per-vu' ? null
  : payload !== null && /^[0-9a-f]{64}$/.test(__ENV.GIRS_PAYLOAD_SHA256 || '') ? (__ENV.GIRS_PAYLOAD_SHA256 as string) : sha256(body, 'hex');

const accepted = new Counter('girs_reports_accepted');
const acceptedBytes = new Counter('girs_report_bytes');
const looks = new Counter('girs_browse_looks');

/**
 * The one place a report goes over the wire, so a retry policy (same Idempotency-Key,
 * Retry-After) wraps exactly this call.
 */
export function postReport(url: string, payload: ArrayBuffer, headers: Record<string, string>): RefinedResponse<ResponseType | undefined> {
  // Retries 503/429 (Retry-After) and connection errors with the same key and body (retry.ts).
  return postWithRetry(url, payload, { headers, tags: { op: 'upload', name: 'POST /reports' }, timeout: '300s' });
}

export function submit(): void {
  if (body === null) throw new Error('no report buffer in this VU');
  const scenario = exec.scenario.name;
  const i = exec.scenario.iterationInTest;
  let digest = fixedDigest;
  if (digest === null) {
    stamp(body, scenario, i, Date.now());
    digest = sha256(body, 'hex');
  }
  const key = idempotencyKey(plan.pattern, runId, scenario, i);
  const res = postReport(joinUrl(base, '/reports'), body, uploadHeaders(token, digest, key, reportTitle(plan.pattern, runId, scenario, i)));
  if (check(res, { 'report accepted (201)': (r) => r.status === 201 })) {
    accepted.add(1);
    acceptedBytes.add(plan.reportBytes);
  }
}

export function browse(): void {
  const headers = { Authorization: `Bearer ${examinerToken}` };
  const q = browseQueries(__ITER);
  const list = http.get(joinUrl(base, q.list), { headers, responseType: 'text', tags: { op: 'list', name: 'GET /reports' } });
  const listed = check(list, { 'list answered (200)': (r) => r.status === 200 });
  const found = http.get(joinUrl(base, q.search), { headers, tags: { op: 'search', name: 'GET /reports?q' } });
  if (listed && check(found, { 'search answered (200)': (r) => r.status === 200 })) looks.add(1);
  let id: string | undefined;
  if (list.status === 200 && typeof list.body === 'string') {
    const reports = (JSON.parse(list.body) as { reports?: { id: string }[] }).reports || [];
    const pick = reports[__ITER % Math.max(1, reports.length)];
    id = pick ? pick.id : undefined;
  }
  if (id === undefined) return;
  const meta = http.get(joinUrl(base, `/reports/${id}`), { headers, tags: { op: 'get', name: 'GET /reports/:id' } });
  check(meta, { 'report metadata (200)': (r) => r.status === 200 });
  if (__ITER % plan.browseContentEvery === 0) {
    const content = http.get(joinUrl(base, `/reports/${id}/content`), { headers, timeout: '300s', tags: { op: 'content', name: 'GET /reports/:id/content' } });
    check(content, { 'report content (200)': (r) => r.status === 200 });
  }
}

export default submit;
