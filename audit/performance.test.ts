import { describe, expect, it } from 'vitest';
import { loadInventory } from '../inventory/index.ts';
import type { OptionCapacity, PatternResult } from '../sizing/index.ts';
import { expectedRowsOf, runAudit, viewsOf } from './audit.ts';

const inv = loadInventory();

// A hand-made sizing result: the checks must read the model's capacity, not recompute it.
function pattern(p: 1 | 2 | 3, months: number | null, linkFits: boolean, stable: boolean): PatternResult {
  const cap: OptionCapacity = {
    site: 'oog', option: 'option2', title: 't',
    storage: { effectiveTB: 45, sources: ['Table 37 #15'], growthTBPerYear: 10, monthsUntilFull: months },
    network: { demandMbps: 300, links: [{ gbps: 1, utilisation: linkFits ? 0.3 : 1.7, fits: linkFits }, { gbps: 10, utilisation: linkFits ? 0.03 : 1.2, fits: linkFits }] },
    uploads: { clientUploadMbps: 10, secondsPerUpload: 8, concurrentAtPeak: 3 },
    webAp: { model: 'M/M/c', arrivalsPerSecond: 4, serviceRatePerServer: 8, coresPerServer: 4, offeredLoad: 0.5, targetUtilisation: 0.7, serversNeeded: stable ? 1 : 4, utilisation: 0.5, probabilityOfWaiting: 0.5, meanWaitSeconds: 0.1, inventoryServers: 1, inventoryUtilisation: stable ? 0.5 : 2.7, inventoryStable: stable },
  };
  const fig = { reportsPerYear: 1, reportsPerDay: 1, reportsPerHour: 1, reportsPerSecond: 4, dataMBps: 40, networkMbps: 320 };
  return {
    pattern: p, title: `Pattern ${p}`, figures: fig, exact: fig, published: fig, assumptions: [], findings: [],
    capacity: {
      intake: { perCoreReportsPerSecond: 2, source: 'x', measured: false }, options: [cap],
      dataPlatform: { systems: 3, transactionsPerDay: 100, transactionSizeMB: 1, MBPerDay: 300, TBPerYear: 0.11, averageTransactionsPerSecond: 0.0035 },
      odb: { records: [], totalGB: 10, growthGBPerYear: 1, effectiveTB: 6.4, storageSource: 'Table 40 #8', monthsUntilFull: null, users: 1, concurrentSessions: 1 },
    },
  };
}

function run(results: PatternResult[]) {
  const { view, views } = viewsOf(inv, 'oog', '2');
  const r = runAudit({ view, views, expectedRows: expectedRowsOf(inv, view), sizing: { results } });
  return (id: string) => r.checks.find((c) => c.id === id)!;
}

describe('performance checks from the sizing model', () => {
  it('Pattern 2 passes when storage, network and compute hold, fails when storage runs out within the service life', () => {
    expect(run([pattern(2, 165, true, true)])('performance.pattern2').status).toBe('pass');
    const c = run([pattern(2, 30, true, true)])('performance.pattern2');
    expect(c.status).toBe('fail');
    expect(c.figures.monthsUntilFull).toBe(30);
  });

  it('Pattern 3 short storage is a quantified warning; an unstable queue fails it', () => {
    const w = run([pattern(3, 7.5, true, true)])('performance.pattern3');
    expect(w.status).toBe('warn');
    expect(w.evidence.join()).toMatch(/full in 7\.5 months/);
    expect(run([pattern(3, 7.5, true, false)])('performance.pattern3').status).toBe('fail');
  });

  it('Pattern 1 says where it would fail but never gates', () => {
    const c = run([pattern(1, 1.4, false, false)])('performance.pattern1');
    expect(c.status).toBe('warn');
    expect(c.evidence.at(-1)).toMatch(/storage, network, compute/);
  });

  it('without the sizing model the checks warn instead of guessing', () => {
    const { view, views } = viewsOf(inv, 'oog', '2');
    const r = runAudit({ view, views, expectedRows: expectedRowsOf(inv, view), sizing: { error: 'boom' } });
    expect(r.checks.find((c) => c.id === 'performance.pattern2')!).toMatchObject({ status: 'warn' });
  });
});
