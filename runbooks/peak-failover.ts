// GIRS peak while the database fails over (§3.5.2 class 4): real k6 drives a pattern's
// submission peak against the lab intake (hybrid store: bodies fsynced to files, metadata
// committed on the Patroni leader and its synchronous standby, leader found through a
// multi-host list); partway through, the leader's Patroni and postmaster are killed -9.
// Afterwards every acknowledged report must be readable through the API with its SHA-256,
// none twice, none partial; the drill measures the error window, the time until the
// intake accepts again, the DB RTO (as drill:db-failover measures it) and the rate held.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choiceFlag, numberFlag } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { checkOutputFolder, prepareOutputFolder, writeFileAtomicSync } from '../cli/write.ts';
import { buildPattern, findK6, normalizeMetrics, parseDuration, planFor, planFromTargets, type Metrics, type Plan } from '../k6/index.ts';
import { generateTokens, HybridStore, startIntake, type MultiHostConfig, type RunningIntake, type TokenMap } from '../lab/intake/index.ts';
import { girsTargets, type PatternId } from '../sizing/index.ts';
import { verdict } from './lib/abort.ts';
import { defaultOutDir, mdTable } from './lib/evidence.ts';
import { intFlag, parseDrillFlags, secondsFlag } from './lib/flags.ts';
import { fetchCluster, leaderOf } from '../lab/patroni/client.ts';
import { repeatedDrill } from './lib/repeat.ts';
import { sleep, standbys, waitFor, waitStreaming } from './lib/replication.ts';
import { leaderEndpoint, PG_URL_ENV, targetPgBase, targetSite, waitHealthy, type Site } from './lib/site.ts';
import { summarize, round, type Summary } from './lib/stats.ts';
import { printPlan, type Step } from './lib/steps.ts';
import { perSecond, timelineHtml, type Marker, type TimelineBucket } from './lib/timeline.ts';
import { connect, missingAcks, ReportWriter } from './lib/writer.ts';
import { readJson, runK6, type K6Run } from './lib/k6-run.ts';

const DRILL = 'peak-failover';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Exit code when no k6 binary is found (as drill:load). */
const NO_K6 = 3;
/** Seconds of retries k6 gets extra VUs for (rate × this), so retrying iterations do not starve new ones. */
const RETRY_HEADROOM_S = 30;
/** k6 start-up (one report buffer per pre-allocated VU) on a busy machine. */
const K6_START_TIMEOUT_MS = 900_000;

const USAGE = `usage: npm run drill:peak-failover -- (--lab | --target --patroni-url URL... --data-dir DIR) [options]

  --lab                   loopback lab: etcd + 3 Patroni/PostgreSQL 15 members, the lab intake
                          (hybrid store) and the real k6, all on 127.0.0.1
  --target                a real database site: --patroni-url (repeat per member), ${PG_URL_ENV}
                          in the environment, --kill-command, --restart-command and --data-dir;
                          the intake and k6 still run here, on loopback
  --pattern 1|2|3         Table 19 pattern whose peak k6 drives (default 3)
  --report-size-mb N      what-if: reports of N MB instead of the pattern's (a quick rehearsal;
                          the evidence records it)
  --duration D            how long the peak runs, k6 style (default 60s; at least 5s)
  --kill-after S          kill the leader once the load has run S seconds and reports are
                          being acknowledged (default 20; less than the duration)
  --repeat N              failovers in a row (default 3, max 10)
  --recover-timeout S     give up when the database acknowledges nothing S seconds after the kill (default 120)
  --data-dir DIR          where report bodies go (target: the shared storage; lab: a temp dir)
  --kill-command CMD      target: shell command that crashes a member ({member}, {host} replaced)
  --restart-command CMD   target: shell command that starts the member's Patroni again
  --dry-run               print the plan only; start nothing
  --json                  print the result as JSON on stdout
  --out DIR               evidence folder (default out/drills/peak-failover-<timestamp>/)

environment: K6 (the k6 binary; default k6 on PATH, then ../shared/bin/k6)
exit: 0 pass, 1 fail, 2 bad input, 3 k6 not found, 130/143 aborted. Runbook: runbooks/peak-failover.md`;

const extra = {
  pattern: { type: 'string' },
  'report-size-mb': { type: 'string' },
  duration: { type: 'string' },
  'kill-after': { type: 'string' },
  repeat: { type: 'string' },
  'recover-timeout': { type: 'string' },
  'data-dir': { type: 'string' },
  'kill-command': { type: 'string' },
  'restart-command': { type: 'string' },
} as const;

interface Settings {
  pattern: PatternId;
  plan: Plan;
  durationSeconds: number;
  killAfterSeconds: number;
  recoverMs: number;
  dataDir: string | undefined;
  k6: string;
  bundle: string;
  outDir: string;
  mode: 'lab' | 'target';
}

export interface ErrorWindow {
  /** Seconds after the kill of the first and last failed answer. */
  firstSeconds: number;
  lastSeconds: number;
  seconds: number;
  failedAnswers: number;
  failedSubmissions: number;
}

