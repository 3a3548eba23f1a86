// `npm run bench:intake-obs`: what the access log and the Prometheus metrics cost the lab
// intake at saturation. Runs the same server (fs store, fsync + SHA-256 on, Pattern 1
// reports) with both off and with both on (access log to a pipe this process drains,
// /metrics scraped every 5 s), alternating A/B/A/B in one run so the machine's other load
// falls on both alike, and prints the median reports/s of each and the difference, and
// the server's own CPU time per stored report (user + system, from /proc), which other
// processes on a busy machine do not inflate.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { numberFlag, parseFlags } from '../cli/args.ts';
import { CliError, runMain } from '../cli/errors.ts';
import { generateTokens } from '../lab/intake/index.ts';
import { girsTargets } from '../sizing/index.ts';

const CMD = 'bench:intake-obs';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, 'lab', 'intake', 'server.ts');

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

async function startServer(mode: Mode, tokensFile: string, dataDir: string): Promise<{ proc: ChildProcess; url: string; lines: () => number }> {
  const flags = mode === 'on' ? ['--access-log', 'stdout', '--metrics', 'on'] : ['--access-log', 'off', '--metrics', 'off'];
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER, '--tokens', tokensFile, '--data-dir', dataDir, '--port', '0', ...flags], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: proc.stdout! });
  let logLines = 0;
  const url = await new Promise<string>((resolve, reject) => {
    rl.once('line', (l) => {
      const m = /^listening on (\S+)$/.exec(l);
      if (m) resolve(m[1]!); else reject(new Error(`intake printed "${l}" instead of its address`));
      rl.on('line', (x) => { if (x.startsWith('{')) logLines++; });
    });
    proc.once('exit', (code) => reject(new Error(`intake exited with ${code} before listening`)));
  });
  return { proc, url, lines: () => logLines };
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function main(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, {
    duration: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, CMD);
  if (v.help) {
    console.log(`usage: npm run bench:intake-obs -- [--duration S] [--rounds N] [--connections C]
  --duration S     seconds per run (default 15)
  --rounds N       A/B pairs, off then on (default 3)
  --connections C  concurrent uploaders (default 8, as the saturation run of bench:intake)`);
    return 0;
  }
  const seconds = numberFlag(CMD, 'duration', v.duration, (x) => Number.isInteger(x) && x >= 2 && x <= 600, 'whole seconds from 2 to 600') ?? 15;
  const rounds = numberFlag(CMD, 'rounds', v.rounds, (x) => Number.isInteger(x) && x >= 1 && x <= 20, 'an integer from 1 to 20') ?? 3;
  const connections = numberFlag(CMD, 'connections', v.connections, (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'an integer from 1 to 64') ?? 8;

  const p1 = girsTargets(1);
  const size = Math.round(p1.reportSizeMB * 1e6);
  const load0 = loadavg();
  console.log(`load average at start: ${load0.map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  console.log(`${rounds} rounds x (off, on), ${seconds} s each, ${connections} connections, ${p1.reportSizeMB} MB reports`);
  const bodies = { bytes: [] as Buffer[], sha256: [] as string[] };
  for (let i = 0; i < 4; i++) {
    const b = randomBytes(size);
    bodies.bytes.push(b);
    bodies.sha256.push(createHash('sha256').update(b).digest('hex'));
  }
  const work = mkdtempSync(join(tmpdir(), 'bench-intake-obs-'));
  const tokenMap = generateTokens(93, 1);
  const tokensFile = join(work, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify(tokenMap), { mode: 0o600 });
  const agencyTokens = Object.entries(tokenMap).filter(([, p]) => p.role === 'agency').map(([t]) => t);

  const runs: Run[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['off', 'on'] as const) {
        const dataDir = join(work, `data-${runs.length}`);
        const { proc, url, lines } = await startServer(mode, tokensFile, dataDir);
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
          await stopServer(proc);
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const load1 = loadavg();
  const table = new Table({ head: ['logging + metrics', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`), 'median reports/s', 'median MB/s', 'median CPU ms/report', 'errors'] });
  const med: Record<Mode, number> = { off: 0, on: 0 };
  const cpu: Record<Mode, number> = { off: 0, on: 0 };
  for (const mode of ['off', 'on'] as const) {
    const mine = runs.filter((r) => r.mode === mode);
    med[mode] = median(mine.map((r) => r.reportsPerSecond));
    cpu[mode] = median(mine.map((r) => r.cpuMsPerReport));
    table.push([mode, ...mine.map((r) => r.reportsPerSecond.toFixed(2)), med[mode].toFixed(2), (med[mode] * p1.reportSizeMB).toFixed(1), cpu[mode].toFixed(1), mine.reduce((a, r) => a + r.errors, 0)]);
  }
  console.log(table.toString());
  const cost = (1 - med.on / med.off) * 100;
  const cpuCost = (cpu.on / cpu.off - 1) * 100;
  console.log(`cost of logging + metrics: ${cost.toFixed(1)} % of the saturation rate (target <= 5 %): ${cost <= 5 ? 'met' : 'NOT met'}`);
  console.log(`server CPU per report: ${cpu.off.toFixed(1)} ms off, ${cpu.on.toFixed(1)} ms on (${cpuCost >= 0 ? '+' : ''}${cpuCost.toFixed(1)} %); on a machine shared with other work this is the steadier figure`);
  console.log(`load average at end: ${load1.map((x) => x.toFixed(2)).join(' ')}`);
  return 0;
}

runMain(main);
