// Planned switchover drill (maintenance on the GIRS/ODB leader host): `patronictl
// switchover --force` under the report writer. The writer retries a failed write for up to
// the retry window; any write still failing after it is a failure of the drill, as is any
// acknowledged report missing on the new leader.
import { InputError } from '../cli/errors.ts';
import { parseDrillFlags, intFlag, secondsFlag } from './lib/flags.ts';
import { mdTable } from './lib/evidence.ts';
import { fetchCluster, replicasOf } from '../lab/patroni/client.ts';
import { waitFor, waitStreaming, sleep } from './lib/replication.ts';
import { leaderEndpoint, targetSite, targetPgBase, waitHealthy, PG_URL_ENV, type Site } from './lib/site.ts';
import { printPlan, type Step } from './lib/steps.ts';
import { repeatedDrill } from './lib/repeat.ts';
import { verdict } from './lib/abort.ts';
import { summarize, round } from './lib/stats.ts';
import { ReportWriter, missingAcks, type Ack } from './lib/writer.ts';

const DRILL = 'switchover';

const USAGE = `usage: npm run drill:switchover -- (--lab | --target --patroni-url URL... --patronictl-config FILE) [options]

  --lab                     run on a loopback lab (etcd + 3 Patroni/PostgreSQL 15 members)
  --target                  run against a real site; needs --patroni-url (repeat per member),
                            --patronictl-config (the site's patroni.yml) and ${PG_URL_ENV}
  --patroni-url URL         a member's Patroni REST API (target only; repeat)
  --patronictl-config FILE  target: Patroni configuration patronictl reads (DCS + REST credentials)
  --repeat N                switchovers in a row (default 1, max 20)
  --retry-window S          the writer retries a failed write for up to S seconds (default 15)
  --dry-run                 print the plan only; start nothing
  --json                    print the result as JSON on stdout
  --out DIR                 evidence folder (default out/drills/switchover-<timestamp>/)`;

const extra = {
  repeat: { type: 'string' },
  'retry-window': { type: 'string' },
  'patronictl-config': { type: 'string' },
} as const;

export interface SwitchoverRun {
  run: number;
  ok: boolean;
  oldLeader: string;
  candidate: string;
  newLeader: string | null;
  patronictlSeconds: number | null;
  writePauseSeconds: number | null;
  acknowledged: number;
  lost: number;
  retries: number;
  failedBeyondWindow: number;
  oldLeaderStreaming: boolean;
  patronictlOutput: string;
  error?: string;
}

export function plan(mode: string, repeat: number, windowS: number): string[] {
  return [
    `site: ${mode === 'lab' ? 'start loopback etcd + 3 Patroni members (templates rendered by Ansible)' : 'use the Patroni members given by --patroni-url'}`,
    'wait for a leader and two running replicas (one synchronous)',
    `repeat ${repeat}×: start the report writer (retry window ${windowS} s); patronictl switchover --leader <leader> --candidate <sync standby> --force;`,
    '  measure the write pause, retries and writes failing beyond the window (expected 0); check no acknowledged report is missing;',
    '  wait until the old leader streams from the new one with lag 0',
    'write the evidence bundle (evidence.json, evidence.md, component logs)',
    mode === 'lab' ? 'stop every lab process and remove the lab directory' : 'leave the site running',
  ];
}

/** Longest gap between consecutive acknowledgements after `from`: the pause clients saw. */
export function longestGap(acks: readonly Ack[], from: number): number {
  let gap = 0;
  let prev = from;
  for (const a of acks) {
    if (a.at < from) continue;
    gap = Math.max(gap, a.at - prev);
    prev = a.at;
  }
  return gap;
}

