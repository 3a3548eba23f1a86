// Build-time: the load plan for a pattern, from the sizing model's GIRS targets.
// Nothing here is hand-typed from Table 19; project assumptions are named as such.
import { girsTargets, SECONDS_PER_DAY, type PatternId } from '../sizing/index.ts';
import { integerRate } from './src/rate.ts';
import type { IntegerRate, Plan } from './src/types.ts';

export type Targets = ReturnType<typeof girsTargets>;

/** Project targets: the survey states none for latency, spikes or browsing. */
export const ASSUMPTIONS = {
  /** 0.5 s per MB: a report's upload must sustain >= 16 Mbit/s at p95 (10 MB -> 5 s). */
  uploadP95MsPerMB: 500,
  /** A deadline-day burst at three times the peak hour's rate. */
  spikeFactor: 3,
  /** 20 OOG staff each open a list, a search and a report every 10 s. */
  browseStaff: 20,
  browseEverySeconds: 10,
  /** One browse in 10 downloads the report itself. */
  browseContentEvery: 10,
  /** Rate error k6's integer rate/timeUnit may introduce. */
  rateTolerance: 0.005,
  /**
   * Pre-allocated VUs cover uploads in flight for this share of the p95 bound (Little's
   * law). An arrival-rate executor drops an iteration whenever every pre-allocated VU is
   * busy, so this covers stalls of a few seconds on a busy box; maxVUs (rate × the p95
   * bound) covers the latency target. Pre-allocating all of maxVUs held ~107 mostly idle
   * VUs for ~2 uploads in flight at Pattern 1.
   */
  vuPreShareOfP95: 0.5,
  /** p95 the browse requests must hold. */
  browseP95Ms: 2000,
  /** A run passes at 99 % of the driven rate (k6 rounds, the tail of a run stops short). */
  passFraction: 0.99,
} as const;

export const DEFAULT_DURATIONS = { peak: '10m', soak: '2h', spike: '10m', browse: '10m' } as const;

/** Little's law: pre-allocated for part of the latency bound in flight (at least 2), max at the bound. */
export function vusFor(perSecond: number, p95Ms: number, preShare: number = ASSUMPTIONS.vuPreShareOfP95): { pre: number; max: number } {
  const pre = Math.max(2, Math.ceil(perSecond * (p95Ms / 1000) * preShare));
  return { pre, max: Math.max(pre, Math.ceil(perSecond * (p95Ms / 1000))) };
}

export function planFromTargets(pattern: PatternId, t: Targets, builtAt = new Date()): Plan {
  const a = ASSUMPTIONS;
  const peak = integerRate(t.reportsPerSecond, a.rateTolerance);
  const soak = integerRate(t.reportsPerDay / SECONDS_PER_DAY, a.rateTolerance);
  const browse = integerRate(a.browseStaff / a.browseEverySeconds, a.rateTolerance);
  const uploadP95Ms = Math.round(a.uploadP95MsPerMB * t.reportSizeMB);
  const spikeTop: IntegerRate = { ...peak, rate: peak.rate * a.spikeFactor, perSecond: peak.perSecond * a.spikeFactor };
  const model = `sizing model girsTargets(${pattern})`;
  return {
    pattern,
    reportSizeMB: t.reportSizeMB,
    reportBytes: Math.round(t.reportSizeMB * 1e6),
    peak,
    soak,
    annualAveragePerSecond: t.averageReportsPerSecond,
    spikeFactor: a.spikeFactor,
    browse,
    browseContentEvery: a.browseContentEvery,
    uploadP95Ms,
    peakMBps: t.dataMBps,
    vus: { peak: vusFor(peak.perSecond, uploadP95Ms), soak: vusFor(soak.perSecond, uploadP95Ms), spike: vusFor(spikeTop.perSecond, uploadP95Ms), browse: vusFor(browse.perSecond, a.browseP95Ms) },
    browseP95Ms: a.browseP95Ms,
    passFraction: a.passFraction,
    durations: { ...DEFAULT_DURATIONS },
    sources: {
      peakReportsPerSecond: { value: t.reportsPerSecond, source: `${model}.reportsPerSecond (Table 19 "per one second", recomputed)` },
      reportSizeMB: { value: t.reportSizeMB, source: `${model}.reportSizeMB (§3.5.1 report size)` },
      peakMBps: { value: t.dataMBps, source: `${model}.dataMBps (Table 19 "data volume at one second")` },
      reportsPerDay: { value: t.reportsPerDay, source: `${model}.reportsPerDay; soak = reportsPerDay / 86 400 s` },
      annualAveragePerSecond: { value: t.averageReportsPerSecond, source: `${model}.averageReportsPerSecond (reports per year / 365 days)` },
      uploadP95Ms: { value: uploadP95Ms, source: `project: ${a.uploadP95MsPerMB} ms per MB of report (>= 16 Mbit/s per upload)` },
      browseP95Ms: { value: a.browseP95Ms, source: 'project: an examiner waits at most 2 s for a list, search or metadata (p95)' },
      vuPreShareOfP95: { value: a.vuPreShareOfP95, source: 'project: pre-allocated VUs cover uploads in flight for half the p95 bound; maxVUs the whole bound' },
      passFraction: { value: a.passFraction, source: 'project: a run passes when it accepts at least 99 % of the reports the rate asks for' },
      spikeFactor: { value: a.spikeFactor, source: 'project: deadline-day burst at 3 x the peak hour' },
      browsePerSecond: { value: a.browseStaff / a.browseEverySeconds, source: `project: ${a.browseStaff} OOG staff, one look every ${a.browseEverySeconds} s` },
      rateTolerance: { value: a.rateTolerance, source: 'project: smallest integer rate per whole-second timeUnit within 0.5 %' },
    },
    builtAt: builtAt.toISOString(),
  };
}

export function planFor(pattern: PatternId, builtAt = new Date()): Plan {
  return planFromTargets(pattern, girsTargets(pattern), builtAt);
}
