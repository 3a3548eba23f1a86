// What SREs see of the intake: Prometheus metrics (prom-client, one registry per intake
// so several intakes in one process, as in tests and drills, do not mix) and one
// structured JSON access-log line per request. Nothing here reads a request header
// other than X-Request-Id, so no token can reach a log line or a label.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRIC_PREFIX = 'girs_intake_';

/** Report bodies take tens of ms to seconds (32 MiB at client upload speed); JSON calls take ~1 ms. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const FSYNC_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export type FsyncKind = 'body' | 'objects_dir' | 'meta' | 'pg_commit';
export type StoreErrorKind = 'unavailable' | 'disk_full' | 'corrupt' | 'busy' | 'other';

export class IntakeMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly receivedBytes: Counter;
  readonly sentBytes: Counter;
  readonly reportsStored: Counter<'store'>;
  readonly uploadsInFlight: Gauge;
  readonly fsync: Histogram<'kind'>;
  readonly storeErrors: Counter<'store' | 'kind'>;
  readonly contentVerifyFailures: Counter<'store'>;
  readonly slowReaderTimeouts: Counter;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: `${METRIC_PREFIX}http_requests_total`, help: 'HTTP requests answered, by method, route template and status', labelNames: ['method', 'route', 'status'], registers });
    this.duration = new Histogram({ name: `${METRIC_PREFIX}http_request_duration_seconds`, help: 'Time from request start to the last byte of the answer', labelNames: ['method', 'route', 'status'], buckets: DURATION_BUCKETS, registers });
    this.receivedBytes = new Counter({ name: `${METRIC_PREFIX}received_bytes_total`, help: 'Request body bytes read (report bodies and JSON bodies), refused ones included', registers });
    this.sentBytes = new Counter({ name: `${METRIC_PREFIX}sent_bytes_total`, help: 'Response body bytes announced (Content-Length) for answers sent', registers });
    this.reportsStored = new Counter({ name: `${METRIC_PREFIX}reports_stored_total`, help: 'Reports durably stored and acknowledged with 201 (replays not counted)', labelNames: ['store'], registers });
    this.uploadsInFlight = new Gauge({ name: `${METRIC_PREFIX}uploads_in_flight`, help: 'Report uploads being received or committed now', registers });
    this.fsync = new Histogram({ name: `${METRIC_PREFIX}fsync_duration_seconds`, help: 'Durability waits: fs store body/directory/metadata fsync, pg store COMMIT', labelNames: ['kind'], buckets: FSYNC_BUCKETS, registers });
    this.storeErrors = new Counter({ name: `${METRIC_PREFIX}store_errors_total`, help: 'Store failures by kind: unavailable, disk_full, corrupt (hash mismatch on read), busy (upload limit), other', labelNames: ['store', 'kind'], registers });
    this.contentVerifyFailures = new Counter({ name: `${METRIC_PREFIX}content_verify_failures_total`, help: 'Stored bodies whose SHA-256 no longer matched when read; they were not served', labelNames: ['store'], registers });
    this.slowReaderTimeouts = new Counter({ name: `${METRIC_PREFIX}slow_reader_timeouts_total`, help: 'Content downloads cut off because the client stopped reading', registers });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** Times a durability wait. */
  async timeFsync<T>(kind: FsyncKind, f: () => Promise<T>): Promise<T> {
    const end = this.fsync.startTimer({ kind });
    try {
      return await f();
    } finally {
      end();
    }
  }
}

/** A store's hook for durability timing; a no-op when the store runs without metrics. */
export type FsyncTimer = <T>(kind: FsyncKind, f: () => Promise<T>) => Promise<T>;
export const untimed: FsyncTimer = (_kind, f) => f();

/** What one request did, filled in by the handlers, logged and counted when it closes. */
export interface RequestContext {
  id: string;
  route: string;
  agency: string | null;
  bytesIn: number;
  errorCode: string | null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Starts observing one request: takes a well-formed X-Request-Id from the caller (a load
 * balancer's) or makes one, echoes it, and on close counts and logs the request once.
 */
export function observe(req: IncomingMessage, res: ServerResponse, metrics: IntakeMetrics | undefined, accessLog: ((line: string) => void) | undefined): RequestContext {
  const start = process.hrtime.bigint();
  const remote = req.socket.remoteAddress ?? null;
  const given = req.headers['x-request-id'];
  const ctx: RequestContext = {
    id: typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID(),
    route: 'unmatched', agency: null, bytesIn: 0, errorCode: null,
  };
  res.setHeader('X-Request-Id', ctx.id);
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    // end() called: the whole answer was handed to the socket (the client may close before
    // "finish" fires, which is no failure); otherwise it was cut short.
    const completed = res.writableEnded;
    // An answer cut short (client gone, slow reader) is logged with status 499 as nginx does.
    const status = completed ? res.statusCode : 499;
    const bytesOut = completed ? Number(res.getHeader('content-length') ?? 0) : 0;
    const method = req.method ?? 'GET';
    if (metrics) {
      const labels = { method, route: ctx.route, status: String(status) };
      metrics.requests.inc(labels);
      metrics.duration.observe(labels, seconds);
      if (ctx.bytesIn) metrics.receivedBytes.inc(ctx.bytesIn);
      if (bytesOut) metrics.sentBytes.inc(bytesOut);
    }
    if (accessLog) {
      accessLog(JSON.stringify({
        time: new Date().toISOString(),
        msg: 'request',
        requestId: ctx.id,
        method,
        route: ctx.route,
        // The path names at most a report id; the query (search text) is left out.
        path: (req.url ?? '').split('?')[0]!.slice(0, 200),
        status,
        agency: ctx.agency,
        bytesIn: ctx.bytesIn,
        bytesOut,
        durationMs: Math.round(seconds * 1e4) / 10,
        error: ctx.errorCode,
        remote,
      }));
    }
  });
  return ctx;
}
