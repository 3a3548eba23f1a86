// The Table 19 chain: year ÷ peak days × peak-hour share ÷ 3,600 × report size × 8 (pure).
// Every input is an Assumption with its source; Pattern 3's two stand-ins (255-day divisor,
// one report per agency in the peak hour) are explicit and dropped when the user changes
// what they stand in for.
import type { DemandFile, PatternDef } from '../inventory/index.ts';
import { InputError } from '../cli/errors.ts';
import type { Assumption, Figures, Overrides, PatternId } from './types.ts';
import { assume, entry, rowsLabel, table18Sum } from './demand.ts';
import { OVERRIDES } from './overrides.ts';
import { BITS_PER_BYTE, MONTHS_PER_YEAR, SECONDS_PER_HOUR } from './units.ts';

/** The inputs of one pattern's chain, after overrides. */
export interface Inputs {
  def: PatternDef;
  reportsPerYear: number;
  peakDays: number;
  peakHourShare: number;
  reportSizeMB: number;
  protocolOverhead: number;
  /** Pattern 3's per-day divisor, when it applies. */
  dayDivisor: number | null;
  /** Pattern 3's peak-hour reports (agencies × per agency), when it applies. */
  peakHourReports: number | null;
  assumptions: Assumption[];
  /** What-if notes: which overrides were applied and which stand-ins they dropped. */
  notes: string[];
}

export function patternDef(d: DemandFile, id: PatternId): PatternDef {
  const def = d.patterns.find((p) => p.id === id);
  if (!def) throw new InputError(`demand.yaml has no pattern ${id}`);
  return def;
}

export function resolveInputs(d: DemandFile, id: PatternId, o: Overrides): Inputs {
  const def = patternDef(d, id);
  const assumptions: Assumption[] = [];
  const notes: string[] = [];

  // Reports per year.
  let reportsPerYear: number;
  if (o.reportsPerYear !== undefined) {
    reportsPerYear = o.reportsPerYear;
    const s = OVERRIDES.reportsPerYear;
    assumptions.push({ name: 'reportsPerYear', value: reportsPerYear, unit: s.unit, source: `what-if: --${s.flag}`, kind: 'project' });
  } else if (def.reportsPerYear.from === 'table18') {
    reportsPerYear = table18Sum(d, def.scopeRows);
    assumptions.push({ name: 'reportsPerYear', value: reportsPerYear, unit: 'reports/year', source: `Table 18 ${rowsLabel(def.scopeRows)} (sum)`, kind: 'stated' });
  } else if (def.reportsPerYear.from === 'fact') {
    const e = entry(d, def.reportsPerYear.fact);
    reportsPerYear = e.value;
    assumptions.push({ ...e, name: 'reportsPerYear' });
  } else {
    const agencies = entry(d, def.reportsPerYear.agencies);
    const monthly = entry(d, def.reportsPerYear.perAgencyPerMonth);
    reportsPerYear = agencies.value * monthly.value * MONTHS_PER_YEAR;
    assumptions.push(agencies, monthly, {
      name: 'reportsPerYear', value: reportsPerYear, unit: 'reports/year', kind: agencies.kind === 'stated' && monthly.kind === 'stated' ? 'stated' : 'inferred',
      source: `${agencies.name} × ${monthly.name} × ${MONTHS_PER_YEAR} months (§3.5.1 (1), "approximately 7,200,000")`,
    });
  }

  // The stated peak is recorded even though Table 19 does not use it (see findings).
  const statedPeak = entry(d, 'peakDaysPerMonth');
  assumptions.push(statedPeak);
  // A what-if flag replaces the demand.yaml entry and is recorded as ours.
  const peakDays = assume(d, o, 'peakDays', 'peakDaysPerYear', 'peakDays', assumptions);
  const peakHourShare = assume(d, o, 'peakHourShare', 'peakHourShare', 'peakHourShare', assumptions);
  const reportSizeMB = assume(d, o, 'reportSizeMB', def.reportSizeMB, 'reportSizeMB', assumptions);
  const protocolOverhead = assume(d, o, 'protocolOverhead', 'protocolOverhead', 'protocolOverhead', assumptions);

  // Pattern 3's stand-ins reproduce its published per-day and per-hour figures. A what-if on
  // the chain they stand in for (year, peak days, peak-hour share) drops both, so every
  // figure then follows the one consistent chain.
  const chainFlags = (['reportsPerYear', 'peakDays', 'peakHourShare'] as const).filter((k) => o[k] !== undefined);
  const keep = chainFlags.length === 0;
  const flags = chainFlags.map((k) => `--${OVERRIDES[k].flag}`).join(', ');
  let dayDivisor: number | null = null;
  if (def.dayDivisor) {
    const e = entry(d, def.dayDivisor);
    if (keep) {
      dayDivisor = e.value;
      assumptions.push({ ...e, name: 'dayDivisor' });
    } else notes.push(`${flags} replaces Pattern ${id}'s inferred ${e.value}-day divisor: reports per day = reports per year ÷ peak days`);
  }
  let peakHourReports: number | null = null;
  if (def.peakHourPerAgency) {
    const agencies = entry(d, def.peakHourPerAgency.agencies);
    const per = entry(d, def.peakHourPerAgency.perAgency);
    if (keep) {
      peakHourReports = agencies.value * per.value;
      assumptions.push({ ...per, name: 'peakHourReportsPerAgency' });
    } else notes.push(`${flags} replaces Pattern ${id}'s inferred "one report per agency in the peak hour": reports per hour = reports per day × peak-hour share`);
  }
  return { def, reportsPerYear, peakDays, peakHourShare, reportSizeMB, protocolOverhead, dayDivisor, peakHourReports, assumptions, notes };
}

/** The six figures, unrounded. Per second, MB/s and Mbps always follow the chain. */
export function chain(i: Pick<Inputs, 'reportsPerYear' | 'peakDays' | 'peakHourShare' | 'reportSizeMB' | 'protocolOverhead'> & Partial<Pick<Inputs, 'dayDivisor' | 'peakHourReports'>>): Figures {
  const perDay = i.reportsPerYear / i.peakDays;
  const perHour = perDay * i.peakHourShare;
  const perSecond = perHour / SECONDS_PER_HOUR;
  const dataMBps = perSecond * i.reportSizeMB;
  return {
    reportsPerYear: i.reportsPerYear,
    reportsPerDay: i.dayDivisor ? i.reportsPerYear / i.dayDivisor : perDay,
    reportsPerHour: i.peakHourReports ?? perHour,
    reportsPerSecond: perSecond,
    dataMBps,
    networkMbps: dataMBps * BITS_PER_BYTE * i.protocolOverhead,
  };
}
