// A scrub: re-hash every stored body and name those whose SHA-256 no longer matches, so bit
// rot in reports nobody downloads is found too (GET content checks only what it serves).
import { createHash } from 'node:crypto';
import type { ReportMeta, ReportStore } from './store.ts';

export interface ScrubResult {
  checked: number;
  bytes: number;
  /** Reports whose body is missing, of the wrong size or hashes to another digest. */
  corrupt: Array<{ id: string; agency: string; reason: string }>;
}

async function digest(store: ReportStore, meta: ReportMeta): Promise<{ size: number; sha256: string } | undefined> {
  const stream = await store.openContent(meta.id);
  if (!stream) return undefined;
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    hash.update(c);
    size += c.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Reads every report once, one at a time (a background job must not compete with uploads for memory). */
export async function scrub(store: ReportStore, onCorrupt: (meta: ReportMeta, reason: string) => void = () => {}): Promise<ScrubResult> {
  const result: ScrubResult = { checked: 0, bytes: 0, corrupt: [] };
  const PAGE = 500;
  for (let offset = 0; ; offset += PAGE) {
    const { reports } = await store.list({ limit: PAGE, offset });
    for (const meta of reports) {
      let reason: string | undefined;
      try {
        const d = await digest(store, meta);
        if (!d) reason = 'body is missing';
        else if (d.size !== meta.size) reason = `body is ${d.size} bytes, recorded ${meta.size}`;
        else if (d.sha256 !== meta.sha256) reason = `body hashes to ${d.sha256}, recorded ${meta.sha256}`;
        if (d) result.bytes += d.size;
      } catch (e) {
        reason = `body cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      }
      result.checked++;
      if (reason) {
        result.corrupt.push({ id: meta.id, agency: meta.agency, reason });
        onCorrupt(meta, reason);
      }
    }
    if (reports.length < PAGE) return result;
  }
}
