// Aborting a drill: the pending step gives up at once, the site is always stopped, and the
// result says which signal aborted it (so the evidence bundle can say so).
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { DrillAborted, drillAbort, verdict } from './lib/abort.ts';
import { repeatOnCluster } from './lib/repeat.ts';
import type { Site } from './lib/site.ts';

const never = <T>() => new Promise<T>(() => {});

describe('drillAbort', () => {
  it('rejects pending work on the first signal, exits on the second, and unhooks on dispose', async () => {
    const signals = new EventEmitter();
    const exit = vi.fn();
    const lines: string[] = [];
    const abort = drillAbort((l) => lines.push(l), signals, exit);
    await expect(abort.race(Promise.resolve(7))).resolves.toBe(7);
    await expect(abort.race(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(abort.exitCode(1)).toBe(1);
    abort.checkpoint();

    const pending = abort.race(never<number>());
    signals.emit('SIGTERM', 'SIGTERM');
    await expect(pending).rejects.toBeInstanceOf(DrillAborted);
    await expect(abort.race(Promise.resolve(1))).rejects.toThrow('aborted by SIGTERM');
    expect(() => abort.checkpoint()).toThrow('aborted by SIGTERM');
    expect(abort.reason).toBe('SIGTERM');
    expect(abort.exitCode(0)).toBe(143);
    expect(exit).not.toHaveBeenCalled();
    signals.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
    expect(lines.join('\n')).toMatch(/SIGTERM: aborting the drill[\s\S]*SIGINT again: exiting now/);

    abort.dispose();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    expect(verdict(true)).toBe('PASS');
    expect(verdict(false)).toBe('FAIL');
    expect(verdict(false, 'SIGINT')).toBe('ABORTED by SIGINT (incomplete)');
  });
});

/** A site whose cluster answers nothing: repeatOnCluster is driven with a stubbed health wait. */
function fakeSite(): Site & { stopped: number } {
  const site = {
    kind: 'lab' as const, apiUrls: [], stopped: 0,
    pgConfig: () => ({}), crash: async () => '', restart: async () => '', patronictl: async () => ({ status: 0, output: '' }),
    logs: () => ({ 'x.log': 'log' }), processes: () => [],
    stop: async () => { site.stopped++; },
  };
  return site;
}

vi.mock('./lib/site.ts', async (orig) => ({
  ...(await orig<typeof import('./lib/site.ts')>()),
  waitHealthy: async () => ({ name: 'pg1', role: 'leader', state: 'running', host: '127.0.0.1', port: 1 }),
  leaderEndpoint: async () => ({ name: 'pg1', config: {} }),
}));
vi.mock('../lab/patroni/client.ts', async (orig) => ({ ...(await orig<typeof import('../lab/patroni/client.ts')>()), fetchCluster: async () => ({ members: [] }), describe: () => 'pg1:leader' }));
vi.mock('./lib/replication.ts', async (orig) => ({ ...(await orig<typeof import('./lib/replication.ts')>()), synchronousMode: async () => 'strict' }));
vi.mock('./lib/writer.ts', async (orig) => ({ ...(await orig<typeof import('./lib/writer.ts')>()), ensureSchema: async () => {} }));

describe('repeatOnCluster under a signal', () => {
  it('records the interrupted run as aborted, keeps the finished ones, and stops the site', async () => {
    const signals = new EventEmitter();
    const abort = drillAbort(() => {}, signals, () => {});
    const site = fakeSite();
    const one = async (_s: Site, i: number) => {
      if (i === 1) return { run: 1, ok: true, error: '' };
      queueMicrotask(() => signals.emit('SIGINT', 'SIGINT'));
      return never<{ run: number; ok: boolean; error: string }>();
    };
    const out = await repeatOnCluster(() => site, 3, () => {}, one, (i, error) => ({ run: i, ok: false, error }), abort);
    expect(out.aborted).toBe('SIGINT');
    expect(out.fatal).toBe('aborted by SIGINT');
    expect(out.runs).toEqual([{ run: 1, ok: true, error: '' }, { run: 2, ok: false, error: 'aborted by SIGINT' }]);
    expect(site.stopped).toBe(1);
    expect(out.logs).toEqual({ 'x.log': 'log' });
  });

  it('a site still opening when the signal comes is stopped once it is up', async () => {
    const signals = new EventEmitter();
    const abort = drillAbort(() => {}, signals, () => {});
    const site = fakeSite();
    let up!: (s: Site) => void;
    const opening = new Promise<Site>((r) => { up = r; });
    const result = repeatOnCluster(() => opening, 1, () => {}, async () => ({ ok: true }), () => ({ ok: false }), abort);
    signals.emit('SIGINT', 'SIGINT');
    const out = await result;
    expect(out.aborted).toBe('SIGINT');
    expect(out.runs).toEqual([]);
    expect(site.stopped).toBe(0);
    up(site);
    await vi.waitFor(() => expect(site.stopped).toBe(1));
  });
});
