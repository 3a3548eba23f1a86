// HTTP layer of the lab GIRS intake (Table 16, Report Management Sub-system: submit/
// accept, withdraw, examine, search and confirmation of reports). Every refusal is a
// JSON body {error, message} whose message says what was expected.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Principal, Principals } from './tokens.ts';
import { AGENCY_ID } from './tokens.ts';
import {
  ChecksumMismatch, EmptyBody, IdempotencyConflict, IdempotencyInProgress, InvalidTransition, receive, STATUSES, TooLarge,
  type ListFilter, type ReportMeta, type ReportStore, type Status,
} from './store.ts';
import { unavailableReply } from './unavailable.ts';

export interface AppOptions {
  store: ReportStore;
  principals: Principals;
  maxBytes: number;
  /** Called with one line per unexpected server-side error. */
  log?: (line: string) => void;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const MAX_TITLE = 300;
const MAX_JSON = 16 * 1024;
const REALM = { 'WWW-Authenticate': 'Bearer realm="girs-intake"' };

const decisionSchema = z.object({
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().max(2000).optional(),
}).strict();

export function createApp(opts: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, principals, maxBytes } = opts;
  const log = opts.log ?? (() => {});
  // agency + key of uploads being received now: a concurrent retry must not commit twice.
  const inFlight = new Set<string>();

  function authenticate(req: IncomingMessage): Principal {
    const h = req.headers.authorization;
    if (h === undefined) throw new HttpError(401, 'unauthorized', 'missing header Authorization: expected "Bearer <token>"', REALM);
    const m = /^Bearer ([\x21-\x7e]+)$/.exec(h);
    if (!m) throw new HttpError(401, 'unauthorized', 'header Authorization: expected "Bearer <token>"', REALM);
    const p = principals.lookup(m[1]!);
    if (!p) throw new HttpError(401, 'unauthorized', 'header Authorization: the bearer token is not known', REALM);
    return p;
  }

  /** An agency sees only its own reports; asking for another's answers 404, not 403, so existence does not leak. */
  async function visibleReport(who: Principal, id: string): Promise<ReportMeta> {
    if (!ID.test(id)) throw new HttpError(400, 'bad_id', `report id: expected a lower-case UUID, got "${clip(id)}"`);
    const meta = await store.get(id);
    if (!meta || (who.role === 'agency' && meta.agency !== who.agency)) throw new HttpError(404, 'not_found', `no report ${id}`);
    return meta;
  }

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const who = authenticate(req);
    if (who.role !== 'agency') throw new HttpError(403, 'forbidden', 'only submitting agencies submit reports; examiners read and decide');
    const declared = req.headers['x-report-sha256'];
    if (typeof declared !== 'string') throw new HttpError(400, 'bad_header', 'missing header X-Report-SHA256: expected the SHA-256 of the body as 64 hex digits');
    if (!SHA256.test(declared)) throw new HttpError(400, 'bad_header', `header X-Report-SHA256: expected 64 hex digits, got "${clip(declared)}"`);
    const sha256 = declared.toLowerCase();
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string') throw new HttpError(400, 'bad_header', 'missing header Idempotency-Key: expected 1-200 printable ASCII characters, unique per report');
    if (!IDEMPOTENCY_KEY.test(key)) throw new HttpError(400, 'bad_header', `header Idempotency-Key: expected 1-200 printable ASCII characters without spaces, got "${clip(key)}"`);
    const title = parseTitle(req.headers['x-report-title']);
    const declaredLength = req.headers['content-length'];
    if (declaredLength !== undefined) {
      const n = Number(declaredLength);
      if (n > maxBytes) throw new HttpError(413, 'too_large', `Content-Length ${n} exceeds the limit of ${maxBytes} bytes`);
      if (n === 0) throw new HttpError(400, 'empty_body', 'the request body must be the report file; it is empty');
    }