export interface PeakRun {
  run: number;
  ok: boolean;
  pattern: number;
  oldLeader: string;
  newLeader: string | null;
  crash: string;
  durability: { synchronousCommit: string; synchronousStandbyNames: string; syncStandbys: string[] } | null;
  submitted: number;
  attempts: number;
  acknowledged: number;
  answered201: number;
  replayed200: number;
  found: number;
  lost: number;
  lostKeys: string[];
  duplicates: number;
  corruptVisible: number;
  unacknowledgedStored: number;
  orphanBodies: number;
  neverAcknowledged: number;
  errorWindow: ErrorWindow | null;
  acceptsAgainSeconds: number | null;
  dbRtoSeconds: number | null;
  dbLost: number | null;
  newLeaderSeconds: number | null;
  loadSeconds: number;
  achievedPerSecond: number;
  targetPerSecond: number;
  retriedSubmissions: number;
  /** Failed answers before the kill (the machine, not the failover). */
  failedBeforeKill: number;
  k6: { exit: number | null; iterations: number | null; dropped: number | null; retries: number | null; retriedReports: number | null; exhausted: number | null; accepted: number | null };
  heldPeak: boolean;
  rejoined: boolean;
  rejoinSeconds: number | null;
  timeline: TimelineBucket[];
  markers: Marker[];
  error?: string;
}

/** One answered POST /reports as the intake sent it. */
interface Answer { key: string; agency: string; sha256: string; start: number; end: number; status: number }

export function plan(mode: string, s: { pattern: number; plan: Plan; durationSeconds: number; killAfterSeconds: number; repeat: number }): string[] {
  const r = s.plan.peak;
  return [
    `site: ${mode === 'lab' ? 'start loopback etcd + 3 Patroni/PostgreSQL 15 members (templates rendered by Ansible)' : 'use the Patroni members given by --patroni-url'}`,
    'wait for a leader and two running replicas, one synchronous; record synchronous_commit and the synchronous standby',
    `repeat ${s.repeat}×:`,
    `  start the lab intake on 127.0.0.1: hybrid store, bodies fsynced to ${mode === 'lab' ? 'a temp dir' : '--data-dir'}, metadata in the cluster, leader found by a multi-host read-write search`,
    `  k6 drives Pattern ${s.pattern}'s peak: ${r.rate} per ${r.timeUnitSeconds}s (${r.perSecond.toFixed(4)}/s) × ${s.plan.reportSizeMB} MB for ${s.durationSeconds} s; 503/no answer is retried with the same Idempotency-Key`,
    '  a report writer measures the DB RTO as drill:db-failover does',
    `  after ${s.killAfterSeconds} s of load: kill -9 the leader's Patroni and postmaster`,
    '  when k6 is done: read every report back through the API (SHA-256 of the content), count lost, duplicate and corrupt ones',
    '  restart the old leader; wait until it streams from the new leader with lag 0',
    'write the evidence bundle (evidence.json, evidence.md, timeline.html, k6 and component logs)',
    mode === 'lab' ? 'stop every lab process and remove the lab directory and the report bodies' : 'leave the site running; bodies stay in --data-dir',
  ];
}

/** The first summary that parses and carries the report counter (the script's, then --summary-export). */
async function readMetrics(files: string[]): Promise<Metrics | null> {
  for (const f of files) {
    const raw = await readJson(f);
    if (raw === null) continue;
    try {
      const m = normalizeMetrics(raw as never);
      if (m.girs_reports_accepted || m.http_reqs) return m;
    } catch {
      // another shape: try the next one
    }
  }
  return null;
}

/** K6 env → PATH → ../shared/bin/k6 next to the project. */
export function locateK6(env: NodeJS.ProcessEnv): string | null {
  return findK6(env).path;
}

/** Records every POST /reports answer the intake sends (and uploads it never answered). */
function observe(intake: RunningIntake, tokens: TokenMap, answers: Answer[]): void {
  intake.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/reports')) return;
    const start = Date.now();
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const base = { key: String(req.headers['idempotency-key'] ?? ''), agency: tokens[token]?.agency ?? '?', sha256: String(req.headers['x-report-sha256'] ?? '').toLowerCase(), start };
    let done = false;
    res.once('finish', () => { done = true; answers.push({ ...base, end: Date.now(), status: res.statusCode }); });
    res.once('close', () => { if (!done) answers.push({ ...base, end: Date.now(), status: 0 }); });
  });
}

const acked = (a: Answer) => a.status === 201 || a.status === 200;
/** Any other answer to a well-formed submission is a failure (503, 409 in progress, no answer). */
const failed = (a: Answer) => !acked(a);

