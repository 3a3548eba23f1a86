// How the lab and the drills run a tool (ansible-playbook, patronictl, pg_ctl, pg_basebackup…):
// through zx, with the output captured rather than echoed, a non-zero exit returned as a value
// to inspect (drills record it as evidence) rather than thrown, and a time limit, so a hung tool
// cannot stall a drill. Long-running daemons (etcd, Patroni) are spawned by cluster.ts instead.
import { $, type ProcessOutput } from 'zx';

export const sh = $({ quiet: true, nothrow: true, timeout: '2m' });

/** `sh` with extra environment variables on top of this process's own. */
export const shWith = (env: NodeJS.ProcessEnv) => sh({ env: { ...process.env, ...env } });

/** Exit status (a timeout or other signal counts as 1) and stdout + stderr as they interleaved. */
export function outcome(r: ProcessOutput): { status: number; output: string } {
  return { status: r.exitCode ?? 1, output: r.stdall };
}