    const existing = await store.findByKey(who.agency, key);
    if (existing && existing.sha256 !== sha256) throw conflict(new IdempotencyConflict(existing));
    const slot = `${who.agency}\n${key}`;
    if (inFlight.has(slot)) throw new HttpError(409, 'idempotency_in_progress', new IdempotencyInProgress(key).message, { 'Retry-After': '1' });
    inFlight.add(slot);
    try {
      sendContinue(req, res);
      if (existing) {
        // A retry: read and check the body (it must really be the same report), store nothing.
        await receive(bodyOf(req), sha256, maxBytes, () => {});
        return sendJson(res, 200, existing, { 'Idempotent-Replayed': 'true', Location: `/reports/${existing.id}` });
      }
      const r = await store.submit({ id: randomUUID(), agency: who.agency, idempotencyKey: key, title, sha256, body: bodyOf(req), maxBytes });
      const headers: Record<string, string> = { Location: `/reports/${r.meta.id}` };
      if (!r.created) headers['Idempotent-Replayed'] = 'true';
      return sendJson(res, r.created ? 201 : 200, r.meta, headers);
    } catch (e) {
      if (e instanceof TooLarge) throw new HttpError(413, 'too_large', `${e.message}; nothing was stored`);
      if (e instanceof ChecksumMismatch) throw new HttpError(422, 'checksum_mismatch', `${e.message}; nothing was stored`);
      if (e instanceof EmptyBody) throw new HttpError(400, 'empty_body', 'the request body must be the report file; it is empty');
      if (e instanceof IdempotencyConflict) throw conflict(e);
      if (e instanceof IdempotencyInProgress) throw new HttpError(409, 'idempotency_in_progress', e.message, { 'Retry-After': '1' });
      throw e;
    } finally {
      inFlight.delete(slot);
    }
  }

  async function list(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const who = authenticate(req);
    const f = parseListQuery(query);
    if (who.role === 'agency') {
      if (f.agency !== undefined && f.agency !== who.agency) throw new HttpError(403, 'forbidden', `agency ${who.agency} may list only its own reports, not those of ${f.agency}`);
      f.agency = who.agency;
    }
    const { total, reports } = await store.list(f);
    sendJson(res, 200, { total, limit: f.limit, offset: f.offset, reports });
  }

  async function withdraw(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const who = authenticate(req);
    if (who.role !== 'agency') throw new HttpError(403, 'forbidden', 'only the submitting agency withdraws a report');
    const meta = await visibleReport(who, id);
    if (meta.status === 'withdrawn') return sendJson(res, 200, meta);
    sendJson(res, 200, await transition(id, ['submitted'], 'withdrawn', null));
  }

  async function decide(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const who = authenticate(req);
    if (who.role !== 'examiner') throw new HttpError(403, 'forbidden', 'only OOG examiners approve or reject reports');
    await visibleReport(who, id);
    sendContinue(req, res);
    const raw = await readSmallBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'bad_json', 'body: expected JSON {"decision": "approved" | "rejected", "comment"?: string}');
    }
    const d = decisionSchema.safeParse(body);
    if (!d.success) {
      const why = d.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      throw new HttpError(400, 'bad_json', `body: expected {"decision": "approved" | "rejected", "comment"?: string up to 2000 characters}; ${why}`);
    }
    sendJson(res, 200, await transition(id, ['submitted'], d.data.decision, d.data.comment ?? null));
  }

  async function transition(id: string, from: readonly Status[], to: Status, comment: string | null): Promise<ReportMeta> {
    try {
      return await store.transition(id, from, to, comment);
    } catch (e) {
      if (e instanceof InvalidTransition) throw new HttpError(409, 'invalid_status', e.message);
      throw e;
    }
  }

  async function content(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const who = authenticate(req);
    const meta = await visibleReport(who, id);
    const stream = await store.openContent(id);
    if (!stream) throw new HttpError(404, 'not_found', `no report ${id}`);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(meta.size),
      'X-Report-SHA256': meta.sha256,
      'Cache-Control': 'no-store',
    });
    await pipeline(stream, res);
  }

  async function health(res: ServerResponse): Promise<void> {
    const ok = await store.healthy();
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', store: store.kind, maxBytes });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://intake.invalid');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    const allow = (methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, 'method_not_allowed', `${method} ${url.pathname}: expected ${methods.join(' or ')}`, { Allow: methods.join(', ') });
    };
    if (parts.length === 1 && parts[0] === 'healthz') { allow(['GET']); return health(res); }
    if (parts[0] === 'reports') {
      if (parts.length === 1) {
        allow(['GET', 'POST']);
        return method === 'POST' ? submit(req, res) : list(req, res, url.searchParams);
      }
      const id = decodeSegment(parts[1]!);
      if (parts.length === 2) {
        allow(['GET', 'DELETE']);
        if (method === 'DELETE') return withdraw(req, res, id);
        return sendJson(res, 200, await visibleReport(authenticate(req), id));
      }
      if (parts.length === 3 && parts[2] === 'content') { allow(['GET']); return content(req, res, id); }
      if (parts.length === 3 && parts[2] === 'decision') { allow(['POST']); return decide(req, res, id); }
    }
    throw new HttpError(404, 'not_found', `no route ${method} ${url.pathname}; see docs/intake-api.md (POST /reports, GET /reports, GET|DELETE /reports/:id, GET /reports/:id/content, POST /reports/:id/decision, GET /healthz)`);
  }

  return (req, res) => {
    route(req, res).catch((e: unknown) => {
      if (res.headersSent || res.destroyed || req.destroyed && !req.complete) {
        // Client gone (aborted upload) or failure mid-response: nothing to tell anyone.
        if (!(e instanceof HttpError) && !isClientAbort(e)) log(`${req.method} ${req.url}: ${errText(e)}`);
        res.destroy();
        return;
      }
      if (e instanceof HttpError) return sendError(req, res, e);
      if (isClientAbort(e)) { res.destroy(); return; }
      const u = unavailableReply(e);
      if (u) return sendError(req, res, new HttpError(u.status, u.code, u.message, u.headers));
      log(`${req.method} ${req.url}: ${errText(e)}`);
      sendError(req, res, new HttpError(500, 'internal', 'internal error; nothing was acknowledged'));
    });
  };
}

