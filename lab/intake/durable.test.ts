import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirSyncer, writeFileAtomic } from './durable.ts';

const dir = mkdtempSync(join(tmpdir(), 'intake-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DirSyncer (group commit)', () => {
  it('lets callers that arrive during an fsync share the next one, never the running one', async () => {
    const started: Array<() => void> = [];
    const syncer = new DirSyncer('/x', () => new Promise<void>((r) => started.push(r)));
    const done: string[] = [];
    const first = syncer.sync().then(() => done.push('first'));
    // These arrive while the first fsync runs: it may predate their renames.
    const later = [1, 2, 3].map((i) => syncer.sync().then(() => done.push(`later${i}`)));
    expect(started).toHaveLength(1);
    started[0]!();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual(['first']);
    expect(started).toHaveLength(2); // one more fsync for all three
    started[1]!();
    await Promise.all(later);
    expect(done).toEqual(['first', 'later1', 'later2', 'later3']);
    expect(started).toHaveLength(2);
  });

  it('passes fsync failures to every waiter and recovers afterwards', async () => {
    let fail = true;
    const syncer = new DirSyncer('/x', async () => { if (fail) throw new Error('EIO'); });
    await expect(syncer.sync()).rejects.toThrow('EIO');
    fail = false;
    await expect(syncer.sync()).resolves.toBeUndefined();
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temp file behind', async () => {
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    await writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('exclusive: refuses an existing file and cleans up its temp file', async () => {
    const f = join(dir, 'b.json');
    await writeFileAtomic(f, 'one', { exclusive: true });
    await expect(writeFileAtomic(f, 'two', { exclusive: true })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(f, 'utf8')).toBe('one');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']);
  });
});
