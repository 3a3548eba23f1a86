// Unplanned failover drill (GIRS/ODB database, §3.5.2 class 4): while a writer inserts
// reports, kill -9 the leader's Patroni and postmaster (a host crash), measure RTO (kill →
// first acknowledged write on the new leader) and RPO (acknowledged ids missing there),
// then restart the old member and check it rejoins as a streaming replica with lag 0.
import { InputError } from '../cli/errors.ts';
import { parseDrillFlags, intFlag, secondsFlag } from './lib/flags.ts';
import { mdTable } from './lib/evidence.ts';
import { waitFor, waitStreaming, sleep } from './lib/replication.ts';
import { leaderEndpoint, targetSite, targetPgBase, waitHealthy, PG_URL_ENV, type Site } from './lib/site.ts';
import { printPlan, type Step } from './lib/steps.ts';
import { repeatedDrill } from './lib/repeat.ts';
import { verdict } from './lib/abort.ts';
import { summarize, round } from './lib/stats.ts';
import { ReportWriter, missingAcks } from './lib/writer.ts';

const DRILL = 'db-failover';

const USAGE = `usage: npm run drill:db-failover -- (--lab | --target --patroni-url URL...) [options]

  --lab                     run on a loopback lab (etcd + 3 Patroni/PostgreSQL 15 members)
  --target                  run against a real site; needs --patroni-url (repeat per member),
                            ${PG_URL_ENV} in the environment, --kill-command and --restart-command
  --patroni-url URL         a member's Patroni REST API (target only; repeat)
  --kill-command CMD        target: shell command that crashes a member ({member}, {host} replaced)
  --restart-command CMD     target: shell command that starts the member's Patroni again
  --repeat N                failovers in a row (default 3, max 20)
  --recover-timeout S       give up when no write is acknowledged S seconds after the kill (default 120)
  --dry-run                 print the plan only; start nothing
  --json                    print the result as JSON on stdout
  --out DIR                 evidence folder (default out/drills/db-failover-<timestamp>/)`;

const extra = {
  repeat: { type: 'string' },
  'kill-command': { type: 'string' },
  'restart-command': { type: 'string' },
  'recover-timeout': { type: 'string' },
} as const;

export interface FailoverRun {
  run: number;
  ok: boolean;
  oldLeader: string;
  newLeader: string | null;
  crash: string;
  rtoSeconds: number | null;
  acknowledged: number;
  acknowledgedAfterFailover: number;
  lost: number;
  lostIds: number[];
  writeRetries: number;
  failedWrites: number;
  rejoined: boolean;
  rejoinSeconds: number | null;
  oldLeaderHasAllAcks: boolean | null;
  error?: string;
}

export function plan(mode: string, repeat: number): string[] {
  return [
    `site: ${mode === 'lab' ? 'start loopback etcd + 3 Patroni members (templates rendered by Ansible)' : 'use the Patroni members given by --patroni-url'}`,
    'wait for a leader and two running replicas (one synchronous)',
    `repeat ${repeat}×: start the report writer on the leader; kill -9 the leader's Patroni and postmaster;`,
    '  RTO = kill → first acknowledged write on the new leader; RPO = acknowledged ids missing on the new leader (must be 0);',
    '  restart the old leader; wait until it streams from the new leader with lag 0',
    'write the evidence bundle (evidence.json, evidence.md, component logs)',
    mode === 'lab' ? 'stop every lab process and remove the lab directory' : 'leave the site running',
  ];
}

