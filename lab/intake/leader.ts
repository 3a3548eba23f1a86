// Finding the PostgreSQL leader the way libpq does with a multi-host connection string and
// target_session_attrs=read-write: try the hosts in turn and keep the first one where
// `SHOW transaction_read_only` is off. node-postgres (pg 8) takes one host only, so this is
// that behaviour on top of it (ADR 0014): a pg.Pool whose clients connect to the last
// read-write host found, verify it on every new connection, and search the list again when
// it is gone or has become a replica.
import pg from 'pg';
import type { ClientConfig } from 'pg';

export interface HostPort { host: string; port: number }

export interface MultiHostConfig {
  hosts: HostPort[];
  user?: string;
  password?: string;
  database?: string;
  ssl?: ClientConfig['ssl'];
  /** Per host, like libpq's connect_timeout (default 2 s). */
  connectTimeoutMs?: number;
}

/** No host answered as a read-write primary: the client should retry later. */
export class NoLeader extends Error {
  constructor(readonly tried: string[]) {
    super(`no read-write PostgreSQL among ${tried.join(', ') || 'no hosts'}`);
    this.name = 'NoLeader';
  }
}

/**
 * Parse a libpq URL with several hosts, e.g.
 * postgresql://user:pw@10.0.0.1:5432,10.0.0.2:5432/girs?target_session_attrs=read-write
 * (WHATWG URL refuses the comma list, so the authority is split by hand).
 */