async function durabilityOf(site: Site): Promise<PeakRun['durability']> {
  const ep = await leaderEndpoint(site);
  if (!ep) return null;
  const c = await connect(ep.config);
  try {
    const sc = (await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;
    const names = (await c.query<{ synchronous_standby_names: string }>('SHOW synchronous_standby_names')).rows[0]!.synchronous_standby_names;
    const sync = (await standbys(ep.config)).filter((s) => s.syncState === 'sync').map((s) => s.name);
    return { synchronousCommit: sc, synchronousStandbyNames: names, syncStandbys: sync };
  } finally {
    await c.end().catch(() => {});
  }
}

async function getJson(url: string, token: string): Promise<{ status: number; json: any }> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  return { status: r.status, json: await r.json().catch(() => null) };
}

async function contentSha(url: string, token: string): Promise<{ status: number; sha256: string; size: number }> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(120_000) });
  if (r.status !== 200 || !r.body) { await r.arrayBuffer().catch(() => {}); return { status: r.status, sha256: '', size: 0 }; }
  const h = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) { h.update(chunk); size += chunk.length; }
  } catch {
    return { status: -1, sha256: '', size }; // cut off: a partial read
  }
  return { status: 200, sha256: h.digest('hex'), size };
}

async function pool<T>(items: readonly T[], n: number, work: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => { while (i < items.length) await work(items[i++]!); }));
}

/** Everything this run stored, read back through the API as an examiner and as the submitting agency. */
async function verify(intake: RunningIntake, tokens: TokenMap, answers: Answer[], since: string) {
  const examiner = Object.entries(tokens).find(([, p]) => p.role === 'examiner')![0];
  const tokenOf = new Map(Object.entries(tokens).filter(([, p]) => p.role === 'agency').map(([t, p]) => [p.agency, t]));
  const listed: { id: string; agency: string; idempotencyKey: string; sha256: string; size: number; createdAt: string }[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await getJson(`${intake.url}/reports?limit=1000&offset=${offset}`, examiner);
    if (page.status !== 200) throw new Error(`GET /reports answered ${page.status} during verification`);
    listed.push(...page.json.reports);
    if (page.json.reports.length < 1000) break;
  }
  const mine = listed.filter((m) => m.createdAt >= since);
  // Every report of this run visible through the API: its content must hash to its metadata.
  const actual = new Map<string, { status: number; sha256: string; size: number }>();
  await pool(mine, 4, async (m) => { actual.set(m.id, await contentSha(`${intake.url}/reports/${m.id}/content`, examiner)); });
  const corruptVisible = mine.filter((m) => { const a = actual.get(m.id)!; return a.status !== 200 || a.sha256 !== m.sha256 || a.size !== m.size; }).length;
  const bySha = new Map<string, number>();
  for (const m of mine) bySha.set(m.sha256, (bySha.get(m.sha256) ?? 0) + 1);
  const duplicates = [...bySha.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);

  // Every acknowledged submission: found by its id, as its agency, with the SHA-256 the client declared.
  const ackByKey = new Map<string, Answer>();
  for (const a of answers) if (acked(a) && !ackByKey.has(`${a.agency}\n${a.key}`)) ackByKey.set(`${a.agency}\n${a.key}`, a);
  const byKey = new Map(listed.map((m) => [`${m.agency}\n${m.idempotencyKey}`, m]));
  const lostKeys: string[] = [];
  let found = 0;
  await pool([...ackByKey.values()], 4, async (a) => {
    const token = tokenOf.get(a.agency);
    const stored = byKey.get(`${a.agency}\n${a.key}`);
    // Read as the submitting agency, the way it would check its own report.
    const meta = stored && token ? await getJson(`${intake.url}/reports/${stored.id}`, token) : { status: 0, json: null };
    const body = meta.status === 200 ? actual.get(stored!.id) ?? await contentSha(`${intake.url}/reports/${stored!.id}/content`, token!) : null;
    if (meta.status === 200 && meta.json.sha256 === a.sha256 && body?.status === 200 && body.sha256 === a.sha256) found++;
    else lostKeys.push(a.key);
  });
  const ackedKeys = new Set([...ackByKey.values()].map((a) => `${a.agency}\n${a.key}`));
  const unacknowledgedStored = mine.filter((m) => !ackedKeys.has(`${m.agency}\n${m.idempotencyKey}`)).length;
  const orphanBodies = intake.store instanceof HybridStore ? (await intake.store.orphanBodies()).length : 0;
  return { acknowledged: ackByKey.size, found, lostKeys, duplicates, corruptVisible, unacknowledgedStored, orphanBodies };
}

function errorWindowOf(answers: readonly Answer[], killAt: number): { window: ErrorWindow | null; acceptsAgain: number | null } {
  // The failover's window: failures answered from the kill on (earlier ones are counted apart).
  const fails = answers.filter((a) => failed(a) && a.end >= killAt).sort((a, b) => a.end - b.end);
  if (fails.length === 0) {
    const next = answers.filter((a) => acked(a) && a.start >= killAt).sort((a, b) => a.end - b.end)[0];
    return { window: null, acceptsAgain: next ? round((next.end - killAt) / 1000) : null };
  }
  const first = fails[0]!;
  const last = fails.at(-1)!;
  // Accepting again: the first acknowledgement of a request that arrived after the first failure.
  const again = answers.filter((a) => acked(a) && a.start >= first.end).sort((a, b) => a.end - b.end)[0];
  return {
    window: {
      firstSeconds: round((first.end - killAt) / 1000), lastSeconds: round((last.end - killAt) / 1000), seconds: round((last.end - first.end) / 1000),
      failedAnswers: fails.length, failedSubmissions: new Set(fails.map((a) => `${a.agency}\n${a.key}`)).size,
    },
    acceptsAgain: again ? round((again.end - killAt) / 1000) : null,
  };
}

