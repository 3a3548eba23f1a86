// GIRS load drill: proves an intake holds a pattern's report-submission load. Starts the
// lab intake on loopback (or aims at GIRS_URL), checks it with one real upload, builds the
// k6 bundle from the sizing model, runs a real k6 (one instance, or --runners N split with
// --execution-segment as k6-operator splits a TestRun), and judges the run itself: what
// was accepted against what was asked for, what the intake stored and verified, k6's
// thresholds and exit code. Leaves JSON, JUnit and an HTML load report as evidence.
// Without k6 it says so and exits 3: nothing here stands in for k6.
import { randomBytes, randomFillSync, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { choiceFlag, numberFlag, parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { checkOutputFolder, prepareOutputFolder, writeFileAtomicSync } from '../cli/write.ts';
import type { PatternId } from '../sizing/index.ts';
import {
  BODY_MODES, buildPattern, checkLines, describeK6Exit, evaluate, expectedWork, findK6, idempotencyKey, junitXml, k6FileNames, normalizeMetrics, parseDuration,
  parseScenarios, planFor, reportTitle, stamp, thresholdResults, uploadGracefulStopSeconds, uploadHeaders,
  type BodyMode, type K6Found, type Outcome, type Plan, type ScenarioName, type ThresholdResult,
} from '../k6/index.ts';
import { generateTokens, startIntake, summarizeIntakeMetrics, writeTokensFile, type IntakeRunSummary, type RunningIntake } from '../lab/intake/index.ts';
import { defaultOutDir, mdTable, writeEvidence } from './lib/evidence.ts';
import { loadReportHtml, readK6Json, type Series } from './lib/load-report.ts';
import { mergeMetrics, readJson, runK6, segmentArgs, writePayload, type K6Run } from './lib/k6-run.ts';
import { loadAverage } from './lib/procstat.ts';
import { stepLogger } from './lib/steps.ts';

const DRILL = 'drill:load';
/** Exit codes: 0 targets met, 1 targets missed, 2 bad input, 3 no k6, 4 target not ready. */
export const EXIT = { ok: 0, missed: 1, usage: 2, noK6: 3, notReady: 4 } as const;

const USAGE = `usage: npm run drill:load -- [options]

  --pattern 1|2|3        Table 19 pattern whose load to drive (default 2, the survey's recommendation)
  --duration D           how long each scenario runs, k6 style: 60s, 10m, 1h (default 60s, at most 24h)
  --scenario LIST        peak, soak, spike, browse, comma-separated (default peak)
  --runners N            split the test over N k6 instances with --execution-segment, as
                         k6-operator splits a TestRun of parallelism N (default 1)
  --body MODE            unique: every report stamped and hashed again (default against GIRS_URL);
                         per-vu: each VU hashes its random body once (default against the lab intake)
  --out DIR              evidence folder (default out/drills/load-<timestamp>/)
  --dry-run              print the plan (rates from the sizing model) and the k6 command; start nothing
  --json                 print the result as JSON on stdout

environment:
  GIRS_URL               aim at this GIRS instead of starting the lab intake on 127.0.0.1
  GIRS_TOKEN             agency bearer token(s), comma-separated; required with GIRS_URL
  GIRS_BROWSE_TOKEN      examiner token for the browse scenario (default GIRS_TOKEN)
  K6                     the k6 binary (else k6 on PATH, else ../shared/bin/k6)

exit: 0 targets met, 1 targets missed, 2 bad input, 3 k6 not found, 4 target not ready.
Evidence: evidence.json/.md, k6-girs-pN-summary.json, k6-girs-pN-junit.xml, load-report.html,
k6.log, k6-summary-export.json and k6-points.json (k6's own output).
Runbook: runbooks/load.md`;

export interface Deps {
  env?: NodeJS.ProcessEnv;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
  /** Result lines (stdout by default). */
  print?: (line: string) => void;
  /** Copy k6's own output to stderr as well as k6.log (default true). */
  echoK6?: boolean;
  /** Seconds between progress lines while k6 runs (default 15). */
  heartbeatSeconds?: number;
  /** Where the shared k6 build is looked for last (default ../shared/bin/k6). */
  sharedK6?: string;
}

interface Target { kind: 'lab' | 'external'; url: string; token: string; browseToken: string; intake?: RunningIntake; dataDir?: string }

export function planLines(plan: Plan, scenarios: readonly ScenarioName[], durationSeconds: number, runners: number, body: BodyMode): string[] {
  const r = plan.peak;
  const work = expectedWork(plan, { SCENARIO: scenarios.join(','), DURATION: `${durationSeconds}s` });
  const vus = scenarios.map((s) => plan.vus[s]);
  return [
    `Pattern ${plan.pattern}: ${plan.reportSizeMB} MB reports (${plan.reportBytes} bytes), from the sizing model`,
    `  peak   ${r.rate} per ${r.timeUnitSeconds}s = ${r.perSecond.toFixed(4)}/s (model ${r.targetPerSecond.toFixed(4)}/s, ${(r.relativeError * 100).toFixed(2)} % off) = ${(r.perSecond * plan.reportSizeMB).toFixed(2)} MB/s (model ${plan.peakMBps.toFixed(2)})`,
    `  soak   ${plan.soak.rate} per ${plan.soak.timeUnitSeconds}s = ${plan.soak.perSecond.toFixed(4)}/s (peak day over 24 h; annual average ${plan.annualAveragePerSecond.toFixed(4)}/s)`,
    `  spike  ${plan.spikeFactor} x peak = ${r.rate * plan.spikeFactor} per ${r.timeUnitSeconds}s`,
    `  browse ${plan.browse.rate} per ${plan.browse.timeUnitSeconds}s (list, search, metadata; content every ${plan.browseContentEvery}th)`,
    `  targets: at least ${plan.passFraction * 100} % of the reports asked for accepted; upload p95 < ${plan.uploadP95Ms} ms; browse p95 < ${plan.browseP95Ms} ms; failed < 0.1 %; dropped iterations 0; checks > 99.9 %`,
    `  running ${scenarios.join(', ')} for ${durationSeconds} s each: ${work.reports} reports asked for (${((work.reports * plan.reportBytes) / 1e9).toFixed(2)} GB)${work.looks ? `, ${work.looks} browse looks` : ''}`,
    `  k6: ${runners} instance${runners > 1 ? 's (execution segments)' : ''}; VUs pre-allocated ${vus.map((v) => v.pre).reduce((a, b) => a + b, 0)}, at most ${vus.map((v) => v.max).reduce((a, b) => a + b, 0)}; body ${body}`,
  ];
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
  try { u = new URL(url); } catch { throw new InputError(`GIRS_URL: expected an http(s) URL such as https://girs.example/api, got "${url}"`); }
  if (!['http:', 'https:'].includes(u.protocol)) throw new InputError(`GIRS_URL: expected an http(s) URL, got "${url}"`);
  const token = env.GIRS_TOKEN ?? '';
  if (token.trim() === '') throw new InputError(`GIRS_URL is set, so GIRS_TOKEN is required (an agency bearer token, or several comma-separated)`);
  return { kind: 'external', url: url.replace(/\/+$/, ''), token, browseToken: env.GIRS_BROWSE_TOKEN || token };
}

async function stopTarget(t: Target | undefined, log: (l: string) => void): Promise<void> {
  if (!t?.intake) return;
  await t.intake.close(2000);
  log(`lab intake stopped (${t.url})`);
  if (t.dataDir) rmSync(t.dataDir, { recursive: true, force: true });
}

/**
 * Before any load: the lab gets one real upload of the pattern's report size with the
 * script's headers, checksum and key; a real GIRS only a read, so the drill writes
 * nothing there that k6 would not.
 */
async function preflight(t: Target, plan: Plan): Promise<{ ok: boolean; detail: string }> {
  const first = t.token.split(',')[0]!.trim();
  try {
    if (t.kind === 'external') {
      const r = await fetch(`${t.url}/reports?limit=1`, { headers: { Authorization: `Bearer ${first}` }, signal: AbortSignal.timeout(15_000) });
      await r.arrayBuffer();
      return { ok: r.status === 200, detail: `GET /reports?limit=1 -> ${r.status}` };
    }
    const body = new ArrayBuffer(plan.reportBytes);
    randomFillSync(new Uint8Array(body));
    const now = Date.now();
    stamp(body, 'preflight', 0, now);
    const digest = createHash('sha256').update(new Uint8Array(body)).digest('hex');
    const headers = uploadHeaders(first, digest, idempotencyKey(plan.pattern, `preflight-${now.toString(36)}`, 'preflight', 0), reportTitle(plan.pattern, 'preflight', 'preflight', 0));
    const t0 = performance.now();
    const r = await fetch(`${t.url}/reports`, { method: 'POST', headers, body: new Uint8Array(body), signal: AbortSignal.timeout(120_000) });
    const answer = await r.text();
    const ms = performance.now() - t0;
    return { ok: r.status === 201, detail: `POST /reports (${plan.reportBytes} bytes) -> ${r.status} in ${ms.toFixed(0)} ms${r.status === 201 ? '' : `: ${answer.slice(0, 200)}`}` };
  } catch (e) {
    return { ok: false, detail: `cannot reach ${t.url}: ${(e as Error).message}` };
  }
}

export async function run(argv: string[], deps: Deps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const print = deps.print ?? ((l: string) => console.log(l));
  const { values: v, positionals } = parseFlags(argv, {
    pattern: { type: 'string' }, duration: { type: 'string' }, scenario: { type: 'string' }, runners: { type: 'string' }, body: { type: 'string' },
    out: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, DRILL);
  if (v.help) { print(USAGE); return EXIT.ok; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; all options are flags (see --help)`);
  const pattern = Number(choiceFlag(DRILL, 'pattern', v.pattern, ['1', '2', '3'] as const) ?? '2') as PatternId;
  const durationText = v.duration ?? '60s';
  let durationSeconds: number;
  let scenarios: ScenarioName[];
  try {
    durationSeconds = parseDuration(durationText);
    scenarios = parseScenarios(v.scenario);
  } catch (e) {
    throw new InputError(`${(e as Error).message.replace(/^DURATION/, '--duration').replace(/^SCENARIO/, '--scenario')}`);
  }
  if (durationSeconds < 1 || durationSeconds > 86_400) throw new InputError(`--duration: expected from 1s to 24h, got "${durationText}"`);
  durationSeconds = Math.round(durationSeconds);
  const runners = numberFlag(DRILL, 'runners', v.runners, (n) => Number.isInteger(n) && n >= 1 && n <= 16, 'a whole number of k6 instances from 1 to 16') ?? 1;
  const body = (choiceFlag(DRILL, 'body', v.body, BODY_MODES) ?? (env.GIRS_URL ? 'unique' : 'per-vu')) as BodyMode;
  if (v.out !== undefined) checkOutputFolder(v.out);
  const log = deps.log ?? stepLogger('load', Boolean(v.json));
  const plan = planFor(pattern);
  const lines = planLines(plan, scenarios, durationSeconds, runners, body);
  const k6Args = (bundle: string, dir: string, suffix: string) => ['run', '--quiet', '--summary-export', join(dir, `k6-summary-export${suffix}.json`), '--out', `json=${join(dir, `k6-points${suffix}.json`)}`, bundle];
  const targetText = env.GIRS_URL ? `GIRS_URL=${env.GIRS_URL}` : 'lab intake on 127.0.0.1 (fs store in a temp dir)';

  if (v['dry-run']) {
    const cmds = Array.from({ length: runners }, (_, i) => `k6 ${[...k6Args(`k6/dist/girs-p${pattern}.js`, 'OUT', runners > 1 ? `-${i + 1}` : ''), ...segmentArgs(i, runners)].join(' ')}`);
    if (v.json) print(JSON.stringify({ drill: 'load', dryRun: true, pattern, durationSeconds, scenarios, runners, body, target: targetText, plan, commands: cmds }, null, 2));
    else print([...lines, `  target: ${targetText}`, ...cmds.map((c) => `  would run: PATTERN=${pattern} DURATION=${durationSeconds}s SCENARIO=${scenarios.join(',')} GIRS_BODY=${body}${runners > 1 ? ` GIRS_SHARE=1/${runners}` : ''} ${c}`)].join('\n'));
    return EXIT.ok;
  }

  const target = env.GIRS_URL ? externalTarget(env) : undefined;
  const outDir = resolve(v.out ?? defaultOutDir('load'));
  const started = new Date();
  const loadStart = loadAverage();
  const runId = `${started.getTime().toString(36)}${randomBytes(3).toString('hex')}`;
  let t: Target | undefined = target;
  let outcome: Outcome | undefined;
  let status = 'not-run';
  let exitCode: number = EXIT.ok;
  let message = '';
  let failure: string | undefined;
  let pre: { ok: boolean; detail: string } | undefined;
  let k6: K6Found | undefined;
  let runs: K6Run[] = [];
  let thresholds: ThresholdResult[] = [];
  let series: Series | null = null;
  let intakeStored: number | null = null;
  let intakeMetrics: IntakeRunSummary | null = null;
  let firstUploadAfter: number | null = null;
  let vusMax: number | null = null;
  let payloadDir: string | undefined;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  prepareOutputFolder(outDir, 'drill'); // k6 writes its summaries here before the evidence
  try {
    for (const l of lines) log(l);
    if (!t) t = await labTarget(Math.max(32 * 1024 * 1024, plan.reportBytes + 1024 * 1024), log);
    else log(`target ${t.url} (from GIRS_URL)`);
    pre = await preflight(t, plan);
    log(`preflight: ${pre.detail}`);
    if (!pre.ok) {
      status = 'target-not-ready';
      exitCode = EXIT.notReady;
      failure = `the target did not pass the preflight (${pre.detail}); no load was sent`;
      message = failure;
    } else {
      const built = await buildPattern(pattern);
      log(`built ${built.bundle}`);
      const found = findK6(env, deps.sharedK6);
      if (found.path === null) {
        status = 'k6-not-found';
        exitCode = EXIT.noK6;
        failure = `k6 not found (${found.reason}); no load was run`;
        message = `k6 not found: ${found.reason}. Install k6 (a single binary) or set K6=/path/to/k6. No load was run; the bundle is ${built.bundle}.`;
      } else {
        k6 = found;
        log(`k6: ${found.path} (${found.version}, via ${found.via})`);
        const gracefulStop = uploadGracefulStopSeconds(plan);
        // Bounded: the scenarios, start-up of every VU and the graceful stop, then SIGINT.
        const timeoutMs = (durationSeconds + gracefulStop + 180 + 2 * Math.max(...scenarios.map((s) => plan.vus[s].pre))) * 1000;
        // One random report on disk for every VU to copy: VU start-up costs no CPU.
        payloadDir = mkdtempSync(join(tmpdir(), 'coc-load-payload-'));
        const payload = writePayload(payloadDir, plan.reportBytes);
        const k6Env: NodeJS.ProcessEnv = {
          ...env, GIRS_URL: t.url, GIRS_TOKEN: t.token, GIRS_BROWSE_TOKEN: t.browseToken, PATTERN: String(pattern),
          DURATION: `${durationSeconds}s`, SCENARIO: scenarios.join(','), GIRS_RUN_ID: runId, GIRS_BODY: body,
          GIRS_PAYLOAD: payload.file, GIRS_PAYLOAD_SHA256: payload.sha256,
          ...(runners > 1 ? { GIRS_SHARE: `1/${runners}` } : {}),
        };
        const suffix = (i: number) => (runners > 1 ? `-${i + 1}` : '');
        const procs = Array.from({ length: runners }, (_, i) => {
          const args = [...k6Args(built.bundle, outDir, suffix(i)), ...segmentArgs(i, runners)];
          log(`running ${found.path} ${args.join(' ')}`);
          return runK6(found.path, args, k6Env, join(outDir, `k6${suffix(i)}.log`), timeoutMs, log, deps.echoK6 ?? true);
        });
        // Ctrl-C: let k6 stop gracefully and write its summary, then clean up as usual.
        let interrupts = 0;
        const onInt = () => { interrupts++; log(interrupts === 1 ? 'interrupted: stopping k6 gracefully (Ctrl-C again to kill it)' : 'killing k6'); for (const p of procs) p.stop(interrupts === 1 ? 'SIGINT' : 'SIGKILL'); };
        process.on('SIGINT', onInt);
        const beat = setInterval(() => {
          const u = procs.map((p) => p.sample());
          log(`k6 running: ${Math.round((performance.now() - wall0) / 1000)} s, ${u.map((x) => `${x.cpuCores.toFixed(2)} cores, ${x.peakRssMB.toFixed(0)} MB`).join('; ')}`);
        }, (deps.heartbeatSeconds ?? 15) * 1000);
        try {
          runs = await Promise.all(procs.map((p) => p.done));
        } finally {
          clearInterval(beat);
          process.off('SIGINT', onInt);
        }
        // What the intake stored for this run: each one passed its SHA-256 check there.
        if (t.intake) intakeStored = (await t.intake.store.list({ q: runId, limit: 1, offset: 0 })).total;
        // The intake's own view of the run (its /metrics), recorded next to k6's client-side one.
        intakeMetrics = await intakeView(t);
        const docs = await Promise.all(runs.map((_, i) => readJson(join(outDir, `k6-summary-export${suffix(i)}.json`))));
        const parts = docs.filter((d): d is NonNullable<typeof d> => d !== null);
        series = await readK6Json(runs.map((_, i) => join(outDir, `k6-points${suffix(i)}.json`)), durationSeconds).catch(() => null);
        const firstUpload = series?.firstUploadMs ?? null;
        firstUploadAfter = firstUpload !== null ? (firstUpload - runs[0]!.startedMs) / 1000 : null;
        const exits = runs.map((r) => (r.timedOut ? null : r.exit));
        const worstExit = exits.every((e) => e === 0) ? 0 : exits.find((e) => e !== 0) ?? null;
        if (parts.length !== runs.length) {
          status = 'k6-failed';
          exitCode = EXIT.missed;
          failure = `k6 exited ${exits.map((e) => `${e === null ? 'killed' : e} (${describeK6Exit(e)})`).join(', ')} and ${parts.length === 0 ? 'left no summary' : 'not every runner left a summary'} (see k6.log)`;
          message = failure;
        } else {
          const metrics = mergeMetrics(parts.map(normalizeMetrics));
          vusMax = metrics.vus_max?.max ?? metrics.vus_max?.value ?? null;
          thresholds = parts.flatMap(thresholdResults);
          outcome = evaluate(plan, metrics, scenarios, { DURATION: `${durationSeconds}s` }, { k6Exit: worstExit, timedOut: runs.some((r) => r.timedOut), intakeStored, thresholds });
          status = outcome.ok ? 'targets-met' : 'targets-missed';
          exitCode = outcome.ok ? EXIT.ok : EXIT.missed;
          // k6 0.48 writes a summary even when no VU could start: say so, not only "missed".
          if (worstExit !== 0 && worstExit !== 99) {
            status = worstExit === 107 ? 'k6-failed' : status;
            failure = `k6 exited ${worstExit === null ? 'killed' : worstExit} (${describeK6Exit(worstExit)}; see k6.log)`;
          }
        }
      }
    }
  } finally {
    await stopTarget(t, log);
    if (payloadDir) rmSync(payloadDir, { recursive: true, force: true });
  }

  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - wall0) / 1000;
  const k6Usage = runs.map((r) => r.usage);
  const resources = {
    loadAverageStart: loadStart,
    loadAverageEnd: loadAverage(),
    cores: cpus().length,
    k6: k6Usage.length ? {
      cpuSeconds: round(k6Usage.reduce((a, u) => a + u.cpuSeconds, 0)),
      cpuCores: round(k6Usage.reduce((a, u) => a + u.cpuCores, 0)),
      peakRssMB: round(k6Usage.reduce((a, u) => a + u.peakRssMB, 0)),
      vusMax,
      rssPerVuMB: vusMax ? round(k6Usage.reduce((a, u) => a + u.peakRssMB, 0) / vusMax) : null,
    } : null,
    // The lab intake runs inside the drill's own Node process.
    intake: t?.kind === 'lab' ? { cpuSeconds: round((cpu.user + cpu.system) / 1e6), cpuCores: round((cpu.user + cpu.system) / 1e6 / wall), peakRssMB: round(process.resourceUsage().maxRSS / 1024), note: 'the drill process, which hosts the lab intake' } : null,
  };
  const evidence = {
    drill: 'load', status, exitCode, pattern, scenarios, durationSeconds, runners, body, runId,
    started: started.toISOString(), finished: new Date().toISOString(),
    target: { kind: t!.kind, url: t!.url }, preflight: pre,
    k6: k6 ? { binary: k6.path, version: k6.version, via: k6.via, exits: runs.map((r) => r.exit), timedOut: runs.some((r) => r.timedOut) } : null,
    firstReportAfterSeconds: firstUploadAfter === null ? null : round(firstUploadAfter),
    intakeStored, intakeMetrics, resources, plan, outcome: outcome ?? null, thresholds, message: message || undefined,
  };
  const suiteName = `GIRS load Pattern ${pattern} (${scenarios.join(',')})`;
  const junit = junitXml({ suite: suiteName, seconds: wall, outcome: outcome ?? null, thresholds, ...(failure ? { failure } : {}) });
  writeFileAtomicSync(join(outDir, k6FileNames(pattern).junit), junit);
  writeFileAtomicSync(join(outDir, k6FileNames(pattern).summary), JSON.stringify({ status, ok: status === 'targets-met', pattern, scenarios, outcome: outcome ?? null, thresholds, failure: failure ?? null, resources }, null, 2) + '\n');
  const facts: [string, string][] = [
    ['target', `${t!.kind === 'lab' ? 'lab intake' : 'GIRS'} ${t!.url}`],
    ['k6', k6 ? `${k6.version} (${k6.path}), ${runners} instance(s), exit ${runs.map((r) => (r.timedOut ? 'killed' : r.exit)).join(', ')}` : 'not found — no load was run'],
    ['first report left', firstUploadAfter === null ? 'n/a' : `${firstUploadAfter.toFixed(1)} s after k6 started`],
    ['load average (1/5/15 min)', `${resources.loadAverageStart.join(' / ')} at the start, ${resources.loadAverageEnd.join(' / ')} at the end, ${resources.cores} cores`],
    ['k6 CPU and memory', resources.k6 ? `${resources.k6.cpuCores} cores (${resources.k6.cpuSeconds} CPU s), peak RSS ${resources.k6.peakRssMB} MB${resources.k6.rssPerVuMB ? ` = ${resources.k6.rssPerVuMB} MB per VU (${resources.k6.vusMax} VUs)` : ''}` : 'n/a'],
    ['intake CPU and memory', resources.intake ? `${resources.intake.cpuCores} cores (${resources.intake.cpuSeconds} CPU s), peak RSS ${resources.intake.peakRssMB} MB (drill process)` : 'not on this machine'],
    ['stored by the intake', intakeStored === null ? 'n/a' : String(intakeStored)],
    ['the intake\'s metrics', intakeMetrics === null ? 'not readable (no /metrics)' : `${intakeMetrics.uploadsCreated} uploads answered 201 (the preflight's included), answers by status ${JSON.stringify(intakeMetrics.answers)}, upload p50/p95 ${secs(intakeMetrics.uploadSeconds.p50)}/${secs(intakeMetrics.uploadSeconds.p95)}, ${(intakeMetrics.receivedBytes / 1e6).toFixed(0)} MB received, store errors ${JSON.stringify(intakeMetrics.storeErrors)}`],
    ['body', body],
  ];
  writeFileAtomicSync(join(outDir, 'load-report.html'), await loadReportHtml({ plan, scenarios, seconds: durationSeconds, status, checks: outcome?.checks ?? [], facts, series }));
  const md = [
    `# Load drill — Pattern ${pattern} (${status})`, '',
    `- started ${evidence.started}, finished ${evidence.finished}`,
    ...facts.map(([k, x]) => `- ${k}: ${x}`),
    `- scenarios: ${scenarios.join(', ')} for ${durationSeconds} s`,
    `- preflight: ${pre?.detail ?? 'not run'}`,
    '', '## Plan (from the sizing model)', '', ...lines.map((l) => `    ${l}`), '',
    ...(outcome ? ['## Targets', '', mdTable(['check', 'target', 'achieved', 'ok'], outcome.checks.map((c) => [c.name, c.target, c.achieved, c.ok ? 'yes' : 'NO'])), ''] : []),
    ...(message ? [`> ${message}`, ''] : []),
    'Files: load-report.html, k6-girs-pN-junit.xml, k6-girs-pN-summary.json, k6.log, k6-summary-export.json, k6-points.json.', '',
  ].join('\n');
  writeEvidence(outDir, evidence, md);

  if (v.json) print(JSON.stringify(evidence, null, 2));
  else if (outcome) {
    print(`Pattern ${pattern}, ${scenarios.join(', ')} for ${durationSeconds} s against ${t!.url}: ${outcome.acceptedReports} of ${outcome.expectedReports} reports accepted — ${outcome.ok ? 'targets met' : 'TARGETS MISSED'}`);
    for (const l of checkLines(outcome.checks)) print(l);
  }
  log(`evidence: ${outDir} (load-report.html)`);
  if (message) throw new InputError(message, exitCode);
  return exitCode;
}

function round(n: number): number { return Math.round(n * 100) / 100; }

const secs = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} s`);

/** The intake's /metrics, summarised: in-process for the lab intake, over HTTP for GIRS_URL. */
async function intakeView(t: Target): Promise<IntakeRunSummary | null> {
  try {
    if (t.intake) return t.intake.metrics ? summarizeIntakeMetrics(await t.intake.metrics.registry.metrics()) : null;
    const res = await fetch(new URL('/metrics', t.url), { signal: AbortSignal.timeout(5000) });
    return res.ok ? summarizeIntakeMetrics(await res.text()) : null;
  } catch {
    return null; // an intake without /metrics: the drill still judges the run from k6 and the store
  }
}

