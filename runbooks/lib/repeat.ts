// The lifecycle the failover and switchover drills share: open the site, wait for a healthy
// cluster with the reports table, run the drill `repeat` times, always stop the site, also
// when the drill is aborted by a signal (then the interrupted run is recorded as aborted);
// then one result shape and one evidence bundle for both.
import { DrillAborted, drillAbort, type Abort } from './abort.ts';
import { defaultOutDir, publishEvidence } from './evidence.ts';
import type { CommonFlags } from './flags.ts';
import { describe, fetchCluster } from '../../lab/patroni/client.ts';
import { synchronousMode } from './replication.ts';
import { labSite, leaderEndpoint, waitHealthy, type Site } from './site.ts';
import { stepLogger, type Step } from './steps.ts';
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

export interface RepeatedDrill<R extends { ok: boolean }> {
  drill: string;
  common: CommonFlags;
  repeat: number;
  /** The real site (target mode); the lab is opened here. */
  target: () => Site;
  one: (site: Site, i: number, step: Step) => Promise<R>;
  failed: (i: number, message: string) => R;
  /** Drill parameters recorded before `repeat` in the result. */
  params?: Record<string, unknown>;
  /** Drill-specific totals over the runs, recorded after `runs`. */
  summary: (runs: R[]) => Record<string, unknown>;
  markdown: (result: Record<string, unknown>, runs: R[]) => string;
}

/**
 * Run a repeated drill end to end: progress lines, signal handling, the shared lifecycle,
 * the result (pass only when every run passed and nothing was fatal), the evidence bundle.
 * Returns the exit code: 0 pass, 1 fail, 130/143 aborted.
 */
export async function repeatedDrill<R extends { ok: boolean }>(d: RepeatedDrill<R>): Promise<number> {
  const step = stepLogger(d.drill);
  const startedAt = new Date();
  const outDir = d.common.out ?? defaultOutDir(d.drill, startedAt);
  const abort = drillAbort(step);
  const { runs, syncMode, fatal, aborted, logs, labDir } = await repeatOnCluster<R>(
    () => (d.common.mode === 'lab' ? labSite({ log: step, handleSignals: false }) : d.target()),
    d.repeat, step,
    (site, i) => d.one(site, i, step),
    d.failed,
    abort,
  ).finally(() => abort.dispose());

  const ok = !fatal && runs.length === d.repeat && runs.every((r) => r.ok);
  const result: Record<string, unknown> = {
    drill: d.drill, site: d.common.mode, ok, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
    synchronousMode: syncMode, ...d.params, repeat: d.repeat, runs,
    ...d.summary(runs),
    ...(fatal ? { error: fatal } : {}),
    ...(aborted ? { aborted } : {}),
    ...(labDir ? { labDir } : {}),
    evidenceDir: outDir,
  };
  publishEvidence(outDir, result, d.markdown(result, runs), d.common.json, logs);
  return abort.exitCode(ok ? 0 : 1);
}
