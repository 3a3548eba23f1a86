// `npm run bench:intake`: drives the lab intake (fs store, fsync + SHA-256 on) over
// loopback with autocannon, first at the Pattern 1 rate of the sizing model, then at
// saturation. With --write-calibration (and only then) it writes the per-core ingest rate
// the sizing model calibrates with. autocannon sends 4 pre-hashed bodies in turn: it
// measures the intake, not a client that hashes each report (that is the k6 drill's job).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { numberFlag, parseFlags } from '../cli/args.ts';
import { table } from '../cli/table.ts';
import { InputError } from '../cli/errors.ts';
import { writeFileAtomic } from '../lab/intake/durable.ts';
import { benchTokens, reportBodies, type Bodies } from './fixtures.ts';
import { girsTargets } from '../sizing/index.ts';

const CMD = 'bench:intake';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const COC = join(ROOT, 'bin', 'coc.mjs');
const CALIBRATION = join(ROOT, 'inventory', 'measured', 'intake-calibration.yaml');

// autocannon ships no types; this is the part used here.
interface AcRequest { method: string; path: string; headers?: Record<string, string>; body?: Buffer; setupRequest?: (r: AcRequest) => AcRequest }
interface AcResult { errors: number; timeouts: number; non2xx: number; duration: number; statusCodeStats: Record<string, { count: number }> }
interface AcInstance { on(ev: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void; stop(): void }
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: AcResult) => void) => AcInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface RunResult {
  name: string;
  loadAverage: string;
  clientCores: number;
  clientRssMB: number;
  serverRssMB: number;
  connections: number;
  offered: string;
  reportsPerSecond: number;
  mbPerSecond: number;
  p50: number;
  p95: number;
  errors: number;
  serverCores: number;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
}

async function startServer(tokensFile: string, dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  // bin/coc.mjs runs the intake in its own process, so /proc/<pid>/stat is the server's own CPU.
  const proc = spawn(process.execPath, [COC, 'lab', 'intake', '--tokens', tokensFile, '--data-dir', dataDir, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (l) => {
      const m = /^listening on (\S+)$/.exec(l);
      if (m) resolve(m[1]!); else reject(new Error(`intake printed "${l}" instead of its address`));
    });
    proc.once('exit', (code) => reject(new Error(`intake exited with ${code} before listening`)));
  });
  return { proc, url };
}

async function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}


async function drive(name: string, url: string, pid: number, tokens: string[], bodies: Bodies, o: { connections: number; seconds: number; rate?: number }): Promise<RunResult> {
  let n = 0;
  const runId = randomBytes(4).toString('hex');
  const request: AcRequest = {
    method: 'POST',
    path: '/reports',
    setupRequest: (r) => {
      // A new report each time: its own Idempotency-Key, agencies and bodies in turn.
      const i = n++;
      const b = i % bodies.bytes.length;
      return {
        ...r,
        headers: {
          Authorization: `Bearer ${tokens[i % tokens.length]}`,
          'X-Report-SHA256': bodies.sha256[b]!,
          'Idempotency-Key': `bench-${runId}-${i}`,
          'Content-Type': 'application/octet-stream',
        },
        body: bodies.bytes[b]!,
      };
    },
  };
  const latencies: number[] = [];
  let created = 0;
  const cpu0 = cpuSeconds(pid);
  const client0 = process.cpuUsage();
  let serverRss = 0;
  let clientRss = 0;
  const rssTimer = setInterval(() => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) serverRss = Math.max(serverRss, Number(m[1]) / 1024);
    clientRss = Math.max(clientRss, process.memoryUsage.rss() / 1048576);
  }, 500);
  const t0 = process.hrtime.bigint();
  const result = await new Promise<AcResult>((resolve, reject) => {
    const inst = autocannon({
      url, connections: o.connections, duration: o.seconds, timeout: 30, requests: [request],
      ...(o.rate !== undefined ? { overallRate: o.rate } : {}),
    }, (err, res) => (err ? reject(err) : resolve(res)));
    inst.on('response', (_c, status, _b, ms) => {
      latencies.push(ms);
      if (status === 201) created++;
    });
  });
  clearInterval(rssTimer);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cores = (cpuSeconds(pid) - cpu0) / wall;
  const client = process.cpuUsage(client0);
  latencies.sort((a, b) => a - b);
  const reportsPerSecond = created / wall;
  return {
    name, connections: o.connections,
    loadAverage: loadavg().map((x) => x.toFixed(2)).join(' '),
    clientCores: (client.user + client.system) / 1e6 / wall,
    clientRssMB: clientRss,
    serverRssMB: serverRss,
    offered: o.rate !== undefined ? `${o.rate}/s` : 'unlimited',
    reportsPerSecond,
    mbPerSecond: (reportsPerSecond * bodies.bytes[0]!.length) / 1e6,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    // Connection errors, timeouts and every answer other than 201 Created.
    errors: result.errors + result.timeouts + (latencies.length - created),
    serverCores: cores,
  };
}

