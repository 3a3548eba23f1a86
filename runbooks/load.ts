// GIRS load drill: proves an intake holds a pattern's report-submission peak. Starts the
// lab intake on loopback (or aims at GIRS_URL), checks it with one real upload, builds the
// k6 bundle from the sizing model, runs k6 and compares what was achieved with the targets.
// Without k6 on PATH it says so and exits 3: nothing here stands in for k6.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { choiceFlag, parseFlags } from '../cli/args.ts';
import { CliError } from '../cli/errors.ts';
import type { PatternId } from '../sizing/index.ts';
import { buildPattern } from '../k6/build.ts';
import { planFor } from '../k6/plan.ts';
import { evaluate, normalizeMetrics, type Metrics, type Outcome } from '../k6/results.ts';
import { parseDuration, parseScenarios } from '../k6/src/options.ts';
import { idempotencyKey, makeBody, reportTitle, stamp, uploadHeaders } from '../k6/src/payload.ts';
import type { Plan, ScenarioName } from '../k6/src/types.ts';
import { startIntake, type RunningIntake } from '../lab/intake/intake.ts';
import { generateTokens, writeTokensFile } from '../lab/intake/tokens.ts';
import { defaultOutDir, mdTable, writeEvidence } from './lib/evidence.ts';
import { runMain } from './lib/main.ts';
import { stepLogger } from './lib/steps.ts';

const DRILL = 'drill:load';
/** Exit codes: 0 targets met, 1 targets missed, 2 bad input, 3 no k6, 4 target not ready. */
export const EXIT = { ok: 0, missed: 1, usage: 2, noK6: 3, notReady: 4 } as const;

const USAGE = `usage: npm run drill:load -- [options]

  --pattern 1|2|3        Table 19 pattern whose peak to drive (default 2, the survey's recommendation)
  --duration D           how long each scenario runs, k6 style: 60s, 10m, 1h (default 60s, at most 24h)
  --scenario LIST        peak, soak, spike, browse, comma-separated (default peak)
  --out DIR              evidence folder (default out/drills/load-<timestamp>/)
  --dry-run              print the plan (rates from the sizing model) and the k6 command; start nothing
  --json                 print the result as JSON on stdout

environment:
  GIRS_URL               aim at this GIRS instead of starting the lab intake on 127.0.0.1
  GIRS_TOKEN             agency bearer token(s), comma-separated; required with GIRS_URL
  GIRS_BROWSE_TOKEN      examiner token for the browse scenario (default GIRS_TOKEN)
  K6                     the k6 binary (default: k6 on PATH; k6 >= 0.47)

exit: 0 targets met, 1 targets missed, 2 bad input, 3 k6 not found, 4 target not ready.
Runbook: runbooks/load.md`;

export interface Deps {
  env?: NodeJS.ProcessEnv;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
  /** Result lines (stdout by default). */
  print?: (line: string) => void;
}

