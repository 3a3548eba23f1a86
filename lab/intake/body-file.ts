// Writes a report body to its temp file. Bodies are written once and rarely read, so
// where the file system allows it they bypass the page cache (O_DIRECT): copying 10 MB
// into the cache, writing it back and reclaiming it cost more CPU than hashing it
// (measured ~20 ms vs ~2 ms per 10 MB file on the lab machine). O_DIRECT needs aligned
// memory, offsets and lengths: bodies are staged in page-aligned 1 MiB buffers carved
// from WebAssembly memory (the one page-aligned allocation JavaScript can make), and
// the padded last block is cut back with ftruncate.
import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const STAGE = 1 << 20;
const ALIGN = 4096;
const WASM_PAGE = 65536;

export interface BodyFile {
  /** Resolves when the bytes may be reused by the caller; undefined when that is already so. */
  write(chunk: Buffer): Promise<void> | undefined;
  /** Writes what is left, fsyncs and closes. */
  finish(): Promise<void>;
  /** Closes without caring about the content (the caller deletes the file). */
  abort(): Promise<void>;
}

// The lib settings of this project type WebAssembly as a namespace only.
const { Memory } = (globalThis as unknown as {
  WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer } };
}).WebAssembly;

/** Pairs of page-aligned staging buffers, reused across uploads. */
const pool: Array<[Buffer, Buffer]> = [];
const POOL_MAX = 32;

function takeSlab(): [Buffer, Buffer] {
  const reused = pool.pop();
  if (reused) return reused;
  const pages = (2 * STAGE) / WASM_PAGE;
  const all = Buffer.from(new Memory({ initial: pages, maximum: pages }).buffer);
  return [all.subarray(0, STAGE), all.subarray(STAGE)];
}

function giveSlab(s: [Buffer, Buffer]): void {
  if (pool.length < POOL_MAX) pool.push(s);
}

/** Background writes are awaited later; a failure must not surface as an unhandled rejection first. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

class DirectBodyFile implements BodyFile {
  #cur = 0;
  #fill = 0;
  #pos = 0;
  #inflight: Promise<unknown> = Promise.resolve();
  #done = false;

  constructor(private readonly fh: FileHandle, private readonly slab: [Buffer, Buffer]) {}

  write(chunk: Buffer): Promise<void> | undefined {
    // Fast path: the chunk fits in the current stage without filling it.
    if (this.#fill + chunk.length < STAGE) {
      chunk.copy(this.slab[this.#cur]!, this.#fill);
      this.#fill += chunk.length;
      return undefined;
    }
    return this.#writeSlow(chunk);
  }

  async #writeSlow(chunk: Buffer): Promise<void> {
    while (chunk.length > 0) {
      const stage = this.slab[this.#cur]!;
      const k = Math.min(chunk.length, STAGE - this.#fill);
      chunk.copy(stage, this.#fill, 0, k);
      this.#fill += k;
      chunk = chunk.subarray(k);
      if (this.#fill === STAGE) {
        // Double buffering: the other stage's write must finish before it is refilled.
        await this.#inflight;
        this.#inflight = quiet(this.fh.write(stage, 0, STAGE, this.#pos));
        this.#pos += STAGE;
        this.#fill = 0;
        this.#cur ^= 1;
      }
    }
  }

  async finish(): Promise<void> {
    try {
      await this.#inflight;
      if (this.#fill > 0) {
        const stage = this.slab[this.#cur]!;
        const padded = Math.ceil(this.#fill / ALIGN) * ALIGN;
        stage.fill(0, this.#fill, padded);
        await this.fh.write(stage, 0, padded, this.#pos);
        if (padded !== this.#fill) await this.fh.truncate(this.#pos + this.#fill);
      }
      await this.fh.sync();
    } finally {
      await this.#release();
    }
  }

  async abort(): Promise<void> {
    await this.#inflight.catch(() => {});
    await this.#release();
  }

  async #release(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.fh.close().catch(() => {});
    giveSlab(this.slab);
  }
}

/** Page-cache writes in ~1 MiB batches (writev), for file systems without O_DIRECT. */
class BufferedBodyFile implements BodyFile {
  #batch: Buffer[] = [];
  #batched = 0;
  #inflight: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(private readonly fh: FileHandle) {}

  write(chunk: Buffer): Promise<void> | undefined {
    this.#batch.push(chunk);
    this.#batched += chunk.length;
    return this.#batched >= STAGE ? this.#flush() : undefined;
  }

  async #flush(): Promise<void> {
    const bufs = this.#batch;
    this.#batch = [];
    this.#batched = 0;
    // One write in flight while the next batch is read from the socket.
    await this.#inflight;
    this.#inflight = quiet(this.fh.writev(bufs));
  }

  async finish(): Promise<void> {
    try {
      if (this.#batched > 0) await this.#flush();
      await this.#inflight;
      await this.fh.sync();
    } finally {
      await this.abort();
    }
  }

  async abort(): Promise<void> {
    await this.#inflight.catch(() => {});
    if (this.#closed) return;
    this.#closed = true;
    await this.fh.close().catch(() => {});
  }
}

const O_DIRECT = (constants as Record<string, number | undefined>).O_DIRECT;

export async function createBodyFile(path: string, direct: boolean): Promise<BodyFile> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  if (direct && O_DIRECT !== undefined) {
    let slab: [Buffer, Buffer] | undefined;
    try {
      slab = takeSlab();
    } catch {
      // Out of address space for staging memory: this upload goes through the page cache.
    }
    if (slab) {
      try {
        return new DirectBodyFile(await open(path, flags | O_DIRECT, 0o644), slab);
      } catch (e) {
        giveSlab(slab);
        throw e;
      }
    }
  }
  return new BufferedBodyFile(await open(path, flags, 0o644));
}

/** Whether `dir` accepts aligned O_DIRECT writes (tmpfs and some others do not). */
export async function directIOWorks(dir: string): Promise<boolean> {
  if (O_DIRECT === undefined) return false;
  const probe = join(dir, `.direct-io-probe-${process.pid}`);
  try {
    const f = await createBodyFile(probe, true);
    try {
      const w = f.write(Buffer.alloc(ALIGN + 17, 1));
      if (w) await w;
      await f.finish();
    } catch (e) {
      await f.abort();
      throw e;
    }
    return true;
  } catch {
    return false;
  } finally {
    await unlink(probe).catch(() => {});
  }
}
