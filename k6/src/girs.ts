// GIRS report-submission load for k6 >= 0.47: peak / soak / spike submit reports,
// browse plays OOG staff searching and examining them. Every rate, size and duration
// comes from the plan baked in at build time from the sizing model (k6/build.ts).
import { check } from 'k6';
import { sha256 } from 'k6/crypto';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { buildOptions, parseScenarios } from './options.ts';
import { browseQueries, idempotencyKey, joinUrl, makeBody, reportTitle, stamp, tokenFor, uploadHeaders } from './payload.ts';
import { postWithRetry } from './retry.ts';
import { withRetryHeadroom } from './retry-policy.ts';
import { summaryFiles, type SummaryData } from './summary.ts';
import type { Plan } from './types.ts';

declare const __GIRS_PLAN__: Plan;
const plan: Plan = __GIRS_PLAN__;

export const options = withRetryHeadroom(buildOptions(plan, __ENV), __ENV);

const base = __ENV.GIRS_URL || '';
if (__VU > 0 && !/^https?:\/\/[^/]+/.test(base)) throw new Error(`GIRS_URL: expected the GIRS base URL such as http://127.0.0.1:8080, got "${base}"`);
const tokens = __ENV.GIRS_TOKEN || '';
if (__VU > 0 && tokens === '') throw new Error('GIRS_TOKEN: expected an agency bearer token (or a comma-separated list)');

const submitting = parseScenarios(__ENV.SCENARIO).some((s) => s !== 'browse');
// One report buffer per VU, made in its init context; VU 0 only parses options.
const body: ArrayBuffer | null = __VU > 0 && submitting ? makeBody(plan.reportBytes, __VU) : null;

const accepted = new Counter('girs_reports_accepted');
const acceptedBytes = new Counter('girs_report_bytes');

export function submit(): void {
  if (body === null) throw new Error('no report buffer in this VU');
  const now = Date.now();
  stamp(body, __VU, __ITER, now);
  const digest = sha256(body, 'hex');
  const key = idempotencyKey(plan.pattern, __VU, __ITER, now, Math.random());
  const res = postWithRetry(joinUrl(base, '/reports'), body, {
    headers: uploadHeaders(tokenFor(tokens, __VU), digest, key, reportTitle(plan.pattern, __VU, __ITER)),
    tags: { op: 'upload', name: 'POST /reports' },
    timeout: '300s',
  });
  if (check(res, { 'report accepted (201)': (r) => r.status === 201 })) {
    accepted.add(1);
    acceptedBytes.add(plan.reportBytes);
  }
}

export function browse(): void {
  const token = tokenFor(__ENV.GIRS_BROWSE_TOKEN || tokens, __VU);
  const headers = { Authorization: `Bearer ${token}` };
  const q = browseQueries(__ITER);
  const list = http.get(joinUrl(base, q.list), { headers, responseType: 'text', tags: { op: 'list', name: 'GET /reports' } });
  check(list, { 'list answered (200)': (r) => r.status === 200 });
  const found = http.get(joinUrl(base, q.search), { headers, tags: { op: 'search', name: 'GET /reports?q' } });
  check(found, { 'search answered (200)': (r) => r.status === 200 });
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

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryFiles(data, plan, __ENV);
}
