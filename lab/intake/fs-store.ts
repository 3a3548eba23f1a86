// Embedded intake store: one file per report body and one JSON file per metadata
// record, under --data-dir. A report exists only once its metadata file exists, and
// that file is written only after the body is on disk under its final name, so a
// crash at any point leaves either a complete report or nothing visible.
//
//   DATA/tmp/      bodies and metadata being written (emptied at start-up)
//   DATA/objects/  <id>.bin, fsynced before it is renamed here
//   DATA/meta/     <id>.json, the commit point
//   DATA/LOCK      pid of the one server process that owns the directory (the index is in memory)
//   DATA/.girs-intake-data  marker: the intake created or adopted DATA (see paths.ts);
//                  without it a non-empty folder is refused and nothing in it is touched
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createBodyFile, directIOWorks } from './body-file.ts';
import { DirSyncer, fsyncDir, writeFileAtomic } from './durable.ts';
import { untimed, type FsyncTimer } from './observe.ts';
import { claimDataDir } from './paths.ts';
import {
  IdempotencyConflict, IdempotencyInProgress, InvalidTransition, matchesFilter, receive, reportMetaSchema,
  type ListFilter, type ReportMeta, type ReportStore, type Status, type SubmitInput, type SubmitResult,
} from './store.ts';

export interface Recovery {
  reports: number;
  tempFilesRemoved: number;
  orphanBodiesRemoved: number;
  /** Metadata files that could not be read or whose body is missing or the wrong size. */
  skipped: string[];
}

export class FsStore implements ReportStore {
  readonly kind = 'fs' as const;
  readonly #byId = new Map<string, ReportMeta>();
  readonly #byKey = new Map<string, string>();
  readonly #tmp: string;
  readonly #objects: string;
  readonly #meta: string;
  readonly #objectsSync: DirSyncer;
  readonly #metaSync: DirSyncer;
  /** Serialises metadata rewrites per report (status changes). */
  readonly #locks = new Map<string, Promise<unknown>>();

  /** Whether bodies bypass the page cache (O_DIRECT); see body-file.ts. */
  directIO = false;
  #time: FsyncTimer = untimed;

  private constructor(readonly dataDir: string, readonly recovery: Recovery) {
    this.#tmp = join(dataDir, 'tmp');
    this.#objects = join(dataDir, 'objects');
    this.#meta = join(dataDir, 'meta');
    this.#objectsSync = new DirSyncer(this.#objects);
    this.#metaSync = new DirSyncer(this.#meta);
  }