async function oneRun(site: Site, run: number, windowMs: number, step: Step): Promise<SwitchoverRun> {
  const old = await waitHealthy(site, 180_000);
  const cl = await fetchCluster(site.apiUrls);
  const candidate = replicasOf(cl).find((m) => m.role === 'sync_standby') ?? replicasOf(cl)[0];
  if (!candidate) throw new Error('no replica to switch over to');
  const drill = `switchover-${Date.now()}-${run}`;
  const writer = new ReportWriter({ drill, resolve: () => leaderEndpoint(site), retryWindowMs: windowMs, pauseMs: 10 });
  const rec: SwitchoverRun = {
    run, ok: false, oldLeader: old.name, candidate: candidate.name, newLeader: null, patronictlSeconds: null, writePauseSeconds: null,
    acknowledged: 0, lost: 0, retries: 0, failedBeyondWindow: 0, oldLeaderStreaming: false, patronictlOutput: '',
  };
  writer.start();
  try {
    if (!(await waitFor(async () => (writer.acks.length >= 30 ? true : undefined), 30_000, 100))) throw new Error(`writer got no acknowledgements: ${writer.lastError}`);
    step(`run ${run}: switchover ${old.name} → ${candidate.name}`);
    const t0 = Date.now();
    const r = await site.patronictl(['switchover', '--leader', old.name, '--candidate', candidate.name, '--force']);
    rec.patronictlSeconds = round((Date.now() - t0) / 1000);
    rec.patronictlOutput = r.output.trim();
    if (r.status !== 0) throw new Error(`patronictl switchover exited ${r.status}: ${rec.patronictlOutput}`);
    const first = await waitFor(async () => writer.firstAckAfter(t0, old.name), windowMs + 30_000, 50);
    if (!first) throw new Error(`no write acknowledged by the new leader (last error: ${writer.lastError})`);
    rec.newLeader = first.member;
    await sleep(1500);
    rec.writePauseSeconds = round(longestGap(writer.acks, t0) / 1000);
    step(`run ${run}: ${first.member} leads; longest write pause ${rec.writePauseSeconds} s, ${writer.retries} retries`);
  } finally {
    await writer.stop();
    rec.acknowledged = writer.acks.length;
    rec.retries = writer.retries;
    rec.failedBeyondWindow = writer.failures.length;
  }
  const ep = await leaderEndpoint(site);
  if (!ep) throw new Error('no leader after the switchover');
  rec.lost = (await missingAcks(ep.config, drill, writer.acks)).length;
  rec.oldLeaderStreaming = await waitStreaming(ep.config, site.apiUrls, old.name, 120_000);
  step(`run ${run}: ${rec.lost} lost, ${rec.failedBeyondWindow} failed beyond the window; ${old.name} ${rec.oldLeaderStreaming ? 'streams' : 'does NOT stream'} from ${ep.name}`);
  rec.ok = rec.newLeader === candidate.name && rec.lost === 0 && rec.failedBeyondWindow === 0 && rec.oldLeaderStreaming;
  return rec;
}

function markdown(r: Record<string, unknown>, runs: SwitchoverRun[]): string {
  const pause = r.writePause as { min: number; median: number; max: number } | null;
  return [
    `# Switchover drill — ${r.startedAt}`,
    '',
    `Site: ${r.site}. Synchronous mode: ${r.synchronousMode}. Retry window: ${r.retryWindowSeconds} s. Result: **${verdict(r.ok as boolean, r.aborted as string | undefined)}**.`,
    '',
    pause ? `Longest write pause: min ${pause.min} s, median ${pause.median} s, max ${pause.max} s.` : 'Write pause: not measured.',
    '',
    mdTable(['run', 'old leader', 'candidate', 'new leader', 'patronictl s', 'write pause s', 'acknowledged', 'lost', 'retries', 'failed beyond window', 'ok'],
      runs.map((x) => [x.run, x.oldLeader, x.candidate, x.newLeader ?? '-', x.patronictlSeconds ?? '-', x.writePauseSeconds ?? '-', x.acknowledged, x.lost, x.retries, x.failedBeyondWindow, x.ok ? 'yes' : `no${x.error ? `: ${x.error}` : ''}`])),
    '',
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { common, values } = parseDrillFlags(DRILL, argv, extra, USAGE);
  if (common.help) { console.log(USAGE); return 0; }
  const repeat = intFlag(DRILL, 'repeat', values.repeat, 1, 20);
  const windowS = secondsFlag(DRILL, 'retry-window', values['retry-window'], 15, 600);
  const ctlConfig = values['patronictl-config'] as string | undefined;
  if (common.mode === 'lab' && ctlConfig) throw new InputError(`--patronictl-config only applies to --target; the lab uses its rendered patroni.yml`);
  if (common.mode === 'target') {
    if (!ctlConfig) throw new InputError(`--target needs --patronictl-config FILE (the site's patroni.yml)`);
    if (!common.dryRun) targetPgBase();
  }
  const steps = plan(common.mode, repeat, windowS);
  if (common.dryRun) {
    printPlan(DRILL, common.mode, common.json, steps, { repeat, retryWindowSeconds: windowS });
    return 0;
  }

  return repeatedDrill<SwitchoverRun>({
    drill: DRILL, common, repeat,
    target: () => targetSite(common.patroniUrls, { patronictlConfig: ctlConfig }),
    one: (site, i, step) => oneRun(site, i, windowS * 1000, step),
    failed: (i, error) => ({ run: i, ok: false, oldLeader: '?', candidate: '?', newLeader: null, patronictlSeconds: null, writePauseSeconds: null,
      acknowledged: 0, lost: 0, retries: 0, failedBeyondWindow: 0, oldLeaderStreaming: false, patronictlOutput: '', error }),
    params: { retryWindowSeconds: windowS },
    summary: (runs) => ({
      writePause: summarize(runs.flatMap((r) => (r.writePauseSeconds === null ? [] : [r.writePauseSeconds]))),
      failedBeyondWindowTotal: runs.reduce((n, r) => n + r.failedBeyondWindow, 0),
      lostTotal: runs.reduce((n, r) => n + r.lost, 0),
    }),
    markdown,
  });
}
