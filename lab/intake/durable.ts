// Crash-safe file primitives: data reaches the disk (fsync) before the name that
// points at it, and the name reaches the disk (directory fsync) before anyone is told.
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Group commit for one directory: callers arriving while an fsync runs share the next
 * one (the running fsync may predate their rename), so N concurrent commits cost about
 * two directory fsyncs instead of N.
 */
export class DirSyncer {
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  constructor(readonly dir: string, private readonly fsync: (dir: string) => Promise<void> = fsyncDir) {}

  sync(): Promise<void> {
    if (!this.#running) {
      const p = this.fsync(this.dir).finally(() => { if (this.#running === p) this.#running = undefined; });
      this.#running = p;
      return p;
    }
    this.#next ??= this.#running.catch(() => {}).then(() => {
      this.#next = undefined;
      return this.sync();
    });
    return this.#next;
  }
}

export interface AtomicWriteOptions {
  mode?: number;
  /** Fail with EEXIST instead of replacing an existing file. */
  exclusive?: boolean;
  /** Where the temp file goes (same file system as `file`); default: next to it. */
  tempDir?: string;
  /** Shared directory fsync (group commit) instead of a private one. */
  dirSyncer?: DirSyncer;
}

/** temp file + fsync + rename (or link when exclusive) + directory fsync. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(file);
  const tmp = join(opts.tempDir ?? dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', opts.mode ?? 0o644);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.exclusive) {
      await link(tmp, file);
      await unlink(tmp);
    } else {
      await rename(tmp, file);
    }
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await (opts.dirSyncer ? opts.dirSyncer.sync() : fsyncDir(dir));
}