  /** `directIO`: undefined = use O_DIRECT when the file system supports it. */
  static async open(dataDir: string, opts: { directIO?: boolean; timeFsync?: FsyncTimer } = {}): Promise<FsStore> {
    const recovery: Recovery = { reports: 0, tempFilesRemoved: 0, orphanBodiesRemoved: 0, skipped: [] };
    const store = new FsStore(dataDir, recovery);
    if (opts.timeFsync) store.#time = opts.timeFsync;
    await claimDataDir(dataDir);
    for (const d of [store.#tmp, store.#objects, store.#meta]) await mkdir(d, { recursive: true });
    await fsyncDir(dataDir);
    await store.#lock();
    // Anything in tmp/ was never acknowledged.
    for (const name of await readdir(store.#tmp)) {
      await unlink(join(store.#tmp, name));
      recovery.tempFilesRemoved++;
    }
    for (const name of await readdir(store.#meta)) {
      if (!name.endsWith('.json')) continue;
      const why = await store.#load(name);
      if (why) recovery.skipped.push(`${name}: ${why}`);
    }
    // A body without metadata is an upload that crashed between its two renames.
    for (const name of await readdir(store.#objects)) {
      const id = name.replace(/\.bin$/, '');
      if (!store.#byId.has(id) && !recovery.skipped.some((s) => s.startsWith(`${id}.json`))) {
        await unlink(join(store.#objects, name));
        recovery.orphanBodiesRemoved++;
      }
    }
    recovery.reports = store.#byId.size;
    store.directIO = opts.directIO ?? await directIOWorks(store.#tmp);
    return store;
  }

  async #load(name: string): Promise<string | undefined> {
    let meta: ReportMeta;
    try {
      meta = reportMetaSchema.parse(JSON.parse(await readFile(join(this.#meta, name), 'utf8')));
    } catch (e) {
      return `unreadable metadata (${(e as Error).message.split('\n')[0]})`;
    }
    if (`${meta.id}.json` !== name) return 'file name does not match its id';
    try {
      const st = await stat(this.#bodyPath(meta.id));
      if (st.size !== meta.size) return `body is ${st.size} bytes, metadata says ${meta.size}`;
    } catch {
      return 'body file is missing';
    }
    this.#index(meta);
    return undefined;
  }

  #index(meta: ReportMeta): void {
    this.#byId.set(meta.id, meta);
    this.#byKey.set(keyOf(meta.agency, meta.idempotencyKey), meta.id);
  }

  #bodyPath(id: string): string {
    return join(this.#objects, `${id}.bin`);
  }

  async findByKey(agency: string, idempotencyKey: string): Promise<ReportMeta | undefined> {
    const id = this.#byKey.get(keyOf(agency, idempotencyKey));
    return id === undefined ? undefined : this.#byId.get(id);
  }

  async submit(input: SubmitInput): Promise<SubmitResult> {
    const part = join(this.#tmp, `${input.id}.part`);
    const file = await createBodyFile(part, this.directIO);
    let finished = false;
    try {
      const { size, sha256 } = await receive(input.body, input.sha256, input.maxBytes, (chunk) => file.write(chunk));
      await this.#time('body', () => file.finish());
      finished = true;

      // The body is durable; now decide, without awaiting in between, whether this
      // key is still free, and claim it so a concurrent upload sees the claim.
      const k = keyOf(input.agency, input.idempotencyKey);
      const existingId = this.#byKey.get(k);
      if (existingId !== undefined) {
        await unlink(part);
        const existing = this.#byId.get(existingId);
        if (!existing) throw new IdempotencyInProgress(input.idempotencyKey);
        if (existing.sha256 !== sha256) throw new IdempotencyConflict(existing);
        return { created: false, meta: existing };
      }
      const now = new Date().toISOString();
      const meta: ReportMeta = {
        id: input.id, agency: input.agency, title: input.title, sha256, size, status: 'submitted',
        comment: null, idempotencyKey: input.idempotencyKey, createdAt: now, updatedAt: now,
      };
      this.#byKey.set(k, meta.id);
      let renamed = false;
      try {
        await rename(part, this.#bodyPath(meta.id));
        renamed = true;
        // The body's name must be durable before the metadata's name is.
        await this.#time('objects_dir', () => this.#objectsSync.sync());
        await this.#time('meta', () => this.#writeMeta(meta));
      } catch (e) {
        this.#byKey.delete(k);
        // Not acknowledged, so not a report: its body must not stay behind (a full disk
        // refusing the metadata would otherwise leave an orphan until the next start).
        if (renamed) await unlink(this.#bodyPath(meta.id)).catch(() => {});
        throw e;
      }
      this.#byId.set(meta.id, meta);
      return { created: true, meta };
    } catch (e) {
      if (!finished) await file.abort();
      await unlink(part).catch(() => {});
      throw e;
    }
  }

  #writeMeta(meta: ReportMeta): Promise<void> {
    return writeFileAtomic(join(this.#meta, `${meta.id}.json`), JSON.stringify(meta), { tempDir: this.#tmp, dirSyncer: this.#metaSync });
  }

  async get(id: string): Promise<ReportMeta | undefined> {
    return this.#byId.get(id);
  }

  async list(f: ListFilter): Promise<{ total: number; reports: ReportMeta[] }> {
    const all = [...this.#byId.values()].filter((m) => matchesFilter(m, f)).sort(newestFirst);
    return { total: all.length, reports: all.slice(f.offset, f.offset + f.limit) };
  }

  async openContent(id: string): Promise<Readable | undefined> {
    if (!this.#byId.has(id)) return undefined;
    return createReadStream(this.#bodyPath(id));
  }

  async transition(id: string, from: readonly Status[], to: Status, comment: string | null): Promise<ReportMeta> {
    const prev = this.#locks.get(id) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(async () => {
      const meta = this.#byId.get(id);
      if (!meta) throw new Error(`report ${id} does not exist`);
      if (!from.includes(meta.status)) throw new InvalidTransition(meta, to);
      const updated: ReportMeta = { ...meta, status: to, comment, updatedAt: new Date().toISOString() };
      await this.#writeMeta(updated);
      this.#byId.set(id, updated);
      return updated;
    });
    this.#locks.set(id, next);
    try {
      return await next;
    } finally {
      if (this.#locks.get(id) === next) this.#locks.delete(id);
    }
  }

  async healthy(): Promise<boolean> {
    try {
      await stat(this.#meta);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await unlink(join(this.dataDir, 'LOCK')).catch(() => {});
  }

  /**
   * The index lives in memory, so two servers on one directory would hand out the same
   * idempotency key twice. A lock file names the owner; a dead owner (kill -9) is replaced.
   */
  async #lock(): Promise<void> {
    const file = join(this.dataDir, 'LOCK');
    for (;;) {
      try {
        await writeFileAtomic(file, `${process.pid}\n`, { exclusive: true });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new Error(`data directory ${this.dataDir} is in use by process ${owner} (${file})`);
      }
      await unlink(file).catch(() => {});
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function keyOf(agency: string, key: string): string {
  return `${agency}\n${key}`;
}

export function newestFirst(a: ReportMeta, b: ReportMeta): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1;
}
