import { describe, expect, it } from 'vitest';
import { sizePattern, type Finding, type PatternId } from './index.ts';

const findings = (p: PatternId) => sizePattern(p).findings;
const one = (p: PatternId, re: RegExp): Finding => {
  const hits = findings(p).filter((f) => re.test(f.message));
  expect(hits, `one finding of Pattern ${p} matching ${re}`).toHaveLength(1);
  return hits[0]!;
};

describe('findings: where Table 19 does not follow', () => {
  it("Pattern 1's yearly total is 400 short of Table 18", () => {
    expect(one(1, /does not follow from Table 18/)).toMatchObject({ severity: 'warning', figure: 'reportsPerYear', published: 38_418_597, consistent: 38_418_997 });
    expect(one(1, /does not follow from Table 18/).message).toContain('difference of 400');
  });

  it('the stated 10 days a month gives other figures than the implied 75 days', () => {
    const f = one(1, /120 days\/year/);
    expect(f).toMatchObject({ severity: 'warning', figure: 'reportsPerDay', published: 512_248, consistent: 320_155 });
    for (const s of ['48,023 reports/hour', '13.3 reports/s', '133.4 MB/s', '1,067.2 Mbps']) expect(f.message).toContain(s);
    expect(one(2, /120 days\/year/).consistent).toBe(1_314);
  });

  it('the peak-hour share is implied, never stated', () => {
    for (const p of [1, 2, 3] as const) expect(one(p, /never states it/)).toMatchObject({ severity: 'info', figure: 'reportsPerHour' });
  });

  it("Pattern 2 uses MPI's 20 MB, not the stated 10 MB", () => {
    const f = one(2, /uses 20 MB per report/);
    expect(f).toMatchObject({ severity: 'warning', figure: 'dataMBps', published: 1.8, consistent: 0.9 });
    expect(f.message).toContain('7 Mbps');
    expect(findings(1).some((x) => /MB per report/.test(x.message))).toBe(false);
  });

  it("Pattern 3's per-day divisor, per-hour stand-in and per-second", () => {
    expect(one(3, /by 255 days/)).toMatchObject({ severity: 'warning', figure: 'reportsPerDay', published: 28_235, consistent: 96_000 });
    const h = one(3, /one report each in the peak hour/);
    expect(h).toMatchObject({ severity: 'warning', figure: 'reportsPerHour', published: 12_000, consistent: 14_400 });
    expect(h.message).toContain('4,235 reports/hour');
    expect(one(3, /does not follow from its own/)).toMatchObject({ severity: 'warning', figure: 'reportsPerSecond', published: 4, consistent: 3.3 });
  });

  it("Pattern 3's VNPT estimate against Table 18 rows 1–4", () => {
    expect(one(3, /VNPT's estimate/)).toMatchObject({ severity: 'info', published: 7_200_000, consistent: 3_873_997 });
  });

  it('printed figures do not multiply out (unrounded chain) and Mbps has no overhead', () => {
    const p1 = one(1, /unrounded chain/).message;
    expect(p1).toContain('213.4 × 8 = 1,707.2, printed 1,707.5');
    const p2 = one(2, /unrounded chain/).message;
    expect(p2).toContain('0.1 × 20 MB = 2, printed 1.8');
    expect(p2).toContain('1.8 × 8 = 14.4, printed 14');
    expect(findings(3).some((f) => /unrounded chain/.test(f.message))).toBe(false);
    for (const p of [1, 2, 3] as const) expect(one(p, /no TCP\/TLS\/HTTP overhead/).severity).toBe('info');
  });

  it('the model reproduces Table 19, so there is no "model gives" warning', () => {
    for (const p of [1, 2, 3] as const) expect(findings(p).some((f) => /the model gives/.test(f.message))).toBe(false);
  });

  it('findings describe the report, not the what-if', () => {
    const f = sizePattern(1, { peakDays: 120 }).findings;
    expect(f.some((x) => /120 days\/year/.test(x.message))).toBe(true);
  });
});
