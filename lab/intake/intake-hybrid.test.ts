// The hybrid store (bodies in files, metadata in PostgreSQL, leader found in a host list)
// against a real PostgreSQL 15: the same API contract as the other stores, the leader
// search skipping a dead host, and 503 + Retry-After with nothing stored once the
// database is gone. The Patroni failover itself is exercised by drill:peak-failover.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_MAX_BYTES, intakeContract } from './contract.ts';
import { HybridStore } from './hybrid-store.ts';
import { startIntake, type RunningIntake } from './intake.ts';
import { isLeaderLoss, NoLeader, parseMultiHostUrl } from './leader.ts';
import { freePort, postgresAvailable, startPostgres, type TempPostgres } from './pg-harness.ts';
import { body, call, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from './testing.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'intake-hybrid-'));
  dirs.push(d);
  return d;
}

describe('parseMultiHostUrl', () => {
  it('reads a libpq multi-host URL', () => {
    expect(parseMultiHostUrl('postgresql://girs:p%40ss@10.0.0.1:5433,10.0.0.2,[::1]:6000/girs?target_session_attrs=read-write&sslmode=require&connect_timeout=3')).toEqual({
      hosts: [{ host: '10.0.0.1', port: 5433 }, { host: '10.0.0.2', port: 5432 }, { host: '::1', port: 6000 }],
      user: 'girs', password: 'p@ss', database: 'girs', ssl: { rejectUnauthorized: false }, connectTimeoutMs: 3000,
    });
  });
  it('rejects what it cannot honour', () => {
    expect(() => parseMultiHostUrl('http://x/db')).toThrow(/expected postgresql:\/\//);
    expect(() => parseMultiHostUrl('postgresql://u@h:99999/db')).toThrow(/port must be 1-65535/);
    expect(() => parseMultiHostUrl('postgresql://u@h1,h2/db?target_session_attrs=any')).toThrow(/only read-write/);
  });
  it('tells leader loss from other errors', () => {
    expect(isLeaderLoss(new NoLeader(['a:1']))).toBe(true);
    expect(isLeaderLoss(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isLeaderLoss(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }))).toBe(true);
    expect(isLeaderLoss(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isLeaderLoss(new Error('timeout exceeded when trying to connect'))).toBe(true); // pg-pool's connect deadline
    expect(isLeaderLoss(new Error('boom'))).toBe(false);
  });
});

describe.skipIf(!postgresAvailable())('hybrid store on PostgreSQL 15', () => {
  let cluster: TempPostgres | undefined;
  let dead = 0;
  let databases = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
    dead = await freePort(); // nothing listens here: the search must move on to the next host
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function freshDatabase(): Promise<string> {
    const name = `hybrid_${++databases}`;
    const admin = new pg.Client({ connectionString: cluster!.url });
    await admin.connect();
    try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
    return name;
  }

  const start = async (): Promise<RunningIntake> => startIntake({
    store: 'hybrid', dataDir: tempDir(), tokens: TEST_TOKEN_MAP, maxBytes: CONTRACT_MAX_BYTES,
    pgUrl: `postgresql://postgres@127.0.0.1:${dead},127.0.0.1:${cluster!.port}/${await freshDatabase()}?target_session_attrs=read-write`,
  });

  intakeContract('hybrid', start, ', first host down');

  it('keeps the body in a file and only the metadata in the database', async () => {
    const intake = await start();
    try {
      const b = body(50_000);
      const r = await upload(intake.url, b.bytes, { token: T.m1 });
      expect(r.status).toBe(201);
      const store = intake.store as HybridStore;
      expect(readdirSync(join(store.dataDir, 'objects'))).toEqual([`${r.json.id}.bin`]);
      expect(store.finder.current).toEqual({ host: '127.0.0.1', port: cluster!.port });
      expect(await store.orphanBodies()).toEqual([]);
    } finally {
      await intake.close(500);
    }
  });

  it('answers 503 with Retry-After and stores nothing while no leader is reachable', async () => {
    const own = await startPostgres();
    const dataDir = tempDir();
    const intake = await startIntake({ store: 'hybrid', dataDir, tokens: TEST_TOKEN_MAP, maxBytes: CONTRACT_MAX_BYTES, pgUrl: `postgresql://postgres@127.0.0.1:${dead},127.0.0.1:${own.port}/postgres` });
    try {
      expect((await upload(intake.url, body(1000).bytes, { token: T.m1 })).status).toBe(201);
      await own.stop();
      const r = await upload(intake.url, body(20_000).bytes, { token: T.m1 });
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json).toMatchObject({ error: 'store_unavailable' });
      expect(r.json.message).toMatch(/retry with the same Idempotency-Key/);
      expect((await call(intake.url, 'GET', '/healthz')).status).toBe(503);
      expect(readdirSync(join(dataDir, 'objects'))).toHaveLength(1);
    } finally {
      await intake.close(500);
      await own.stop();
    }
  }, 120_000);
});
