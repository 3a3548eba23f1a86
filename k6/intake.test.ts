// The requests the bundled script makes (recorded through the k6 fakes) replayed against
// the lab intake: the headers, checksum, keys and browse queries are ones it accepts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntake, TEST_TOKEN_MAP, TEST_TOKENS, type RunningIntake } from '../lab/intake/index.ts';
import { planFromTargets } from './plan.ts';
import { loadScript, type FakeRequest } from './testing.ts';

// A small report keeps the test fast; the wire format does not depend on the size.
const plan = planFromTargets(3, { reportsPerSecond: 4, reportSizeMB: 0.2, dataMBps: 0.8, reportsPerDay: 28_000, averageReportsPerSecond: 0.2 });

async function replay(base: string, r: FakeRequest): Promise<{ status: number; json: any }> {
  const res = await fetch(r.url.replace('http://girs.invalid', base), {
    method: r.method,
    headers: r.params.headers,
    ...(r.bodyCopy ? { body: r.bodyCopy } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : null };
}

describe('the script against the lab intake', () => {
  let intake: RunningIntake;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k6-intake-'));
    intake = await startIntake({ port: 0, store: 'fs', dataDir: join(dir, 'store'), tokens: TEST_TOKEN_MAP });
  });
  afterAll(async () => {
    await intake?.close(500);
    rmSync(dir, { recursive: true, force: true });
  });

  it('submits reports the intake accepts, with the checksum the script declared', async () => {
    const { script, fake, setIter } = await loadScript(plan, { GIRS_URL: 'http://girs.invalid', GIRS_TOKEN: `${TEST_TOKENS.m1},${TEST_TOKENS.m2}`, GIRS_RUN_ID: 'r1' }, 1);
    for (const i of [0, 1]) { setIter(i); script.submit(); }
    for (const r of fake.requests) {
      const a = await replay(intake.url, r);
      expect(a.status).toBe(201);
      expect(a.json).toMatchObject({ agency: 'ministry-01', size: 200_000, sha256: r.params.headers['X-Report-SHA256'], status: 'submitted' });
      expect(a.json.title).toMatch(/^Báo cáo định kỳ — GIRS load P3 run r1 peak \d$/);
    }
  });

  it('browses with queries the intake accepts and finds the load reports', async () => {
    const { script, fake, setIter } = await loadScript(plan, { GIRS_URL: 'http://girs.invalid', GIRS_TOKEN: TEST_TOKENS.ex, SCENARIO: 'browse' }, 1);
    // First the list the script reads ids from, answered by the real intake.
    const listed = await fetch(`${intake.url}/reports?limit=20&offset=0`, { headers: { Authorization: `Bearer ${TEST_TOKENS.ex}` } });
    const listBody = await listed.text();
    fake.respond = (r) => ({ status: 200, body: r.url.includes('/reports?limit') ? listBody : '' });
    for (const i of [0, 1, 2, 3]) { setIter(i); script.browse(); }
    const searches = fake.requests.filter((r) => r.url.includes('?q='));
    expect(searches).toHaveLength(4);
    for (const r of fake.requests) expect((await replay(intake.url, r)).status, r.url).toBe(200);
    for (const r of searches) expect((await replay(intake.url, r)).json.total, r.url).toBeGreaterThan(0);
  });
});
