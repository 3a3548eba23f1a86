// Report bodies and request headers, pure so Node tests run them unchanged.
//
// One body buffer per VU, allocated in the VU's init context (binary data cannot be
// shared through SharedArray or setup()). Each submission stamps "VU/iteration/time"
// into the first STAMP_BYTES and hashes the whole body again: every report is distinct,
// so neither idempotency replay nor content de-duplication on the server can flatter
// the result, at the cost of one native SHA-256 per report on the load generator
// (Go's, far below the upload time). Pre-hashed variants would repeat bodies.

export const STAMP_BYTES = 48;

/** Fills `bytes` with xorshift32 noise: incompressible, cheap in goja (one op per 4 bytes). */
export function makeBody(bytes: number, seed: number): ArrayBuffer {
  if (!(Number.isSafeInteger(bytes) && bytes > STAMP_BYTES)) throw new RangeError(`makeBody: expected more than ${STAMP_BYTES} bytes, got ${bytes}`);
  const buf = new ArrayBuffer(bytes);
  const words = new Uint32Array(buf, 0, Math.floor(bytes / 4));
  let x = (seed >>> 0) || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  const tail = new Uint8Array(buf, words.length * 4);
  for (let i = 0; i < tail.length; i++) tail[i] = (x >>> (8 * i)) & 0xff;
  return buf;
}

function pad(n: number, width: number): string {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

/** Writes an ASCII stamp into the first STAMP_BYTES (space-padded) and returns it. */
export function stamp(buf: ArrayBuffer, vu: number, iteration: number, nowMs: number): string {
  let text = `GIRS-LOAD vu=${pad(vu, 6)} it=${pad(iteration, 9)} t=${nowMs}`;
  if (text.length > STAMP_BYTES) text = text.slice(0, STAMP_BYTES);
  while (text.length < STAMP_BYTES) text += ' ';
  const head = new Uint8Array(buf, 0, STAMP_BYTES);
  for (let i = 0; i < STAMP_BYTES; i++) head[i] = text.charCodeAt(i);
  return text;
}

/** Unique per submission: VU, iteration, time and a random part (two runs in the same ms). */
export function idempotencyKey(pattern: number, vu: number, iteration: number, nowMs: number, random: number): string {
  const r = Math.floor(random * 0x100000000).toString(16);
  return `p${pattern}-vu${vu}-it${iteration}-${nowMs.toString(36)}-${r}`;
}

/** Tokens may be a comma-separated list (one per agency); VUs take them round-robin. */
export function tokenFor(tokens: string, vu: number): string {
  const list = tokens.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (list.length === 0) throw new Error('GIRS_TOKEN: expected a bearer token (or a comma-separated list), got nothing');
  return list[(Math.max(1, vu) - 1) % list.length] as string;
}

export function uploadHeaders(token: string, sha256Hex: string, key: string, title: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/octet-stream',
    'X-Report-SHA256': sha256Hex,
    'Idempotency-Key': key,
    // UTF-8 titles travel percent-encoded (docs/intake-api.md).
    'X-Report-Title': encodeURIComponent(title),
  };
}

export function reportTitle(pattern: number, vu: number, iteration: number): string {
  return `Báo cáo định kỳ — GIRS load P${pattern} vu${vu} it${iteration}`;
}

/** Browse: which GET requests iteration `i` of a staff member makes. */
export function browseQueries(i: number): { list: string; search: string } {
  const terms = ['load', 'định kỳ', 'GIRS', 'báo cáo'];
  return {
    list: `/reports?limit=20&offset=${(i % 5) * 20}`,
    search: `/reports?q=${encodeURIComponent(terms[i % terms.length] as string)}&limit=20`,
  };
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
