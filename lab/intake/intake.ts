// Starts the lab intake in-process (tests, load and database drills) or for server.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { FsStore } from './fs-store.ts';
import { IntakeMetrics } from './observe.ts';
import { HybridStore } from './hybrid-store.ts';
import { parseMultiHostUrl, type MultiHostConfig } from './leader.ts';
import { PgStore } from './pg-store.ts';
import { scrub, type ScrubResult } from './scrub.ts';
import type { ReportStore } from './store.ts';
import { loadTokensFile, Principals, type TokenMap } from './tokens.ts';

/** Pattern 2 reports average 10 MB (§3.5) and reach 20 MB; 32 MiB leaves headroom. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export interface IntakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  store?: 'fs' | 'pg' | 'hybrid';
  /** Required for the fs and hybrid stores (hybrid: the bodies, on shared storage). */
  dataDir?: string;
  /** fs store: bypass the page cache for bodies (default: when the file system supports it). */
  directIO?: boolean;
  /** Required for the pg store; the hybrid store takes a multi-host URL (or pgHosts). */
  pgUrl?: string;
  /** Hybrid store: the cluster's members, searched for the read-write leader. */
  pgHosts?: MultiHostConfig;
  /** A tokens file path, or token -> principal already in memory. */
  tokens: string | TokenMap | Principals;
  maxBytes?: number;
  log?: (line: string) => void;
  /** One JSON line per request (server.ts: stdout); off by default in-process. */
  accessLog?: (line: string) => void;
  /** Prometheus metrics at /metrics (default on). */
  metrics?: boolean;
  /**
   * Uploads received at once; more get 503 + Retry-After. The pg store holds each body in
   * memory while checking it, so its default (8) bounds that memory to 8 x maxBytes.
   */
  maxUploads?: number;
  /** A content download whose client reads nothing for this long is cut off (default 30 s). */
  sendIdleTimeoutMs?: number;
}

/** fs: bodies stream to disk through 2 MiB staging buffers, so the limit only guards against floods (k6 spike runs reach hundreds of uploads); pg: bodies sit in memory. */
// The hybrid store streams bodies to files as the fs store does; pg holds each body in memory.
export const DEFAULT_MAX_UPLOADS = { fs: 512, pg: 8, hybrid: 512 } as const;

export interface RunningIntake {
  url: string;
  port: number;
  store: ReportStore;
  /** Its metrics, when on. */
  metrics: IntakeMetrics | undefined;
  /** Re-hashes every stored body; corrupt ones are logged and counted in girs_intake_content_verify_failures_total. */
  scrub(): Promise<ScrubResult>;
  /** The HTTP server, for observers (drills record every response). */
  server: Server;
  /** Stops accepting, gives in-flight requests `graceMs` to finish, then closes the store. */
  close(graceMs?: number): Promise<void>;
}

export async function startIntake(o: IntakeOptions): Promise<RunningIntake> {
  const principals = o.tokens instanceof Principals ? o.tokens
    : typeof o.tokens === 'string' ? await loadTokensFile(o.tokens)
    : new Principals(o.tokens);
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new Error(`maxBytes: expected a positive integer, got ${maxBytes}`);
  const kind = o.store ?? 'fs';
  const metrics = o.metrics === false ? undefined : new IntakeMetrics();
  const timeFsync = metrics ? metrics.timeFsync.bind(metrics) : undefined;
  let store: ReportStore;
  if (kind === 'fs') {
    if (!o.dataDir) throw new Error('the fs store needs a data directory (--data-dir DIR)');
    store = await FsStore.open(o.dataDir, { ...(o.directIO !== undefined ? { directIO: o.directIO } : {}), ...(timeFsync ? { timeFsync } : {}) });
  } else if (o.store === 'hybrid') {
    if (!o.dataDir) throw new Error('the hybrid store needs a body directory on shared storage (--data-dir DIR)');
    if (!o.pgHosts && !o.pgUrl) throw new Error('the hybrid store needs the cluster (--pg-url postgresql://USER@HOST1:PORT,HOST2:PORT/DB?target_session_attrs=read-write)');
    const db = o.pgHosts ?? parseMultiHostUrl(o.pgUrl!);
    store = await HybridStore.open({ db, dataDir: o.dataDir, ...(o.directIO !== undefined ? { directIO: o.directIO } : {}) });
  } else {
    if (!o.pgUrl) throw new Error('the pg store needs a connection URL (--pg-url postgres://...)');
    store = await PgStore.open(o.pgUrl, timeFsync ? { timeFsync } : {});
  }

  const app = createApp({
    store, principals, maxBytes,
    maxUploads: o.maxUploads ?? DEFAULT_MAX_UPLOADS[kind],
    ...(metrics ? { metrics } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.accessLog ? { accessLog: o.accessLog } : {}),
    ...(o.sendIdleTimeoutMs !== undefined ? { sendIdleTimeoutMs: o.sendIdleTimeoutMs } : {}),
  });
  // Idle keep-alive connections outlive a client's own idle timeout (Go's net/http, which
  // k6 uses, defaults to 90 s), so the server never closes one just as a client reuses it
  // (the POST then fails with a broken pipe and is not retried). headersTimeout stays above
  // keepAliveTimeout, as Node requires for keep-alive to hold.
  const server = createServer({ keepAliveTimeout: 120_000, headersTimeout: 125_000, requestTimeout: 300_000 }, app);
  // Answer 100-continue only after the headers passed every check (see app.ts).
  server.on('checkContinue', (req, res) => server.emit('request', req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    metrics,
    scrub: () => scrub(store, (meta, reason) => {
      metrics?.contentVerifyFailures.inc({ store: store.kind });
      o.log?.(`scrub: report ${meta.id} (${meta.agency}): ${reason}`);
    }),
    server,
    close(graceMs = 5000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        await store.close();
      })();
      return closing;
    },
  };
}
