// Hybrid intake store, the survey's GIRS design (ADR 0013): report bodies as files on the
// shared storage, their metadata as rows in the Patroni/PostgreSQL cluster, whose leader
// is found through a multi-host list (leader.ts, ADR 0014).
//
//   DATA/tmp/      bodies being received
//   DATA/objects/  <id>.bin, fsynced, then renamed here and the directory fsynced
//   intake_report  the row is the commit point; with synchronous_commit=on and Patroni's
//                  synchronous mode its COMMIT returns only once a synchronous standby
//                  has the WAL, so an acknowledged report survives losing the leader.
//
// The body is durable under its final name before the row is written, so a row never
// points at a missing body. A body without a row (the upload failed, or the COMMIT's
// outcome was lost with the leader) is never visible through the API; orphanBodies()
// lists them. After a lost COMMIT the body is kept: the row may exist on the new leader.
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { createBodyFile, directIOWorks } from './body-file.ts';
import { DirSyncer, fsyncDir } from './durable.ts';
import { isLeaderLoss, LeaderFinder, readWritePool, type MultiHostConfig } from './leader.ts';
import { insertReportRow, META_SCHEMA, PgStore } from './pg-store.ts';
import {
  IdempotencyConflict, receive,
  type ListFilter, type ReportMeta, type ReportStore, type Status, type SubmitInput, type SubmitResult,
} from './store.ts';
import { StoreUnavailable } from './unavailable.ts';

export interface HybridOptions {
  db: MultiHostConfig;
  dataDir: string;
  /** Bypass the page cache for bodies (default: when the file system supports it). */
  directIO?: boolean;
  /** Retry-After while no leader is reachable (default 1 s). */
  retryAfterSeconds?: number;
  /** Longest a metadata statement may take, e.g. a COMMIT waiting for a standby (default 10 s). */
  queryTimeoutMs?: number;
  poolMax?: number;
}

export class HybridStore implements ReportStore {
  readonly kind = 'hybrid' as const;
  readonly #tmp: string;
  readonly #objects: string;
  readonly #objectsSync: DirSyncer;

  private constructor(
    readonly dataDir: string,
    readonly finder: LeaderFinder,
    private readonly pool: pg.Pool,
    private readonly meta: PgStore,
    readonly directIO: boolean,
    private readonly retryAfterSeconds: number,
  ) {
    this.#tmp = join(dataDir, 'tmp');
    this.#objects = join(dataDir, 'objects');
    this.#objectsSync = new DirSyncer(this.#objects);
  }

  static async open(o: HybridOptions): Promise<HybridStore> {
    if (o.db.hosts.length === 0) throw new Error('the hybrid store needs at least one PostgreSQL host');
    for (const d of ['tmp', 'objects']) await mkdir(join(o.dataDir, d), { recursive: true });
    await fsyncDir(o.dataDir);
    const finder = new LeaderFinder(o.db);
    const pool = readWritePool(finder, { max: o.poolMax ?? 8, query_timeout: o.queryTimeoutMs ?? 10_000 });
    const meta = await PgStore.onPool(pool, META_SCHEMA);
    const directIO = o.directIO ?? await directIOWorks(join(o.dataDir, 'tmp'));
    return new HybridStore(o.dataDir, finder, pool, meta, directIO, o.retryAfterSeconds ?? 1);
  }

  /** Leader loss becomes StoreUnavailable (503 + Retry-After); the next call searches the hosts again. */
  async #db<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (!isLeaderLoss(e)) throw e;
      this.finder.invalidate();
      throw new StoreUnavailable(this.retryAfterSeconds, e);
    }
  }

  #bodyPath(id: string): string {
    return join(this.#objects, `${id}.bin`);
  }

  findByKey(agency: string, idempotencyKey: string): Promise<ReportMeta | undefined> {
    return this.#db(() => this.meta.findByKey(agency, idempotencyKey));
  }

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const part = join(this.#tmp, `${input.id}.part`);
    const final = this.#bodyPath(input.id);
    const file = await createBodyFile(part, this.directIO);
    let finished = false;
    let placed = false;
    try {
      const { size, sha256 } = await receive(input.body, input.sha256, input.maxBytes, (chunk) => file.write(chunk));
      await file.finish();
      finished = true;
      await rename(part, final);
      placed = true;
      // The body's name must be durable before a row can point at it.
      await this.#objectsSync.sync();
      const row = await this.#db(() => insertReportRow(this.pool, { ...input, sha256, size }));
      if (row) return { created: true, meta: row };
      // The key is taken (a retry whose first attempt committed): this copy is surplus.
      await unlink(final).catch(() => {});
      const existing = await this.findByKey(input.agency, input.idempotencyKey);
      if (!existing) throw new Error(`Idempotency-Key "${input.idempotencyKey}" conflicted but its report vanished`);
      if (existing.sha256 !== sha256) throw new IdempotencyConflict(existing);
      return { created: false, meta: existing };
    } catch (e) {
      if (!finished) await file.abort();
      if (!placed) await unlink(part).catch(() => {});
      throw e;
    }
  }

  get(id: string): Promise<ReportMeta | undefined> {
    return this.#db(() => this.meta.get(id));
  }

  list(filter: ListFilter): Promise<{ total: number; reports: ReportMeta[] }> {
    return this.#db(() => this.meta.list(filter));
  }

  async openContent(id: string): Promise<Readable | undefined> {
    if (!(await this.get(id))) return undefined;
    return createReadStream(this.#bodyPath(id));
  }

  transition(id: string, from: readonly Status[], to: Status, comment: string | null): Promise<ReportMeta> {
    return this.#db(() => this.meta.transition(id, from, to, comment));
  }

  healthy(): Promise<boolean> {
    return this.meta.healthy();
  }

  /** Body files no row points at: uploads never acknowledged. Never visible through the API. */
  async orphanBodies(): Promise<string[]> {
    const ids = (await readdir(this.#objects)).filter((n) => n.endsWith('.bin')).map((n) => n.slice(0, -4));
    if (ids.length === 0) return [];
    const r = await this.#db(() => this.pool.query<{ id: string }>('SELECT id::text AS id FROM intake_report WHERE id = ANY($1::uuid[])', [ids]));
    const known = new Set(r.rows.map((x) => x.id));
    return ids.filter((id) => !known.has(id));
  }

  async close(): Promise<void> {
    await this.meta.close();
  }
}