/** Leader changes as Patroni reports them, polled until stopped. */
function watchLeader(site: Site): { changes: { at: number; name: string }[]; stop: () => Promise<void> } {
  const changes: { at: number; name: string }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const l = leaderOf(await fetchCluster(site.apiUrls, 1000));
      if (l && l.state === 'running' && l.name !== changes.at(-1)?.name) changes.push({ at: Date.now(), name: l.name });
      await sleep(250);
    }
  })();
  return { changes, stop: async () => { running = false; await loop; } };
}

function runDataDir(s: Settings, run: number): { dir: string; ours: boolean } {
  if (s.mode === 'lab' && !s.dataDir) return { dir: mkdtempSync(join(tmpdir(), 'coc-peak-')), ours: true };
  const dir = join(s.dataDir!, `peak-failover-${Date.now()}-${run}`);
  mkdirSync(dir, { recursive: true });
  return { dir, ours: s.mode === 'lab' };
}

function emptyRun(run: number, s: Settings): PeakRun {
  return {
    run, ok: false, pattern: s.pattern, oldLeader: '?', newLeader: null, crash: '', durability: null, submitted: 0, attempts: 0, acknowledged: 0,
    answered201: 0, replayed200: 0, found: 0, lost: 0, lostKeys: [], duplicates: 0, corruptVisible: 0, unacknowledgedStored: 0, orphanBodies: 0,
    neverAcknowledged: 0, errorWindow: null, acceptsAgainSeconds: null, dbRtoSeconds: null, dbLost: null, newLeaderSeconds: null, loadSeconds: 0,
    achievedPerSecond: 0, targetPerSecond: s.plan.peak.perSecond, retriedSubmissions: 0, failedBeforeKill: 0,
    k6: { exit: null, iterations: null, dropped: null, retries: null, retriedReports: null, exhausted: null, accepted: null },
    heldPeak: false, rejoined: false, rejoinSeconds: null, timeline: [], markers: [],
  };
}

