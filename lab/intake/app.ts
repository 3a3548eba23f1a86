// HTTP layer of the lab GIRS intake (Table 16, Report Management Sub-system: submit/
// accept, withdraw, examine, search and confirmation of reports). Every refusal is a
// JSON body {error, message} whose message says what was expected. Requests are checked
// with the zod schemas of schemas.ts, which also generate /openapi.json.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { z } from 'zod';
import { ContentCorrupt, HttpError, storeFailure, UploadsFull } from './http-error.ts';
import { observe, type IntakeMetrics, type RequestContext } from './observe.ts';
import { openApiDocument } from './openapi.ts';
import { decisionSchema, listQuerySchema, MAX_COMMENT, MAX_TITLE, uploadHeadersSchema } from './schemas.ts';
import type { Principal, Principals } from './tokens.ts';
import {
  ChecksumMismatch, EmptyBody, IdempotencyConflict, IdempotencyInProgress, InvalidTransition, receive, TooLarge,
  type ListFilter, type ReportMeta, type ReportStore, type Status,
} from './store.ts';
import { unavailableReply } from './unavailable.ts';

export interface AppOptions {
  store: ReportStore;
  principals: Principals;
  maxBytes: number;
  /** Called with one line per unexpected server-side error. */
  log?: (line: string) => void;
  /** Prometheus metrics served at /metrics; without them /metrics is 404. */
  metrics?: IntakeMetrics;
  /** Called with one JSON line per request (see observe.ts). */
  accessLog?: (line: string) => void;
  /** Uploads received at once; more are answered 503 with Retry-After (default: unlimited). */
  maxUploads?: number;
  /** A content download whose client reads nothing for this long is cut off (default 30 s). */
  sendIdleTimeoutMs?: number;
}

export const DEFAULT_SEND_IDLE_TIMEOUT_MS = 30_000;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_JSON = 16 * 1024;
const REALM = { 'WWW-Authenticate': 'Bearer realm="girs-intake"' };

/** Route templates: the label of metrics and access-log lines (never the raw path, whose ids are unbounded). */
export const ROUTES = ['/healthz', '/metrics', '/openapi.json', '/reports', '/reports/:id', '/reports/:id/content', '/reports/:id/decision'] as const;

/** How the headers of the upload schema are spelled in messages. */
const HEADER_NAMES: Record<string, string> = {
  'x-report-sha256': 'X-Report-SHA256', 'idempotency-key': 'Idempotency-Key', 'x-report-title': 'X-Report-Title',
  authorization: 'Authorization', 'transfer-encoding': 'Transfer-Encoding', 'content-length': 'Content-Length',
};
const MISSING: Record<string, string> = {
  'x-report-sha256': 'expected the SHA-256 of the body as 64 hex digits',
  'idempotency-key': 'expected 1-200 printable ASCII characters, unique per report',
};

