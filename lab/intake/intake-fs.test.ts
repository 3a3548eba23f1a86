import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTRACT_MAX_BYTES, intakeContract } from './contract.ts';
import { FsStore } from './fs-store.ts';
import { startIntake } from './intake.ts';
import { abortedUpload, body, call, sha256, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from './testing.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'intake-fs-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

intakeContract('fs', () => startIntake({ store: 'fs', dataDir: tempDir(), tokens: TEST_TOKEN_MAP, maxBytes: CONTRACT_MAX_BYTES }));
intakeContract('fs', () => startIntake({ store: 'fs', dataDir: tempDir(), tokens: TEST_TOKEN_MAP, maxBytes: CONTRACT_MAX_BYTES, directIO: false }), ', page-cache writes');

describe('fs store on disk', () => {
  it('keeps nothing of refused or aborted uploads, and survives a restart', async () => {
    const dir = tempDir();
    const intake = await startIntake({ store: 'fs', dataDir: dir, tokens: TEST_TOKEN_MAP, maxBytes: CONTRACT_MAX_BYTES });
    let id: string;
    try {
      const b = body(40_000);
      id = (await upload(intake.url, b.bytes, { token: T.m1 })).json.id;
      await upload(intake.url, body(1000).bytes, { token: T.m1, sha256: '0'.repeat(64) });
      await upload(intake.url, body(CONTRACT_MAX_BYTES * 2).bytes, { token: T.m1, chunked: true });
      await abortedUpload(intake.url, T.m1, body(100_000).bytes, 30_000);
      // The server notices the reset asynchronously; on a busy machine give it a moment.
      for (let i = 0; i < 100 && readdirSync(join(dir, 'tmp')).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      expect(readdirSync(join(dir, 'objects'))).toEqual([`${id}.bin`]);
      expect(readdirSync(join(dir, 'meta'))).toEqual([`${id}.json`]);
      expect(sha256(await readFile(join(dir, 'objects', `${id}.bin`)))).toBe(b.sha256);
    } finally {
      await intake.close(200);
    }
    const again = await startIntake({ store: 'fs', dataDir: dir, tokens: TEST_TOKEN_MAP });
    try {
      const r = await call(again.url, 'GET', `/reports/${id}/content`, { token: T.m1 });
      expect(r.status).toBe(200);
      expect(r.headers['x-report-sha256']).toBe(sha256(r.body));
    } finally {
      await again.close(200);
    }
  });

  it('refuses a data directory another live process owns, takes over a dead owner\'s', async () => {
    const dir = tempDir();
    const a = await FsStore.open(dir);
    await expect(FsStore.open(dir)).resolves.toBeDefined(); // same process: allowed (tests, restarts in-process)
    await a.close();
    writeFileSync(join(dir, 'LOCK'), `${process.ppid}\n`);
    await expect(FsStore.open(dir)).rejects.toThrow(/is in use by process \d+/);
    writeFileSync(join(dir, 'LOCK'), '2147483646\n'); // no such process
    const b = await FsStore.open(dir);
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await b.close();
  });

  it('recovers from a crash: drops temp files and unacknowledged bodies, skips damaged metadata', async () => {
    const dir = tempDir();
    const first = await FsStore.open(dir);
    const b = body(5000);
    async function* once(buf: Buffer) { yield buf; }
    const ok = await first.submit({ id: '00000000-0000-4000-8000-000000000001', agency: 'ministry-01', idempotencyKey: 'a', title: null, sha256: b.sha256, body: once(b.bytes), maxBytes: 1e6 });
    const cut = await first.submit({ id: '00000000-0000-4000-8000-000000000002', agency: 'ministry-01', idempotencyKey: 'b', title: null, sha256: b.sha256, body: once(b.bytes), maxBytes: 1e6 });
    // Damage: a half-written temp body, a body whose metadata never landed, a truncated body.
    writeFileSync(join(dir, 'tmp', 'deadbeef.part'), 'partial');
    writeFileSync(join(dir, 'objects', '00000000-0000-4000-8000-00000000000f.bin'), 'orphan');
    writeFileSync(join(dir, 'objects', `${cut.meta.id}.bin`), b.bytes.subarray(0, 100));
    writeFileSync(join(dir, 'meta', 'junk.json'), '{"id": ');

    const store = await FsStore.open(dir);
    expect(store.recovery).toMatchObject({ reports: 1, tempFilesRemoved: 1, orphanBodiesRemoved: 1 });
    expect(store.recovery.skipped.join('\n')).toMatch(/body is 100 bytes, metadata says 5000/);
    expect(store.recovery.skipped.join('\n')).toMatch(/junk\.json: unreadable metadata/);
    const listed = await store.list({ limit: 10, offset: 0 });
    expect(listed.reports.map((m) => m.id)).toEqual([ok.meta.id]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });
});