async function oneRun(site: Site, run: number, s: Settings, step: Step, done: PeakRun[]): Promise<PeakRun> {
  const rec = emptyRun(run, s);
  const old = await waitHealthy(site, 180_000);
  rec.oldLeader = old.name;
  rec.durability = await durabilityOf(site);
  const members = (await fetchCluster(site.apiUrls))?.members.filter((m) => m.host && m.port) ?? [];
  if (members.length === 0) throw new Error('Patroni lists no member with a PostgreSQL address');
  const base = site.pgConfig(members[0]!.host!, members[0]!.port!);
  const db: MultiHostConfig = {
    hosts: members.map((m) => ({ host: m.host!, port: m.port! })),
    ...(base.user ? { user: base.user } : {}), ...(typeof base.password === 'string' ? { password: base.password } : {}),
    ...(base.database ? { database: base.database } : {}), ...(base.ssl ? { ssl: base.ssl } : {}),
  };
  const tokens = generateTokens(93, 2);
  const answers: Answer[] = [];
  const runDir = join(s.outDir, `run-${run}`);
  mkdirSync(runDir, { recursive: true });
  const intakeLog: string[] = [];
  const writerDrill = `peak-${Date.now()}-${run}`;
  const writer = new ReportWriter({ drill: writerDrill, resolve: () => leaderEndpoint(site), retryWindowMs: s.recoverMs, pauseMs: 100 });
  const stopK6 = new AbortController();
  let k6: Promise<K6Run> | undefined;
  let intake: RunningIntake | undefined;
  let killAt = 0;
  let leader: ReturnType<typeof watchLeader> | undefined;
  const data = runDataDir(s, run);
  try {
    intake = await startIntake({
      store: 'hybrid', pgHosts: db, dataDir: data.dir, tokens, maxBytes: Math.max(32 * 1024 * 1024, s.plan.reportBytes + 1024 * 1024),
      log: (l) => intakeLog.push(`${new Date().toISOString()} ${l}`),
    });
    observe(intake, tokens, answers);
    const since = new Date(Date.now() - 1000).toISOString();
    leader = watchLeader(site);
    try {
      step(`run ${run}: leader ${old.name} (synchronous_commit=${rec.durability?.synchronousCommit}, sync standby ${rec.durability?.syncStandbys.join(',') || 'none'}); intake ${intake.url}, bodies in ${data.dir}`);
      writer.start();
      const agencies = Object.entries(tokens).filter(([, p]) => p.role === 'agency').map(([t]) => t).join(',');
      const k6Env = {
        ...process.env, GIRS_URL: intake.url, GIRS_TOKEN: agencies, PATTERN: String(s.pattern), DURATION: `${s.durationSeconds}s`, SCENARIO: 'peak',
        SUMMARY_DIR: runDir, RETRY_HEADROOM_S: String(RETRY_HEADROOM_S), RETRY_MAX_ATTEMPTS: String(Math.ceil(s.recoverMs / 1000)), K6_NO_USAGE_REPORT: 'true',
      };
      const exportFile = join(runDir, 'k6-summary-export.json');
      step(`run ${run}: k6 drives Pattern ${s.pattern} (${s.plan.peak.perSecond.toFixed(3)}/s × ${s.plan.reportSizeMB} MB) for ${s.durationSeconds} s`);
      const k6Started = Date.now();
      const proc = runK6(s.k6, ['run', '--quiet', '--address', '127.0.0.1:0', '--summary-export', exportFile, s.bundle], k6Env, join(runDir, 'k6.log'), K6_START_TIMEOUT_MS + (s.durationSeconds + 300) * 2 * 1000, () => {}, false);
      stopK6.signal.addEventListener('abort', () => proc.stop('SIGINT'), { once: true });
      k6 = proc.done;
      let k6Done = false;
      k6.then(() => { k6Done = true; }, () => { k6Done = true; });
      // k6 builds one report buffer per VU before the load starts: minutes for 10 MB reports
      // on a busy two-core machine. Wait for that (an event), then for --kill-after seconds of load.
      let lastNote = Date.now();
      const started = await waitFor(async () => {
        if (Date.now() - lastNote >= 30_000) {
          lastNote = Date.now();
          const by = answers.reduce<Record<number, number>>((o, a) => ({ ...o, [a.status]: (o[a.status] ?? 0) + 1 }), {});
          step(`run ${run}: waiting for k6 to start the load: ${answers.length} answers so far ${JSON.stringify(by)}`);
        }
        return k6Done ? false : answers.some(acked) ? true : undefined;
      }, K6_START_TIMEOUT_MS, 200);
      if (started !== true) throw new Error(`${started === false ? 'k6 ended before the intake acknowledged any report' : `the intake acknowledged no report within ${K6_START_TIMEOUT_MS / 1000} s of starting k6`} (see ${join(runDir, 'k6.log')})`);
      step(`run ${run}: load is on (first report acknowledged ${round((Date.now() - k6Started) / 1000, 1)} s after starting k6)`);
      const ready = await waitFor(async () => {
        if (k6Done) return false;
        return Date.now() - answers.find(acked)!.start >= s.killAfterSeconds * 1000 && answers.filter(acked).length >= 3 ? true : undefined;
      }, s.killAfterSeconds * 1000 + 120_000, 100);
      if (ready !== true) throw new Error(`k6 ended or stalled before the kill (see ${join(runDir, 'k6.log')})`);
      step(`run ${run}: ${answers.filter(acked).length} reports acknowledged; crashing leader ${old.name}`);
      killAt = Date.now();
      rec.crash = await site.crash(old);
      const first = await waitFor(async () => writer.firstAckAfter(killAt, old.name), s.recoverMs, 50);
      if (first) {
        rec.dbRtoSeconds = round((first.at - killAt) / 1000);
        rec.newLeader = first.member;
        step(`run ${run}: the database acknowledges writes again on ${first.member} after ${rec.dbRtoSeconds} s`);
      } else step(`run ${run}: no database write acknowledged within ${s.recoverMs / 1000} s of the kill`);
      const k6Run = await k6;
      const metrics = await readMetrics([join(runDir, `k6-girs-p${s.pattern}-summary.json`), exportFile]);
      const m = (name: string, key: string) => metrics?.[name]?.[key] ?? (metrics ? 0 : null);
      rec.k6 = {
        exit: k6Run.timedOut ? null : k6Run.exit, iterations: m('iterations', 'count'), dropped: m('dropped_iterations', 'count'),
        retries: m('girs_retries', 'count'), retriedReports: m('girs_retried_reports', 'count'), exhausted: m('girs_retry_exhausted', 'count'), accepted: m('girs_reports_accepted', 'count'),
      };
      step(`run ${run}: k6 exited ${k6Run.exit} after ${round((Date.now() - k6Started) / 1000, 1)} s; ${answers.length} answers recorded`);
    } finally {
      await leader.stop();
      await writer.stop();
    }
    const ep = await leaderEndpoint(site);
    if (ep && ep.name === rec.newLeader) rec.dbLost = (await missingAcks(ep.config, writerDrill, writer.acks)).length;
    const v = await verify(intake, tokens, answers, since);
    Object.assign(rec, { acknowledged: v.acknowledged, found: v.found, lostKeys: v.lostKeys, lost: v.lostKeys.length, duplicates: v.duplicates, corruptVisible: v.corruptVisible, unacknowledgedStored: v.unacknowledgedStored, orphanBodies: v.orphanBodies });
  } finally {
    stopK6.abort();
    await k6?.catch(() => {});
    await leader?.stop();
    await writer.stop();
    writeFileAtomicSync(join(runDir, 'intake.log'), intakeLog.join('\n') + '\n');
    await intake?.close(2000);
    if (data.ours) rmSync(data.dir, { recursive: true, force: true });
  }
  const keys = new Map<string, Answer[]>();
  for (const a of answers) { const k = `${a.agency}\n${a.key}`; keys.set(k, [...(keys.get(k) ?? []), a]); }
  rec.submitted = keys.size;
  rec.attempts = answers.length;
  rec.answered201 = answers.filter((a) => a.status === 201).length;
  rec.replayed200 = answers.filter((a) => a.status === 200).length;
  rec.neverAcknowledged = [...keys.values()].filter((as) => !as.some(acked)).length;
  rec.retriedSubmissions = [...keys.values()].filter((as) => as.length > 1).length;
  rec.failedBeforeKill = answers.filter((a) => failed(a) && a.end < killAt).length;
  writeFileAtomicSync(join(runDir, 'answers.json'), JSON.stringify(answers.map((a) => ({ ...a, sha256: undefined })), null, 0) + '\n');
  const ew = errorWindowOf(answers, killAt);
  rec.errorWindow = ew.window;
  rec.acceptsAgainSeconds = ew.acceptsAgain;
  const t0 = Math.min(...answers.map((a) => a.start));
  rec.loadSeconds = round(s.durationSeconds);
  rec.achievedPerSecond = round(rec.acknowledged / s.durationSeconds);
  const newLeader = leader!.changes.find((c) => c.at > killAt && c.name !== old.name);
  rec.newLeaderSeconds = newLeader ? round((newLeader.at - killAt) / 1000) : null;
  rec.newLeader ??= newLeader?.name ?? null;
  rec.timeline = perSecond(answers.map((a) => ({ at: a.end, ok: acked(a) })), t0);
  rec.markers = [{ label: `kill -9 ${old.name}`, second: round((killAt - t0) / 1000, 1) }];
  if (newLeader) rec.markers.push({ label: `new leader ${newLeader.name}`, second: round((newLeader.at - t0) / 1000, 1) });
  if (rec.acceptsAgainSeconds !== null) rec.markers.push({ label: 'intake accepts again', second: round((killAt - t0) / 1000 + rec.acceptsAgainSeconds, 1) });
  const floor = Math.floor(s.plan.peak.perSecond * s.durationSeconds * 0.99);
  rec.heldPeak = rec.k6.dropped === 0 && rec.acknowledged >= floor;
  step(`run ${run}: ${rec.acknowledged} acknowledged, ${rec.found} found intact, ${rec.lost} lost, ${rec.duplicates} duplicates, ${rec.corruptVisible} corrupt; error window ${rec.errorWindow ? `${rec.errorWindow.seconds} s (${rec.errorWindow.failedAnswers} failed answers)` : 'none'}; accepts again after ${rec.acceptsAgainSeconds ?? '-'} s`);

  const restartAt = Date.now();
  step(`run ${run}: ${await site.restart(old)}`);
  const ep = await leaderEndpoint(site);
  if (ep) {
    rec.rejoined = await waitStreaming(ep.config, site.apiUrls, old.name, 180_000);
    rec.rejoinSeconds = rec.rejoined ? round((Date.now() - restartAt) / 1000) : null;
  }
  step(`run ${run}: ${old.name} ${rec.rejoined ? `rejoined as a streaming replica after ${rec.rejoinSeconds} s` : 'did NOT rejoin'}`);
  // Exactly once is the pass criterion; whether the lab also held the rate is reported beside it.
  rec.ok = rec.acknowledged > 0 && rec.lost === 0 && rec.duplicates === 0 && rec.corruptVisible === 0 && rec.neverAcknowledged === 0
    && rec.dbRtoSeconds !== null && rec.rejoined;
  await writeTimeline(s, [...done, rec]);
  return rec;
}

