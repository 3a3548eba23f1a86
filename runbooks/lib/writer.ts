// The drill writer: inserts GIRS-like reports one at a time into whichever member is the
// leader and records every acknowledged id (acknowledged = the INSERT's COMMIT returned).
// A failed write is retried (same id, idempotent) for up to `retryWindowMs`, then counted
// as failed; acknowledged ids are later checked on the new leader to measure RPO.
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ClientConfig } from 'pg';

export const REPORT_TABLE = 'coc_drill_reports';

// The writer stores sha256(drill:seq:ministry:body); a restore recomputes it per row
// (ROW_SHA256_SQL), so every row is verified, not just a count.
export const ROW_SHA256_SQL = `encode(sha256(convert_to(drill || ':' || seq::text || ':' || ministry || ':' || body, 'UTF8')), 'hex')`;

export function rowSha256(drill: string, seq: number, ministry: string, body: string): string {
  return createHash('sha256').update(`${drill}:${seq}:${ministry}:${body}`, 'utf8').digest('hex');
}

export const REPORT_DDL = `CREATE TABLE IF NOT EXISTS ${REPORT_TABLE} (
  drill text NOT NULL,
  seq integer NOT NULL,
  ministry text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sha256 text NOT NULL,
  PRIMARY KEY (drill, seq))`;

const MINISTRIES = ['MOF', 'MPI', 'MOH', 'MOET', 'MONRE', 'MOIT', 'Ha Noi', 'Ho Chi Minh City', 'Da Nang', 'Can Tho'];

export interface Endpoint { name: string; config: ClientConfig }
export type Resolver = () => Promise<Endpoint | null>;

export interface Ack { seq: number; at: number; member: string }
export interface Failure { seq: number; firstErrorAt: number; gaveUpAt: number; error: string }

export interface WriterOptions {
  drill: string;
  resolve: Resolver;
  retryWindowMs: number;
  /** Pause between writes; keeps the two-core lab responsive. */
  pauseMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function connect(config: ClientConfig): Promise<pg.Client> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 2000, query_timeout: 4000, application_name: 'coc-drill' });
  client.on('error', () => {}); // a killed server surfaces on the next query instead
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => {});
    throw e;
  }
  return client;
}

export async function ensureSchema(config: ClientConfig): Promise<void> {
  const c = await connect(config);
  try { await c.query(REPORT_DDL); } finally { await c.end().catch(() => {}); }
}

export class ReportWriter {
  readonly acks: Ack[] = [];
  readonly failures: Failure[] = [];
  retries = 0;
  reconnects = 0;
  lastError = '';
  private running = false;
  private loop: Promise<void> | null = null;
  private client: pg.Client | null = null;
  private member = '';
  private seq = 0;

  constructor(private readonly opts: WriterOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client?.end().catch(() => {});
    this.client = null;
  }

  /** First write acknowledged at or after `t` (optionally by a member other than `not`). */
  firstAckAfter(t: number, not?: string): Ack | undefined {
    return this.acks.find((a) => a.at >= t && a.member !== not);
  }

  private async ensureClient(): Promise<pg.Client> {
    if (this.client) return this.client;
    const ep = await this.opts.resolve();
    if (!ep) throw new Error('no leader known');
    const c = await connect(ep.config);
    try {
      const r = await c.query<{ ro: boolean }>('SELECT pg_is_in_recovery() AS ro');
      if (r.rows[0]?.ro) throw new Error(`${ep.name} is a replica`);
    } catch (e) {
      await c.end().catch(() => {});
      throw e;
    }
    this.reconnects++;
    this.client = c;
    this.member = ep.name;
    return c;
  }

  private async dropClient(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private async run(): Promise<void> {
    while (this.running) {
      const seq = ++this.seq;
      const ministry = MINISTRIES[seq % MINISTRIES.length]!;
      const body = `report ${seq} from ${ministry}: indicators for the reporting period`;
      let firstErrorAt = 0;
      while (this.running) {
        try {
          const c = await this.ensureClient();
          await c.query(`INSERT INTO ${REPORT_TABLE} (drill, seq, ministry, body, sha256) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [this.opts.drill, seq, ministry, body, rowSha256(this.opts.drill, seq, ministry, body)]);
          this.acks.push({ seq, at: Date.now(), member: this.member });
          break;
        } catch (e) {
          this.lastError = e instanceof Error ? e.message : String(e);
          await this.dropClient();
          const now = Date.now();
          if (!firstErrorAt) firstErrorAt = now;
          else this.retries++;
          if (now - firstErrorAt >= this.opts.retryWindowMs) {
            this.failures.push({ seq, firstErrorAt, gaveUpAt: now, error: this.lastError });
            break;
          }
          await sleep(100);
        }
      }
      if (this.opts.pauseMs) await sleep(this.opts.pauseMs);
    }
  }
}

/** Acknowledged ids that the given member does not have (RPO in rows). */
export async function missingAcks(config: ClientConfig, drill: string, acks: readonly Ack[]): Promise<number[]> {
  const c = await connect(config);
  try {
    const r = await c.query<{ seq: number }>(`SELECT seq FROM ${REPORT_TABLE} WHERE drill = $1`, [drill]);
    const present = new Set(r.rows.map((x) => x.seq));
    return acks.filter((a) => !present.has(a.seq)).map((a) => a.seq);
  } finally {
    await c.end().catch(() => {});
  }
}
