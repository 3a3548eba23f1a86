// PostgreSQL intake store: the body (bytea) and its metadata are inserted in one
// transaction and the acknowledgement waits for its commit, so a report is either
// fully there or absent. Bodies are held in memory while they are checked: the size
// limit (--max-bytes) bounds that per upload and the intake's upload limit (--max-uploads,
// default 8 for this store) bounds the number of uploads, so memory stays under their product.
import { Readable } from 'node:stream';
import pg from 'pg';
import { untimed, type FsyncTimer } from './observe.ts';
import {
  IdempotencyConflict, InvalidTransition, receive,
  type ListFilter, type ReportMeta, type ReportStore, type Status, type SubmitInput, type SubmitResult,
} from './store.ts';

/** Report metadata; the hybrid store (bodies in files) uses this table alone. */
export const META_SCHEMA = `
CREATE TABLE IF NOT EXISTS intake_report (
  id uuid PRIMARY KEY,
  agency text NOT NULL,
  idempotency_key text NOT NULL,
  title text,
  sha256 char(64) NOT NULL,
  size bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('submitted', 'withdrawn', 'approved', 'rejected')),
  comment text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (agency, idempotency_key)
);
CREATE INDEX IF NOT EXISTS intake_report_agency_created ON intake_report (agency, created_at DESC);
`;
const SCHEMA = `${META_SCHEMA}
CREATE TABLE IF NOT EXISTS intake_report_body (
  id uuid PRIMARY KEY REFERENCES intake_report (id),
  body bytea NOT NULL
);
-- Report files are mostly compressed formats already: skip TOAST compression.
ALTER TABLE intake_report_body ALTER COLUMN body SET STORAGE EXTERNAL;
`;

const COLUMNS = 'id, agency, idempotency_key, title, sha256, size, status, comment, created_at, updated_at';

interface Row {
  id: string; agency: string; idempotency_key: string; title: string | null; sha256: string;
  size: string; status: Status; comment: string | null; created_at: Date; updated_at: Date;
}

/** Inserts a report's metadata row unless its agency + key exists; undefined when it did. */
export async function insertReportRow(
  q: Pick<pg.ClientBase, 'query'>,
  r: { id: string; agency: string; idempotencyKey: string; title: string | null; sha256: string; size: number },
): Promise<ReportMeta | undefined> {
  const ins = await q.query<Row>(
    `INSERT INTO intake_report (${COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, 'submitted', NULL, now(), now())
     ON CONFLICT (agency, idempotency_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [r.id, r.agency, r.idempotencyKey, r.title, r.sha256, r.size],
  );
  return ins.rows[0] && toMeta(ins.rows[0]);
}

function toMeta(r: Row): ReportMeta {
  return {
    id: r.id, agency: r.agency, title: r.title, sha256: r.sha256, size: Number(r.size), status: r.status,
    comment: r.comment, idempotencyKey: r.idempotency_key,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

export class PgStore implements ReportStore {
  readonly kind = 'pg' as const;

  private constructor(readonly pool: pg.Pool, private readonly time: FsyncTimer) {}

  static async open(connectionString: string, opts: { timeFsync?: FsyncTimer } = {}): Promise<PgStore> {
    // A connect that hangs (black-holed address, server stuck in recovery) fails after 10 s
    // instead of holding the request forever; the HTTP layer answers 503 + Retry-After.
    const pool = new pg.Pool({ connectionString, max: 8, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server (restart, failover drill) must not crash the process.
    pool.on('error', () => {});
    return PgStore.onPool(pool, SCHEMA, opts);
  }

  /** A store on a pool made elsewhere (one that follows the leader); creates `schema`. Ends the pool on failure. */
  static async onPool(pool: pg.Pool, schema: string, opts: { timeFsync?: FsyncTimer } = {}): Promise<PgStore> {
    try {
      // Several servers may start together against one database; serialise the DDL.
      const c = await pool.connect();
      try {
        await c.query('SELECT pg_advisory_lock(4510662)');
        await c.query(schema);
      } finally {
        await c.query('SELECT pg_advisory_unlock(4510662)').catch(() => {});
        c.release();
      }
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
    return new PgStore(pool, opts.timeFsync ?? untimed);
  }

  async findByKey(agency: string, idempotencyKey: string): Promise<ReportMeta | undefined> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM intake_report WHERE agency = $1 AND idempotency_key = $2`, [agency, idempotencyKey]);
    return r.rows[0] && toMeta(r.rows[0]);
  }

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const chunks: Buffer[] = [];
    const { size, sha256 } = await receive(input.body, input.sha256, input.maxBytes, (c) => { chunks.push(c); });
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const row = await insertReportRow(client, { ...input, sha256, size });
      if (!row) {
        // The key was committed meanwhile (ON CONFLICT waited for that transaction).
        await client.query('ROLLBACK');
        const existing = await this.findByKey(input.agency, input.idempotencyKey);
        if (!existing) throw new Error(`Idempotency-Key "${input.idempotencyKey}" conflicted but its report vanished`);
        if (existing.sha256 !== sha256) throw new IdempotencyConflict(existing);
        return { created: false, meta: existing };
      }
      await client.query('INSERT INTO intake_report_body (id, body) VALUES ($1, $2)', [input.id, body]);
      await this.time('pg_commit', () => client.query('COMMIT'));
      return { created: true, meta: row };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async get(id: string): Promise<ReportMeta | undefined> {
    const r = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM intake_report WHERE id = $1`, [id]);
    return r.rows[0] && toMeta(r.rows[0]);
  }

  async list(f: ListFilter): Promise<{ total: number; reports: ReportMeta[] }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.agency !== undefined) { args.push(f.agency); where.push(`agency = $${args.length}`); }
    if (f.status !== undefined) { args.push(f.status); where.push(`status = $${args.length}`); }
    if (f.q !== undefined) {
      args.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(title ILIKE $${args.length} OR id::text ILIKE $${args.length})`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM intake_report ${w}`, args);
    const rows = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM intake_report ${w} ORDER BY created_at DESC, id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, f.limit, f.offset],
    );
    return { total: Number(total.rows[0]?.n ?? 0), reports: rows.rows.map(toMeta) };
  }

  async openContent(id: string): Promise<Readable | undefined> {
    const r = await this.pool.query<{ body: Buffer }>('SELECT body FROM intake_report_body WHERE id = $1', [id]);
    const body = r.rows[0]?.body;
    return body && Readable.from([body]);
  }

  async transition(id: string, from: readonly Status[], to: Status, comment: string | null): Promise<ReportMeta> {
    // Conditional update: the status check and the change are one atomic statement.
    const r = await this.pool.query<Row>(
      `UPDATE intake_report SET status = $2, comment = $3, updated_at = now()
       WHERE id = $1 AND status = ANY($4::text[]) RETURNING ${COLUMNS}`,
      [id, to, comment, [...from]],
    );
    if (r.rows[0]) return toMeta(r.rows[0]);
    const meta = await this.get(id);
    if (!meta) throw new Error(`report ${id} does not exist`);
    throw new InvalidTransition(meta, to);
  }

  async healthy(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