export function parseMultiHostUrl(url: string): MultiHostConfig {
  const m = /^(postgres(?:ql)?):\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(url.trim());
  if (!m) throw new Error('expected postgresql://USER:PASSWORD@HOST:PORT[,HOST:PORT...]/DATABASE');
  const [, , auth, hostList, path, query] = m;
  const hosts = (hostList ?? '').split(',').filter((h) => h !== '').map((h) => {
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h);
    if (!hm) throw new Error(`host "${h}": expected HOST or HOST:PORT`);
    const port = hm[2] === undefined ? 5432 : Number(hm[2]);
    if (!(port >= 1 && port <= 65535)) throw new Error(`host "${h}": port must be 1-65535`);
    return { host: decodeURIComponent(hm[1]!.replace(/^\[|\]$/g, '')), port };
  });
  if (hosts.length === 0) throw new Error('expected at least one HOST:PORT');
  const params = new URLSearchParams(query ?? '');
  const tsa = params.get('target_session_attrs');
  if (tsa !== null && tsa !== 'read-write') throw new Error(`target_session_attrs=${tsa}: this store writes, so only read-write is accepted`);
  const [user, password] = (auth ?? '').split(':');
  const sslmode = params.get('sslmode');
  const cfg: MultiHostConfig = { hosts };
  if (user) cfg.user = decodeURIComponent(user);
  if (password !== undefined) cfg.password = decodeURIComponent(password);
  const db = decodeURIComponent((path ?? '').replace(/^\//, ''));
  if (db) cfg.database = db;
  if (sslmode && sslmode !== 'disable') cfg.ssl = { rejectUnauthorized: sslmode === 'verify-full' };
  const ct = params.get('connect_timeout');
  if (ct !== null) cfg.connectTimeoutMs = Number(ct) * 1000;
  return cfg;
}

const label = (h: HostPort) => `${h.host}:${h.port}`;

/** Remembers the last read-write host; `find` walks the list (that host first) like libpq. */
export class LeaderFinder {
  #current: HostPort | null = null;
  #search: Promise<HostPort> | null = null;
  /** Every change of leader this process saw: when and to which host. */
  readonly changes: { at: number; host: string }[] = [];

  constructor(readonly cfg: MultiHostConfig) {}

  get current(): HostPort | null { return this.#current; }

  clientConfig(h: HostPort): ClientConfig {
    const { hosts: _h, connectTimeoutMs, ...rest } = this.cfg;
    return { ...rest, host: h.host, port: h.port, connectionTimeoutMillis: connectTimeoutMs ?? 2000 };
  }

  /** The read-write host, searching the list when none is known. Concurrent callers share one search. */
  leader(): Promise<HostPort> {
    if (this.#current) return Promise.resolve(this.#current);
    this.#search ??= this.#find().finally(() => { this.#search = null; });
    return this.#search;
  }

  /** Forget `h` as the leader (it failed or turned read-only). */
  invalidate(h?: HostPort | null): void {
    if (!h || (this.#current && label(this.#current) === label(h))) this.#current = null;
  }

  async #find(): Promise<HostPort> {
    const tried: string[] = [];
    for (const h of this.cfg.hosts) {
      tried.push(label(h));
      const c = new pg.Client(this.clientConfig(h));
      c.on('error', () => {});
      try {
        await c.connect();
        if (await isReadWrite(c)) {
          if (label(h) !== (this.changes.at(-1)?.host ?? '')) this.changes.push({ at: Date.now(), host: label(h) });
          this.#current = h;
          return h;
        }
      } catch {
        // down, refusing or still starting: the next host
      } finally {
        await c.end().catch(() => {});
      }
    }
    throw new NoLeader(tried);
  }
}

async function isReadWrite(c: pg.Client): Promise<boolean> {
  const r = await c.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
  return r.rows[0]?.transaction_read_only === 'off';
}

/**
 * A pg.Pool whose every new connection goes to the current read-write host and is checked
 * there (target_session_attrs=read-write); on failure the finder forgets that host.
 */
export function readWritePool(finder: LeaderFinder, poolOptions: pg.PoolConfig = {}): pg.Pool {
  class ReadWriteClient extends pg.Client {
    constructor(config?: ClientConfig) {
      super(config);
      // The pool listens only once connected; a server dying while this client connects or
      // checks must fail that connect, not crash the process. Queries still get the error.
      this.on('error', () => {});
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
    override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
      const p = (async (): Promise<pg.Client> => {
        const h = await finder.leader();
        // Read by pg.Client when it opens the socket.
        const self = this as unknown as { host: string; port: number };
        self.host = h.host;
        self.port = h.port;
        try {
          await super.connect();
          if (!(await isReadWrite(this))) throw new NoLeader([`${label(h)} (read-only)`]);
        } catch (e) {
          finder.invalidate(h);
          throw e;
        }
        return this;
      })();
      if (!callback) return p;
      const cb = callback as (err: Error | null, c?: pg.Client) => void;
      p.then((c) => cb(null, c), (e: Error) => cb(e));
    }
  }
  // The pool's connect deadline covers a whole search (every host's connect timeout), so
  // the search, not the pool, decides that there is no leader.
  const perHost = finder.cfg.connectTimeoutMs ?? 2000;
  const pool = new pg.Pool({
    ...finder.clientConfig(finder.cfg.hosts[0]!), connectionTimeoutMillis: perHost * (finder.cfg.hosts.length + 1),
    ...poolOptions, Client: ReadWriteClient,
  });
  // An idle client losing its server (the failover itself) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// SQLSTATE: connection exceptions (08), shutdown/crash (57P01-03), read-only (25006: now a
// replica), too many connections (53300), cannot connect now (57P03).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|25006|53300)$/;
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout expired|timeout exceeded when trying to connect|Query read timeout|not queryable|connection timeout|terminating connection|the database system is (starting up|shutting down|in recovery)/i;

/** Whether an error means "the leader is gone or changing", not a bug or bad input. */
export function isLeaderLoss(e: unknown): boolean {
  if (e instanceof NoLeader) return true;
  const x = e as { code?: unknown; message?: unknown } | null;
  if (!x || typeof x !== 'object') return false;
  if (typeof x.code === 'string' && (UNAVAILABLE_CODES.has(x.code) || UNAVAILABLE_SQLSTATE.test(x.code))) return true;
  return typeof x.message === 'string' && UNAVAILABLE_MESSAGE.test(x.message);
}