export function createApp(opts: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, principals, maxBytes, metrics } = opts;
  const log = opts.log ?? (() => {});
  const maxUploads = opts.maxUploads ?? Infinity;
  const sendIdleTimeoutMs = opts.sendIdleTimeoutMs ?? DEFAULT_SEND_IDLE_TIMEOUT_MS;
  // agency + key of uploads being received now: a concurrent retry must not commit twice.
  const inFlight = new Set<string>();
  let uploading = 0;
  let openapi: string | undefined;

  function authenticate(req: IncomingMessage, ctx: RequestContext): Principal {
    const h = single(req, 'authorization');
    if (h === undefined) throw new HttpError(401, 'unauthorized', 'missing header Authorization: expected "Bearer <token>"', REALM);
    const m = /^Bearer ([\x21-\x7e]+)$/.exec(h);
    if (!m) throw new HttpError(401, 'unauthorized', 'header Authorization: expected "Bearer <token>"', REALM);
    const p = principals.lookup(m[1]!);
    if (!p) throw new HttpError(401, 'unauthorized', 'header Authorization: the bearer token is not known', REALM);
    ctx.agency = p.agency;
    return p;
  }

  /** An agency sees only its own reports; asking for another's answers 404, not 403, so existence does not leak. */
  async function visibleReport(who: Principal, id: string): Promise<ReportMeta> {
    if (!ID.test(id)) throw new HttpError(400, 'bad_id', `report id: expected a lower-case UUID, got "${clip(id)}"`);
    const meta = await store.get(id);
    if (!meta || (who.role === 'agency' && meta.agency !== who.agency)) throw new HttpError(404, 'not_found', `no report ${id}`);
    return meta;
  }

  async function submit(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const who = authenticate(req, ctx);
    if (who.role !== 'agency') throw new HttpError(403, 'forbidden', 'only submitting agencies submit reports; examiners read and decide');
    checkFraming(req);
    const h = uploadHeaders(req);
    const sha256 = h['x-report-sha256'].toLowerCase();
    const key = h['idempotency-key'];
    const title = parseTitle(h['x-report-title']);
    const declaredLength = req.headers['content-length'];
    if (declaredLength !== undefined) {
      const n = Number(declaredLength);
      if (n > maxBytes) throw new HttpError(413, 'too_large', `Content-Length ${n} exceeds the limit of ${maxBytes} bytes`);
      if (n === 0) throw new HttpError(400, 'empty_body', 'the request body must be the report file; it is empty');
    }
    // Admission before the store is touched or the body read: refused bodies are drained, not held.
    if (uploading >= maxUploads) throw new UploadsFull(maxUploads);
    uploading++;
    metrics?.uploadsInFlight.inc();
    try {
      const existing = await store.findByKey(who.agency, key);
      if (existing && existing.sha256 !== sha256) throw conflict(new IdempotencyConflict(existing));
      const slot = `${who.agency}\n${key}`;
      if (inFlight.has(slot)) throw new HttpError(409, 'idempotency_in_progress', new IdempotencyInProgress(key).message, { 'Retry-After': '1' });
      inFlight.add(slot);
      try {
        sendContinue(req, res);
        if (existing) {
          // A retry: read and check the body (it must really be the same report), store nothing.
          await receive(bodyOf(req, ctx), sha256, maxBytes, () => {});
          return sendJson(res, 200, existing, { 'Idempotent-Replayed': 'true', Location: `/reports/${existing.id}` });
        }
        const r = await store.submit({ id: randomUUID(), agency: who.agency, idempotencyKey: key, title, sha256, body: bodyOf(req, ctx), maxBytes });
        const headers: Record<string, string> = { Location: `/reports/${r.meta.id}` };
        if (!r.created) headers['Idempotent-Replayed'] = 'true';
        else metrics?.reportsStored.inc({ store: store.kind });
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
    } finally {
      uploading--;
      metrics?.uploadsInFlight.dec();
    }
  }

  async function list(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, query: URLSearchParams): Promise<void> {
    const who = authenticate(req, ctx);
    const f = parseListQuery(query);
    if (who.role === 'agency') {
      if (f.agency !== undefined && f.agency !== who.agency) throw new HttpError(403, 'forbidden', `agency ${who.agency} may list only its own reports, not those of ${f.agency}`);
      f.agency = who.agency;
    }
    const { total, reports } = await store.list(f);
    sendJson(res, 200, { total, limit: f.limit, offset: f.offset, reports });
  }

  async function withdraw(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, id: string): Promise<void> {
    const who = authenticate(req, ctx);
    if (who.role !== 'agency') throw new HttpError(403, 'forbidden', 'only the submitting agency withdraws a report');
    const meta = await visibleReport(who, id);
    if (meta.status === 'withdrawn') return sendJson(res, 200, meta);
    sendJson(res, 200, await transition(id, ['submitted'], 'withdrawn', null));
  }

  async function decide(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, id: string): Promise<void> {
    const who = authenticate(req, ctx);
    if (who.role !== 'examiner') throw new HttpError(403, 'forbidden', 'only OOG examiners approve or reject reports');
    await visibleReport(who, id);
    sendContinue(req, res);
    const raw = await readSmallBody(req, ctx);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'bad_json', 'body: expected JSON {"decision": "approved" | "rejected", "comment"?: string}');
    }
    const d = decisionSchema.safeParse(body);
    if (!d.success) {
      const why = d.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      throw new HttpError(400, 'bad_json', `body: expected {"decision": "approved" | "rejected", "comment"?: string up to ${MAX_COMMENT} characters}; ${why}`);
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

  /**
   * Hashes the stored body before anything is sent, so a body that rotted on disk is
   * refused with a clear error instead of being served (or cut off half-way).
   */
  async function verifyStored(meta: ReportMeta): Promise<void> {
    const stream = await store.openContent(meta.id);
    if (!stream) throw new HttpError(404, 'not_found', `no report ${meta.id}`);
    const hash = createHash('sha256');
    let size = 0;
    for await (const c of stream as AsyncIterable<Buffer>) {
      hash.update(c);
      size += c.length;
    }
    const actual = hash.digest('hex');
    if (actual !== meta.sha256 || size !== meta.size) {
      metrics?.contentVerifyFailures.inc({ store: store.kind });
      log(`content verification failed: report ${meta.id}: ${size} bytes hashing to ${actual}, recorded ${meta.size} bytes ${meta.sha256}`);
      throw new ContentCorrupt(meta.id, meta.sha256, actual);
    }
  }

  async function content(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, id: string): Promise<void> {
    const who = authenticate(req, ctx);
    const meta = await visibleReport(who, id);
    await verifyStored(meta);
    const stream = await store.openContent(id);
    if (!stream) throw new HttpError(404, 'not_found', `no report ${id}`);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(meta.size),
      'X-Report-SHA256': meta.sha256,
      'Cache-Control': 'no-store',
    });
    // A client that stops reading holds a socket and an open file: cut it off when
    // nothing moves for sendIdleTimeoutMs (destroying the response closes the file too).
    const socket = req.socket;
    const onIdle = () => {
      metrics?.slowReaderTimeouts.inc();
      res.destroy();
      stream.destroy();
    };
    socket.setTimeout(sendIdleTimeoutMs);
    socket.once('timeout', onIdle);
    try {
      await pipeline(stream, res);
    } finally {
      socket.off('timeout', onIdle);
      socket.setTimeout(0);
    }
  }

  async function health(res: ServerResponse): Promise<void> {
    const ok = await store.healthy();
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', store: store.kind, maxBytes });
  }

  async function metricsText(res: ServerResponse): Promise<void> {
    if (!metrics) throw new HttpError(404, 'not_found', 'metrics are off for this intake');
    const text = await metrics.registry.metrics();
    res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    res.end(text);
  }

  function openapiJson(res: ServerResponse): void {
    openapi ??= JSON.stringify(openApiDocument());
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(openapi), 'Cache-Control': 'no-store' });
    res.end(openapi);
  }

  async function route(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://intake.invalid');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    const allow = (methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, 'method_not_allowed', `${method} ${url.pathname}: expected ${methods.join(' or ')}`, { Allow: methods.join(', ') });
    };
    if (parts.length === 1 && parts[0] === 'healthz') { ctx.route = '/healthz'; allow(['GET']); return health(res); }
    if (parts.length === 1 && parts[0] === 'metrics') { ctx.route = '/metrics'; allow(['GET']); return metricsText(res); }
    if (parts.length === 1 && parts[0] === 'openapi.json') { ctx.route = '/openapi.json'; allow(['GET']); return openapiJson(res); }
    if (parts[0] === 'reports') {
      if (parts.length === 1) {
        ctx.route = '/reports';
        allow(['GET', 'POST']);
        return method === 'POST' ? submit(req, res, ctx) : list(req, res, ctx, url.searchParams);
      }
      const id = decodeSegment(parts[1]!);
      if (parts.length === 2) {
        ctx.route = '/reports/:id';
        allow(['GET', 'DELETE']);
        if (method === 'DELETE') return withdraw(req, res, ctx, id);
        return sendJson(res, 200, await visibleReport(authenticate(req, ctx), id));
      }
      if (parts.length === 3 && parts[2] === 'content') { ctx.route = '/reports/:id/content'; allow(['GET']); return content(req, res, ctx, id); }
      if (parts.length === 3 && parts[2] === 'decision') { ctx.route = '/reports/:id/decision'; allow(['POST']); return decide(req, res, ctx, id); }
    }
    throw new HttpError(404, 'not_found', `no route ${method} ${url.pathname}; see docs/intake-api.md or GET /openapi.json (POST /reports, GET /reports, GET|DELETE /reports/:id, GET /reports/:id/content, POST /reports/:id/decision, GET /healthz, GET /metrics)`);
  }

  return (req, res) => {
    const ctx = observe(req, res, metrics, opts.accessLog);
    route(req, res, ctx).catch((e: unknown) => {
      const failure = e instanceof HttpError ? undefined : storeFailure(e);
      if (failure) metrics?.storeErrors.inc({ store: store.kind, kind: failure.kind });
      if (res.headersSent || res.destroyed || req.destroyed && !req.complete) {
        // Client gone (aborted upload) or failure mid-response: nothing to tell anyone.
        if (!(e instanceof HttpError) && !failure && !isClientAbort(e)) log(`${req.method} ${req.url} [${ctx.id}]: ${errText(e)}`);
        res.destroy();
        return;
      }
      if (e instanceof HttpError) return sendError(req, res, ctx, e);
      if (failure) {
        if (failure.kind !== 'busy') log(`${req.method} ${req.url} [${ctx.id}]: ${failure.http.status} ${failure.http.code}: ${errText(e)}`);
        return sendError(req, res, ctx, failure.http);
      }
      if (isClientAbort(e)) { res.destroy(); return; }
      const u = unavailableReply(e);
      if (u) {
        metrics?.storeErrors.inc({ store: store.kind, kind: 'unavailable' });
        return sendError(req, res, ctx, new HttpError(u.status, u.code, u.message, u.headers));
      }
      metrics?.storeErrors.inc({ store: store.kind, kind: 'other' });
      log(`${req.method} ${req.url} [${ctx.id}]: ${errText(e)}`);
      sendError(req, res, ctx, new HttpError(500, 'internal', `internal error; nothing was acknowledged (request id ${ctx.id})`));
    });
  };
}

