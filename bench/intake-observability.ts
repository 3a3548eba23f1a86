// `npm run bench:intake-obs`: what the access log and the Prometheus metrics cost the lab
// intake at saturation. Runs the same server (fs store, fsync + SHA-256 on, Pattern 1
// reports) with both off and with both on (access log to a file, /metrics scraped every 5 s), in short back-to-back pairs whose order alternates, in one
// run, so the machine's other load falls on both alike, and prints the median reports/s of each and the difference, and
// the server's own CPU time per stored report (user + system, from /proc). On a machine
// shared with other work both move a lot from run to run, so it also times, in this
// process, the code that logging and metrics add to a request (the access-log line and
// metric updates, the per-chunk byte count, a scrape) and sets that against the CPU a
// report costs the server: that figure does not depend on what else the machine runs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { numberFlag, parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { table } from '../cli/table.ts';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IntakeMetrics, observe } from '../lab/intake/index.ts';
import { benchTokens, reportBodies } from './fixtures.ts';
import { girsTargets } from '../sizing/index.ts';

const CMD = 'bench:intake-obs';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const COC = join(ROOT, 'bin', 'coc.mjs');

interface AcResult { errors: number; timeouts: number; statusCodeStats: Record<string, { count: number }> }
interface AcInstance { on(ev: 'response', fn: (client: unknown, status: number) => void): void }
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: AcResult) => void) => AcInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

type Mode = 'off' | 'on';
interface Run { mode: Mode; round: number; reportsPerSecond: number; cpuMsPerReport: number; errors: number; logLines: number; scrapes: number }

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
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

async function startServer(mode: Mode, tokensFile: string, dataDir: string, logFile: string): Promise<{ proc: ChildProcess; url: string; lines: () => number }> {
  // The access log goes to a file, as under a service manager, so a busy reader of a pipe
  // cannot stall the server's synchronous writes and distort the comparison.
  const flags = mode === 'on' ? ['--access-log', 'stderr', '--metrics', 'on'] : ['--access-log', 'off', '--metrics', 'off'];
  const log = openSync(logFile, 'w');
  const proc = spawn(process.execPath, [COC, 'lab', 'intake', '--tokens', tokensFile, '--data-dir', dataDir, '--port', '0', ...flags], { cwd: ROOT, stdio: ['ignore', 'pipe', log] });
  closeSync(log);
  const rl = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    rl.once('line', (l) => {
      const m = /^listening on (\S+)$/.exec(l);
      if (m) resolve(m[1]!); else reject(new Error(`intake printed "${l}" instead of its address`));
    });
    proc.once('exit', (code) => reject(new Error(`intake exited with ${code} before listening: ${readFileSync(logFile, 'utf8').slice(0, 500)}`)));
  });
  const lines = () => readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).length;
  return { proc, url, lines };
}

async function stopServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(t);
}

