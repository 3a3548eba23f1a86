// Report bodies and request headers, pure so Node tests run them unchanged.
//
// One body buffer per VU, filled in the VU's init context by k6/crypto's randomBytes
// (native: ~50 ms for 10 MB, where a JS fill loop took 1-4 s of CPU per VU and held the
// start of a 107-VU run for minutes). Binary data cannot be shared between VUs
// (SharedArray holds JSON only), hence per VU. Each submission stamps its scenario,
// iteration and time into the first STAMP_BYTES and hashes the whole body again: every
// report is distinct, so neither idempotent replay nor content de-duplication on the
// server can flatter the result, at the cost of one native SHA-256 per report.

export const STAMP_BYTES = 48;

export const BODY_MODES = ['unique', 'per-vu'] as const;
export type BodyMode = (typeof BODY_MODES)[number];

export function parseBodyMode(raw: string | undefined): BodyMode {
  const v = (raw || 'unique').trim();
  if ((BODY_MODES as readonly string[]).indexOf(v) < 0) throw new Error(`GIRS_BODY: expected one of ${BODY_MODES.join(', ')}, got "${raw}"`);
  return v as BodyMode;
}

function pad(n: number, width: number): string {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

/** Writes an ASCII stamp into the first STAMP_BYTES (space-padded) and returns it. */
export function stamp(buf: ArrayBuffer, scenario: string, iteration: number, nowMs: number): string {
  if (buf.byteLength <= STAMP_BYTES) throw new RangeError(`stamp: expected a body of more than ${STAMP_BYTES} bytes, got ${buf.byteLength}`);
  let text = `GIRS-LOAD ${scenario.slice(0, 6)} i=${pad(iteration, 9)} t=${nowMs}`;
  if (text.length > STAMP_BYTES) text = text.slice(0, STAMP_BYTES);
  while (text.length < STAMP_BYTES) text += ' ';
  const head = new Uint8Array(buf, 0, STAMP_BYTES);
  for (let i = 0; i < STAMP_BYTES; i++) head[i] = text.charCodeAt(i);
  return text;
}

/**
 * Unique per submission: the run's id and the scenario's iteration number across the
 * whole test (k6/execution's iterationInTest). That number stays unique when k6-operator
 * splits a test over several runners with --execution-segment, where VU numbers repeat.
 */
export function idempotencyKey(pattern: number, runId: string, scenario: string, iterationInTest: number): string {
  return `p${pattern}-${runId}-${scenario}-${iterationInTest}`;
}

/** A run id: GIRS_RUN_ID when given (shared by every runner of a split test), else random hex. */
export function runIdFrom(env: string | undefined, randomHex: () => string): string {
  const id = (env || '').trim();
  if (id === '') return randomHex();
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(id)) throw new Error(`GIRS_RUN_ID: expected 1-40 letters, digits, "_", "." or "-", got "${env}"`);
  return id;
}

export function hex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
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

/** The run id in the title lets an examiner (and the drill) find one run's reports with ?q=. */
export function reportTitle(pattern: number, runId: string, scenario: string, iteration: number): string {
  return `Báo cáo định kỳ — GIRS load P${pattern} run ${runId} ${scenario} ${iteration}`;
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
