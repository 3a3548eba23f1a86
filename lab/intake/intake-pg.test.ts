// Runs the API contract against a real PostgreSQL 15 started for this file (as the
// postgres user, temp dir, free loopback port) and stopped in afterAll.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_MAX_BYTES, intakeContract } from './contract.ts';
import { startIntake, type RunningIntake } from './intake.ts';
import { startPostgres, type TempPostgres } from './pg-harness.ts';
import { body, call, eventually, metricValue, sha256, stalledUpload, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from './testing.ts';

let cluster: TempPostgres | undefined;
let databases = 0;

beforeAll(async () => {
  cluster = await startPostgres();
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
});

/** A fresh database per server so suites do not see each other's reports. */
async function freshDatabase(): Promise<string> {
  const name = `intake_${++databases}`;
  const admin = new pg.Client({ connectionString: cluster!.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return cluster!.url.replace(/\/postgres$/, `/${name}`);
}

intakeContract('pg', async () => startIntake({ store: 'pg', pgUrl: await freshDatabase(), tokens: TEST_TOKEN_MAP, maxBytes: CONTRACT_MAX_BYTES }));

describe('pg store in the database', () => {
  let intake: RunningIntake;
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase();
    intake = await startIntake({ store: 'pg', pgUrl: url, tokens: TEST_TOKEN_MAP });
  });
  afterAll(async () => {
    await intake?.close(200);
  });

  it('commits body and metadata together and nothing for refused uploads', async () => {
    const b = body(12 * 1024 * 1024); // a Pattern 1-sized report goes through bytea whole
    const r = await upload(intake.url, b.bytes, { token: T.p1, title: 'Tỉnh báo cáo' });
    expect(r.status).toBe(201);
    await upload(intake.url, body(1000).bytes, { token: T.p1, sha256: '1'.repeat(64) });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const rows = await db.query('SELECT r.id, r.sha256, length(b.body) AS n, encode(sha256(b.body), \'hex\') AS digest FROM intake_report r JOIN intake_report_body b USING (id)');
      expect(rows.rows).toEqual([{ id: r.json.id, sha256: b.sha256, n: b.bytes.length, digest: b.sha256 }]);
    } finally {
      await db.end();
    }
    const back = await call(intake.url, 'GET', `/reports/${r.json.id}/content`, { token: T.ex });
    expect(sha256(back.body)).toBe(b.sha256);
  });

  it('reports unhealthy (503) when the database is unreachable', async () => {
    const broken = await startIntake({ store: 'pg', pgUrl: url, tokens: TEST_TOKEN_MAP });
    await broken.store.close(); // the pool is gone, as after losing the server
    try {
      const h = await call(broken.url, 'GET', '/healthz');
      expect(h.status).toBe(503);
      expect(h.json.status).toBe('unavailable');
    } finally {
      await broken.close(200).catch(() => {});
    }
  });
});

describe('pg store limits and failures', () => {
  const metrics = async (u: string) => (await call(u, 'GET', '/metrics')).body.toString();

  it('bounds the uploads it holds in memory: over the limit, 503 with Retry-After and nothing stored', async () => {
    const intake = await startIntake({ store: 'pg', pgUrl: await freshDatabase(), tokens: TEST_TOKEN_MAP, maxUploads: 1 });
    try {
      const slow = stalledUpload(intake.url, T.m1, body(2_000_000).bytes, 500_000);
      await slow.written;
      await eventually('first upload admitted', async () => metricValue(await metrics(intake.url), 'girs_intake_uploads_in_flight') === 1);
      const r = await upload(intake.url, body(1000).bytes, { token: T.m2 });
      expect(r.status).toBe(503);
      expect(r.json.error).toBe('busy');
      expect(r.headers['retry-after']).toBe('1');
      expect(r.json.message).toMatch(/limit of 1 concurrent uploads/);
      slow.abort();
      await eventually('slot freed', async () => metricValue(await metrics(intake.url), 'girs_intake_uploads_in_flight') === 0);
      expect((await call(intake.url, 'GET', '/reports', { token: T.ex })).json.total).toBe(0);
      expect((await upload(intake.url, body(1000).bytes, { token: T.m2 })).status).toBe(201);
      expect(metricValue(await metrics(intake.url), 'girs_intake_store_errors_total', { store: 'pg', kind: 'busy' })).toBe(1);
    } finally {
      await intake.close(200);
    }
  });

  it('refuses to serve a body whose bytes no longer match their SHA-256', async () => {
    const url = await freshDatabase();
    const intake = await startIntake({ store: 'pg', pgUrl: url, tokens: TEST_TOKEN_MAP });
    try {
      const b = body(50_000);
      const id = (await upload(intake.url, b.bytes, { token: T.m1 })).json.id as string;
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        await db.query('UPDATE intake_report_body SET body = set_byte(body, 99, get_byte(body, 99) # 1) WHERE id = $1', [id]); // one flipped bit
      } finally {
        await db.end();
      }
      const r = await call(intake.url, 'GET', `/reports/${id}/content`, { token: T.m1 });
      expect(r.status).toBe(500);
      expect(r.json.error).toBe('content_corrupt');
      expect(metricValue(await metrics(intake.url), 'girs_intake_content_verify_failures_total', { store: 'pg' })).toBe(1);
    } finally {
      await intake.close(200);
    }
  });

  it('answers 503 with Retry-After, not 500, once PostgreSQL is gone', async () => {
    const own = await startPostgres();
    const intake = await startIntake({ store: 'pg', pgUrl: own.url, tokens: TEST_TOKEN_MAP });
    try {
      expect((await upload(intake.url, body(1000).bytes, { token: T.m1 })).status).toBe(201);
      await own.stop(); // fast shutdown: every pooled connection is terminated
      const up = await upload(intake.url, body(1000).bytes, { token: T.m1 });
      expect(up.status).toBe(503);
      expect(up.json.error).toBe('store_unavailable');
      expect(Number(up.headers['retry-after'])).toBeGreaterThan(0);
      expect(up.json.message).toMatch(/nothing was acknowledged, retry later/);
      for (const path of ['/reports', '/reports/00000000-0000-4000-8000-000000000001']) {
        const r = await call(intake.url, 'GET', path, { token: T.ex });
        expect(r.status, path).toBe(503);
        expect(r.headers['retry-after'], path).toBeDefined();
      }
      expect((await call(intake.url, 'GET', '/healthz')).status).toBe(503);
      expect(metricValue(await metrics(intake.url), 'girs_intake_store_errors_total', { store: 'pg', kind: 'unavailable' })).toBeGreaterThanOrEqual(3);
    } finally {
      await intake.close(200).catch(() => {});
      await own.stop();
    }
  }, 120_000);
});
