// "Try again shortly": the store cannot reach its database leader (a failover is under
// way). The HTTP layer answers 503 with Retry-After, so clients retry the same request
// with the same Idempotency-Key instead of treating it as a refusal. Nothing was
// acknowledged; the retry either stores the report or replays the stored one.
export class StoreUnavailable extends Error {
  constructor(readonly retryAfterSeconds: number, override readonly cause?: unknown) {
    super(`the report store is unavailable (database leader unreachable or changing: ${describeCause(cause)}); nothing was acknowledged, retry with the same Idempotency-Key`);
    this.name = 'StoreUnavailable';
  }
}

function describeCause(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e ?? 'unknown');
}

/** The 503 reply for a StoreUnavailable error, or null for any other error. */
export function unavailableReply(e: unknown): { status: 503; code: string; message: string; headers: Record<string, string> } | null {
  if (!(e instanceof StoreUnavailable)) return null;
  return { status: 503, code: 'store_unavailable', message: e.message, headers: { 'Retry-After': String(Math.max(1, Math.ceil(e.retryAfterSeconds))) } };
}
