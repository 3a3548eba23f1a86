// The lifecycle the failover and switchover drills share: open the site, wait for a healthy
// cluster with the reports table, run the drill `repeat` times, always stop the site, also
// when the drill is aborted by a signal (then the interrupted run is recorded as aborted).
import { DrillAborted, type Abort } from './abort.ts';
import { describe, fetchCluster } from './patroni.ts';
import { synchronousMode } from './replication.ts';
import { leaderEndpoint, waitHealthy, type Site } from './site.ts';
import type { Step } from './steps.ts';
import { ensureSchema } from './writer.ts';

export interface Repeated<R> {
  runs: R[];
  syncMode: string;
  fatal?: string;
  /** The signal that aborted the drill. */
  aborted?: NodeJS.Signals;
  logs: Record<string, string>;
  labDir?: string;
}

export async function repeatOnCluster<R>(
  open: () => Promise<Site> | Site,
  repeat: number,
  step: Step,
  one: (site: Site, i: number) => Promise<R>,
  failed: (i: number, message: string) => R,
  abort?: Abort,
): Promise<Repeated<R>> {
  const out: Repeated<R> = { runs: [], syncMode: 'unknown', logs: {} };
  const race = <T>(p: Promise<T>) => (abort ? abort.race(p) : p);
  let site: Site | null = null;
  const opening = Promise.resolve().then(open);
  try {
    site = await race(opening);
    if (site.lab?.runDir) out.labDir = site.lab.runDir;
    const leader = await race(waitHealthy(site, 180_000));
    step(`cluster healthy: ${describe(await race(fetchCluster(site.apiUrls)))}`);
    out.syncMode = await race(synchronousMode(site.apiUrls));
    const ep = await race(leaderEndpoint(site));
    if (!ep) throw new Error(`leader ${leader.name} has no address`);
    await race(ensureSchema(ep.config));
    for (let i = 1; i <= repeat; i++) {
      try {
        out.runs.push(await race(one(site, i)));
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        step(`run ${i} ${e instanceof DrillAborted ? 'interrupted' : 'failed'}: ${msg}`);
        out.runs.push(failed(i, msg));
        if (e instanceof DrillAborted) throw e;
        break; // the cluster state is unknown: do not pile failures on it
      }
    }
  } catch (e) {
    if (e instanceof DrillAborted) out.aborted = e.signal;
    out.fatal = e instanceof Error ? e.message : String(e);
    if (!(e instanceof DrillAborted)) step(`drill failed: ${out.fatal}`);
  } finally {
    // Aborted while the site was still opening: stop it once it is up.
    if (!site) opening.then((s) => s.stop(), () => {});
    if (site) {
      out.logs = site.logs();
      step(site.kind === 'lab' ? 'stopping the lab' : 'done with the site');
      await site.stop();
    }
  }
  return out;
}
