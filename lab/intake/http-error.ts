// The one error type the HTTP layer answers with, and the mapping of store failures to
// statuses that say what happened (507 disk full, 503 + Retry-After store unavailable or busy).
import { asStoreUnavailable } from './store-unavailable.ts';
import type { StoreErrorKind } from './observe.ts';

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** The stored body no longer hashes to the digest it was acknowledged with (bit rot, tampering). */
export class ContentCorrupt extends Error {
  constructor(readonly id: string, readonly expected: string, readonly actual: string) {
    super(`the stored body of report ${id} hashes to ${actual}, not to its recorded SHA-256 ${expected}; it is not served (restore it from backup)`);
  }
}

/** Upload slots are all taken (bounds memory on the pg store, which holds bodies while checking them). */
export class UploadsFull extends Error {
  constructor(readonly limit: number) {
    super(`the intake is receiving its limit of ${limit} concurrent uploads; retry shortly`);
  }
}

/** ENOSPC/EDQUOT from the file system, 53100 (disk_full) from PostgreSQL. */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', '53100']);

/** An HttpError for a store failure that has a meaning for the client, and its metric kind. */
export function storeFailure(e: unknown): { http: HttpError; kind: StoreErrorKind } | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && DISK_FULL.has(code)) {
    return { kind: 'disk_full', http: new HttpError(507, 'insufficient_storage', `the report store is out of disk space (${code}); nothing was stored`) };
  }
  if (e instanceof UploadsFull) {
    return { kind: 'busy', http: new HttpError(503, 'busy', e.message, { 'Retry-After': '1' }) };
  }
  if (e instanceof ContentCorrupt) {
    return { kind: 'corrupt', http: new HttpError(500, 'content_corrupt', e.message) };
  }
  const down = asStoreUnavailable(e);
  if (down) {
    return { kind: 'unavailable', http: new HttpError(503, 'store_unavailable', `${down.message}; nothing was acknowledged, retry later`, { 'Retry-After': String(down.retryAfterSeconds) }) };
  }
  return undefined;
}
