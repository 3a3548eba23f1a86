// Capacity beyond Table 19, per deployment option of the OOG site: storage runway, link
// load, concurrent uploads (Little's law), web/AP queueing (Erlang C); plus the Data
// Analysis and Management Platform and the ODB at CCOP. Pure: the inventory figures it
// needs arrive in SizingData, read at the edge (sizing/data.ts).
import type { DemandFile } from '../inventory/index.ts';
import type { Assumption, Calibration, Capacity, DataPlatformLoad, Figures, OdbLoad, OptionCapacity, Overrides, SizingData } from './types.ts';
import { assume, entry } from './demand.ts';
import type { Inputs } from './chain.ts';
import { littlesLaw, mmc, monthsUntilFull, serversFor } from './queue.ts';
import { OVERRIDES } from './overrides.ts';
import { BITS_PER_BYTE, DAYS_PER_YEAR, SECONDS_PER_DAY } from './units.ts';

function dataPlatform(d: DemandFile): DataPlatformLoad {
  const p = d.dataPlatform;
  const MBPerDay = p.systems.length * p.transactionsPerDay * p.transactionSizeMB;
  return {
    systems: p.systems.length, transactionsPerDay: p.transactionsPerDay, transactionSizeMB: p.transactionSizeMB,
    MBPerDay, TBPerYear: (MBPerDay * DAYS_PER_YEAR) / 1e6,
    averageTransactionsPerSecond: (p.systems.length * p.transactionsPerDay) / SECONDS_PER_DAY,
  };
}

function odb(d: DemandFile, storage: SizingData['odbStorage']): OdbLoad {
  const o = d.odb;
  const records = o.records.map((r) => {
    const bytes = r.recordKB.value * 1e3 * o.indexOverhead.value + (r.attachmentMB?.value ?? 0) * 1e6;
    return { name: r.name, count: r.count.value, recordKB: r.recordKB.value, GB: (r.count.value * bytes) / 1e9 };
  });
  const totalGB = records.reduce((s, r) => s + r.GB, 0);
  const effectiveTB = storage.reduce((s, x) => s + x.dataTB, 0);
  const growthGBPerYear = totalGB * o.annualGrowthShare.value;
  const users = o.institutions.value * o.usersPerInstitution.value + o.ccopStaff.value;
  return {
    records, totalGB, growthGBPerYear, effectiveTB,
    storageSource: storage.map((s) => s.source).join(', '),
    monthsUntilFull: monthsUntilFull(effectiveTB * 1e3, growthGBPerYear, totalGB),
    users, concurrentSessions: Math.ceil(users * o.concurrentShare.value),
  };
}

function odbAssumptions(d: DemandFile): Assumption[] {
  const o = d.odb;
  const out: Assumption[] = [
    { name: 'odb.institutions', value: o.institutions.value, unit: o.institutions.unit, source: o.institutions.source, kind: 'stated' },
    { name: 'odb.ccopStaff', value: o.ccopStaff.value, unit: o.ccopStaff.unit, source: o.ccopStaff.source, kind: 'stated' },
  ];
  for (const r of o.records) {
    out.push({ name: `odb.records: ${r.name}`, value: r.count.value, unit: 'records', source: r.count.source, kind: 'stated' });
    out.push({ name: `odb.recordKB: ${r.name}`, value: r.recordKB.value, unit: r.recordKB.unit, source: r.recordKB.reason, kind: 'project' });
    if (r.attachmentMB) out.push({ name: `odb.attachmentMB: ${r.name}`, value: r.attachmentMB.value, unit: r.attachmentMB.unit, source: r.attachmentMB.reason, kind: 'project' });
  }
  for (const k of ['usersPerInstitution', 'concurrentShare', 'indexOverhead', 'annualGrowthShare'] as const) {
    out.push({ name: `odb.${k}`, value: o[k].value, unit: o[k].unit, source: o[k].reason, kind: 'project' });
  }
  return out;
}

/** Per-core intake rate at a report size: the flag, else the lab measurement (bytes-bound, so scaled by size), else the default. */
export function intakeRate(d: DemandFile, reportSizeMB: number, override: number | undefined, cal: Calibration | null): { perCore: number; source: string; measured: boolean } {
  if (override !== undefined) return { perCore: override, source: `what-if: --${OVERRIDES.perCoreReportsPerSecond.flag}`, measured: false };
  if (cal) {
    return {
      perCore: cal.mbPerSecond / reportSizeMB, measured: true,
      source: `measured by the lab intake benchmark (${cal.file}: ${cal.source}, ${cal.measuredAt}; ${cal.mbPerSecond} MB/s per core with ${cal.reportSizeMB} MB reports on ${cal.cores} core(s)) ÷ ${reportSizeMB} MB`,
    };
  }
  const e = entry(d, 'perCoreMBps');
  return { perCore: e.value / reportSizeMB, measured: false, source: `default ${e.value} ${e.unit} ÷ ${reportSizeMB} MB per report: ${e.source}` };
}

