// Where Table 19 does not follow from the report's own statements, from Table 18, or from
// the method that produces its other figures. Findings are about the report, so they are
// derived from the report's assumptions (no what-if); what-if notes are added separately.
import type { DemandFile } from '../inventory/index.ts';
import type { Figures, Finding, Overrides, PatternId } from './types.ts';
import { entry, rowsLabel, table18Checks, table18Sum } from './demand.ts';
import { chain, resolveInputs, type Inputs } from './chain.ts';
import { BITS_PER_BYTE, MONTHS_PER_YEAR, SECONDS_PER_HOUR } from './units.ts';
import { fmt, formatReport, reportRound, roundFigures } from './round.ts';

const LABEL: Record<keyof Figures, string> = {
  reportsPerYear: 'reports/year', reportsPerDay: 'reports/day', reportsPerHour: 'reports/hour',
  reportsPerSecond: 'reports/s', dataMBps: 'MB/s', networkMbps: 'Mbps',
};
const f = (k: keyof Figures, x: number) => `${formatReport(k, x)} ${LABEL[k]}`;

export function computeFindings(d: DemandFile, id: PatternId, current: Inputs, overrides: Overrides): Finding[] {
  const out: Finding[] = [];
  const base = resolveInputs(d, id, {});
  const def = base.def;
  const pub = d.published[String(id) as '1' | '2' | '3'];
  const model = roundFigures(chain(base));
  const P = `Pattern ${id}`;

  // Table 18's printed sub-totals against its rows.
  for (const c of table18Checks(d)) {
    if (c.printed !== c.sum) {
      out.push({ severity: 'warning', message: `Table 18's printed sub-total of ${rowsLabel(c.rows)} is ${fmt(c.printed)}, but the rows sum to ${fmt(c.sum)} (difference ${fmt(c.printed - c.sum)})` });
    }
  }

  // The yearly total against the Table 18 rows the pattern's description covers.
  const scopeSum = table18Sum(d, def.scopeRows);
  if (def.reportsPerYear.from !== 'table18' && base.reportsPerYear !== scopeSum) {
    const basis = base.assumptions.find((a) => a.name === 'reportsPerYear')!;
    const vnpt = def.reportsPerYear.from === 'agencies';
    const printed = d.table18.subtotals.find((s) => s.rows[0] === def.scopeRows[0] && s.rows[1] === def.scopeRows[1]);
    out.push({
      severity: vnpt ? 'info' : 'warning', figure: 'reportsPerYear', published: pub.reportsPerYear, consistent: scopeSum,
      message: vnpt
        ? `${P}'s ${fmt(base.reportsPerYear)} reports/year is VNPT's estimate (${basis.source}), ${fmt(base.reportsPerYear / scopeSum, 2)}× the ${fmt(scopeSum)} of Table 18 ${rowsLabel(def.scopeRows)} that its description covers`
        : `${P}'s ${fmt(base.reportsPerYear)} reports/year (${basis.source}) does not follow from Table 18: ${rowsLabel(def.scopeRows)} sum to ${fmt(scopeSum)}${printed ? ` (printed sub-total ${fmt(printed.reports)})` : ''}, a difference of ${fmt(scopeSum - base.reportsPerYear)}; with ${fmt(scopeSum)} the chain gives ${f('reportsPerDay', scopeSum / base.peakDays)}`,
    });
  }

  // The stated peak (10 days a month) against the divisor Table 19 uses.
  const stated = entry(d, 'peakDaysPerMonth').value * MONTHS_PER_YEAR;
  if (base.peakDays !== stated) {
    const s = chain({ ...base, peakDays: stated, dayDivisor: null, peakHourReports: null });
    out.push({
      severity: 'warning', figure: 'reportsPerDay', published: pub.reportsPerDay, consistent: reportRound('reportsPerDay', s.reportsPerDay),
      message: `${P} divides the year by ${fmt(base.peakDays)} peak days (implied by Table 19, never stated); §3.5.1 states reports concentrate on ${entry(d, 'peakDaysPerMonth').value} days a month = ${stated} days/year, which gives ${f('reportsPerDay', s.reportsPerDay)}, ${f('reportsPerHour', s.reportsPerHour)}, ${f('reportsPerSecond', s.reportsPerSecond)}, ${f('dataMBps', s.dataMBps)}, ${f('networkMbps', s.networkMbps)}`,
    });
  }

  const share = base.assumptions.find((a) => a.name === 'peakHourShare')!;
  if (share.kind !== 'stated') {
    out.push({
      severity: 'info', figure: 'reportsPerHour',
      message: `The busiest hour carries ${fmt(base.peakHourShare * 100)} % of a peak day's reports: Table 19 implies this share, the report never states it`,
    });
  }

  // Report size against the stated 10 MB.
  const statedSize = entry(d, 'reportSizeMB').value;
  if (base.reportSizeMB !== statedSize) {
    const s = chain({ ...base, reportSizeMB: statedSize });
    out.push({
      severity: 'warning', figure: 'dataMBps', published: pub.dataMBps, consistent: reportRound('dataMBps', s.dataMBps),
      message: `${P}'s data volume uses ${fmt(base.reportSizeMB)} MB per report (MPI's interview note), not the ${fmt(statedSize)} MB §3.5.1 states and OOG agreed; with ${fmt(statedSize)} MB it is ${f('dataMBps', s.dataMBps)} and ${f('networkMbps', s.networkMbps)}`,
    });
  }

  // Pattern 3's stand-ins.
  const consistent = chain({ ...base, dayDivisor: null, peakHourReports: null });
  if (base.dayDivisor !== null) {
    out.push({
      severity: 'warning', figure: 'reportsPerDay', published: pub.reportsPerDay, consistent: reportRound('reportsPerDay', consistent.reportsPerDay),
      message: `${P}'s per-day figure divides ${fmt(base.reportsPerYear)} by ${fmt(base.dayDivisor)} days (perhaps working days), not by the ${fmt(base.peakDays)} peak days of the other patterns, which gives ${f('reportsPerDay', consistent.reportsPerDay)}; the model keeps ${fmt(base.dayDivisor)} as an inferred assumption of ${P} and drops it when --reports-per-year, --peak-days or --peak-hour-share is given`,
    });
  }
  if (base.peakHourReports !== null) {
    const ownDay = base.dayDivisor ? base.reportsPerYear / base.dayDivisor : consistent.reportsPerDay;
    out.push({
      severity: 'warning', figure: 'reportsPerHour', published: pub.reportsPerHour, consistent: reportRound('reportsPerHour', consistent.reportsPerHour),
      message: `${P}'s per-hour figure is ${fmt(base.peakHourReports)} agencies × one report each in the peak hour, not ${fmt(base.peakHourShare * 100)} % of a peak day like the other patterns (${f('reportsPerDay', ownDay)} × ${fmt(base.peakHourShare * 100)} % = ${f('reportsPerHour', ownDay * base.peakHourShare)}; the consistent chain gives ${f('reportsPerHour', consistent.reportsPerHour)}); the model drops this stand-in when --reports-per-year, --peak-days or --peak-hour-share is given`,
    });
  }

  // Per second against the pattern's own per-hour figure.
  const fromHour = reportRound('reportsPerSecond', model.reportsPerHour / SECONDS_PER_HOUR);
  if (fromHour !== model.reportsPerSecond) {
    out.push({
      severity: 'warning', figure: 'reportsPerSecond', published: pub.reportsPerSecond, consistent: fromHour,
      message: `${P}'s ${f('reportsPerSecond', model.reportsPerSecond)} does not follow from its own ${f('reportsPerHour', model.reportsPerHour)} (÷ 3,600 = ${f('reportsPerSecond', fromHour)}); it is the consistent chain's value (${fmt(base.reportsPerYear)} ÷ ${fmt(base.peakDays)} × ${fmt(base.peakHourShare * 100)} % ÷ 3,600), and MB/s and Mbps follow the chain too`,
    });
  }

  // Figures computed from the unrounded chain, so the printed ones do not multiply out.
  const printedSteps: string[] = [];
  const check = (k: keyof Figures, fromPrinted: number, how: string) => {
    const r = reportRound(k, fromPrinted);
    if (r !== model[k]) printedSteps.push(`${how} = ${formatReport(k, fromPrinted)}, printed ${formatReport(k, model[k])}`);
  };
  if (base.peakHourReports === null) check('reportsPerHour', model.reportsPerDay * base.peakHourShare, `${formatReport('reportsPerDay', model.reportsPerDay)} × ${fmt(base.peakHourShare * 100)} %`);
  check('dataMBps', model.reportsPerSecond * base.reportSizeMB, `${formatReport('reportsPerSecond', model.reportsPerSecond)} × ${fmt(base.reportSizeMB)} MB`);
  check('networkMbps', model.dataMBps * BITS_PER_BYTE * base.protocolOverhead, `${formatReport('dataMBps', model.dataMBps)} × ${BITS_PER_BYTE}`);
  if (printedSteps.length) {
    out.push({ severity: 'info', message: `${P}'s figures are computed from the unrounded chain, so the printed ones do not multiply out: ${printedSteps.join('; ')}` });
  }

  const overhead = base.assumptions.find((a) => a.name === 'protocolOverhead')!;
  if (overhead.kind !== 'stated' && base.protocolOverhead === 1) {
    out.push({ severity: 'info', figure: 'networkMbps', message: `Network Mbps is MB/s × 8 with no TCP/TLS/HTTP overhead; the link must carry a few percent more (try --protocol-overhead 1.05)` });
  }

  // Safety net: the model with the report's assumptions must reproduce Table 19.
  for (const k of Object.keys(LABEL) as (keyof Figures)[]) {
    if (model[k] !== pub[k]) {
      out.push({ severity: 'warning', figure: k, published: pub[k], consistent: model[k], message: `${P}: the model gives ${f(k, model[k])} where Table 19 prints ${f(k, pub[k])}` });
    }
  }

  // What-if notes.
  const given = Object.entries(overrides).filter(([, v]) => v !== undefined);
  if (given.length) {
    out.push({ severity: 'info', message: `What-if: ${given.map(([k, v]) => `${k} = ${fmt(v as number, 4)}`).join(', ')}; the model column differs from Table 19 by design` });
  }
  for (const n of current.notes) out.push({ severity: 'info', message: `What-if: ${n}` });
  return out;
}
