// The k6 side of the load drill: the report file every VU copies, k6 processes (output,
// CPU/RSS, time limit), the execution segments of a split test, and merging the runners'
// summaries.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../cli/errors.ts';
import type { Metrics } from '../../k6/index.ts';
import { sampleProcess, type Usage } from './procstat.ts';

/** A random report of `bytes` on disk and its SHA-256. */
export function writePayload(dir: string, bytes: number): { file: string; sha256: string } {
  const data = randomBytes(bytes);
  const file = join(dir, `report-${bytes}.bin`);
  writeFileSync(file, data, { mode: 0o600 });
  return { file, sha256: createHash('sha256').update(data).digest('hex') };
}

export interface K6Run { exit: number | null; timedOut: boolean; startedMs: number; usage: Usage; vusMax: number | null }

/** One k6 process: output to its log (and stderr), CPU/RSS sampled, stopped at `timeoutMs`. */
export function runK6(bin: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number, log: (l: string) => void, echo: boolean): { done: Promise<K6Run>; stop: (signal: NodeJS.Signals) => void; sample: () => Usage } {
  const out = createWriteStream(logFile);
  const startedMs = Date.now();
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = child.pid ? sampleProcess(child.pid) : null;
  let timedOut = false;
  let usage: Usage | null = null;
  const timer = setTimeout(() => {
    timedOut = true;
    log(`k6 still running after ${Math.round(timeoutMs / 1000)} s: stopping it`);
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  }, timeoutMs);
  // k6.log keeps everything; the terminal gets k6's output with failed-request warnings
  // (one per failed request: thousands against a dead target) cut to the first few.
  let warned = 0;
  const partial = ['', ''];
  const echoLines = (i: number, d: Buffer, flush = false) => {
    const text = partial[i] + d.toString('utf8');
    const lines = text.split('\n');
    partial[i] = flush ? '' : lines.pop()!;
    for (const l of lines) {
      if (/level=warning msg="Request Failed"/.test(l) && ++warned > 5) {
        if (warned === 6) process.stderr.write('(further "Request Failed" warnings only in k6.log)\n');
        continue;
      }
      process.stderr.write(l + '\n');
    }
  };
  [child.stdout, child.stderr].forEach((s, i) => {
    s.on('data', (d: Buffer) => { out.write(d); if (echo) echoLines(i, d); });
    s.on('end', () => { if (echo && partial[i]) echoLines(i, Buffer.alloc(0), true); });
  });
  const empty: Usage = { cpuSeconds: 0, cpuCores: 0, peakRssMB: 0, seconds: 0 };
  const done = new Promise<K6Run>((ok, fail) => {
    child.on('error', (e) => { clearTimeout(timer); sampler?.stop(); out.end(); fail(new InputError(`cannot start ${bin}: ${e.message}`, 3)); });
    // 'exit' comes before the pipes close: sample while /proc still has the process.
    child.on('exit', () => { usage = sampler ? sampler.stop() : empty; });
    child.on('close', (code) => { clearTimeout(timer); out.end(() => ok({ exit: code, timedOut, startedMs, usage: usage ?? empty, vusMax: null })); });
  });
  return { done, stop: (sig) => child.kill(sig), sample: () => (sampler ? sampler.peek() : empty) };
}

export async function readJson(file: string): Promise<unknown | null> {
  if (!existsSync(file)) return null;
  try { return JSON.parse(await readFile(file, 'utf8')); } catch { return null; }
}

/** Sums the runners' counters; trends and rates conservatively (the worst runner's p95/p99). */
export function mergeMetrics(parts: Metrics[]): Metrics {
  if (parts.length === 1) return parts[0]!;
  const out: Metrics = {};
  for (const m of parts) {
    for (const [name, v] of Object.entries(m)) {
      const o = (out[name] ??= {});
      for (const [k, x] of Object.entries(v)) {
        if (k === 'count' || k === 'passes' || k === 'fails') o[k] = (o[k] ?? 0) + x;
        else if (k === 'max' || k.startsWith('p(')) o[k] = Math.max(o[k] ?? -Infinity, x);
        else if (k === 'min') o[k] = Math.min(o[k] ?? Infinity, x);
        else if (k !== 'rate' && k !== 'value') o[k] = x;
      }
    }
  }
  for (const o of Object.values(out)) {
    if (o.passes !== undefined && o.fails !== undefined) o.rate = o.passes + o.fails > 0 ? o.passes / (o.passes + o.fails) : 0;
  }
  return out;
}

/** k6-operator's split: runner i of n runs segment i/n:(i+1)/n of the sequence 0,1/n,...,1. */
export function segmentArgs(i: number, n: number): string[] {
  if (n === 1) return [];
  const f = (k: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  return ['--execution-segment', `${f(i)}:${f(i + 1)}`, '--execution-segment-sequence', Array.from({ length: n + 1 }, (_, k) => f(k)).join(',')];
}

