import { describe, expect, it } from 'vitest';
import { FIGURE_KEYS, girsTargets, sizePattern, type Figures, type PatternId } from './index.ts';
import { table18Checks, table18Sum } from './demand.ts';
import { loadSizingData } from './data.ts';
import { chain, resolveInputs } from './chain.ts';

const loadDemand = () => loadSizingData().demand;
import { roundFigures, formatReport } from './round.ts';

// Table 19 as printed (§3.5.1 (2)), held here independently of demand.yaml.
const TABLE19: Record<PatternId, Figures> = {
  1: { reportsPerYear: 38_418_597, reportsPerDay: 512_248, reportsPerHour: 76_837, reportsPerSecond: 21.3, dataMBps: 213.4, networkMbps: 1707.5 },
  2: { reportsPerYear: 157_677, reportsPerDay: 2_102, reportsPerHour: 315.4, reportsPerSecond: 0.1, dataMBps: 1.8, networkMbps: 14 },
  3: { reportsPerYear: 7_200_000, reportsPerDay: 28_235, reportsPerHour: 12_000, reportsPerSecond: 4, dataMBps: 40, networkMbps: 320 },
};

describe('Table 19 reproduced', () => {
  for (const p of [1, 2, 3] as const) {
    it(`Pattern ${p}: all six figures equal the published ones`, () => {
      expect(sizePattern(p).figures).toEqual(TABLE19[p]);
    });
  }

  it('does not read Table 19 to produce the figures', () => {
    const d = loadDemand();
    const zero = { reportsPerYear: 0, reportsPerDay: 0, reportsPerHour: 0, reportsPerSecond: 0, dataMBps: 0, networkMbps: 0 };
    const blind = { ...d, published: { source: 'none', '1': zero, '2': zero, '3': zero } };
    for (const p of [1, 2, 3] as const) expect(roundFigures(chain(resolveInputs(blind, p, {})))).toEqual(TABLE19[p]);
  });

  it('prints figures the way the report does', () => {
    expect(formatReport('networkMbps', 1707.497)).toBe('1,707.5');
    expect(formatReport('networkMbps', 14.016)).toBe('14');
    expect(formatReport('reportsPerHour', 315.354)).toBe('315.4');
    expect(formatReport('reportsPerDay', 28_235.29)).toBe('28,235');
    expect(formatReport('reportsPerSecond', 0.0876)).toBe('0.1');
  });
});

describe('Table 18', () => {
  it("printed sub-totals equal the sum of their rows", () => {
    const checks = table18Checks(loadDemand());
    expect(checks.map((c) => c.rows)).toEqual([[1, 2], [1, 4], [1, 7]]);
    for (const c of checks) expect(c.sum).toBe(c.printed);
  });

  it('rows 1–7 sum to 38,418,997, not the 38,418,597 Pattern 1 uses', () => {
    const d = loadDemand();
    expect(table18Sum(d, [1, 7])).toBe(38_418_997);
    expect(table18Sum(d, [1, 2])).toBe(157_677);
    expect(sizePattern(1).exact.reportsPerYear).toBe(38_418_597);
  });
});

