import { mkdtempSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { erlangC, littlesLaw, mmc, monthsUntilFull, serversFor, sizePattern } from './index.ts';
import { readCalibration } from './calibration.ts';
import { intakeRate } from './capacity.ts';
import { loadSizingData } from './data.ts';

const loadDemand = () => loadSizingData().demand;
import { checkInventory, INVENTORY_DIR, InventoryError } from '../inventory/index.ts';

/** Erlang C by its textbook formula, to check the recursion against. */
function erlangCDirect(c: number, a: number): number {
  let fact = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    if (k > 0) fact *= k;
    sum += a ** k / fact;
  }
  const top = (a ** c / (fact * c)) * (c / (c - a));
  return top / (sum + top);
}

describe('queueing arithmetic', () => {
  it('Erlang C matches textbook values', () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12); // M/M/1: P(wait) = ρ
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(10, 8)).toBeCloseTo(0.4092, 4); // the classic call-centre example
    for (const [c, a] of [[3, 2.5], [20, 15], [50, 45]] as const) expect(erlangC(c, a)).toBeCloseTo(erlangCDirect(c, a), 10);
    expect(erlangC(2, 2)).toBe(1);
  });

  it('M/M/c mean wait: M/M/1 gives ρ/(μ−λ)', () => {
    const r = mmc(4, 8, 1);
    expect(r.utilisation).toBe(0.5);
    expect(r.meanWaitSeconds).toBeCloseTo(0.5 / 4, 12);
    expect(mmc(10, 2, 4)).toMatchObject({ stable: false, meanWaitSeconds: Infinity });
  });

  it('servers needed at a utilisation target', () => {
    expect(serversFor(21.34, 8, 0.7)).toBe(4); // 21.34 / 5.6 = 3.81
    expect(serversFor(7, 10, 0.7)).toBe(1); // exactly on target
    expect(serversFor(0.01, 8, 0.7)).toBe(1);
  });

  it("Little's law and months until full", () => {
    expect(littlesLaw(21.34, 8)).toBeCloseTo(170.72, 9);
    expect(monthsUntilFull(15, 72)).toBeCloseTo(2.5, 12);
    expect(monthsUntilFull(6400, 100, 5400)).toBeCloseTo(120, 12);
    expect(monthsUntilFull(10, 0)).toBeNull();
  });
});

describe('capacity per deployment option', () => {
  it('Pattern 3 against option 1 and option 2', () => {
    const c = sizePattern(3).capacity;
    expect(c.options.map((o) => o.option)).toEqual(['option1', 'option2']);
    const [o1, o2] = c.options;
    expect(o1!.storage.effectiveTB).toBe(15);
    expect(o1!.storage.growthTBPerYear).toBeCloseTo(72, 9); // 7.2 M × 10 MB
    expect(o1!.storage.monthsUntilFull).toBeCloseTo(2.5, 9);
    expect(o2!.storage.effectiveTB).toBe(45);
    expect(o2!.storage.growthTBPerYear).toBeCloseTo(72 + 0.1095, 9); // plus the data platform
    expect(o1!.network.links.map((l) => l.utilisation)).toEqual([0.32, 0.032]);
    expect(o1!.uploads.secondsPerUpload).toBe(8); // 10 MB × 8 / 10 Mbps
    expect(o1!.uploads.concurrentAtPeak).toBeCloseTo(32, 9);
    expect(o1!.webAp.arrivalsPerSecond).toBeCloseTo(4, 9);
  });

  it('Pattern 1 needs more than a 1 GbE uplink', () => {
    const o = sizePattern(1).capacity.options[0]!;
    expect(o.network.links[0]).toMatchObject({ gbps: 1, fits: false });
    expect(o.network.links[1]!.fits).toBe(true);
  });

  it('flags change the capacity answers', () => {
    const o = sizePattern(3, { clientUploadMbps: 40, perCoreReportsPerSecond: 1, targetUtilisation: 0.5 }).capacity.options[0]!;
    expect(o.uploads.concurrentAtPeak).toBeCloseTo(8, 9);
    expect(o.webAp.serviceRatePerServer).toBe(o.webAp.coresPerServer);
    expect(o.webAp.serversNeeded).toBe(Math.ceil(4 / (o.webAp.coresPerServer * 0.5)));
  });

  it('data platform and ODB', () => {
    const c = sizePattern(2).capacity;
    expect(c.dataPlatform.MBPerDay).toBe(300);
    expect(c.odb.effectiveTB).toBe(6.4);
    expect(c.odb.users).toBe(14_000 * 2 + 220);
    expect(c.odb.concurrentSessions).toBe(2822);
    const expectedGB = 2.6e6 * (8e3 * 1.5 + 1e6) / 1e9 + 5e6 * 2e3 * 1.5 / 1e9 + 14e3 * 4e3 * 1.5 / 1e9;
    expect(c.odb.totalGB).toBeCloseTo(expectedGB, 6);
    expect(c.odb.monthsUntilFull).toBeCloseTo(((6400 - expectedGB) / (expectedGB * 0.1)) * 12, 6);
  });
});

describe('intake calibration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sizing-cal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the measured MB/s per core, scaled to the report size, and cites it', () => {
    const path = join(dir, 'intake-calibration.yaml');
    writeFileSync(path, 'intakePerCore:\n  reportsPerSecond: 3\n  mbPerSecond: 30\n  cores: 2\n  reportSizeMB: 10\n  measuredAt: 2025-01-01T00:00:00Z\n  source: bench/intake.ts run\n');
    const cal = readCalibration(path);
    expect(cal).toMatchObject({ mbPerSecond: 30, source: 'bench/intake.ts run' });
    const r = intakeRate(loadDemand(), 20, undefined, cal);
    expect(r).toMatchObject({ perCore: 1.5, measured: true });
    expect(r.source).toContain('bench/intake.ts run');
    expect(intakeRate(loadDemand(), 10, undefined, null)).toMatchObject({ perCore: 2, measured: false });
    expect(intakeRate(loadDemand(), 10, 7, cal)).toMatchObject({ perCore: 7, measured: false });
  });

  it('a missing file is no calibration; a bad one is an error with its position', () => {
    expect(readCalibration(join(dir, 'absent.yaml'))).toBeNull();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'intakePerCore:\n  reportsPerSecond: -3\n');
    expect(() => readCalibration(bad)).toThrow(InventoryError);
    expect(() => readCalibration(bad)).toThrow(/bad\.yaml:2:\d+ intakePerCore\.reportsPerSecond/);
  });
});

describe('demand.yaml validation', () => {
  it('reports a bad value with file:line:col', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sizing-inv-'));
    try {
      cpSync(INVENTORY_DIR, dir, { recursive: true, filter: (s) => !s.endsWith('.ts') && !s.includes('measured') });
      const text = readFileSync(join(dir, 'demand.yaml'), 'utf8').replace(/peakDaysPerMonth:\n    value: 10/, 'peakDaysPerMonth:\n    value: -10');
      writeFileSync(join(dir, 'demand.yaml'), text);
      const { inventory, issues } = checkInventory(dir);
      expect(inventory).toBeUndefined();
      const line = text.split('\n').findIndex((l) => l.includes('value: -10')) + 1;
      expect(issues.some((i) => i.file.endsWith('demand.yaml') && i.line === line && i.path === 'stated.peakDaysPerMonth.value')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