function conflict(e: IdempotencyConflict): HttpError {
  return new HttpError(409, 'idempotency_conflict', `${e.message}; use a new Idempotency-Key for a new report`, { Location: `/reports/${e.existing.id}` });
}

function parseTitle(raw: string | string[] | undefined): string | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) throw new HttpError(400, 'bad_header', 'header X-Report-Title: expected once');
  let t: string;
  try {
    t = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'bad_header', 'header X-Report-Title: expected percent-encoded UTF-8 (encodeURIComponent)');
  }
  if (t.length === 0 || t.length > MAX_TITLE || /[\u0000-\u001f\u007f]/.test(t)) {
    throw new HttpError(400, 'bad_header', `header X-Report-Title: expected 1-${MAX_TITLE} characters without control characters`);
  }
  return t;
}

const LIST_PARAMS = new Set(['agency', 'status', 'q', 'limit', 'offset']);

function parseListQuery(q: URLSearchParams): ListFilter {
  for (const k of q.keys()) {
    if (!LIST_PARAMS.has(k)) throw new HttpError(400, 'bad_query', `query parameter "${clip(k)}": expected one of ${[...LIST_PARAMS].join(', ')}`);
  }
  const one = (k: string) => {
    const all = q.getAll(k);
    if (all.length > 1) throw new HttpError(400, 'bad_query', `query parameter ${k}: expected at most once`);
    return all[0];
  };
  const f: ListFilter = { limit: 100, offset: 0 };
  const agency = one('agency');
  if (agency !== undefined) {
    if (!AGENCY_ID.test(agency)) throw new HttpError(400, 'bad_query', `agency: expected an agency id such as ministry-01 or province-07, got "${clip(agency)}"`);
    f.agency = agency;
  }
  const status = one('status');
  if (status !== undefined) {
    if (!(STATUSES as readonly string[]).includes(status)) throw new HttpError(400, 'bad_query', `status: expected one of ${STATUSES.join(', ')}, got "${clip(status)}"`);
    f.status = status as Status;
  }
  const text = one('q');
  if (text !== undefined) {
    if (text.length === 0 || text.length > 200) throw new HttpError(400, 'bad_query', 'q: expected 1-200 characters');
    f.q = text;
  }
  const int = (k: string, lo: number, hi: number) => {
    const v = one(k);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) throw new HttpError(400, 'bad_query', `${k}: expected an integer from ${lo} to ${hi}, got "${clip(v)}"`);
    return Number(v);
  };
  f.limit = int('limit', 1, 1000) ?? f.limit;
  f.offset = int('offset', 0, 1e9) ?? f.offset;
  return f;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function readSmallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of bodyOf(req)) {
    n += c.length;
    if (n > MAX_JSON) throw new HttpError(413, 'too_large', `JSON body exceeds ${MAX_JSON} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

/** Requests that were sent 100 Continue, i.e. whose body is on its way. */
const continued = new WeakSet<IncomingMessage>();

function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers.expect?.toLowerCase() === '100-continue' && !continued.has(req)) {
    continued.add(req);
    res.writeContinue();
  }
}

/** The request body without destroying the socket when reading stops early (413). */
function bodyOf(req: IncomingMessage): AsyncIterable<Buffer> {
  return req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}

// How long a refused body is read and discarded so the client sees the answer: closing
// with unread data sends a TCP reset, which can destroy the response in flight.
const LINGER_MS = 2000;

function sendError(req: IncomingMessage, res: ServerResponse, e: HttpError): void {
  const headers: Record<string, string> = { ...e.headers };
  if (!req.complete) {
    if (req.headers.expect?.toLowerCase() === '100-continue' && !continued.has(req)) {
      // The client is waiting for 100 Continue and has sent no body: just close.
      headers.Connection = 'close';
    } else {
      res.once('finish', () => {
        if (req.complete) return;
        const t = setTimeout(() => req.socket?.destroy(), LINGER_MS);
        t.unref();
        req.once('end', () => clearTimeout(t));
        req.once('close', () => clearTimeout(t));
        req.resume();
      });
    }
  }
  sendJson(res, e.status, { error: e.code, message: e.message }, headers);
}

function isClientAbort(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || (e instanceof Error && e.message === 'aborted');
}

function errText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
