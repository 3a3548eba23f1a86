// fs store under hostile conditions: a full disk, bit rot, clients that stop reading,
// smuggling shapes (counted on disk), and data directories the intake did not create.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsStore } from './fs-store.ts';
import { startIntake } from './intake.ts';
import { DATA_DIR_MARKER, PathError } from './paths.ts';
import { body, call, eventually, metricValue, rawRequest, rawUploadHead, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from './testing.ts';

const dirs: string[] = [];
const mounts: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'intake-hostile-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const m of mounts) { try { execFileSync('umount', [m]); } catch { /* already gone */ } }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A small tmpfs of its own, so "disk full" is real and affects nobody else. Needs root. */
function smallDisk(bytes: number): string | undefined {
  const d = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', d], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(d);
  return d;
}
const canMount = process.getuid?.() === 0;

function files(dir: string): Record<string, number> {
  return Object.fromEntries(['tmp', 'objects', 'meta'].map((d) => [d, readdirSync(join(dir, d)).length]));
}

describe('fs store: a full disk', () => {
  it.skipIf(!canMount)('answers 507 and leaves neither a temp file nor an orphan body, whichever write fills the disk', async () => {
    const disk = smallDisk(2 * 1024 * 1024);
    expect(disk, 'mount a tmpfs (root)').toBeDefined();
    const dataDir = join(disk!, 'data');
    const intake = await startIntake({ store: 'fs', dataDir, tokens: TEST_TOKEN_MAP });
    try {
      const free = () => { const s = statfsSync(disk!); return s.bavail * s.bsize; };
      const before = free();
      // 1. The body itself does not fit.
      const big = await upload(intake.url, body(before + 100_000).bytes, { token: T.m1 });
      expect(big.status).toBe(507);
      expect(big.json).toMatchObject({ error: 'insufficient_storage' });
      expect(big.json.message).toMatch(/out of disk space \(ENOSPC\); nothing was stored/);
      await eventually('temp file removed', () => files(dataDir).tmp === 0);
      // 2. The body fits exactly, so its metadata (the commit point) is what fails: the
      //    renamed body must not stay behind as an orphan.
      const exact = await upload(intake.url, body(before).bytes, { token: T.m1 });
      expect(exact.status).toBe(507);
      expect(files(dataDir)).toEqual({ tmp: 0, objects: 0, meta: 0 });
      expect(free()).toBe(before);
      const m = (await call(intake.url, 'GET', '/metrics')).body.toString();
      expect(metricValue(m, 'girs_intake_store_errors_total', { store: 'fs', kind: 'disk_full' })).toBe(2);
      // And the disk still takes a report that fits.
      expect((await upload(intake.url, body(10_000).bytes, { token: T.m1 })).status).toBe(201);
    } finally {
      await intake.close(200);
    }
  });
});

describe('fs store: content is re-hashed when served', () => {
  it('refuses to serve a body that no longer matches its SHA-256, with a clear error and a metric', async () => {
    const dataDir = tempDir();
    const logged: string[] = [];
    const intake = await startIntake({ store: 'fs', dataDir, tokens: TEST_TOKEN_MAP, log: (l) => logged.push(l) });
    try {
      const b = body(300_000);
      const id = (await upload(intake.url, b.bytes, { token: T.m1 })).json.id as string;
      expect((await call(intake.url, 'GET', `/reports/${id}/content`, { token: T.m1 })).status).toBe(200);
      // Bit rot: one flipped bit, same size.
      const file = join(dataDir, 'objects', `${id}.bin`);
      const rotten = readFileSync(file);
      rotten[123_456]! ^= 0x04;
      writeFileSync(file, rotten);
      const r = await call(intake.url, 'GET', `/reports/${id}/content`, { token: T.m1 });
      expect(r.status).toBe(500);
      expect(r.json.error).toBe('content_corrupt');
      expect(r.json.message).toContain(b.sha256);
      expect(r.json.message).toMatch(/not served/);
      expect(logged.join('\n')).toMatch(new RegExp(`content verification failed: report ${id}`));
      let m = (await call(intake.url, 'GET', '/metrics')).body.toString();
      expect(metricValue(m, 'girs_intake_content_verify_failures_total', { store: 'fs' })).toBe(1);
      expect(metricValue(m, 'girs_intake_store_errors_total', { store: 'fs', kind: 'corrupt' })).toBe(1);
      // A scrub finds it too, among healthy reports, without anyone downloading it.
      await upload(intake.url, body(1000).bytes, { token: T.m2 });
      const s = await intake.scrub();
      expect(s.checked).toBe(2);
      expect(s.corrupt).toEqual([{ id, agency: 'ministry-01', reason: expect.stringMatching(`body hashes to [0-9a-f]{64}, recorded ${b.sha256}`) }]);
      expect(logged.join('\n')).toMatch(new RegExp(`scrub: report ${id} \\(ministry-01\\)`));
      m = (await call(intake.url, 'GET', '/metrics')).body.toString();
      expect(metricValue(m, 'girs_intake_content_verify_failures_total', { store: 'fs' })).toBe(2);
    } finally {
      await intake.close(200);
    }
  });
});

describe('fs store: a client that stops reading', () => {
  it('is cut off after the idle timeout, releasing its socket and the open body file', async () => {
    const dataDir = tempDir();
    const intake = await startIntake({ store: 'fs', dataDir, tokens: TEST_TOKEN_MAP, sendIdleTimeoutMs: 300 });
    try {
      // Larger than loopback socket buffers hold, so the server really blocks on the reader.
      const b = body(30 * 1024 * 1024);
      const id = (await upload(intake.url, b.bytes, { token: T.m1 })).json.id as string;
      const bodyFile = join(dataDir, 'objects', `${id}.bin`);
      const openByUs = () => readdirSync('/proc/self/fd').some((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) === bodyFile; } catch { return false; } });
      let received = 0;
      let resume = () => {};
      const closed = new Promise<void>((resolve) => {
        const req = request(`${intake.url}/reports/${id}/content`, { headers: { authorization: `Bearer ${T.m1}` }, agent: false });
        req.on('response', (res) => {
          res.once('data', () => res.pause()); // read one chunk, then nothing
          resume = () => { res.on('data', (c: Buffer) => { received += c.length; }); res.resume(); };
          res.on('error', () => {});
        });
        req.on('error', () => {});
        req.on('close', () => resolve());
        req.end();
      });
      const metrics = async () => (await call(intake.url, 'GET', '/metrics')).body.toString();
      await eventually('slow reader cut off', async () => metricValue(await metrics(), 'girs_intake_slow_reader_timeouts_total') === 1);
      await eventually('body file closed', () => !openByUs());
      // The client, reading again, finds the answer cut short.
      resume();
      await closed;
      expect(received).toBeLessThan(b.bytes.length);
      expect(metricValue(await metrics(), 'girs_intake_http_requests_total', { route: '/reports/:id/content', status: '499' })).toBe(1);
      // A client that reads gets everything.
      expect((await call(intake.url, 'GET', `/reports/${id}/content`, { token: T.m1 })).body.length).toBe(b.bytes.length);
    } finally {
      await intake.close(200);
    }
  });
});

