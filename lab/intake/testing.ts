// Test client for the intake: raw node:http so tests control Content-Length, chunking,
// Expect: 100-continue and aborted uploads exactly.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { TokenMap } from './tokens.ts';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: any;
}

export interface UploadOptions {
  token?: string;
  sha256?: string;
  key?: string;
  title?: string;
  /** Send without Content-Length (chunked). */
  chunked?: boolean;
  expectContinue?: boolean;
  headers?: Record<string, string>;
  /** Overrides the Content-Length header (e.g. to claim more than is sent). */
  contentLength?: number;
}

export function body(size: number): { bytes: Buffer; sha256: string } {
  const bytes = randomBytes(size);
  return { bytes, sha256: sha256(bytes) };
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

let keys = 0;
export function newKey(): string {
  return `k-${process.pid}-${Date.now()}-${++keys}`;
}

/** Any request; resolves with the reply even when the server closes while we are still sending. */
export function call(base: string, method: string, path: string, opts: { token?: string; headers?: Record<string, string | number>; body?: Buffer | string; chunked?: boolean; expectContinue?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined && !opts.chunked && headers['content-length'] === undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    if (opts.expectContinue) headers.expect = '100-continue';
    const req = request(`${base}${path}`, { method, headers, agent: false });
    let replied = false;
    req.on('response', (res) => {
      replied = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {});
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        let json: unknown;
        if (String(res.headers['content-type'] ?? '').startsWith('application/json')) json = JSON.parse(b.toString('utf8'));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, json });
      });
    });
    req.on('error', (e) => { if (!replied) reject(e); });
    const send = () => {
      // write() then end(): end(body) alone would make node add a Content-Length.
      if (opts.body !== undefined && opts.chunked) { req.write(opts.body); req.end(); }
      else if (opts.body !== undefined) req.end(opts.body);
      else req.end();
    };
    if (opts.expectContinue) {
      req.on('continue', send);
      req.flushHeaders();
    } else {
      send();
    }
  });
}

export function upload(base: string, bytes: Buffer, o: UploadOptions = {}): Promise<Reply> {
  const headers: Record<string, string | number> = {};
  if (o.sha256 !== '') headers['x-report-sha256'] = o.sha256 ?? sha256(bytes);
  if (o.key !== '') headers['idempotency-key'] = o.key ?? newKey();
  if (o.title !== undefined) headers['x-report-title'] = encodeURIComponent(o.title);
  if (o.contentLength !== undefined) headers['content-length'] = o.contentLength;
  Object.assign(headers, o.headers);
  return call(base, 'POST', '/reports', {
    ...(o.token !== undefined ? { token: o.token } : {}),
    headers, body: bytes,
    ...(o.chunked ? { chunked: true } : {}),
    ...(o.expectContinue ? { expectContinue: true } : {}),
  });
}

/**
 * Sends the headers (claiming `bytes.length`) and the first `sent` bytes, then resets
 * the connection: what a crashed or disconnected client leaves behind.
 */
export function abortedUpload(base: string, token: string, bytes: Buffer, sent: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${base}/reports`, {
      method: 'POST', agent: false,
      headers: { authorization: `Bearer ${token}`, 'x-report-sha256': sha256(bytes), 'idempotency-key': newKey(), 'content-length': bytes.length },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(bytes.subarray(0, sent), () => setTimeout(() => req.destroy(), 50));
  });
}

/** Tokens for tests: two ministries, a province and an examiner. */
export const TEST_TOKENS = {
  m1: 'tok-ministry-01-aaaaaaaaaaaaaaaa',
  m2: 'tok-ministry-02-bbbbbbbbbbbbbbbb',
  p1: 'tok-province-01-cccccccccccccccc',
  ex: 'tok-examiner-oog-dddddddddddddddd',
} as const;

export const TEST_TOKEN_MAP: TokenMap = {
  [TEST_TOKENS.m1]: { agency: 'ministry-01', role: 'agency' },
  [TEST_TOKENS.m2]: { agency: 'ministry-02', role: 'agency' },
  [TEST_TOKENS.p1]: { agency: 'province-01', role: 'agency' },
  [TEST_TOKENS.ex]: { agency: 'oog', role: 'examiner' },
};

/**
 * Writes `text` to a raw TCP connection (for shapes node:http would never send: repeated,
 * folded or raw-byte headers, odd framing) and resolves with the status line, headers
 * and body of the first answer once the server has answered and the connection is done.
 */
export function rawRequest(base: string, text: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => {});
    sock.on('close', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(all);
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(all.slice(0, 200))}`));
      const [head, ...rest] = all.split('\r\n\r\n');
      let body = rest.join('\r\n\r\n');
      // Only the first answer: a second one (the parser's 400 for leftover bytes) may follow.
      const len = /\r\ncontent-length: (\d+)/i.exec(head!);
      if (len) body = body.slice(0, Number(len[1]));
      resolve({ status: Number(m[1]), head: head!, body });
    });
    sock.write(text);
    // Half-close after sending: the server answers and closes (or keeps alive until we end).
    sock.once('data', () => setTimeout(() => sock.end(), 50));
  });
}

/** The header block of an upload for rawRequest, ending with the empty line. */
export function rawUploadHead(token: string, bytes: Buffer, extra: string[]): string {
  return [`POST /reports HTTP/1.1`, 'Host: intake', `Authorization: Bearer ${token}`, `X-Report-SHA256: ${sha256(bytes)}`, `Idempotency-Key: ${newKey()}`, ...extra, '', ''].join('\r\n');
}

/**
 * An upload that sends its headers and the first `sent` bytes, then stalls with the
 * connection open until `abort()`: a slow client occupying an upload slot.
 */
export function stalledUpload(base: string, token: string, bytes: Buffer, sent: number): { written: Promise<void>; abort(): void } {
  const req = request(`${base}/reports`, {
    method: 'POST', agent: false,
    headers: { authorization: `Bearer ${token}`, 'x-report-sha256': sha256(bytes), 'idempotency-key': newKey(), 'content-length': bytes.length },
  });
  req.on('error', () => {});
  req.on('response', (res) => res.resume());
  const written = new Promise<void>((resolve) => req.write(bytes.subarray(0, sent), () => resolve()));
  return { written, abort: () => req.destroy() };
}

/** Polls `f` until it returns true (a state the server reaches asynchronously); throws after `tries`. */
export async function eventually(what: string, f: () => boolean | Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never happened: ${what}`);
}

/** One sample of a metric from the Prometheus text of /metrics (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[3]);
  }
  return total;
}