/** The executable named `name` in PATH, or an explicit path; null when there is none. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | null {
  const isFile = (p: string) => { try { return statSync(p).isFile(); } catch { return false; } };
  if (name.includes('/')) return isFile(name) ? resolve(name) : null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isFile(join(dir, name))) return join(dir, name);
  }
  return null;
}

interface Target { kind: 'lab' | 'external'; url: string; token: string; browseToken: string; intake?: RunningIntake; dataDir?: string }

export function planLines(plan: Plan, scenarios: readonly ScenarioName[], durationSeconds: number): string[] {
  const r = plan.peak;
  return [
    `Pattern ${plan.pattern}: ${plan.reportSizeMB} MB reports (${plan.reportBytes} bytes), from the sizing model`,
    `  peak   ${r.rate} per ${r.timeUnitSeconds}s = ${r.perSecond.toFixed(4)}/s (model ${r.targetPerSecond.toFixed(4)}/s, ${(r.relativeError * 100).toFixed(2)} % off) = ${(r.perSecond * plan.reportSizeMB).toFixed(2)} MB/s (model ${plan.peakMBps.toFixed(2)})`,
    `  soak   ${plan.soak.rate} per ${plan.soak.timeUnitSeconds}s = ${plan.soak.perSecond.toFixed(4)}/s (peak day over 24 h; annual average ${plan.annualAveragePerSecond.toFixed(4)}/s)`,
    `  spike  ${plan.spikeFactor} x peak = ${r.rate * plan.spikeFactor} per ${r.timeUnitSeconds}s`,
    `  browse ${plan.browse.rate} per ${plan.browse.timeUnitSeconds}s (list, search, metadata; content every ${plan.browseContentEvery}th)`,
    `  upload p95 < ${plan.uploadP95Ms} ms; failed < 0.1 %; dropped iterations 0; checks > 99.9 %`,
    `  running ${scenarios.join(', ')} for ${durationSeconds} s each: about ${Math.round(expectedReports(plan, scenarios, durationSeconds))} reports, ${((expectedReports(plan, scenarios, durationSeconds) * plan.reportBytes) / 1e9).toFixed(2)} GB`,
    `  k6 memory: up to ${Math.max(...scenarios.filter((s) => s !== 'browse').map((s) => plan.vus[s].max), 0)} VUs x ${plan.reportSizeMB} MB report buffer`,
  ];
}

function expectedReports(plan: Plan, scenarios: readonly ScenarioName[], seconds: number): number {
  let n = 0;
  for (const s of scenarios) {
    if (s === 'peak') n += plan.peak.perSecond * seconds;
    if (s === 'soak') n += plan.soak.perSecond * seconds;
    if (s === 'spike') n += plan.peak.perSecond * seconds * (0.2 + 0.1 * (1 + plan.spikeFactor) / 2 + 0.4 * plan.spikeFactor + 0.1 * (1 + plan.spikeFactor) / 2 + 0.2);
  }
  return n;
}

async function labTarget(maxBytes: number, log: (l: string) => void): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'coc-load-'));
  try {
    const tokensFile = join(dir, 'tokens.yaml');
    const tokens = generateTokens(93, 2);
    await writeTokensFile(tokensFile, tokens);
    const agency = Object.entries(tokens).filter(([, p]) => p.role === 'agency').map(([t]) => t);
    const examiner = Object.entries(tokens).filter(([, p]) => p.role === 'examiner').map(([t]) => t);
    const dataDir = join(dir, 'store');
    const intake = await startIntake({ port: 0, host: '127.0.0.1', store: 'fs', dataDir, tokens: tokensFile, maxBytes, log: (l) => log(`intake: ${l}`) });
    log(`lab intake listening on ${intake.url} (fs store in ${dataDir})`);
    return { kind: 'lab', url: intake.url, token: agency.join(','), browseToken: examiner.join(','), intake, dataDir: dir };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function externalTarget(env: NodeJS.ProcessEnv): Target {
  const url = env.GIRS_URL!;
  let u: URL;
  try { u = new URL(url); } catch { throw new CliError(`${DRILL}: GIRS_URL: expected an http(s) URL such as https://girs.example/api, got "${url}"`); }
  if (!['http:', 'https:'].includes(u.protocol)) throw new CliError(`${DRILL}: GIRS_URL: expected an http(s) URL, got "${url}"`);
  const token = env.GIRS_TOKEN ?? '';
  if (token.trim() === '') throw new CliError(`${DRILL}: GIRS_URL is set, so GIRS_TOKEN is required (an agency bearer token, or several comma-separated)`);
  return { kind: 'external', url: url.replace(/\/+$/, ''), token, browseToken: env.GIRS_BROWSE_TOKEN || token };
}

async function stopTarget(t: Target | undefined, log: (l: string) => void): Promise<void> {
  if (!t?.intake) return;
  await t.intake.close(2000);
  log(`lab intake stopped (${t.url})`);
  if (t.dataDir) rmSync(t.dataDir, { recursive: true, force: true });
}

/**
 * Before any load: the lab gets one real upload of the pattern's report size built by
 * the same code as the k6 script (headers, checksum, key); a real GIRS only a read, so
 * the drill writes nothing there that k6 would not.
 */
async function preflight(t: Target, plan: Plan): Promise<{ ok: boolean; detail: string }> {
  const first = t.token.split(',')[0]!.trim();
  try {
    if (t.kind === 'external') {
      const r = await fetch(`${t.url}/reports?limit=1`, { headers: { Authorization: `Bearer ${first}` }, signal: AbortSignal.timeout(15_000) });
      await r.arrayBuffer();
      return { ok: r.status === 200, detail: `GET /reports?limit=1 -> ${r.status}` };
    }
    const body = makeBody(plan.reportBytes, 1);
    const now = Date.now();
    stamp(body, 0, 0, now);
    const digest = createHash('sha256').update(new Uint8Array(body)).digest('hex');
    const headers = uploadHeaders(first, digest, idempotencyKey(plan.pattern, 0, 0, now, Math.random()), reportTitle(plan.pattern, 0, 0));
    const t0 = performance.now();
    const r = await fetch(`${t.url}/reports`, { method: 'POST', headers, body: new Uint8Array(body), signal: AbortSignal.timeout(120_000) });
    const answer = await r.text();
    const ms = performance.now() - t0;
    return { ok: r.status === 201, detail: `POST /reports (${plan.reportBytes} bytes) -> ${r.status} in ${ms.toFixed(0)} ms${r.status === 201 ? '' : `: ${answer.slice(0, 200)}`}` };
  } catch (e) {
    return { ok: false, detail: `cannot reach ${t.url}: ${(e as Error).message}` };
  }
}

export interface K6Run { exit: number | null; log: string; timedOut: boolean }