function conflict(e: IdempotencyConflict): HttpError {
  return new HttpError(409, 'idempotency_conflict', `${e.message}; use a new Idempotency-Key for a new report`, { Location: `/reports/${e.existing.id}` });
}

/**
 * One value of a header. Node joins repeated unknown headers with ", " (and keeps only
 * the first Authorization): a repeated header is ambiguous, so it is refused instead.
 */
function single(req: IncomingMessage, name: string): string | undefined {
  const all = req.headersDistinct[name];
  if (all === undefined) return undefined;
  if (all.length > 1) throw new HttpError(400, 'bad_header', `header ${HEADER_NAMES[name] ?? name}: expected once, got it ${all.length} times`);
  return all[0];
}

/**
 * Request-smuggling shapes: a body is framed by Content-Length or by exactly
 * "Transfer-Encoding: chunked", never by anything else. Refused before the store is touched.
 */
function checkFraming(req: IncomingMessage): void {
  const te = req.headersDistinct['transfer-encoding'];
  if (te === undefined) {
    // Neither header: the body is empty by definition; refuse before any file is made for it.
    if (req.headers['content-length'] === undefined) throw new HttpError(400, 'empty_body', 'the request body must be the report file; it is empty (no Content-Length or Transfer-Encoding: chunked)');
    return;
  }
  if (te.length !== 1 || te[0]!.trim().toLowerCase() !== 'chunked') {
    throw new HttpError(400, 'bad_framing', `header Transfer-Encoding: expected "chunked" once (or none, with Content-Length), got "${clip(te.join(', '))}"`, { Connection: 'close' });
  }
  if (req.headers['content-length'] !== undefined) {
    throw new HttpError(400, 'bad_framing', 'headers Transfer-Encoding and Content-Length: expected one of them, not both', { Connection: 'close' });
  }
}

