// Runs the API contract against a real PostgreSQL 15 started for this file (as the
// postgres user, temp dir, free loopback port) and stopped in afterAll.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_MAX_BYTES, intakeContract } from './contract.ts';
import { startIntake, type RunningIntake } from './intake.ts';
import { startPostgres, type TempPostgres } from './pg-harness.ts';
import { body, call, sha256, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from './testing.ts';

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