export async function main(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, {
    duration: { type: 'string' },
    connections: { type: 'string' },
    'write-calibration': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, CMD);
  if (v.help) {
    console.log(`usage: npm run bench:intake -- [--duration S] [--connections 4,8] [--write-calibration [--out FILE]]
  --duration S         seconds per run (default 20)
  --connections A,B    saturation runs, one per connection count (default 4,8)
  --write-calibration  write the per-core ingest rate the sizing model reads (without it, nothing is written)
  --out FILE           where --write-calibration writes (default inventory/measured/intake-calibration.yaml)`);
    return 0;
  }
  if (v.out !== undefined && !v['write-calibration']) throw new InputError(`--out: names the calibration file, which only --write-calibration writes; add --write-calibration`);
  const seconds = numberFlag(CMD, 'duration', v.duration, (x) => Number.isInteger(x) && x >= 2 && x <= 600, 'whole seconds from 2 to 600') ?? 20;
  const satConnections = (v.connections ?? '4,8').split(',').map((s) => {
    const c = Number(s);
    if (!Number.isInteger(c) || c < 1 || c > 64) throw new InputError(`--connections: expected comma-separated integers from 1 to 64, got "${v.connections}"`);
    return c;
  });
  const out = v.out ?? CALIBRATION;

  // Other processes on the same cores slow every run down; the per-core figure uses the
  // server's own CPU time, which they do not inflate.
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  const p1 = girsTargets(1);
  const size = Math.round(p1.reportSizeMB * 1e6);
  console.log(`Pattern 1 (sizing model): ${p1.reportsPerSecond.toFixed(2)} reports/s x ${p1.reportSizeMB} MB = ${p1.dataMBps.toFixed(1)} MB/s`);
  console.log(`generating 4 random ${p1.reportSizeMB} MB reports and their SHA-256 ...`);
  const bodies = reportBodies(size);

  const work = mkdtempSync(join(tmpdir(), 'bench-intake-'));
  const { tokensFile, agencyTokens } = benchTokens(work);

  const runs: RunResult[] = [];
  try {
    // autocannon limits per whole second per connection: round the rate up so the
    // offered load is never below the model's Pattern 1 rate.
    const plan: Array<{ name: string; connections: number; rate?: number }> = [
      { name: 'Pattern 1 rate', connections: 8, rate: Math.ceil(p1.reportsPerSecond) },
      ...satConnections.map((c) => ({ name: 'saturation', connections: c })),
    ];
    for (const step of plan) {
      // A fresh store per run keeps the disk footprint to one run's worth of reports.
      const dataDir = join(work, `data-${runs.length}`);
      const { proc, url } = await startServer(tokensFile, dataDir);
      try {
        console.log(`${step.name}: ${step.connections} connections, ${step.rate !== undefined ? `${step.rate} reports/s offered` : 'no rate limit'}, ${seconds} s ...`);
        runs.push(await drive(step.name, url, proc.pid!, agencyTokens, bodies, { connections: step.connections, seconds, ...(step.rate !== undefined ? { rate: step.rate } : {}) }));
      } finally {
        await stopServer(proc);
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  // Client and server share the cores: both figures, and the load average, belong together.
  console.log(table(['run', 'conns', 'offered', 'reports/s', 'MB/s', 'p50 ms', 'p95 ms', 'errors', 'intake cores', 'intake RSS MB', 'client cores', 'client RSS MB', 'load avg at end'],
    runs.map((r) => [r.name, r.connections, r.offered, r.reportsPerSecond.toFixed(2), r.mbPerSecond.toFixed(1), r.p50.toFixed(0), r.p95.toFixed(0), r.errors, r.serverCores.toFixed(2), r.serverRssMB.toFixed(0), r.clientCores.toFixed(2), r.clientRssMB.toFixed(0), r.loadAverage])));

  const best = runs.filter((r) => r.name === 'saturation').sort((a, b) => b.reportsPerSecond - a.reportsPerSecond)[0]!;
  const p1run = runs[0]!;
  const held = p1run.errors === 0 && p1run.reportsPerSecond >= p1.reportsPerSecond * 0.98;
  console.log(`Pattern 1 ${held ? 'held' : 'NOT held'}: ${p1run.reportsPerSecond.toFixed(2)} of ${p1.reportsPerSecond.toFixed(2)} reports/s, ${p1run.errors} errors`);
  console.log(`saturation: ${best.reportsPerSecond.toFixed(2)} reports/s = ${(best.reportsPerSecond / p1.reportsPerSecond).toFixed(2)} x Pattern 1 (target >= 2 x)`);

  // Per core: the CPU the server process really used (user + system, all threads) at saturation.
  const cores = Math.max(0.01, Number(best.serverCores.toFixed(2)));
  const yaml = [
    '# Measured by `npm run bench:intake`; read by the sizing model as its calibrated per-core ingest rate.',
    'intakePerCore:',
    `  reportsPerSecond: ${(best.reportsPerSecond / cores).toFixed(2)}`,
    `  mbPerSecond: ${(best.mbPerSecond / cores).toFixed(1)}`,
    `  cores: ${cores}`,
    `  reportSizeMB: ${p1.reportSizeMB}`,
    `  measuredAt: ${new Date().toISOString()}`,
    `  source: "npm run bench:intake: lab intake, fs store, fsync + SHA-256 on, ${cores} cores, node ${process.version}"`,
    '',
  ].join('\n');
  if (!v['write-calibration']) {
    console.log(`calibration not written: ${(best.reportsPerSecond / cores).toFixed(2)} reports/s per intake core measured; pass --write-calibration to store it in ${out}, which the sizing model reads`);
    return 0;
  }
  mkdirSync(dirname(out), { recursive: true });
  await writeFileAtomic(out, yaml);
  console.log(`wrote ${out} (${cpus().length}-core machine); the sizing model now reads these figures`);
  return 0;
}

/** `coc bench intake` (the dispatcher in bin/ is the entry point). */
export const run = main;
