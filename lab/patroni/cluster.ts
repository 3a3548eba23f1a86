// Loopback lab: one etcd and three Patroni/PostgreSQL 15 members, configured by rendering
// the production Ansible templates (render.yml), so drills exercise what production runs.
// Everything runs as `postgres` (PostgreSQL refuses root) under a unique temp dir and on
// free loopback ports, so two labs never collide. stop() removes every process it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync, readdirSync, readlinkSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientConfig } from 'pg';
import { fetchCluster, isHealthy, leaderOf, describe, type PatroniCluster } from './client.ts';
import { outcome, sh } from './shell.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PATRONI = '/usr/bin/patroni';
const ETCD = '/usr/bin/etcd';
const PATRONICTL = '/usr/bin/patronictl';

export interface LabOptions {
  members?: number;
  /** Patroni timings, small so drills finish quickly; production keeps 30/10/10. */
  ttl?: number;
  loopWait?: number;
  retryTimeout?: number;
  /** Plain synchronous_mode instead of strict (to compare behaviour). */
  strict?: boolean;
  log?: (line: string) => void;
  /** Keep the run directory (logs, data) after stop(). */
  keep?: boolean;
  /** Give-up limit for a healthy cluster; sized for a busy 2-core machine (bootstrap is initdb + two base backups). */
  readyTimeoutMs?: number;
  /**
   * Stop the lab and exit on SIGINT/SIGTERM (default). A drill that handles the signals
   * itself, to write its evidence before exiting, turns this off; the exit hook still kills
   * every lab process if the program ends without stop().
   */
  handleSignals?: boolean;
}

export interface LabMember {
  name: string;
  pgPort: number;
  restPort: number;
  dir: string;
  dataDir: string;
  config: string;
  apiUrl: string;
  proc?: ChildProcess;
}

export interface LabSecrets {
  superuser: string;
  replication: string;
  rewind: string;
  restapi: string;
}

interface PortSet { etcdClient: number; etcdPeer: number; members: { pg: number; rest: number }[] }

