import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBodyFile, directIOWorks } from './body-file.ts';
import { body, sha256 } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'intake-body-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 1 << 20;
// Around the 4 KiB alignment and the 1 MiB staging size, in socket-sized and oversized chunks.
const sizes = [1, 4095, 4096, 4097, MiB - 1, MiB, MiB + 1, 2 * MiB + 4100, 3 * MiB + 12345];
const chunkings = [65536, 1000, 3 * MiB];

// tmpfs and some other file systems refuse O_DIRECT; the direct case is then skipped.
const direct = await directIOWorks(dir);

describe('report body files', () => {
  for (const mode of [true, false]) {
    it.skipIf(mode && !direct)(`writes every size byte-exact with ${mode ? 'direct' : 'page-cache'} writes`, async () => {
      let n = 0;
      for (const size of sizes) {
        for (const step of chunkings) {
          const b = body(size);
          const path = join(dir, `f${mode ? 'd' : 'b'}${n++}`);
          const f = await createBodyFile(path, mode);
          for (let off = 0; off < size; off += step) {
            const w = f.write(b.bytes.subarray(off, off + step));
            if (w) await w;
          }
          await f.finish();
          const back = readFileSync(path);
          expect(back.length, `${size}/${step}`).toBe(size);
          expect(sha256(back), `${size}/${step}`).toBe(b.sha256);
        }
      }
    });
  }

  it('abort closes the file without error after partial writes', async () => {
    const f = await createBodyFile(join(dir, 'aborted'), direct);
    const w = f.write(body(MiB + 5).bytes);
    if (w) await w;
    await expect(f.abort()).resolves.toBeUndefined();
  });
});