describe('what-if', () => {
  it('Pattern 1 with 120 peak days (the stated 10 days × 12 months)', () => {
    const r = sizePattern(1, { peakDays: 120 });
    expect(r.figures).toEqual({ reportsPerYear: 38_418_597, reportsPerDay: 320_155, reportsPerHour: 48_023, reportsPerSecond: 13.3, dataMBps: 133.4, networkMbps: 1067.2 });
    expect(r.assumptions.find((a) => a.name === 'peakDays')).toMatchObject({ value: 120, kind: 'project', source: 'what-if: --peak-days' });
    expect(r.findings.some((f) => f.message.startsWith('What-if: peakDays = 120'))).toBe(true);
  });

  it('Pattern 2 with the stated 10 MB', () => {
    const r = sizePattern(2, { reportSizeMB: 10 });
    expect(r.figures.dataMBps).toBe(0.9);
    expect(r.figures.networkMbps).toBe(7);
    expect(r.figures.reportsPerHour).toBe(315.4);
  });

  it('Pattern 3 drops its stand-ins when the chain is changed', () => {
    const r = sizePattern(3, { peakDays: 75 });
    expect(r.figures).toEqual({ reportsPerYear: 7_200_000, reportsPerDay: 96_000, reportsPerHour: 14_400, reportsPerSecond: 4, dataMBps: 40, networkMbps: 320 });
    expect(r.assumptions.map((a) => a.name)).not.toContain('dayDivisor');
    expect(r.findings.filter((f) => f.message.includes('replaces Pattern 3')).length).toBe(2);
    const s = sizePattern(3, { peakHourShare: 0.2 });
    expect(s.figures.reportsPerDay).toBe(96_000);
    expect(s.figures.reportsPerHour).toBe(19_200);
    expect(s.figures.reportsPerSecond).toBe(5.3);
  });

  it('reports per year, protocol overhead and size recompute the chain', () => {
    const r = sizePattern(1, { reportsPerYear: 7_500_000, peakHourShare: 0.1, reportSizeMB: 5, protocolOverhead: 1.25 });
    const day = 7_500_000 / 75;
    expect(r.exact.reportsPerDay).toBeCloseTo(day, 9);
    expect(r.exact.reportsPerHour).toBeCloseTo(day * 0.1, 9);
    expect(r.exact.reportsPerSecond).toBeCloseTo((day * 0.1) / 3600, 9);
    expect(r.exact.networkMbps).toBeCloseTo(((day * 0.1) / 3600) * 5 * 8 * 1.25, 9);
  });

  it('rejects bad override values, naming the key the caller gave (not a flag)', () => {
    expect(() => sizePattern(1, { peakDays: 0 })).toThrow('peakDays: expected a number of days from 1 to 366, got 0');
    expect(() => sizePattern(1, { peakHourShare: 2 })).toThrow(/^peakHourShare: expected a share/);
    expect(() => sizePattern(1, { peakDays: Infinity })).toThrow(/^peakDays: expected/);
    expect(() => sizePattern(1, { bogus: 1 } as never)).toThrow(/^bogus: unknown override; expected one of reportsPerYear, /);
  });

  it('girsTargets gives the peak and the yearly average', () => {
    const t = girsTargets(3);
    expect(t.reportsPerSecond).toBeCloseTo(4, 9);
    expect(t.reportSizeMB).toBe(10);
    expect(t.dataMBps).toBeCloseTo(40, 9);
    expect(t.averageReportsPerSecond).toBeCloseTo(7_200_000 / (365 * 86_400), 12);
    expect(girsTargets(2).reportSizeMB).toBe(20);
  });
});

describe('assumption ledger', () => {
  it('names each assumption with its kind and source', () => {
    const a = sizePattern(3).assumptions;
    const by = (n: string) => a.find((x) => x.name === n);
    expect(by('peakDaysPerMonth')).toMatchObject({ value: 10, kind: 'stated' });
    expect(by('peakDays')).toMatchObject({ value: 75, kind: 'inferred' });
    expect(by('peakHourShare')).toMatchObject({ value: 0.15, kind: 'inferred' });
    expect(by('dayDivisor')).toMatchObject({ value: 255, kind: 'inferred' });
    expect(by('reportSizeMB')).toMatchObject({ value: 10, kind: 'stated' });
    expect(by('targetUtilisation')).toMatchObject({ value: 0.7, kind: 'project' });
    expect(by('perCoreReportsPerSecond')?.kind).toBe('project');
    expect(sizePattern(2).assumptions.find((x) => x.name === 'reportSizeMB')).toMatchObject({ value: 20, kind: 'inferred' });
    for (const x of a) expect(x.source.length).toBeGreaterThan(3);
  });

  it('every figure key is in the JSON figures', () => {
    expect(Object.keys(sizePattern(1).figures).sort()).toEqual([...FIGURE_KEYS].sort());
  });
});
