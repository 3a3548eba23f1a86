// Client retry: which answers are retried, how long it waits, that every attempt is the
// same request (same Idempotency-Key, same body), and the VU headroom for retries.
import { describe, expect, it } from 'vitest';
import { planFor } from './plan.ts';
import { buildOptions } from './src/options.ts';
import { parseRetryAfter, retryDelay, retryPolicy, withRetryHeadroom } from './src/retry-policy.ts';
import { loadScript } from './testing.ts';

const ENV = { GIRS_URL: 'http://127.0.0.1:9/', GIRS_TOKEN: 'token-a-0123456789abcdef' };
const P = retryPolicy({});

describe('retry policy', () => {
  it('retries 503/429 after Retry-After, connection errors with backoff, 409 only with Retry-After', () => {
    expect(retryDelay(503, '2', 1, P, 0.5)).toBe(2);
    expect(retryDelay(429, '7', 3, P, 0.5)).toBe(7);
    expect(retryDelay(503, '3600', 1, P, 0.5)).toBe(30); // capped at RETRY_MAX_WAIT_S
    expect(retryDelay(0, undefined, 1, P, 1)).toBe(0.5);
    expect(retryDelay(0, undefined, 3, P, 1)).toBe(2);
    expect(retryDelay(409, '1', 1, P, 0.5)).toBe(1);
    for (const s of [200, 201, 400, 401, 409, 413, 422, 500]) expect(retryDelay(s, undefined, 1, P, 0.5)).toBeNull();
  });
  it('stops after RETRY_MAX_ATTEMPTS', () => {
    const p = retryPolicy({ RETRY_MAX_ATTEMPTS: '3' });
    expect(retryDelay(503, '1', 2, p, 0.5)).toBe(1);
    expect(retryDelay(503, '1', 3, p, 0.5)).toBeNull();
  });
  it('reads Retry-After as seconds or a date, and rejects bad settings', () => {
    expect(parseRetryAfter('5', 0)).toBe(5);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 0)).toBe(10);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(() => retryPolicy({ RETRY_MAX_ATTEMPTS: '0' })).toThrow(/RETRY_MAX_ATTEMPTS: expected an integer from 1 to 1000/);
  });
  it('adds rate × RETRY_HEADROOM_S VUs to arrival-rate scenarios only when asked', () => {
    const plan = planFor(3);
    const opts = buildOptions(plan, { SCENARIO: 'peak,browse' });
    expect(withRetryHeadroom(opts, {})).toBe(opts);
    const more = withRetryHeadroom(opts, { RETRY_HEADROOM_S: '30' }) as any;
    expect(more.scenarios.peak.maxVUs).toBe(plan.vus.peak.max + 4 * 30);
    expect(more.scenarios.browse.maxVUs).toBe(plan.vus.browse.max + 2 * 30);
    expect(() => withRetryHeadroom(opts, { RETRY_HEADROOM_S: '-1' })).toThrow(/RETRY_HEADROOM_S/);
  });
});

describe('submit retries in the bundled script', () => {
  it('sends the same report with the same key until it is accepted, honouring Retry-After, and counts the retries', async () => {
    const { script, fake } = await loadScript(planFor(3), ENV, 1);
    const answers = [{ status: 503, headers: { 'Retry-After': '2' } }, { status: 0 }, { status: 201 }];
    fake.respond = () => answers.shift()!;
    script.submit();
    expect(fake.requests).toHaveLength(3);
    const keys = new Set(fake.requests.map((r) => r.params.headers['Idempotency-Key']));
    const shas = new Set(fake.requests.map((r) => r.params.headers['X-Report-SHA256']));
    expect(keys.size).toBe(1);
    expect(shas.size).toBe(1);
    expect(fake.requests.every((r) => r.bodyCopy!.equals(fake.requests[0]!.bodyCopy!))).toBe(true);
    expect(fake.sleeps[0]).toBe(2);
    expect(fake.metrics.filter((m) => m.name === 'girs_retries').length).toBe(2);
    expect(fake.metrics.filter((m) => m.name === 'girs_retried_reports').length).toBe(1);
    expect(fake.metrics.some((m) => m.name === 'girs_reports_accepted')).toBe(true);
  });
  it('does not retry a refusal, and gives up after the last attempt', async () => {
    const { script, fake } = await loadScript(planFor(3), { ...ENV, RETRY_MAX_ATTEMPTS: '4' }, 1);
    fake.respond = () => ({ status: 422 });
    script.submit();
    expect(fake.requests).toHaveLength(1);
    fake.requests.length = 0;
    fake.respond = () => ({ status: 503, headers: { 'Retry-After': '1' } });
    script.submit();
    expect(fake.requests).toHaveLength(4);
    expect(fake.metrics.filter((m) => m.name === 'girs_retry_exhausted').length).toBe(1);
  });
});
