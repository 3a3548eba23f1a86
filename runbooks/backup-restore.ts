// Backup and restore drill (§3.5.2 d: fault-tolerant backup and integrity checks; §4.5.2
// ODB backup site): write reports, take a pg_basebackup from the leader (verified with
// pg_verifybackup) plus a logical pg_dump, destroy the lab cluster, restore the base backup
// into a fresh PostgreSQL 15 instance and verify every report row by count and sha256.
import { mkdtempSync, mkdirSync, rmSync, statSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClientConfig } from 'pg';
import { InputError } from '../cli/errors.ts';
import { freePorts, pgUid, processesUnder } from '../lab/patroni/cluster.ts';
import { sh, shWith } from '../lab/patroni/shell.ts';
import { parseDrillFlags, intFlag } from './lib/flags.ts';
import { defaultOutDir, publishEvidence, mdTable } from './lib/evidence.ts';
import { describe, fetchCluster } from '../lab/patroni/client.ts';
import { waitFor } from './lib/replication.ts';
import { labSite, leaderEndpoint, targetSite, targetPgBase, waitHealthy, PG_URL_ENV, type Site } from './lib/site.ts';
import { printPlan, stepLogger } from './lib/steps.ts';
import { round } from './lib/stats.ts';
import { DrillAborted, drillAbort, verdict } from './lib/abort.ts';
import { connect, ensureSchema, rowSha256, REPORT_TABLE, ROW_SHA256_SQL } from './lib/writer.ts';

const DRILL = 'backup-restore';
const BIN = '/usr/lib/postgresql/15/bin';

const USAGE = `usage: npm run drill:backup-restore -- (--lab | --target --patroni-url URL... --backup-dir DIR) [options]

  --lab                 back up a loopback lab cluster, destroy it, restore into a fresh instance
  --target              back up a real site's leader (user in ${PG_URL_ENV} needs REPLICATION) and
                        restore into a scratch instance on this host's loopback; the site is untouched
  --patroni-url URL     a member's Patroni REST API (target only; repeat)
  --backup-dir DIR      where the base backup and dump go (required for --target; lab: a temp dir)
  --rows N              reports written before the backup (default 5000, max 1000000)
  --dry-run             print the plan only; start nothing
  --json                print the result as JSON on stdout
  --out DIR             evidence folder (default out/drills/backup-restore-<timestamp>/)`;

const extra = { rows: { type: 'string' }, 'backup-dir': { type: 'string' } } as const;

export function plan(mode: string, rows: number): string[] {
  return [
    mode === 'lab' ? 'start loopback etcd + 3 Patroni members (templates rendered by Ansible)' : 'find the leader through --patroni-url',
    `write ${rows} reports (each with its sha256) and record the manifest: count + per-row sha256 + one digest over all rows`,
    'pg_basebackup from the leader (-X stream, fast checkpoint, SHA256 manifest); pg_verifybackup',
    'logical check: pg_dump of the reports table; pg_restore --list must read it',
    mode === 'lab' ? 'destroy the lab cluster (all processes stopped, data directories deleted)' : 'leave the site running (nothing is destroyed)',
    'restore the base backup into a fresh PostgreSQL 15 instance on loopback; measure restore time (copy → accepting connections)',
    'verify: row count, every row\'s stored sha256 against the manifest, recomputed sha256, data_checksums on',
    'stop the restored instance, write the evidence bundle',
  ];
}

interface Manifest { count: number; digest: string; rows: Map<string, string> }

async function manifest(cfg: ClientConfig, drill: string): Promise<Manifest & { recomputedMismatches: number }> {
  const c = await connect(cfg);
  try {
    const r = await c.query<{ seq: number; sha256: string; recomputed: string }>(
      `SELECT seq, sha256, ${ROW_SHA256_SQL} AS recomputed FROM ${REPORT_TABLE} WHERE drill = $1 ORDER BY seq`, [drill]);
    const rows = new Map(r.rows.map((x) => [String(x.seq), x.sha256]));
    const { createHash } = await import('node:crypto');
    const h = createHash('sha256');
    for (const x of r.rows) h.update(`${x.seq}:${x.sha256}\n`);
    return { count: r.rows.length, digest: h.digest('hex'), rows, recomputedMismatches: r.rows.filter((x) => x.sha256 !== x.recomputed).length };
  } finally {
    await c.end().catch(() => {});
  }
}

