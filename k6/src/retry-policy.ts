// When and how long a report submission waits before trying again. Pure, so Node tests
// run it unchanged; k6/src/retry.ts applies it inside k6.
import { parseDuration, type Env } from './options.ts';

export interface RetryPolicy {
  /** Attempts per report including the first (RETRY_MAX_ATTEMPTS, default 40). */
  maxAttempts: number;
  /** Longest single wait, whatever Retry-After says (RETRY_MAX_WAIT_S, default 30). */
  maxWaitSeconds: number;
  /** First wait after a connection error; doubles per attempt (RETRY_BASE_S, default 0.5). */
  baseSeconds: number;
}

function num(env: Env, name: string, def: number, ok: (n: number) => boolean, expected: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!ok(n)) throw new Error(`${name}: expected ${expected}, got "${raw}"`);
  return n;
}

export function retryPolicy(env: Env): RetryPolicy {
  return {
    maxAttempts: num(env, 'RETRY_MAX_ATTEMPTS', 40, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'an integer from 1 to 1000'),
    maxWaitSeconds: num(env, 'RETRY_MAX_WAIT_S', 30, (n) => n > 0 && n <= 600, 'seconds, more than 0 and at most 600'),
    baseSeconds: num(env, 'RETRY_BASE_S', 0.5, (n) => n > 0 && n <= 60, 'seconds, more than 0 and at most 60'),
  };
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
}

/**
 * Seconds to wait before attempt `attempt + 1`, or null when the answer is final.
 * Retried: no answer at all (status 0: connection refused/reset, timeout), 503 and 429
 * (honouring Retry-After), and 409 with Retry-After (the same key still in progress).
 * Everything else, 201/200 included, is final: a retry could not change it.
 */
export function retryDelay(status: number, retryAfter: string | undefined, attempt: number, p: RetryPolicy, random: number, nowMs = Date.now()): number | null {
  if (attempt >= p.maxAttempts) return null;
  const backoff = Math.min(p.maxWaitSeconds, p.baseSeconds * 2 ** Math.min(attempt - 1, 20)) * (0.5 + random / 2);
  const hinted = parseRetryAfter(retryAfter, nowMs);
  if (status === 0) return backoff;
  if (status === 503 || status === 429) return Math.min(p.maxWaitSeconds, hinted ?? backoff);
  if (status === 409 && hinted !== undefined) return Math.min(p.maxWaitSeconds, hinted);
  return null;
}

/**
 * Arrival-rate scenarios start a new iteration on schedule even while earlier ones wait to
 * retry, so each needs rate × (retry window) more VUs; RETRY_HEADROOM_S names that window
 * (unset: options unchanged).
 */
export function withRetryHeadroom<T extends Record<string, unknown>>(options: T, env: Env): T {
  const raw = env.RETRY_HEADROOM_S;
  if (raw === undefined || raw === '') return options;
  const seconds = Number(raw);
  if (!(seconds > 0 && seconds <= 3600)) throw new Error(`RETRY_HEADROOM_S: expected seconds, more than 0 and at most 3600, got "${raw}"`);
  const scenarios = (options.scenarios ?? {}) as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(scenarios)) {
    const s = scenarios[name]!;
    const executor = String(s.executor ?? '');
    if (!/arrival-rate$/.test(executor) || typeof s.maxVUs !== 'number') { out[name] = s; continue; }
    const unit = parseDuration(String(s.timeUnit ?? '1s'));
    const stages = (s.stages ?? []) as { target: number }[];
    const rate = Math.max(Number(s.rate ?? s.startRate ?? 0), ...stages.map((x) => x.target));
    out[name] = { ...s, maxVUs: s.maxVUs + Math.ceil((rate / unit) * seconds) };
  }
  return { ...options, scenarios: out };
}