/** `stop`: aborting it stops k6 gracefully (SIGINT), as Ctrl-C does. */
export function runK6(bin: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number, log: (l: string) => void, stop?: AbortSignal): Promise<K6Run> {
  return new Promise((done, fail) => {
    const out = createWriteStream(logFile);
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    stop?.addEventListener('abort', () => { if (child.exitCode === null) child.kill('SIGINT'); }, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; log(`k6 still running after ${Math.round(timeoutMs / 1000)} s: stopping it`); child.kill('SIGINT'); setTimeout(() => child.kill('SIGKILL'), 30_000).unref(); }, timeoutMs);
    // Ctrl-C: let k6 stop gracefully and write its summary, then clean up as usual;
    // a second Ctrl-C kills k6 at once.
    let interrupts = 0;
    const onInt = () => {
      interrupts++;
      log(interrupts === 1 ? 'interrupted: stopping k6 gracefully (Ctrl-C again to kill it)' : 'killing k6');
      child.kill(interrupts === 1 ? 'SIGINT' : 'SIGKILL');
    };
    process.on('SIGINT', onInt);
    const finish = () => { clearTimeout(timer); process.off('SIGINT', onInt); };
    for (const s of [child.stdout, child.stderr]) s.on('data', (d: Buffer) => { out.write(d); process.stderr.write(d); });
    child.on('error', (e) => { finish(); out.end(); fail(new CliError(`${DRILL}: cannot start ${bin}: ${e.message}`, EXIT.noK6)); });
    child.on('close', (code) => { finish(); out.end(() => done({ exit: code, log: logFile, timedOut })); });
  });
}

/** The first summary that parses and carries the report counter (the script's, then --summary-export). */
export async function readMetrics(files: string[]): Promise<Metrics | null> {
  for (const f of files) {
    if (!existsSync(f)) continue;
    try {
      const m = normalizeMetrics(JSON.parse(await readFile(f, 'utf8')));
      if (m.girs_reports_accepted || m.http_reqs) return m;
    } catch {
      // unreadable or another shape: try the next one
    }
  }
  return null;
}