async function drive(url: string, pid: number, tokens: string[], bodies: { bytes: Buffer[]; sha256: string[] }, connections: number, seconds: number): Promise<{ rate: number; cpuMsPerReport: number; errors: number }> {
  let n = 0;
  let created = 0;
  const runId = randomBytes(4).toString('hex');
  const cpu0 = cpuSeconds(pid);
  const t0 = process.hrtime.bigint();
  const res = await new Promise<AcResult>((resolve, reject) => {
    const inst = autocannon({
      url, connections, duration: seconds, timeout: 30,
      requests: [{
        method: 'POST', path: '/reports',
        setupRequest: (r: Record<string, unknown>) => {
          const i = n++;
          const b = i % bodies.bytes.length;
          return { ...r, headers: { Authorization: `Bearer ${tokens[i % tokens.length]}`, 'X-Report-SHA256': bodies.sha256[b]!, 'Idempotency-Key': `obs-${runId}-${i}` }, body: bodies.bytes[b]! };
        },
      }],
    }, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('response', (_c, status) => { if (status === 201) created++; });
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuSeconds(pid) - cpu0;
  const answered = Object.values(res.statusCodeStats).reduce((a, s) => a + s.count, 0);
  return { rate: created / wall, cpuMsPerReport: (cpu * 1000) / Math.max(1, created), errors: res.errors + res.timeouts + (answered - created) };
}

/** Lowest to highest reports/s of all runs, as a factor. */
function spread(runs: Run[]): string {
  const r = runs.map((x) => x.reportsPerSecond);
  return `${(Math.max(...r) / Math.max(0.01, Math.min(...r))).toFixed(1)}x from slowest to fastest`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU microseconds (user + system) per call of `f`, over `n` calls. */
async function cpuMicros(n: number, f: () => void | Promise<void>): Promise<number> {
  for (let i = 0; i < Math.min(n, 1000); i++) await f(); // warm-up (JIT)
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

/** The request-path code logging and metrics add, timed in this process. */
async function overheadMicros(): Promise<{ perRequest: number; perChunk: number; perScrape: number }> {
  const metrics = new IntakeMetrics();
  const socket = { remoteAddress: '127.0.0.1' };
  const statuses = [200, 201, 400, 401, 404, 409, 413, 422, 503];
  const routes = ['/reports', '/reports/:id', '/reports/:id/content', '/healthz'];
  let i = 0;
  let sink = 0;
  // A request as observe() sees it: one access-log line and every metric update.
  const perRequest = await cpuMicros(50_000, () => {
    const req = Object.assign(new EventEmitter(), { headers: {}, socket, method: 'POST', url: '/reports' }) as unknown as IncomingMessage;
    const headers: Record<string, string | number> = { 'content-length': 330 };
    const res = Object.assign(new EventEmitter(), {
      statusCode: statuses[i % statuses.length], writableFinished: true,
      setHeader: (k: string, v: string) => { headers[k] = v; }, getHeader: (k: string) => headers[k],
    }) as unknown as ServerResponse;
    const ctx = observe(req, res, metrics, (line) => { sink += line.length; });
    ctx.route = routes[i++ % routes.length]!;
    ctx.agency = 'ministry-01';
    ctx.bytesIn = 10_000_000;
    res.emit('close');
  });
  // The byte count wrapped around each body chunk (64 KiB reads from the socket).
  const chunk = Buffer.alloc(65536);
  const source = async function* (n: number) { for (let k = 0; k < n; k++) yield chunk; };
  const counted = async function* (it: AsyncIterable<Buffer>) { for await (const c of it) { sink += c.length; yield c; } };
  const N = 200_000;
  const plain = await cpuMicros(1, async () => { for await (const c of source(N)) sink += c.length; });
  const wrapped = await cpuMicros(1, async () => { for await (const c of counted(source(N))) sink += c.length; });
  const perChunk = Math.max(0, wrapped - plain) / N;
  const perScrape = await cpuMicros(200, async () => { sink += (await metrics.registry.metrics()).length; });
  if (sink < 0) console.log(sink);
  return { perRequest, perChunk, perScrape };
}

export async function main(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, {
    duration: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, CMD);
  if (v.help) {
    console.log(`usage: npm run bench:intake-obs -- [--duration S] [--rounds N] [--connections C]
  --duration S     seconds per run (default 8)
  --rounds N       A/B pairs, alternating which goes first (default 8)
  --connections C  concurrent uploaders (default 8, as the saturation run of bench:intake)`);
    return 0;
  }
  const seconds = numberFlag(CMD, 'duration', v.duration, (x) => Number.isInteger(x) && x >= 2 && x <= 600, 'whole seconds from 2 to 600') ?? 8;
  const rounds = numberFlag(CMD, 'rounds', v.rounds, (x) => Number.isInteger(x) && x >= 1 && x <= 20, 'an integer from 1 to 20') ?? 8;
  const connections = numberFlag(CMD, 'connections', v.connections, (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'an integer from 1 to 64') ?? 8;

  const p1 = girsTargets(1);
  const size = Math.round(p1.reportSizeMB * 1e6);
  const load0 = loadavg();
  console.log(`load average at start: ${load0.map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  console.log(`${rounds} rounds of (off, on) in alternating order, ${seconds} s each, ${connections} connections, ${p1.reportSizeMB} MB reports`);
  const bodies = reportBodies(size);
  const work = mkdtempSync(join(tmpdir(), 'bench-intake-obs-'));
  const { tokensFile, agencyTokens } = benchTokens(work);

  const runs: Run[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Both servers up before either is measured, so the two runs of a round sit back to
      // back; the order alternates so neither always runs first.
      const order: Mode[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      const servers = new Map<Mode, Awaited<ReturnType<typeof startServer>> & { dataDir: string }>();
      try {
        for (const mode of order) {
          const dataDir = join(work, `data-${round}-${mode}`);
          servers.set(mode, { ...(await startServer(mode, tokensFile, dataDir, join(work, `log-${round}-${mode}`))), dataDir });
        }
        for (const mode of order) {
          const { proc, url, lines } = servers.get(mode)!;
          let scrapes = 0;
          // Prometheus' usual interval is 15-60 s; every 5 s overstates the scrape cost on purpose.
          const scraper = mode === 'on' ? setInterval(() => { void fetch(`${url}/metrics`).then((r) => r.text()).then(() => { scrapes++; }, () => {}); }, 5000) : undefined;
          try {
            process.stdout.write(`round ${round + 1}, logging+metrics ${mode}: `);
            const r = await drive(url, proc.pid!, agencyTokens, bodies, connections, seconds);
            if (scraper) clearInterval(scraper);
            await new Promise((res) => setTimeout(res, 200)); // the last log lines
            runs.push({ mode, round, reportsPerSecond: r.rate, cpuMsPerReport: r.cpuMsPerReport, errors: r.errors, logLines: lines(), scrapes });
            console.log(`${r.rate.toFixed(2)} reports/s, ${r.cpuMsPerReport.toFixed(1)} server CPU ms/report, ${r.errors} errors${mode === 'on' ? `, ${lines()} log lines, ${scrapes} scrapes` : ''}`);
          } finally {
            if (scraper) clearInterval(scraper);
          }
        }
      } finally {
        for (const { proc, dataDir } of servers.values()) {
          await stopServer(proc);
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const load1 = loadavg();
  const rows: (string | number)[][] = [];
  const med: Record<Mode, number> = { off: 0, on: 0 };
  const cpu: Record<Mode, number> = { off: 0, on: 0 };
  for (const mode of ['off', 'on'] as const) {
    const mine = runs.filter((r) => r.mode === mode);
    med[mode] = median(mine.map((r) => r.reportsPerSecond));
    cpu[mode] = median(mine.map((r) => r.cpuMsPerReport));
    rows.push([mode, ...mine.map((r) => r.reportsPerSecond.toFixed(2)), med[mode].toFixed(2), (med[mode] * p1.reportSizeMB).toFixed(1), cpu[mode].toFixed(1), mine.reduce((a, r) => a + r.errors, 0)]);
  }
  console.log(table(['logging + metrics', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`), 'median reports/s', 'median MB/s', 'median CPU ms/report', 'errors'], rows));
  // Paired rounds: each "on" run against the "off" run just before it, so slow phases of the
  // machine's other load cancel out better than in the two medians.
  const ratios = runs.filter((r) => r.mode === 'on').map((on) => on.reportsPerSecond / runs.find((off) => off.mode === 'off' && off.round === on.round)!.reportsPerSecond);
  const cost = (1 - med.on / med.off) * 100;
  const pairedCost = (1 - median(ratios)) * 100;
  const cpuCost = (cpu.on / cpu.off - 1) * 100;
  console.log(`throughput, logging + metrics on vs off: medians ${cost >= 0 ? '-' : '+'}${Math.abs(cost).toFixed(1)} %, median of paired rounds ${pairedCost >= 0 ? '-' : '+'}${Math.abs(pairedCost).toFixed(1)} % (rounds vary ${spread(runs)} on this machine now)`);
  console.log(`server CPU per report: ${cpu.off.toFixed(1)} ms off, ${cpu.on.toFixed(1)} ms on (${cpuCost >= 0 ? '+' : ''}${cpuCost.toFixed(1)} %)`);

  const o = await overheadMicros();
  const chunksPerReport = Math.ceil(size / 65536);
  const scrapesPerReport = 1 / (5 * Math.max(0.01, med.off)); // one scrape per 5 s at the off rate
  const addedMicros = o.perRequest + o.perChunk * chunksPerReport + o.perScrape * scrapesPerReport;
  const share = (addedMicros / 1000 / cpu.off) * 100;
  console.log(`code added per request, timed in-process: access-log line + metric updates ${o.perRequest.toFixed(1)} us, byte count ${o.perChunk.toFixed(3)} us x ${chunksPerReport} chunks, scrape ${o.perScrape.toFixed(0)} us every 5 s`);
  console.log(`= ${addedMicros.toFixed(0)} us per 10 MB report against ${cpu.off.toFixed(1)} ms of server CPU per report: ${share.toFixed(2)} % of the saturation rate (target <= 5 %): ${share <= 5 ? 'met' : 'NOT met'}`);
  console.log(`load average at end: ${load1.map((x) => x.toFixed(2)).join(' ')}`);
  return 0;
}

/** `coc bench …` (the dispatcher in bin/ is the entry point). */
export const run = main;