describe('fs store: smuggling shapes leave nothing on disk', () => {
  it('keeps tmp/, objects/ and meta/ unchanged', async () => {
    const dataDir = tempDir();
    const intake = await startIntake({ store: 'fs', dataDir, tokens: TEST_TOKEN_MAP });
    try {
      await upload(intake.url, body(1000).bytes, { token: T.m1 });
      const before = files(dataDir);
      const b = Buffer.from('twenty bytes of body');
      for (const extra of [['Transfer-Encoding: gzip'], ['Transfer-Encoding: gzip, chunked'], ['Transfer-Encoding: chunked', ' folded'], []]) {
        const r = await rawRequest(intake.url, rawUploadHead(T.m1, b, extra) + `14\r\n${b}\r\n0\r\n\r\n`);
        expect(r.status, extra.join(' ')).toBe(400);
        expect(files(dataDir)).toEqual(before);
      }
    } finally {
      await intake.close(200);
    }
  });
});

describe('fs store: a data directory it did not create', () => {
  it('refuses a non-empty folder without its marker and deletes nothing in it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'tmp'));
    mkdirSync(join(dir, 'objects'));
    writeFileSync(join(dir, 'tmp', 'thesis.docx'), 'years of work');
    writeFileSync(join(dir, 'objects', 'photo.bin'), 'a photo');
    writeFileSync(join(dir, 'notes.txt'), 'notes');
    const err = await FsStore.open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathError);
    expect((err as Error).message).toMatch(/is not empty .* has no \.girs-intake-data file, so the intake did not create it/);
    expect(readFileSync(join(dir, 'tmp', 'thesis.docx'), 'utf8')).toBe('years of work');
    expect(readFileSync(join(dir, 'objects', 'photo.bin'), 'utf8')).toBe('a photo');
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'objects', 'tmp']);
  });

  it('creates a missing folder, adopts an empty one and reopens its own (marker written once)', async () => {
    const parent = tempDir();
    const fresh = join(parent, 'new', 'data');
    await (await FsStore.open(fresh)).close();
    expect(readdirSync(fresh)).toContain(DATA_DIR_MARKER);
    writeFileSync(join(fresh, 'tmp', 'x.part'), 'unacknowledged');
    const again = await FsStore.open(fresh);
    expect(again.recovery.tempFilesRemoved).toBe(1); // its own folder: clean-up allowed
    await again.close();
    const empty = join(parent, 'empty');
    mkdirSync(empty);
    await (await FsStore.open(empty)).close();
    expect(readdirSync(empty)).toContain(DATA_DIR_MARKER);
  });

  it('refuses a file, and paths under /proc, /sys and /dev, without hanging', async () => {
    const f = join(tempDir(), 'file');
    writeFileSync(f, 'x');
    await expect(FsStore.open(f)).rejects.toThrow(/--data-dir .*: is a file; expected a directory/);
    for (const p of ['/proc/self/intake', '/proc/1/fd', '/sys/kernel/intake', '/dev/intake', '/dev/zero']) {
      await expect(FsStore.open(p), p).rejects.toThrow(/kernel file system/);
    }
  });
});