async function writeTimeline(s: Settings, runs: readonly PeakRun[]): Promise<void> {
  const figures = runs.filter((r) => r.timeline.length > 0).map((r) => ({
    id: `run-${r.run}`, title: `Run ${r.run}: Pattern ${r.pattern} peak, leader ${r.oldLeader} killed`,
    caption: `${r.acknowledged} acknowledged, ${r.lost} lost, ${r.duplicates} duplicates; error window ${r.errorWindow ? `${r.errorWindow.seconds} s, ${r.errorWindow.failedAnswers} failed answers` : 'none'}; intake accepts again after ${r.acceptsAgainSeconds ?? '-'} s; DB RTO ${r.dbRtoSeconds ?? '-'} s`,
    buckets: r.timeline, markers: r.markers,
  }));
  mkdirSync(s.outDir, { recursive: true });
  writeFileAtomicSync(join(s.outDir, 'timeline.html'), await timelineHtml(`GIRS peak during a database failover — Pattern ${s.pattern}`, 'Submissions answered per second: accepted (201, or 200 replaying an earlier commit) and failed (503 with Retry-After, or no answer). Dashed lines: the leader kill, the new leader as Patroni reports it, the intake accepting again.', figures));
}

const fmt = (x: Summary | null, unit = '') => (x ? `${x.min}${unit} / ${x.median}${unit} / ${x.max}${unit}` : '-');

