// The load plan a bundle carries: every number the scenarios use, with where it came
// from. Written at build time from the sizing model (k6/plan.ts), read by the k6 script.

/** An integer k6 arrival rate: `rate` iterations every `timeUnitSeconds`. */
export interface IntegerRate {
  rate: number;
  timeUnitSeconds: number;
  /** rate / timeUnitSeconds, what k6 will actually drive. */
  perSecond: number;
  /** The model's figure it stands for. */
  targetPerSecond: number;
  /** |perSecond - target| / target. */
  relativeError: number;
}

export interface Source {
  value: number | string;
  source: string;
}

export interface Plan {
  pattern: 1 | 2 | 3;
  /** MB = 10^6 bytes, as in the survey. */
  reportSizeMB: number;
  reportBytes: number;
  /** Peak hour of a deadline day (Table 19 "per one second"). */
  peak: IntegerRate;
  /** Soak: the peak day's reports spread over 24 h. */
  soak: IntegerRate;
  /** Annual average, for comparison only (never driven: too slow to prove anything). */
  annualAveragePerSecond: number;
  /** Deadline-day burst: the spike holds `spikeFactor` × peak. */
  spikeFactor: number;
  /** OOG staff searching and examining reports. */
  browse: IntegerRate;
  /** Every `browseContentEvery`-th browse iteration downloads a report's content. */
  browseContentEvery: number;
  /** p95 upload latency the peak must hold, in ms. */
  uploadP95Ms: number;
  /** p95 the browse requests must hold, in ms. */
  browseP95Ms: number;
  /** Fraction of the expected reports a run must accept to pass. */
  passFraction: number;
  /** Target data rate at peak, MB/s (reports/s × size). */
  peakMBps: number;
  /** VUs k6 pre-allocates and may grow to, per arrival-rate scenario. */
  vus: { peak: { pre: number; max: number }; soak: { pre: number; max: number }; spike: { pre: number; max: number }; browse: { pre: number; max: number } };
  /** Default durations per scenario (Go duration strings); DURATION overrides. */
  durations: { peak: string; soak: string; spike: string; browse: string };
  /** Where each figure came from. */
  sources: Record<string, Source>;
  builtAt: string;
}

export const SCENARIOS = ['peak', 'soak', 'spike', 'browse'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