async function oneRun(site: Site, run: number, recoverMs: number, step: Step): Promise<FailoverRun> {
  const old = await waitHealthy(site, 180_000);
  const drill = `failover-${Date.now()}-${run}`;
  const writer = new ReportWriter({ drill, resolve: () => leaderEndpoint(site), retryWindowMs: recoverMs, pauseMs: 10 });
  const rec: FailoverRun = {
    run, ok: false, oldLeader: old.name, newLeader: null, crash: '', rtoSeconds: null, acknowledged: 0, acknowledgedAfterFailover: 0,
    lost: 0, lostIds: [], writeRetries: 0, failedWrites: 0, rejoined: false, rejoinSeconds: null, oldLeaderHasAllAcks: null,
  };
  writer.start();
  try {
    const warm = await waitFor(async () => (writer.acks.length >= 30 ? true : undefined), 30_000, 100);
    if (!warm) throw new Error(`writer got no acknowledgements from ${old.name}: ${writer.lastError}`);
    step(`run ${run}: leader ${old.name}, ${writer.acks.length} writes acknowledged; crashing it`);
    const killAt = Date.now();
    rec.crash = await site.crash(old);
    const first = await waitFor(async () => writer.firstAckAfter(killAt, old.name), recoverMs, 50);
    if (!first) throw new Error(`no write acknowledged by another member within ${recoverMs / 1000} s (last error: ${writer.lastError})`);
    rec.rtoSeconds = round((first.at - killAt) / 1000);
    rec.newLeader = first.member;
    step(`run ${run}: ${first.member} acknowledged write ${first.seq} after ${rec.rtoSeconds} s`);
    await sleep(1500); // keep writing on the new leader: its acknowledgements count for RPO too
  } finally {
    await writer.stop();
    rec.acknowledged = writer.acks.length;
    rec.writeRetries = writer.retries;
    rec.failedWrites = writer.failures.length;
  }
  const ep = await leaderEndpoint(site);
  if (!ep || ep.name !== rec.newLeader) throw new Error(`leader changed again during the run (now ${ep?.name ?? 'none'})`);
  rec.acknowledgedAfterFailover = writer.acks.filter((a) => a.member === rec.newLeader).length;
  rec.lostIds = await missingAcks(ep.config, drill, writer.acks);
  rec.lost = rec.lostIds.length;
  step(`run ${run}: ${rec.acknowledged} acknowledged, ${rec.lost} missing on ${ep.name}`);

  const restartAt = Date.now();
  step(`run ${run}: ${await site.restart(old)}`);
  rec.rejoined = await waitStreaming(ep.config, site.apiUrls, old.name, 180_000);
  rec.rejoinSeconds = rec.rejoined ? round((Date.now() - restartAt) / 1000) : null;
  if (rec.rejoined && old.host && old.port) {
    rec.oldLeaderHasAllAcks = (await missingAcks(site.pgConfig(old.host, old.port), drill, writer.acks)).length === 0;
  }
  step(`run ${run}: ${old.name} ${rec.rejoined ? `rejoined as a streaming replica after ${rec.rejoinSeconds} s` : 'did NOT rejoin'}`);
  rec.ok = rec.lost === 0 && rec.acknowledged > 0 && rec.rtoSeconds !== null && rec.rejoined && rec.oldLeaderHasAllAcks !== false;
  return rec;
}

function markdown(r: Record<string, unknown>, runs: FailoverRun[]): string {
  const rto = r.rto as { min: number; median: number; max: number } | null;
  return [
    `# DB failover drill — ${r.startedAt}`,
    '',
    `Site: ${r.site}. Synchronous mode: ${r.synchronousMode}. Result: **${verdict(r.ok as boolean, r.aborted as string | undefined)}**.`,
    '',
    rto ? `RTO (kill → first acknowledged write on the new leader): min ${rto.min} s, median ${rto.median} s, max ${rto.max} s.` : 'RTO: not measured.',
    `RPO: ${runs.reduce((n, x) => n + x.lost, 0)} acknowledged reports lost over ${runs.length} run(s).`,
    '',
    mdTable(['run', 'old leader', 'new leader', 'RTO s', 'acknowledged', 'lost', 'retries', 'rejoin s', 'ok'],
      runs.map((x) => [x.run, x.oldLeader, x.newLeader ?? '-', x.rtoSeconds ?? '-', x.acknowledged, x.lost, x.writeRetries, x.rejoinSeconds ?? '-', x.ok ? 'yes' : `no${x.error ? `: ${x.error}` : ''}`])),
    '',
    'Acknowledged = the INSERT returned to the writer. Lost = acknowledged ids absent on the new leader.',
    '',
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { common, values } = parseDrillFlags(DRILL, argv, extra, USAGE);
  if (common.help) { console.log(USAGE); return 0; }
  const repeat = intFlag(DRILL, 'repeat', values.repeat, 3, 20);
  const recoverMs = secondsFlag(DRILL, 'recover-timeout', values['recover-timeout'], 120, 900) * 1000;
  const killCommand = values['kill-command'] as string | undefined;
  const restartCommand = values['restart-command'] as string | undefined;
  if (common.mode === 'lab' && (killCommand || restartCommand)) throw new InputError(`--kill-command/--restart-command only apply to --target`);
  if (common.mode === 'target') {
    if (!killCommand || !restartCommand) throw new InputError(`--target needs --kill-command and --restart-command ({member} and {host} are replaced)`);
    if (!common.dryRun) targetPgBase();
  }
  const steps = plan(common.mode, repeat);
  if (common.dryRun) {
    printPlan(DRILL, common.mode, common.json, steps, { repeat });
    return 0;
  }

  return repeatedDrill<FailoverRun>({
    drill: DRILL, common, repeat,
    target: () => targetSite(common.patroniUrls, { killCommand, restartCommand }),
    one: (site, i, step) => oneRun(site, i, recoverMs, step),
    failed: (i, error) => ({ run: i, ok: false, oldLeader: '?', newLeader: null, crash: '', rtoSeconds: null, acknowledged: 0, acknowledgedAfterFailover: 0,
      lost: 0, lostIds: [], writeRetries: 0, failedWrites: 0, rejoined: false, rejoinSeconds: null, oldLeaderHasAllAcks: null, error }),
    summary: (runs) => ({
      rto: summarize(runs.flatMap((r) => (r.rtoSeconds === null ? [] : [r.rtoSeconds]))),
      rejoin: summarize(runs.flatMap((r) => (r.rejoinSeconds === null ? [] : [r.rejoinSeconds]))),
      lostTotal: runs.reduce((n, r) => n + r.lost, 0),
    }),
    markdown,
  });
}
