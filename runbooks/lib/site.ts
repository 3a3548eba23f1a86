// Where a drill runs: the loopback lab (real etcd/Patroni/PostgreSQL 15 started here) or a
// real site (Patroni REST URLs from flags, PostgreSQL credentials from the environment).
import type { ClientConfig } from 'pg';
import { InputError } from '../../cli/errors.ts';
import { startLab, type LabCluster, type LabOptions } from '../../lab/patroni/cluster.ts';
import { outcome, sh } from '../../lab/patroni/shell.ts';
import { describe, fetchCluster, isHealthy, leaderOf, type PatroniMember } from '../../lab/patroni/client.ts';
import type { Endpoint } from './writer.ts';

/** Environment variable holding the target's connection URL (user, password, database, sslmode). */
export const PG_URL_ENV = 'COC_DRILL_PG_URL';

export interface Site {
  kind: 'lab' | 'target';
  apiUrls: string[];
  /** Client settings for a member at host:port. */
  pgConfig(host: string, port: number): ClientConfig;
  /** kill -9 a member's Patroni and postmaster. */
  crash(member: PatroniMember): Promise<string>;
  /** Start a crashed member's Patroni again. */
  restart(member: PatroniMember): Promise<string>;
  patronictl(args: string[]): Promise<{ status: number; output: string }>;
  logs(): Record<string, string>;
  processes(): number[];
  stop(): Promise<void>;
  lab?: LabCluster;
}

export async function leaderEndpoint(site: Site): Promise<Endpoint | null> {
  const leader = leaderOf(await fetchCluster(site.apiUrls));
  if (!leader?.host || !leader.port) return null;
  return { name: leader.name, config: site.pgConfig(leader.host, leader.port) };
}

export async function labSite(opts: LabOptions): Promise<Site> {
  const lab = await startLab(opts);
  return {
    kind: 'lab', lab, apiUrls: lab.apiUrls,
    pgConfig: (host, port) => ({ ...lab.pgConfig(port), host }),
    crash: async (m) => {
      const r = lab.crashMember(m.name);
      return `kill -9 Patroni ${r.patroniPids.join(',') || '(none)'} and postmaster ${r.postmasterPid ?? '(none)'} of ${m.name}`;
    },
    restart: async (m) => { lab.startMember(m.name); return `started Patroni ${m.name}`; },
    patronictl: (args) => lab.patronictl(args),
    logs: () => lab.logs(),
    processes: () => lab.processes(),
    stop: () => lab.stop(),
  };
}

/** Parse the target's connection URL without ever printing the password. */
export function targetPgBase(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const raw = env[PG_URL_ENV];
  if (!raw) throw new InputError(`--target: set ${PG_URL_ENV}=postgresql://USER:PASSWORD@/DATABASE?sslmode=require (host and port come from Patroni)`);
  let u: URL;
  try { u = new URL(raw); } catch { throw new InputError(`--target: ${PG_URL_ENV} is not a postgresql:// URL`); }
  if (!['postgres:', 'postgresql:'].includes(u.protocol)) throw new InputError(`--target: ${PG_URL_ENV} must start with postgresql://`);
  const sslmode = u.searchParams.get('sslmode');
  return {
    user: decodeURIComponent(u.username), password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' } : undefined,
  };
}

async function runTemplate(template: string | undefined, flag: string, m: PatroniMember): Promise<string> {
  if (!template) throw new InputError(`--target: this step needs --${flag} (a shell command; {member} and {host} are replaced)`);
  const cmd = template.replaceAll('{member}', m.name).replaceAll('{host}', m.host ?? '');
  const r = await sh`sh -c ${cmd}`;
  if (!r.ok) throw new Error(`--${flag} failed (exit ${r.exitCode ?? r.signal}): ${r.stderr.trim()}`);
  return `ran: ${cmd}`;
}

export function targetSite(apiUrls: string[], opts: { killCommand?: string; restartCommand?: string; patronictlConfig?: string }): Site {
  const base = targetPgBase();
  return {
    kind: 'target', apiUrls,
    pgConfig: (host, port) => ({ ...base, host, port }),
    crash: (m) => runTemplate(opts.killCommand, 'kill-command', m),
    restart: (m) => runTemplate(opts.restartCommand, 'restart-command', m),
    patronictl: async (args) => {
      if (!opts.patronictlConfig) throw new InputError('--target: switchover needs --patronictl-config FILE (the site\'s rendered patroni.yml)');
      return outcome(await sh`patronictl -c ${opts.patronictlConfig} ${args}`);
    },
    logs: () => ({}),
    processes: () => [],
    stop: async () => {},
  };
}

/** Wait for a leader with two running replicas (one synchronous); returns the leader. */
export async function waitHealthy(site: Site, timeoutMs: number): Promise<PatroniMember> {
  const deadline = Date.now() + timeoutMs;
  let last = await fetchCluster(site.apiUrls);
  while (Date.now() < deadline) {
    const leader = leaderOf(last);
    if (isHealthy(last, 2, true) && leader) return leader;
    await new Promise((r) => setTimeout(r, 500));
    last = await fetchCluster(site.apiUrls);
  }
  throw new Error(`cluster not healthy within ${timeoutMs / 1000} s: ${describe(last)}`);
}