function uploadHeaders(req: IncomingMessage): z.infer<typeof uploadHeadersSchema> {
  const given: Record<string, string> = {};
  for (const name of Object.keys(uploadHeadersSchema.shape)) {
    const v = single(req, name);
    if (v !== undefined) given[name] = v;
  }
  const r = uploadHeadersSchema.safeParse(given);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = String(issue.path[0]);
  const value = given[name];
  if (value === undefined) throw new HttpError(400, 'bad_header', `missing header ${HEADER_NAMES[name]}: ${MISSING[name] ?? issue.message}`);
  throw new HttpError(400, 'bad_header', `header ${HEADER_NAMES[name]}: ${issue.message}, got "${clip(value)}"`);
}

/** Decodes a title that passed the schema (printable ASCII, i.e. percent-encoded). */
function parseTitle(raw: string | undefined): string | null {
  if (raw === undefined) return null;
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

function parseListQuery(q: URLSearchParams): ListFilter {
  const given: Record<string, string> = {};
  for (const k of new Set(q.keys())) {
    const all = q.getAll(k);
    if (all.length > 1) throw new HttpError(400, 'bad_query', `query parameter ${clip(k)}: expected at most once`);
    given[k] = all[0]!;
  }
  const r = listQuerySchema.safeParse(given);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new HttpError(400, 'bad_query', `query parameter "${clip(issue.keys[0] ?? '')}": expected one of ${Object.keys(listQuerySchema.shape).join(', ')}`);
    }
    const k = String(issue.path[0]);
    throw new HttpError(400, 'bad_query', `${k}: ${issue.message}, got "${clip(printable(given[k] ?? ''))}"`);
  }
  const f: ListFilter = { limit: r.data.limit !== undefined ? Number(r.data.limit) : 100, offset: r.data.offset !== undefined ? Number(r.data.offset) : 0 };
  if (r.data.agency !== undefined) f.agency = r.data.agency;
  if (r.data.status !== undefined) f.status = r.data.status;
  if (r.data.q !== undefined) f.q = r.data.q;
  return f;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function readSmallBody(req: IncomingMessage, ctx: RequestContext): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of bodyOf(req, ctx)) {
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

/** The request body, counted for logs and metrics, without destroying the socket when reading stops early (413). */
async function* bodyOf(req: IncomingMessage, ctx: RequestContext): AsyncIterable<Buffer> {
  for await (const c of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    ctx.bytesIn += c.length;
    yield c;
  }
}

// How long a refused body is read and discarded so the client sees the answer: closing
// with unread data sends a TCP reset, which can destroy the response in flight.
const LINGER_MS = 2000;

function sendError(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, e: HttpError): void {
  ctx.errorCode = e.code;
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

/** Control characters shown escaped in messages (a NUL would end the message in many log viewers). */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
