// What every intake store (embedded file store, PostgreSQL) offers the HTTP layer,
// and the one streaming pass that sizes, hashes and forwards a report body.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';

export const STATUSES = ['submitted', 'withdrawn', 'approved', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];

export const reportMetaSchema = z.object({
  id: z.uuid(),
  agency: z.string().min(1),
  title: z.string().nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  status: z.enum(STATUSES),
  comment: z.string().nullable(),
  idempotencyKey: z.string().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).strict();

export type ReportMeta = z.infer<typeof reportMetaSchema>;

export interface SubmitInput {
  id: string;
  agency: string;
  idempotencyKey: string;
  title: string | null;
  /** Lower-case hex digest the client declared; the body must match it. */
  sha256: string;
  body: AsyncIterable<Buffer>;
  maxBytes: number;
}

export type SubmitResult = { created: true; meta: ReportMeta } | { created: false; meta: ReportMeta };

export interface ListFilter {
  agency?: string;
  status?: Status;
  /** Case-insensitive substring of the title or the id. */
  q?: string;
  limit: number;
  offset: number;
}

export interface ReportStore {
  readonly kind: 'fs' | 'pg' | 'hybrid';
  findByKey(agency: string, idempotencyKey: string): Promise<ReportMeta | undefined>;
  /**
   * Stores the body and its metadata durably, then resolves. A concurrent commit of the
   * same idempotency key resolves as a replay (same body) or throws IdempotencyConflict.
   */
  submit(input: SubmitInput): Promise<SubmitResult>;
  get(id: string): Promise<ReportMeta | undefined>;
  list(filter: ListFilter): Promise<{ total: number; reports: ReportMeta[] }>;
  openContent(id: string): Promise<Readable | undefined>;
  /** Moves a report from one of `from` to `to`; throws InvalidTransition otherwise. */
  transition(id: string, from: readonly Status[], to: Status, comment: string | null): Promise<ReportMeta>;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) { super(`report body exceeds ${maxBytes} bytes`); }
}
export class ChecksumMismatch extends Error {
  constructor(readonly declared: string, readonly actual: string, readonly size: number) {
    super(`X-Report-SHA256 is ${declared} but the ${size} bytes received hash to ${actual}`);
  }
}
export class EmptyBody extends Error {
  constructor() { super('the report body is empty'); }
}
export class IdempotencyConflict extends Error {
  constructor(readonly existing: ReportMeta) {
    super(`Idempotency-Key "${existing.idempotencyKey}" was already used for report ${existing.id} with a different body (sha256 ${existing.sha256})`);
  }
}
/** Another upload with the same agency and key is still being committed. */
export class IdempotencyInProgress extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`an upload with Idempotency-Key "${idempotencyKey}" is still in progress; retry when it has finished`);
  }
}
export class InvalidTransition extends Error {
  constructor(readonly meta: ReportMeta, to: Status) {
    super(`report ${meta.id} is ${meta.status} and cannot become ${to}`);
  }
}

/**
 * Reads the body once: counts bytes (TooLarge as soon as the limit is passed), hashes
 * in the same pass and hands each chunk to `sink` without copying. Checks the digest
 * at the end; throws before the caller can commit anything.
 */
export async function receive(
  body: AsyncIterable<Buffer>,
  expectedSha256: string,
  maxBytes: number,
  sink: (chunk: Buffer) => void | Promise<void>,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge(maxBytes);
    hash.update(chunk);
    const r = sink(chunk);
    if (r) await r;
  }
  if (size === 0) throw new EmptyBody();
  const sha256 = hash.digest('hex');
  if (sha256 !== expectedSha256) throw new ChecksumMismatch(expectedSha256, sha256, size);
  return { size, sha256 };
}

export function matchesFilter(m: ReportMeta, f: ListFilter): boolean {
  if (f.agency !== undefined && m.agency !== f.agency) return false;
  if (f.status !== undefined && m.status !== f.status) return false;
  if (f.q !== undefined) {
    const q = f.q.toLowerCase();
    if (!m.id.includes(q) && !(m.title ?? '').toLowerCase().includes(q)) return false;
  }
  return true;
}
