// kill -9 the intake (fs store) while uploads are in flight, restart it on the same data
// directory, and check that every acknowledged report is there with its exact bytes and
// that nothing partial or corrupt is listed. Repeated on one directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { body, call, sha256, TEST_TOKEN_MAP, TEST_TOKENS as T } from './testing.ts';

const ROUNDS = 5;
const COC = fileURLToPath(new URL('../../bin/coc.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'intake-crash-'));
const tokensFile = join(dir, 'tokens.json');
writeFileSync(tokensFile, JSON.stringify(TEST_TOKEN_MAP));
const live = new Set<ChildProcess>();

afterEach(() => {
  for (const p of live) p.kill('SIGKILL');
  live.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startServer(): Promise<{ proc: ChildProcess; url: string }> {
  // bin/coc.mjs runs the intake in its own process, so SIGKILL hits the server itself, not a wrapper.
  const proc = spawn(process.execPath, [COC, 'lab', 'intake', '--tokens', tokensFile, '--data-dir', join(dir, 'data'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const lines = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 120_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (m) resolve(m[1]!); else reject(new Error(`unexpected first line "${line}" ${stderr}`));
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${stderr}`)); });
  });
  return { proc, url };
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', () => r()));
}

/**
 * Sends `bytes` in 64 KiB pieces, pausing `pauseMs` between pieces; with `stallAt`
 * it stops sending after that many bytes and waits. Resolves with the new id on 201.
 */
function dripUpload(url: string, bytes: Buffer, key: string, pauseMs: number, stallAt?: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(`${url}/reports`, {
      method: 'POST', agent: false,
      headers: { authorization: `Bearer ${T.m1}`, 'x-report-sha256': sha256(bytes), 'idempotency-key': key, 'content-length': bytes.length },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode === 201 ? JSON.parse(Buffer.concat(chunks).toString()).id : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    let off = 0;
    const next = () => {
      if (req.destroyed) return;
      if (stallAt !== undefined && off >= stallAt) return;
      if (off >= bytes.length) { req.end(); return; }
      const piece = bytes.subarray(off, off + 65536);
      off += piece.length;
      req.write(piece, () => setTimeout(next, pauseMs));
    };
    next();
  });
}

describe('crash safety of the fs store', () => {
  it(`keeps every acknowledged report and nothing partial across ${ROUNDS} kill -9 restarts`, async () => {
    const sent = new Map<string, string>(); // sha256 -> idempotency key of every body ever sent
    const acked = new Map<string, string>(); // id -> sha256
    let interrupted = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const { proc, url } = await startServer();
      const bodies = Array.from({ length: 8 }, () => body(1_200_000 + Math.floor(Math.random() * 400_000)));
      for (const b of bodies) sent.set(b.sha256, `round${round}-${b.sha256.slice(0, 12)}`);
      const key = (b: { sha256: string }) => sent.get(b.sha256)!;
      // One upload completes before the crash for sure; the others race it or stall.
      const first = await dripUpload(url, bodies[0]!.bytes, key(bodies[0]!), 0);
      expect(first).toBeDefined();
      acked.set(first!, bodies[0]!.sha256);
      const inFlight = bodies.slice(1).map((b, i) => {
        const p = i % 3 === 0 ? dripUpload(url, b.bytes, key(b), 0)
          : i % 3 === 1 ? dripUpload(url, b.bytes, key(b), 5)
          : dripUpload(url, b.bytes, key(b), 2, Math.floor(b.bytes.length / 2));
        return p.then((id) => { if (id) acked.set(id, b.sha256); else interrupted++; });
      });
      await new Promise((r) => setTimeout(r, 40 + Math.random() * 120));
      proc.kill('SIGKILL');
      await exited(proc);
      live.delete(proc);
      await Promise.all(inFlight);

      const again = await startServer();
      const listed = await call(again.url, 'GET', '/reports?limit=1000', { token: T.ex });
      expect(listed.status).toBe(200);
      const ids = new Set<string>();
      for (const m of listed.json.reports as Array<{ id: string; sha256: string; size: number; idempotencyKey: string }>) {
        ids.add(m.id);
        // Listed means complete: bytes present, matching the digest the client declared.
        expect(sent.get(m.sha256), `report ${m.id} has a digest no client sent`).toBe(m.idempotencyKey);
        const content = await call(again.url, 'GET', `/reports/${m.id}/content`, { token: T.ex });
        expect(content.status).toBe(200);
        expect(content.body.length).toBe(m.size);
        expect(sha256(content.body)).toBe(m.sha256);
      }
      for (const [id, digest] of acked) {
        expect(ids.has(id), `acknowledged report ${id} is missing after the crash`).toBe(true);
        expect((await call(again.url, 'GET', `/reports/${id}`, { token: T.ex })).json.sha256).toBe(digest);
      }
      expect(readdirSync(join(dir, 'data', 'tmp'))).toEqual([]);
      again.proc.kill('SIGTERM');
      await exited(again.proc);
      live.delete(again.proc);
      expect(again.proc.exitCode).toBe(0);
    }
    // The crash must really have cut uploads short, or the test proves nothing.
    expect(interrupted).toBeGreaterThan(0);
  }, 600_000);
});
