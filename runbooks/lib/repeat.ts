// The lifecycle the failover and switchover drills share: open the site, wait for a healthy
// cluster with the reports table, run the drill `repeat` times, always stop the site.
import { describe, fetchCluster } from './patroni.ts';
import { synchronousMode } from './replication.ts';
import { leaderEndpoint, waitHealthy, type Site } from './site.ts';
import type { Step } from './steps.ts';
import { ensureSchema } from './writer.ts';

export interface Repeated<R> {
  runs: R[];
  syncMode: string;
  fatal?: string;
  logs: Record<string, string>;
  labDir?: string;
}

export async function repeatOnCluster<R>(
  open: () => Promise<Site> | Site,
  repeat: number,
  step: Step,
  one: (site: Site, i: number) => Promise<R>,
  failed: (i: number, message: string) => R,
): Promise<Repeated<R>> {
  const out: Repeated<R> = { runs: [], syncMode: 'unknown', logs: {} };
  let site: Site | null = null;
  try {
    site = await open();
    if (site.lab?.runDir) out.labDir = site.lab.runDir;
    const leader = await waitHealthy(site, 180_000);
    step(`cluster healthy: ${describe(await fetchCluster(site.apiUrls))}`);
    out.syncMode = await synchronousMode(site.apiUrls);
    const ep = await leaderEndpoint(site);
    if (!ep) throw new Error(`leader ${leader.name} has no address`);
    await ensureSchema(ep.config);
    for (let i = 1; i <= repeat; i++) {
      try {
        out.runs.push(await one(site, i));
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        step(`run ${i} failed: ${msg}`);
        out.runs.push(failed(i, msg));
        break; // the cluster state is unknown: do not pile failures on it
      }
    }
  } catch (e) {
    out.fatal = e instanceof Error ? e.message : String(e);
    step(`drill failed: ${out.fatal}`);
  } finally {
    if (site) {
      out.logs = site.logs();
      step(site.kind === 'lab' ? 'stopping the lab' : 'done with the site');
      await site.stop();
    }
  }
  return out;
}
