// Client retry for report submission: a failover makes the intake answer 503 with
// Retry-After (or drops connections) for a few seconds. The same request, with the same
// Idempotency-Key and body, is sent again, so the report is stored exactly once whether
// or not an earlier attempt committed. Bounded by RETRY_MAX_ATTEMPTS.
import { sleep } from 'k6';
import http from 'k6/http';
import type { RefinedParams, RefinedResponse, ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { retryDelay, retryPolicy } from './retry-policy.ts';

const policy = retryPolicy(__ENV);
/** Extra attempts, over all reports. */
const retries = new Counter('girs_retries');
/** Reports that needed at least one retry. */
const retriedReports = new Counter('girs_retried_reports');
/** Reports still unanswered or refused after the last attempt. */
const exhausted = new Counter('girs_retry_exhausted');

function header(res: { headers?: Record<string, string> }, name: string): string | undefined {
  const h = res.headers || {};
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : h[key];
}

/** http.post, repeated while the answer says "try again"; returns the last response. */
export function postWithRetry<RT extends ResponseType | undefined>(url: string, body: ArrayBuffer, params: RefinedParams<RT>): RefinedResponse<RT> {
  let attempt = 1;
  for (;;) {
    const res = http.post(url, body, params);
    const wait = retryDelay(res.status, header(res, 'Retry-After'), attempt, policy, Math.random());
    if (wait === null) {
      if (attempt > 1 && (res.status === 0 || res.status >= 500 || res.status === 429)) exhausted.add(1);
      return res;
    }
    if (attempt === 1) retriedReports.add(1);
    retries.add(1);
    sleep(wait);
    attempt++;
  }
}
