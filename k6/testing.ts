// Test harness: bundles the k6 script exactly as the build does, but with k6's modules
// swapped for small recording fakes, and evaluates it in Node with k6's globals set.
import { createHash, randomFillSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { esbuildOptions } from './build.ts';
import type { Plan } from './src/types.ts';

export interface FakeRequest { method: string; url: string; body: ArrayBuffer | null; bodyCopy: Buffer | null; params: any }
export interface FakeK6 {
  /** What k6/execution reports as the current scenario. */
  scenario: { name: string; iterationInTest: number };
  requests: FakeRequest[];
  checks: { name: string; ok: boolean }[];
  metrics: { name: string; value: number }[];
  sleeps: number[];
  respond: (req: FakeRequest) => { status: number; body?: string; headers?: Record<string, string> };
}

const FAKES: Record<string, string> = {
  k6: `export function check(v, sets) { let ok = true; for (const k of Object.keys(sets)) { const r = !!sets[k](v); globalThis.__k6.checks.push({ name: k, ok: r }); ok = ok && r; } return ok; }
export function sleep(s) { globalThis.__k6.sleeps.push(s); }`,
  'k6/crypto': `export function sha256(input, enc) { return globalThis.__k6sha256(input, enc); }
export function randomBytes(n) { return globalThis.__k6randomBytes(n); }`,
  'k6/execution': `export default { get scenario() { return globalThis.__k6.scenario; } };`,
  'k6/http': `function request(method, url, body, params) { const f = globalThis.__k6; const req = { method, url, body, bodyCopy: body ? Buffer.from(new Uint8Array(body).slice()) : null, params }; f.requests.push(req); const r = f.respond(req); return { status: r.status, headers: r.headers || {}, body: r.body === undefined ? null : r.body }; }
export default { post: (u, b, p) => request('POST', u, b, p), get: (u, p) => request('GET', u, null, p) };`,
  'k6/metrics': `export class Counter { constructor(name) { this.name = name; } add(v) { globalThis.__k6.metrics.push({ name: this.name, value: v }); } }`,
};

const fakeK6: Plugin = {
  name: 'fake-k6',
  setup(b) {
    b.onResolve({ filter: /^k6(\/.*)?$/ }, (a) => ({ path: a.path, namespace: 'fake-k6' }));
    b.onLoad({ filter: /.*/, namespace: 'fake-k6' }, (a) => {
      const contents = FAKES[a.path];
      if (contents === undefined) throw new Error(`no fake for ${a.path}`);
      return { contents, loader: 'js' };
    });
  },
};

export type Script = {
  options: Record<string, any>;
  submit: () => void;
  browse: () => void;
};

/** Evaluates the bundle as VU `vu` with `env`; `setIter` moves __ITER (and iterationInTest) between calls. */
export async function loadScript(plan: Plan, env: Record<string, string>, vu = 1): Promise<{ script: Script; fake: FakeK6; setIter: (i: number) => void }> {
  const opts = esbuildOptions(plan);
  const out = await build({ ...opts, external: [], plugins: [fakeK6] });
  const dir = mkdtempSync(join(tmpdir(), 'k6-fake-'));
  const file = join(dir, 'girs.cjs');
  writeFileSync(file, out.outputFiles![0]!.text);
  const fake: FakeK6 = { scenario: { name: 'peak', iterationInTest: 0 }, requests: [], checks: [], metrics: [], sleeps: [], respond: () => ({ status: 201 }) };
  const g = globalThis as any;
  g.__k6 = fake;
  g.__k6sha256 = (input: ArrayBuffer | string, enc: string) => {
    if (enc !== 'hex') throw new Error(`fake sha256: only hex, got ${enc}`);
    return createHash('sha256').update(typeof input === 'string' ? input : new Uint8Array(input)).digest('hex');
  };
  g.__k6randomBytes = (n: number) => { const b = new ArrayBuffer(n); randomFillSync(new Uint8Array(b)); return b; };
  g.open = (path: string, mode?: string) => { const b = readFileSync(path); return mode === 'b' ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : b.toString('utf8'); };
  g.__ENV = env;
  g.__VU = vu;
  g.__ITER = 0;
  try {
    const script = createRequire(import.meta.url)(file) as Script;
    return { script, fake, setIter: (i) => { g.__ITER = i; fake.scenario.iterationInTest = i; } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