export function computeCapacity(data: SizingData, i: Inputs, exact: Figures, o: Overrides): { capacity: Capacity; assumptions: Assumption[] } {
  const d = data.demand;
  const assumptions: Assumption[] = [];
  const clientUploadMbps = assume(d, o, 'clientUploadMbps', 'clientUploadMbps', 'clientUploadMbps', assumptions);
  const target = assume(d, o, 'targetUtilisation', 'targetUtilisation', 'targetUtilisation', assumptions);
  assumptions.push({ name: 'linkGbps', value: d.links.gbps.join(', '), unit: 'Gbps', source: d.links.reason, kind: 'project' });

  const { perCore, source: intakeSource, measured } = intakeRate(d, i.reportSizeMB, o.perCoreReportsPerSecond, data.calibration);
  assumptions.push({ name: 'perCoreReportsPerSecond', value: perCore, unit: 'reports/s per core', source: intakeSource, kind: 'project' });

  const platform = dataPlatform(d);
  assumptions.push(
    { name: 'dataPlatform.systems', value: d.dataPlatform.systems.join(', '), unit: 'systems', source: d.dataPlatform.source, kind: 'stated' },
    { name: 'dataPlatform.transactionsPerDay', value: platform.transactionsPerDay, unit: 'transactions/system/day', source: d.dataPlatform.source, kind: 'stated' },
    { name: 'dataPlatform.transactionSizeMB', value: platform.transactionSizeMB, unit: 'MB', source: d.dataPlatform.source, kind: 'stated' },
    ...odbAssumptions(d),
  );

  const options: OptionCapacity[] = [];
  const λ = exact.reportsPerSecond;
  for (const v of data.girs.options) {
    const option = v.option;
    const hostsPlatform = d.dataPlatform.options.includes(option);
    const effectiveTB = v.storage.reduce((s, x) => s + x.dataTB, 0);
    const growthTBPerYear = (exact.reportsPerYear * i.reportSizeMB) / 1e6 + (hostsPlatform ? platform.TBPerYear : 0);
    const demandMbps = exact.networkMbps + (hostsPlatform ? (platform.MBPerDay * BITS_PER_BYTE) / SECONDS_PER_DAY : 0);
    const secondsPerUpload = (i.reportSizeMB * BITS_PER_BYTE) / clientUploadMbps;

    const ap = v.apVcpu;
    const cores = ap[0] ?? 1;
    const μ = perCore * cores;
    const needed = serversFor(λ, μ, target);
    const at = mmc(λ, μ, needed);
    const inInventory = ap.length ? mmc(λ, μ, ap.length) : null;
    options.push({
      site: data.girs.site, option, title: v.title,
      storage: { effectiveTB, sources: v.storage.map((s) => s.source), growthTBPerYear, monthsUntilFull: monthsUntilFull(effectiveTB, growthTBPerYear) },
      network: { demandMbps, links: d.links.gbps.map((g) => ({ gbps: g, utilisation: demandMbps / (g * 1000), fits: demandMbps <= g * 1000 })) },
      uploads: { clientUploadMbps, secondsPerUpload, concurrentAtPeak: littlesLaw(λ, secondsPerUpload) },
      webAp: {
        model: 'M/M/c', arrivalsPerSecond: λ, serviceRatePerServer: μ, coresPerServer: cores, offeredLoad: λ / μ,
        targetUtilisation: target, serversNeeded: needed, utilisation: at.utilisation,
        probabilityOfWaiting: at.probabilityOfWaiting, meanWaitSeconds: at.meanWaitSeconds,
        inventoryServers: ap.length, inventoryUtilisation: inInventory?.utilisation ?? Infinity, inventoryStable: inInventory?.stable ?? false,
      },
    });
  }
  return {
    capacity: { intake: { perCoreReportsPerSecond: perCore, source: intakeSource, measured }, options, dataPlatform: platform, odb: odb(d, data.odbStorage) },
    assumptions,
  };
}