export function summaryOf(runs: readonly PeakRun[]) {
  const pick = (f: (r: PeakRun) => number | null | undefined) => summarize(runs.flatMap((r) => { const v = f(r); return v === null || v === undefined ? [] : [v]; }));
  return {
    acknowledged: pick((r) => r.acknowledged), found: pick((r) => r.found), lost: pick((r) => r.lost), duplicates: pick((r) => r.duplicates),
    corruptVisible: pick((r) => r.corruptVisible), errorWindowSeconds: pick((r) => r.errorWindow?.seconds), failedAnswers: pick((r) => r.errorWindow?.failedAnswers ?? 0),
    acceptsAgainSeconds: pick((r) => r.acceptsAgainSeconds), dbRtoSeconds: pick((r) => r.dbRtoSeconds), newLeaderSeconds: pick((r) => r.newLeaderSeconds),
    achievedPerSecond: pick((r) => r.achievedPerSecond), retriedSubmissions: pick((r) => r.retriedSubmissions),
    lostTotal: runs.reduce((n, r) => n + r.lost, 0), duplicatesTotal: runs.reduce((n, r) => n + r.duplicates, 0),
  };
}

function markdown(r: Record<string, unknown>, runs: PeakRun[]): string {
  const sm = summaryOf(runs);
  const p = runs[0]?.pattern ?? r.pattern;
  const held = runs.filter((x) => x.heldPeak).length;
  return [
    `# GIRS peak during a database failover — ${r.startedAt}`,
    '',
    `Site: ${r.site}. Pattern ${p} peak (${r.targetPerSecond}/s × ${r.reportSizeMB} MB) for ${r.durationSeconds} s, leader killed after ${r.killAfterSeconds} s. Synchronous mode: ${r.synchronousMode}. Load average at start: ${r.loadAverage}, at the end: ${r.loadAverageAtEnd}. Result: **${verdict(r.ok as boolean, r.aborted as string | undefined)}** (every acknowledged report found once, intact).`,
    '',
    `${r.reportSizeWhatIf ? `What-if: ${r.reportSizeMB} MB reports instead of the pattern's size. ` : ''}Peak held (no dropped k6 iteration, ≥ 99 % of the pattern's reports acknowledged) in ${held} of ${runs.length} run(s).`,
    '',
    mdTable(['per run (min / median / max)', 'value'], [
      ['acknowledged (201, or 200 replay)', fmt(sm.acknowledged)],
      ['found afterwards with the right SHA-256', fmt(sm.found)],
      ['lost', fmt(sm.lost)],
      ['duplicates', fmt(sm.duplicates)],
      ['partial or corrupt visible through the API', fmt(sm.corruptVisible)],
      ['error window (first to last failed answer)', fmt(sm.errorWindowSeconds, ' s')],
      ['failed answers in it', fmt(sm.failedAnswers)],
      ['kill → intake accepts again', fmt(sm.acceptsAgainSeconds, ' s')],
      ['DB RTO (kill → first write on the new leader)', fmt(sm.dbRtoSeconds, ' s')],
      ['kill → Patroni reports the new leader', fmt(sm.newLeaderSeconds, ' s')],
      ['achieved rate (acknowledged / load duration)', fmt(sm.achievedPerSecond, '/s')],
      ['submissions that needed a retry', fmt(sm.retriedSubmissions)],
    ]),
    '',
    mdTable(['run', 'old → new leader', 'submitted', 'ack', 'found', 'lost', 'dup', 'corrupt', 'never ack', 'error window s (failed)', 'accepts again s', 'DB RTO s', 'rate /s', 'retried', 'k6 retries', 'dropped', 'ok'],
      runs.map((x) => [x.run, `${x.oldLeader} → ${x.newLeader ?? '-'}`, x.submitted, x.acknowledged, x.found, x.lost, x.duplicates, x.corruptVisible, x.neverAcknowledged,
        x.errorWindow ? `${x.errorWindow.seconds} (${x.errorWindow.failedAnswers})` : '-', x.acceptsAgainSeconds ?? '-', x.dbRtoSeconds ?? '-', x.achievedPerSecond,
        x.retriedSubmissions, x.k6.retries ?? '-', x.k6.dropped ?? '-', x.ok ? 'yes' : `no${x.error ? `: ${x.error}` : ''}`])),
    '',
    'Acknowledged = the intake answered 201 (or 200 replaying a report an earlier attempt committed) after the body was fsynced and the row committed on the leader and its synchronous standby. Found = readable through the API by its id with the SHA-256 the client declared, content included. Duplicates = stored reports of this run sharing a SHA-256 (every k6 body is unique). Never ack = submissions k6 gave up on. Timeline: timeline.html.',
    '',
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { common, values } = parseDrillFlags(DRILL, argv, extra, USAGE);
  if (common.help) { console.log(USAGE); return 0; }
  const pattern = Number(choiceFlag(DRILL, 'pattern', values.pattern as string | undefined, ['1', '2', '3'] as const) ?? '3') as PatternId;
  const durationText = (values.duration as string | undefined) ?? '60s';
  let durationSeconds: number;
  try { durationSeconds = parseDuration(durationText); } catch { throw new InputError(`--duration: expected a duration such as 60s or 5m, got "${durationText}"`); }
  if (durationSeconds < 5 || durationSeconds > 3600) throw new InputError(`--duration: expected from 5s to 1h, got "${durationText}"`);
  const killAfterSeconds = secondsFlag(DRILL, 'kill-after', values['kill-after'], Math.min(20, durationSeconds / 3), 3600);
  if (killAfterSeconds >= durationSeconds) throw new InputError(`--kill-after ${killAfterSeconds}: expected less than the --duration (${durationSeconds} s), so the kill falls inside the peak`);
  const repeat = intFlag(DRILL, 'repeat', values.repeat, 3, 10);
  const recoverMs = secondsFlag(DRILL, 'recover-timeout', values['recover-timeout'], 120, 900) * 1000;
  const killCommand = values['kill-command'] as string | undefined;
  const restartCommand = values['restart-command'] as string | undefined;
  const dataDir = values['data-dir'] as string | undefined;
  if (dataDir !== undefined && dataDir.trim() === '') throw new InputError(`--data-dir: expected a directory path, got ""`);
  if (common.mode === 'lab' && (killCommand || restartCommand)) throw new InputError(`--kill-command/--restart-command only apply to --target`);
  if (common.mode === 'target') {
    if (!killCommand || !restartCommand) throw new InputError(`--target needs --kill-command and --restart-command ({member} and {host} are replaced)`);
    if (!dataDir) throw new InputError(`--target needs --data-dir DIR, the shared storage where the intake writes report bodies`);
    if (!common.dryRun) targetPgBase();
  }
  const sizeMB = numberFlag(DRILL, 'report-size-mb', values['report-size-mb'] as string | undefined, (n) => n >= 0.01 && n <= 100, 'megabytes from 0.01 to 100');
  // The sizing model's what-if override, so rates and VUs follow from the model as usual.
  const p = sizeMB === undefined ? planFor(pattern) : planFromTargets(pattern, girsTargets(pattern, { reportSizeMB: sizeMB }));
  const steps = plan(common.mode, { pattern, plan: p, durationSeconds, killAfterSeconds, repeat });
  if (common.dryRun) {
    printPlan(DRILL, common.mode, common.json, steps, { pattern, durationSeconds, killAfterSeconds, repeat });
    return 0;
  }
  const k6 = locateK6(process.env);
  if (!k6) throw new InputError(`no k6 found (K6=${process.env.K6 ?? 'unset'}, PATH, ${resolve(ROOT, '..', 'shared', 'bin', 'k6')}): install k6 >= 0.47 or set K6=/path/to/k6. Nothing was started.`, NO_K6);
  if (dataDir && !existsSync(dataDir)) throw new InputError(`--data-dir ${dataDir}: no such directory`);
  const startedAt = new Date();
  // The evidence folder is coc's own from the start: k6 bundles, run logs and the timeline go
  // in before the evidence itself (cli/write.ts refuses a folder coc did not write).
  if (common.out !== undefined) checkOutputFolder(common.out);
  const outDir = prepareOutputFolder(resolve(common.out ?? defaultOutDir(DRILL, startedAt)), 'drill');
  const built = await buildPattern(pattern, join(outDir, 'k6'), p);
  const s: Settings = { pattern, plan: p, durationSeconds, killAfterSeconds, recoverMs, dataDir, k6, bundle: built.bundle, outDir, mode: common.mode };
  const done: PeakRun[] = [];
  const loadAverage = loadavg().map((x) => x.toFixed(2)).join(' ');
  return repeatedDrill<PeakRun>({
    drill: DRILL, common: { ...common, out: outDir }, repeat,
    target: () => targetSite(common.patroniUrls, { ...(killCommand ? { killCommand } : {}), ...(restartCommand ? { restartCommand } : {}) }),
    one: async (site, i, step) => { const r = await oneRun(site, i, s, step, done); done.push(r); return r; },
    failed: (i, error) => ({ ...emptyRun(i, s), error }),
    params: { pattern, reportSizeMB: p.reportSizeMB, reportSizeWhatIf: sizeMB !== undefined, targetPerSecond: round(p.peak.perSecond, 4), durationSeconds, killAfterSeconds, k6: k6, loadAverage },
    summary: (runs) => ({ ...summaryOf(runs), loadAverageAtEnd: loadavg().map((x) => x.toFixed(2)).join(' ') }),
    markdown,
  });
}

