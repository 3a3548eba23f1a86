// Which store failures mean "the store cannot be reached or cannot take writes right now"
// (PostgreSQL restarting or failing over, no writable leader, the pool closed), as
// opposed to a fault in the request or a bug. The HTTP layer answers those 503 with
// Retry-After so clients (k6, agencies' upload tools) retry instead of giving up.
// Any store may throw StoreUnavailable itself; errors from the pg driver are classified here.

/** Seconds a client is asked to wait before retrying (Patroni's failover takes ~15 s in the lab). */
export const STORE_RETRY_AFTER_SECONDS = 5;

export class StoreUnavailable extends Error {
  constructor(message: string, readonly retryAfterSeconds = STORE_RETRY_AFTER_SECONDS, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/**
 * Socket-level failures reaching the store: the server is not there (yet). ECONNRESET and
 * EPIPE are left out: on the request path they mostly mean the HTTP client went away.
 */
const NET_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin/crash
 * shutdown, cannot connect now: starting up or in recovery), 25006 (read-only
 * transaction: we reached a replica, i.e. no writable leader), 53300 (too many connections).
 */
function pgUnavailable(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '25006' || code === '53300';
}

/** Messages node-postgres uses for a lost connection or a closed pool (no code set). */
const PG_MESSAGES = [/^Connection terminated/, /^Cannot use a pool after calling end/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/];

/** The StoreUnavailable this error stands for, or undefined when it is something else. */
export function asStoreUnavailable(e: unknown): StoreUnavailable | undefined {
  if (e instanceof StoreUnavailable) return e;
  if (!(e instanceof Error)) return undefined;
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && (NET_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && pgUnavailable(code)))) {
    return new StoreUnavailable(`the report store is unavailable (${code}: ${e.message})`, STORE_RETRY_AFTER_SECONDS, { cause: e });
  }
  if (PG_MESSAGES.some((re) => re.test(e.message))) {
    return new StoreUnavailable(`the report store is unavailable (${e.message})`, STORE_RETRY_AFTER_SECONDS, { cause: e });
  }
  return undefined;
}
