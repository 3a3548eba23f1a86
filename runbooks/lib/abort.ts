// Ctrl-C or SIGTERM during a drill: stop waiting at once, tear the site down, and still
// leave an evidence bundle that says the drill was aborted and what it had measured by
// then. A second signal exits immediately (the lab's exit hook kills its processes).
import type { EventEmitter } from 'node:events';

export class DrillAborted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`aborted by ${signal}`);
    this.name = 'DrillAborted';
  }
}

export interface Abort {
  /** The signal that aborted the drill, or null while it runs. */
  readonly reason: NodeJS.Signals | null;
  /**
   * Settle as `work` does, or reject with DrillAborted as soon as the drill is aborted.
   * Aborted work keeps running unobserved: its outcome is ignored, and the drill's entry
   * point exits once the evidence is written (see exitCode).
   */
  race<T>(work: Promise<T>): Promise<T>;
  /** Throw DrillAborted if the drill was aborted: for drills that stop between steps. */
  checkpoint(): void;
  /** The drill's exit code: 130 (SIGINT) or 143 (SIGTERM) once aborted, else `code`. */
  exitCode(code: number): number;
  dispose(): void;
}

export const ABORT_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export function drillAbort(log: (line: string) => void, signals: EventEmitter = process, exit: (code: number) => void = (c) => process.exit(c)): Abort {
  let reason: NodeJS.Signals | null = null;
  const waiting = new Set<(e: DrillAborted) => void>();
  const on = (sig: NodeJS.Signals) => {
    if (reason) {
      log(`${sig} again: exiting now`);
      exit(ABORT_EXIT_CODES[sig]!);
      return;
    }
    reason = sig;
    log(`${sig}: aborting the drill; stopping the site and writing the evidence (${sig} again exits at once)`);
    for (const reject of waiting) reject(new DrillAborted(sig));
    waiting.clear();
  };
  const names: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const n of names) signals.on(n, on);
  return {
    get reason() { return reason; },
    race<T>(work: Promise<T>): Promise<T> {
      if (reason) {
        work.catch(() => {});
        return Promise.reject(new DrillAborted(reason));
      }
      return new Promise<T>((resolve, reject) => {
        waiting.add(reject);
        work.then(
          (v) => { waiting.delete(reject); resolve(v); },
          (e: unknown) => { waiting.delete(reject); reject(e); },
        );
      });
    },
    checkpoint() { if (reason) throw new DrillAborted(reason); },
    exitCode: (code) => (reason ? ABORT_EXIT_CODES[reason]! : code),
    dispose: () => { for (const n of names) signals.off(n, on); },
  };
}

/** The result line of an evidence bundle. */
export function verdict(ok: boolean, aborted?: string | null): string {
  return aborted ? `ABORTED by ${aborted} (incomplete)` : ok ? 'PASS' : 'FAIL';
}