async function writeReports(cfg: ClientConfig, drill: string, n: number): Promise<void> {
  const c = await connect({ ...cfg });
  try {
    for (let start = 1; start <= n; start += 500) {
      const batch = Array.from({ length: Math.min(500, n - start + 1) }, (_, i) => start + i);
      const params: unknown[] = [];
      const values = batch.map((seq, i) => {
        const ministry = `unit-${seq % 63}`;
        const body = `report ${seq}: ${'indicator '.repeat(seq % 7)}`.trim();
        params.push(drill, seq, ministry, body, rowSha256(drill, seq, ministry, body));
        const b = i * 5;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
      });
      await c.query(`INSERT INTO ${REPORT_TABLE} (drill, seq, ministry, body, sha256) VALUES ${values.join(',')}`, params);
    }
  } finally {
    await c.end().catch(() => {});
  }
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : e.isFile() ? statSync(p).size : 0;
  }
  return total;
}

/** A PostgreSQL tool as the `postgres` user (the server refuses root); a base backup may take minutes. */
const asPostgres = (env: NodeJS.ProcessEnv = {}) => shWith(env)({ timeout: '10m' });

export async function run(argv: string[]): Promise<number> {
  const { common, values } = parseDrillFlags(DRILL, argv, extra, USAGE);
  if (common.help) { console.log(USAGE); return 0; }
  const rowsWanted = intFlag(DRILL, 'rows', values.rows, 5000, 1_000_000);
  const backupFlag = values['backup-dir'] as string | undefined;
  if (common.mode === 'target') {
    if (!backupFlag) throw new InputError(`--target needs --backup-dir DIR (an empty or new directory on this host)`);
    if (existsSync(backupFlag) && readdirSync(backupFlag).length > 0) throw new InputError(`--backup-dir ${backupFlag}: expected an empty or new directory`);
    if (!common.dryRun) targetPgBase();
  }
  const steps = plan(common.mode, rowsWanted);
  if (common.dryRun) {
    printPlan(DRILL, common.mode, common.json, steps, { rows: rowsWanted });
    return 0;
  }

  const step = stepLogger(DRILL);
  const startedAt = new Date();
  const outDir = common.out ?? defaultOutDir(DRILL, startedAt);
  const ids = await pgUid();
  // A signal stops the drill between two steps (a running command gets the terminal's
  // signal itself), so what was started is always torn down in order.
  const abort = drillAbort(step);
  // Scratch space (backup for the lab, restored instance always) lives outside the lab dir,
  // so destroying the cluster does not touch it.
  const scratch = mkdtempSync(join(tmpdir(), 'coc-restore-'));
  const backupRoot = backupFlag ? resolve(backupFlag) : join(scratch, 'backup');
  const baseDir = join(backupRoot, 'base');
  const dumpFile = join(backupRoot, 'reports.dump');
  const restoreDir = join(scratch, 'restored');
  const drill = `backup-${Date.now()}`;
  const result: Record<string, unknown> = { drill: DRILL, scratchDir: scratch, site: common.mode, startedAt: startedAt.toISOString(), rowsWritten: rowsWanted, backupDir: backupRoot };
  const checks: [string, boolean, string][] = [];
  let site: Site | null = null;
  let logs: Record<string, string> = {};
  let restoredUp = false;
  let ok = false;
  try {
    mkdirSync(backupRoot, { recursive: true });
    await sh`chown -R ${ids.uid}:${ids.gid} ${scratch} ${backupRoot}`;
    site = common.mode === 'lab' ? await labSite({ log: step, handleSignals: false }) : targetSite(common.patroniUrls, {});
    if (site.lab) result.labDir = site.lab.runDir;
    abort.checkpoint();
    await waitHealthy(site, 180_000);
    abort.checkpoint();
    step(`cluster healthy: ${describe(await fetchCluster(site.apiUrls))}`);
    const ep = await leaderEndpoint(site);
    if (!ep) throw new Error('leader has no address');
    const leaderCfg = ep.config;
    await ensureSchema(leaderCfg);
    abort.checkpoint();
    step(`write ${rowsWanted} reports on ${ep.name}`);
    await writeReports(leaderCfg, drill, rowsWanted);
    const source = await manifest(leaderCfg, drill);
    result.source = { member: ep.name, rows: source.count, digest: source.digest, recomputedMismatches: source.recomputedMismatches };
    checks.push(['source rows written', source.count === rowsWanted && source.recomputedMismatches === 0, `${source.count} rows, digest ${source.digest.slice(0, 16)}…`]);

    // Replication credentials: the lab's replicator; a site's drill user (needs REPLICATION).
    const repl = site.lab ? { user: 'replicator', password: site.lab.secrets.replication } : { user: String(leaderCfg.user), password: String(leaderCfg.password ?? '') };
    const conn = ['-h', String(leaderCfg.host), '-p', String(leaderCfg.port), '-U', repl.user];
    abort.checkpoint();
    step(`pg_basebackup from ${ep.name} into ${baseDir}`);
    let t = Date.now();
    const bb = await asPostgres({ PGPASSWORD: repl.password, PGSSLMODE: leaderCfg.ssl ? 'require' : 'prefer' })
      `runuser -u postgres -- ${BIN}/pg_basebackup ${conn} -D ${baseDir} -X stream -c fast --manifest-checksums=SHA256 --no-password`;
    if (!bb.ok) throw new Error(`pg_basebackup failed: ${bb.stdall.trim()}`);
    result.backupSeconds = round((Date.now() - t) / 1000);
    result.backupBytes = dirBytes(baseDir);
    const vb = await asPostgres()`runuser -u postgres -- ${BIN}/pg_verifybackup ${baseDir}`;
    checks.push(['pg_verifybackup (SHA256 manifest)', vb.ok, vb.stdall.trim().split('\n').pop() ?? '']);

    abort.checkpoint();
    step('logical check: pg_dump of the reports table');
    const su = site.lab ? { user: 'postgres', password: site.lab.secrets.superuser } : repl;
    const dump = await asPostgres({ PGPASSWORD: su.password })
      `runuser -u postgres -- ${BIN}/pg_dump -h ${String(leaderCfg.host)} -p ${String(leaderCfg.port)} -U ${su.user} -d ${String(leaderCfg.database ?? 'postgres')} -Fc -t ${REPORT_TABLE} -f ${dumpFile} --no-password`;
    const list = dump.ok ? await asPostgres()`runuser -u postgres -- ${BIN}/pg_restore --list ${dumpFile}` : dump;
    checks.push(['pg_dump + pg_restore --list', dump.ok && list.ok && list.stdall.includes(`TABLE DATA public ${REPORT_TABLE}`), dump.ok ? `${statSync(dumpFile).size} bytes` : dump.stdall.trim()]);

    if (site.kind === 'lab') {
      step('destroy the lab cluster');
      logs = site.logs();
      const labDir = site.lab!.runDir;
      result.labDir = labDir;
      await site.stop();
      site = null;
      checks.push(['lab cluster destroyed', !existsSync(labDir) && processesUnder(labDir).length === 0, labDir]);
    }

    abort.checkpoint();
    step(`restore into a fresh instance at ${restoreDir}`);
    const [port] = await freePorts(1);
    t = Date.now();
    const cp = await asPostgres()`runuser -u postgres -- cp -a ${baseDir} ${restoreDir}`;
    if (!cp.ok) throw new Error(`copy failed: ${cp.stdall}`);
    // The backup carries the Patroni-written config; override what must differ standalone.
    const opts = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${scratch}`, '-c archive_mode=off',
      `-c hba_file=${restoreDir}/pg_hba.conf`, `-c ident_file=${restoreDir}/pg_ident.conf`,
      "-c synchronous_standby_names=''", '-c hot_standby=on', '-c max_connections=40', '-c shared_buffers=32MB'].join(' ');
    const start = await asPostgres()`runuser -u postgres -- ${BIN}/pg_ctl -D ${restoreDir} -l ${join(scratch, 'restored.log')} -o ${opts} -w -t 300 start`;
    restoredUp = start.ok;
    if (!restoredUp) throw new Error(`restored instance did not start: ${start.stdall.trim()}`);
    const restoredCfg: ClientConfig = { host: '127.0.0.1', port, user: su.user, password: su.password, database: String(leaderCfg.database ?? 'postgres') };
    const ready = await waitFor(async () => {
      const c = await connect(restoredCfg);
      try { return (await c.query<{ r: boolean }>('SELECT NOT pg_is_in_recovery() AS r')).rows[0]?.r ? true : undefined; } finally { await c.end().catch(() => {}); }
    }, 300_000, 200);
    if (!ready) throw new Error('restored instance never left recovery');
    result.restoreSeconds = round((Date.now() - t) / 1000);
    abort.checkpoint();
    step(`restored instance accepts writes after ${result.restoreSeconds} s`);

    t = Date.now();
    const restored = await manifest(restoredCfg, drill);
    const mismatched = [...source.rows].filter(([seq, sha]) => restored.rows.get(seq) !== sha).length;
    const extraRows = [...restored.rows.keys()].filter((k) => !source.rows.has(k)).length;
    result.verifySeconds = round((Date.now() - t) / 1000);
    result.restored = { rows: restored.count, digest: restored.digest, mismatchedRows: mismatched, extraRows, recomputedMismatches: restored.recomputedMismatches };
    checks.push(['row count equal', restored.count === source.count, `${restored.count} / ${source.count}`]);
    checks.push(['every row sha256 equal to the manifest', mismatched === 0 && extraRows === 0 && restored.digest === source.digest, `${mismatched} mismatched, ${extraRows} extra`]);
    checks.push(['sha256 recomputed from row content', restored.recomputedMismatches === 0, `${restored.recomputedMismatches} mismatches`]);
    const c = await connect(restoredCfg);
    try {
      const cs = (await c.query<{ data_checksums: string }>('SHOW data_checksums')).rows[0]?.data_checksums;
      checks.push(['data_checksums on in the restored cluster', cs === 'on', String(cs)]);
    } finally { await c.end().catch(() => {}); }
    ok = checks.every(([, pass]) => pass);
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    // A step can also fail because the signal reached the command it was running.
    if (e instanceof DrillAborted || abort.reason) result.aborted = abort.reason;
    else step(`drill failed: ${result.error}`);
  } finally {
    if (site) { logs = { ...logs, ...site.logs() }; await site.stop(); }
    if (restoredUp) await asPostgres()`runuser -u postgres -- ${BIN}/pg_ctl -D ${restoreDir} -m fast -w stop`;
    for (const pid of processesUnder(scratch)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    if (existsSync(join(scratch, 'restored.log'))) logs['restored-instance.log'] = (await import('node:fs')).readFileSync(join(scratch, 'restored.log'), 'utf8');
    rmSync(scratch, { recursive: true, force: true });
    abort.dispose();
  }

  Object.assign(result, { ok, finishedAt: new Date().toISOString(), checks: checks.map(([name, pass, detail]) => ({ name, pass, detail })), evidenceDir: outDir });
  const md = [
    `# Backup and restore drill — ${result.startedAt}`,
    '',
    `Site: ${result.site}. Result: **${verdict(ok, result.aborted as string | undefined)}**.${result.error ? ` Error: ${result.error}` : ''}`,
    '',
    `Base backup: ${result.backupSeconds ?? '-'} s, ${result.backupBytes ?? '-'} bytes. Restore (copy → accepting writes): ${result.restoreSeconds ?? '-'} s. Verification: ${result.verifySeconds ?? '-'} s.`,
    '',
    mdTable(['check', 'pass', 'detail'], checks.map(([n, p, d]) => [n, p ? 'yes' : 'NO', d.replace(/\|/g, '\\|')])),
    '',
  ].join('\n');
  publishEvidence(outDir, result, md, common.json, logs);
  return abort.exitCode(ok ? 0 : 1);
}