/** Distinct free loopback ports: all listeners are open at once, so no port repeats. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** PIDs whose working directory or command line lies under `dir` (postgres chdirs to its data dir). */
export function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cwd === dir || cwd.startsWith(dir + '/') || cmd.includes(dir + '/')) pids.push(pid);
    } catch {
      // exited while scanning, or a kernel thread
    }
  }
  return pids;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(pid, signal); } catch { /* already gone */ }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function pgUid(): Promise<{ uid: number; gid: number }> {
  const [u, g] = await Promise.all([sh`id -u postgres`, sh`id -g postgres`]);
  if (!u.ok || !g.ok) throw new Error('the lab needs a `postgres` system user (apt install postgresql-15)');
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export class LabCluster {
  readonly members: LabMember[];
  private stopped = false;
  private readonly onSignal = (sig: NodeJS.Signals) => {
    void this.stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  private readonly onExit = () => this.killAllSync();

  private constructor(
    readonly runDir: string,
    readonly ports: PortSet,
    readonly secrets: LabSecrets,
    readonly opts: Required<Omit<LabOptions, 'log'>> & { log: (l: string) => void },
    private readonly ids: { uid: number; gid: number },
  ) {
    this.members = ports.members.map((p, i) => {
      const name = `pg${i + 1}`;
      const dir = join(runDir, name);
      return { name, pgPort: p.pg, restPort: p.rest, dir, dataDir: join(dir, 'data'), config: join(dir, 'patroni.yml'), apiUrl: `http://127.0.0.1:${p.rest}` };
    });
  }

  static async start(options: LabOptions = {}): Promise<LabCluster> {
    const opts = {
      members: options.members ?? 3, ttl: options.ttl ?? 10, loopWait: options.loopWait ?? 2, retryTimeout: options.retryTimeout ?? 4,
      strict: options.strict ?? true, keep: options.keep ?? false, readyTimeoutMs: options.readyTimeoutMs ?? 300_000,
      handleSignals: options.handleSignals ?? true,
      log: options.log ?? (() => {}),
    };
    if (opts.loopWait + 2 * opts.retryTimeout > opts.ttl) throw new Error('lab timings: loop_wait + 2*retry_timeout must not exceed ttl');
    const ids = await pgUid();
    const [etcdClient, etcdPeer, ...rest] = await freePorts(2 + 2 * opts.members);
    const ports: PortSet = {
      etcdClient: etcdClient!, etcdPeer: etcdPeer!,
      members: Array.from({ length: opts.members }, (_, i) => ({ pg: rest[2 * i]!, rest: rest[2 * i + 1]! })),
    };
    const runDir = mkdtempSync(join(tmpdir(), 'coc-lab-'));
    const secret = () => randomBytes(18).toString('base64url');
    const lab = new LabCluster(runDir, ports, { superuser: secret(), replication: secret(), rewind: secret(), restapi: secret() }, opts, ids);
    if (opts.handleSignals) {
      process.once('SIGINT', lab.onSignal);
      process.once('SIGTERM', lab.onSignal);
    }
    process.once('exit', lab.onExit);
    try {
      await lab.render();
      await lab.startEtcd();
      for (const m of lab.members) lab.startMember(m.name);
      await lab.waitHealthy(opts.members - 1, opts.readyTimeoutMs);
      return lab;
    } catch (e) {
      await lab.stop();
      throw e;
    }
  }

  get apiUrls(): string[] { return this.members.map((m) => m.apiUrl); }
  get etcdUrl(): string { return `http://127.0.0.1:${this.ports.etcdClient}`; }
  get walArchiveDir(): string { return join(this.runDir, 'wal-archive'); }

  member(name: string): LabMember {
    const m = this.members.find((x) => x.name === name);
    if (!m) throw new Error(`lab: no member ${name}`);
    return m;
  }

  /** pg client settings for one member, as the superuser over TCP loopback. */
  pgConfig(nameOrPort: string | number, database = 'postgres'): ClientConfig {
    const port = typeof nameOrPort === 'number' ? nameOrPort : this.member(nameOrPort).pgPort;
    return { host: '127.0.0.1', port, user: 'postgres', password: this.secrets.superuser, database };
  }

  /** Make a path usable by the postgres user (temp dirs are created by root). */
  async chown(path: string): Promise<void> {
    await sh`chown -R ${this.ids.uid}:${this.ids.gid} ${path}`;
  }

  private async render(): Promise<void> {
    mkdirSync(this.walArchiveDir);
    for (const m of this.members) mkdirSync(m.dir);
    const vars = {
      lab_dir: this.runDir,
      lab_members: this.members.map((m) => ({ name: m.name, restapi_port: m.restPort, pg_port: m.pgPort })),
      etcd_name: 'lab', etcd_data_dir: join(this.runDir, 'etcd'), etcd_listen_address: '127.0.0.1',
      etcd_client_port: this.ports.etcdClient, etcd_peer_port: this.ports.etcdPeer, etcd_tls_cert_file: '',
      etcd_initial_cluster: `lab=http://127.0.0.1:${this.ports.etcdPeer}`, etcd_initial_cluster_token: `lab-${this.ports.etcdPeer}`,
      patroni_scope: 'girs-lab', patroni_restapi_listen_address: '127.0.0.1', patroni_restapi_certfile: '',
      patroni_etcd_hosts: [`127.0.0.1:${this.ports.etcdClient}`], patroni_etcd_protocol: 'http',
      patroni_pg_listen_address: '127.0.0.1', patroni_pg_ssl_cert_file: '', patroni_wal_archive_dir: this.walArchiveDir,
      patroni_watchdog_mode: 'off', patroni_ttl: this.opts.ttl, patroni_loop_wait: this.opts.loopWait,
      patroni_retry_timeout: this.opts.retryTimeout, patroni_synchronous_mode_strict: this.opts.strict,
      patroni_pg_parameters: { max_connections: 40, shared_buffers: '32MB', max_wal_size: '256MB', max_wal_senders: 10, max_replication_slots: 10 },
      vault_patroni_restapi_password: this.secrets.restapi,
      vault_patroni_pg_superuser_password: this.secrets.superuser,
      vault_patroni_pg_replication_password: this.secrets.replication,
      vault_patroni_pg_rewind_password: this.secrets.rewind,
    };
    const varsFile = join(this.runDir, 'lab-vars.json');
    writeFileSync(varsFile, JSON.stringify(vars), { mode: 0o600 });
    this.opts.log('render etcd.conf.yml and patroni.yml from ansible-bridge/roles templates');
    const ansible = sh({
      cwd: here, timeout: '10m',
      env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False' },
    });
    const r = await ansible`ansible-playbook -i localhost, ${join(here, 'render.yml')} -e ${`@${varsFile}`}`;
    rmSync(varsFile, { force: true });
    if (!r.ok) throw new Error(`lab: rendering templates failed:\n${r.stdall}`);
    await this.chown(this.runDir);
  }

  private spawnAsPostgres(cmd: string[], cwd: string, logFile: string): ChildProcess {
    const fd = openSync(logFile, 'a');
    try {
      // detached: own process group, so stop() can signal runuser and its child together.
      const child = spawn('runuser', ['-u', 'postgres', '--', ...cmd], { cwd, detached: true, stdio: ['ignore', fd, fd] });
      child.on('error', () => {});
      child.unref();
      return child;
    } finally {
      closeSync(fd);
    }
  }

  private async startEtcd(): Promise<void> {
    this.opts.log(`start etcd on 127.0.0.1:${this.ports.etcdClient}`);
    this.spawnAsPostgres([ETCD, '--config-file', join(this.runDir, 'etcd.conf.yml')], this.runDir, join(this.runDir, 'etcd.log'));
    const deadline = Date.now() + 120_000; // a give-up limit, not an expectation: etcd is up in about a second when idle
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.etcdUrl}/health`, { signal: AbortSignal.timeout(500) });
        if (((await res.json()) as { health?: string }).health === 'true') return;
      } catch { /* not up yet */ }
      await sleep(200);
    }
    throw new Error(`lab: etcd did not become healthy; see ${join(this.runDir, 'etcd.log')}`);
  }

  /** Start (or restart after a crash) the Patroni agent of one member. */
  startMember(name: string): void {
    // Work abandoned by an aborted drill may still ask for a restart: never outlive stop().
    if (this.stopped) throw new Error(`the lab is stopped; not starting ${name}`);
    const m = this.member(name);
    this.opts.log(`start Patroni ${m.name} (pg 127.0.0.1:${m.pgPort}, api ${m.apiUrl})`);
    m.proc = this.spawnAsPostgres([PATRONI, m.config], m.dir, join(m.dir, 'patroni.log'));
  }

  /** Simulated host crash: kill -9 the member's Patroni, then its postmaster. */
  crashMember(name: string): { patroniPids: number[]; postmasterPid: number | null } {
    const m = this.member(name);
    const patroniPids = this.patroniPids(m);
    for (const pid of patroniPids) kill(pid, 'SIGKILL');
    const postmasterPid = this.postmasterPid(name);
    if (postmasterPid) kill(postmasterPid, 'SIGKILL');
    return { patroniPids, postmasterPid };
  }

  /** The Patroni python process of a member (not its runuser parent). */
  private patroniPids(m: LabMember): number[] {
    return processesUnder(m.dir).filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.includes(m.config) && argv[0] !== 'runuser';
      } catch { return false; }
    });
  }

  postmasterPid(name: string): number | null {
    const file = join(this.member(name).dataDir, 'postmaster.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  async cluster(): Promise<PatroniCluster | null> {
    return fetchCluster(this.apiUrls);
  }

  async leader(): Promise<string | undefined> {
    return leaderOf(await this.cluster())?.name;
  }

  /** Wait for a leader with `replicas` running replicas (one synchronous). */
  async waitHealthy(replicas: number, timeoutMs: number): Promise<PatroniCluster> {
    const deadline = Date.now() + timeoutMs;
    let last: PatroniCluster | null = null;
    while (Date.now() < deadline) {
      last = await this.cluster();
      if (isHealthy(last, replicas, true)) return last!;
      await sleep(500);
    }
    throw new Error(`lab: cluster not healthy after ${Math.round(timeoutMs / 1000)} s: ${describe(last)}; logs in ${this.runDir}`);
  }

  /** patronictl with a member's rendered config (it carries the DCS and REST credentials). */
  async patronictl(args: string[]): Promise<{ status: number; output: string }> {
    return outcome(await sh`${PATRONICTL} -c ${this.members[0]!.config} ${args}`);
  }

  /** Live processes this lab started (Patroni, PostgreSQL, etcd, runuser). */
  processes(): number[] {
    return processesUnder(this.runDir);
  }

  /** Logs of every component, for evidence bundles. */
  logs(): Record<string, string> {
    const out: Record<string, string> = {};
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    out['etcd.log'] = read(join(this.runDir, 'etcd.log'));
    for (const m of this.members) out[`${m.name}-patroni.log`] = read(join(m.dir, 'patroni.log'));
    return out;
  }

  private killAllSync(): void {
    for (let i = 0; i < 5; i++) {
      const pids = processesUnder(this.runDir);
      if (pids.length === 0) break;
      for (const pid of pids) kill(pid, 'SIGKILL');
      spawnSync('sleep', ['0.2']);
    }
  }

  /** Graceful stop (Patroni shuts PostgreSQL down), then SIGKILL whatever is left; idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    try {
      // Signal Patroni itself: runuser answers SIGTERM by SIGKILLing its child after 2 s,
      // which would orphan PostgreSQL instead of shutting it down.
      for (const m of this.members) for (const pid of this.patroniPids(m)) kill(pid, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && this.members.some((m) => this.patroniPids(m).length > 0)) await sleep(200);
      // Postmasters run in their own session (Patroni setsid()s them): signal them directly.
      for (const m of this.members) { const pid = this.postmasterPid(m.name); if (pid) kill(pid, 'SIGQUIT'); }
      for (const pid of processesUnder(this.runDir)) {
        try { if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === ETCD) kill(pid, 'SIGTERM'); } catch { /* gone */ }
      }
      const deadline2 = Date.now() + 5_000;
      while (Date.now() < deadline2 && processesUnder(this.runDir).length > 0) await sleep(200);
      this.killAllSync();
    } finally {
      process.off('exit', this.onExit);
      if (!this.opts.keep) rmSync(this.runDir, { recursive: true, force: true });
    }
  }
}

export function startLab(options: LabOptions = {}): Promise<LabCluster> {
  return LabCluster.start(options);
}
