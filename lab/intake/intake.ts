// Starts the lab intake in-process (tests, load and database drills) or for server.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { FsStore } from './fs-store.ts';
import { HybridStore } from './hybrid-store.ts';
import { parseMultiHostUrl, type MultiHostConfig } from './leader.ts';
import { PgStore } from './pg-store.ts';
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
}

export interface RunningIntake {
  url: string;
  port: number;
  store: ReportStore;
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
  let store: ReportStore;
  if ((o.store ?? 'fs') === 'fs') {
    if (!o.dataDir) throw new Error('the fs store needs a data directory (--data-dir DIR)');
    store = await FsStore.open(o.dataDir, o.directIO !== undefined ? { directIO: o.directIO } : {});
  } else if (o.store === 'hybrid') {
    if (!o.dataDir) throw new Error('the hybrid store needs a body directory on shared storage (--data-dir DIR)');
    if (!o.pgHosts && !o.pgUrl) throw new Error('the hybrid store needs the cluster (--pg-url postgresql://USER@HOST1:PORT,HOST2:PORT/DB?target_session_attrs=read-write)');
    const db = o.pgHosts ?? parseMultiHostUrl(o.pgUrl!);
    store = await HybridStore.open({ db, dataDir: o.dataDir, ...(o.directIO !== undefined ? { directIO: o.directIO } : {}) });
  } else {
    if (!o.pgUrl) throw new Error('the pg store needs a connection URL (--pg-url postgres://...)');
    store = await PgStore.open(o.pgUrl);
  }

  const server = createServer({ keepAliveTimeout: 10_000, requestTimeout: 300_000 }, createApp({ store, principals, maxBytes, ...(o.log ? { log: o.log } : {}) }));
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