export async function run(argv: string[], deps: Deps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const print = deps.print ?? ((l: string) => console.log(l));
  const { values: v, positionals } = parseFlags(argv, {
    pattern: { type: 'string' }, duration: { type: 'string' }, scenario: { type: 'string' },
    out: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, DRILL);
  if (v.help) { print(USAGE); return EXIT.ok; }
  if (positionals.length) throw new CliError(`${DRILL}: unexpected argument "${positionals[0]}"; all options are flags (see --help)`);
  const pattern = Number(choiceFlag(DRILL, 'pattern', v.pattern, ['1', '2', '3'] as const) ?? '2') as PatternId;
  const durationText = v.duration ?? '60s';
  let durationSeconds: number;
  let scenarios: ScenarioName[];
  try {
    durationSeconds = parseDuration(durationText);
    scenarios = parseScenarios(v.scenario);
  } catch (e) {
    throw new CliError(`${DRILL}: ${(e as Error).message.replace(/^DURATION/, '--duration').replace(/^SCENARIO/, '--scenario')}`);
  }
  if (durationSeconds < 1 || durationSeconds > 86_400) throw new CliError(`${DRILL}: --duration: expected from 1s to 24h, got "${durationText}"`);
  if (v.out !== undefined && v.out.trim() === '') throw new CliError(`${DRILL}: --out: expected a directory path, got ""`);
  const log = deps.log ?? stepLogger('load', Boolean(v.json));
  const plan = planFor(pattern);
  const lines = planLines(plan, scenarios, durationSeconds);
  const k6Args = (bundle: string, exportFile: string) => ['run', '--summary-export', exportFile, bundle];
  const targetText = env.GIRS_URL ? `GIRS_URL=${env.GIRS_URL}` : 'lab intake on 127.0.0.1 (fs store in a temp dir)';

  if (v['dry-run']) {
    const cmd = `k6 ${k6Args(`k6/dist/girs-p${pattern}.js`, 'OUT/k6-summary-export.json').join(' ')}`;
    if (v.json) print(JSON.stringify({ drill: 'load', dryRun: true, pattern, durationSeconds, scenarios, target: targetText, plan, command: cmd }, null, 2));
    else print([...lines, `  target: ${targetText}`, `  would run: PATTERN=${pattern} DURATION=${durationText} SCENARIO=${scenarios.join(',')} ${cmd}`].join('\n'));
    return EXIT.ok;
  }

  const target = env.GIRS_URL ? externalTarget(env) : undefined;
  const outDir = resolve(v.out ?? defaultOutDir('load'));
  const started = new Date();
  let t: Target | undefined = target;
  let outcome: Outcome | undefined;
  let status = 'not-run';
  let exitCode: number = EXIT.ok;
  let message = '';
  let pre: { ok: boolean; detail: string } | undefined;
  let k6: K6Run | undefined;
  let k6Bin: string | null = null;
  try {
    for (const l of lines) log(l);
    if (!t) t = await labTarget(Math.max(32 * 1024 * 1024, plan.reportBytes + 1024 * 1024), log);
    else log(`target ${t.url} (from GIRS_URL)`);
    pre = await preflight(t, plan);
    log(`preflight: ${pre.detail}`);
    if (!pre.ok) {
      status = 'target-not-ready';
      exitCode = EXIT.notReady;
      message = `${DRILL}: the target did not pass the preflight (${pre.detail}); no load was sent`;
    } else {
      mkdirSync(outDir, { recursive: true });
      const built = await buildPattern(pattern);
      log(`built ${built.bundle}`);
      k6Bin = findExecutable(env.K6 || 'k6', env);
      if (!k6Bin) {
        status = 'k6-not-found';
        exitCode = EXIT.noK6;
        message = `${DRILL}: k6 is not on PATH${env.K6 ? ` (K6=${env.K6} is not a file)` : ''}: install k6 >= 0.47 (a single binary) or set K6=/path/to/k6. No load was run; the bundle is ${built.bundle}.`;
      } else {
        const exportFile = join(outDir, 'k6-summary-export.json');
        const k6Env = { ...env, GIRS_URL: t.url, GIRS_TOKEN: t.token, GIRS_BROWSE_TOKEN: t.browseToken, PATTERN: String(pattern), DURATION: `${durationSeconds}s`, SCENARIO: scenarios.join(','), SUMMARY_DIR: outDir };
        log(`running ${k6Bin} ${k6Args(built.bundle, exportFile).join(' ')}`);
        // Bounded: the scenarios' time plus start-up and graceful stop, then SIGINT.
        k6 = await runK6(k6Bin, k6Args(built.bundle, exportFile), k6Env, join(outDir, 'k6.log'), (durationSeconds + 180) * 1.5 * 1000, log);
        const metrics = await readMetrics([join(outDir, `k6-girs-p${pattern}-summary.json`), exportFile]);
        if (!metrics) {
          status = 'k6-failed';
          exitCode = EXIT.missed;
          message = `${DRILL}: k6 exited ${k6.exit} and left no usable summary (see ${k6.log})`;
        } else {
          outcome = evaluate(plan, metrics, durationSeconds, scenarios, k6.timedOut ? null : k6.exit);
          status = outcome.ok ? 'targets-met' : 'targets-missed';
          exitCode = outcome.ok ? EXIT.ok : EXIT.missed;
        }
      }
    }
  } finally {
    await stopTarget(t, log);
  }

  const evidence = {
    drill: 'load', status, exitCode, pattern, scenarios, durationSeconds, started: started.toISOString(), finished: new Date().toISOString(),
    target: { kind: t!.kind, url: t!.url }, preflight: pre, k6: k6Bin ? { binary: k6Bin, exit: k6?.exit ?? null, timedOut: k6?.timedOut ?? false } : null,
    plan, outcome: outcome ?? null, message: message || undefined,
  };
  const md = [
    `# Load drill — Pattern ${pattern} (${status})`, '',
    `- started ${evidence.started}, finished ${evidence.finished}`,
    `- target: ${t!.kind === 'lab' ? 'lab intake' : 'GIRS'} ${t!.url}`,
    `- scenarios: ${scenarios.join(', ')} for ${durationSeconds} s`,
    `- preflight: ${pre?.detail ?? 'not run'}`,
    `- k6: ${k6Bin ? `${k6Bin}, exit ${k6?.exit}` : 'not found on PATH — no load was run'}`,
    '', '## Plan (from the sizing model)', '', ...lines.map((l) => `    ${l}`), '',
    ...(outcome ? ['## Targets', '', mdTable(['check', 'target', 'achieved', 'ok'], outcome.checks.map((c) => [c.name, c.target, c.achieved, c.ok ? 'yes' : 'NO'])), ''] : []),
    ...(message ? [`> ${message}`, ''] : []),
  ].join('\n');
  mkdirSync(outDir, { recursive: true });
  writeEvidence(outDir, evidence, md);

  if (v.json) print(JSON.stringify(evidence, null, 2));
  else if (outcome) {
    print(`Pattern ${pattern}, ${scenarios.join(', ')} for ${durationSeconds} s against ${t!.url}: ${outcome.acceptedReports} reports accepted`);
    print(mdTable(['check', 'target', 'achieved', 'ok'], outcome.checks.map((c) => [c.name, c.target, c.achieved, c.ok ? 'yes' : 'NO'])));
  }
  log(`evidence: ${outDir}`);
  if (message) throw new CliError(message, exitCode);
  return exitCode;
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) runMain(run);
