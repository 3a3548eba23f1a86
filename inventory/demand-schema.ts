// Schema of demand.yaml: the report's demand facts (Table 18, §3.5.1, §4.5.1, interview
// notes) with their sources, the assumptions the published figures imply but never state,
// our own assumptions with reasons, and Table 19 as printed (for comparison only).
import { z } from 'zod';
import { positive } from './zod-helpers.ts';

const nonNegative = z.number({ error: 'a number ≥ 0' }).nonnegative({ error: 'a number ≥ 0' });
const whole = z.number({ error: 'a positive whole number' }).int({ error: 'a positive whole number' }).positive({ error: 'a positive whole number' });
const source = z.string().min(3, 'a source such as "§3.5.1 (1)" or "Table 18"');
const reason = z.string().min(10, 'a one-line reason (at least 10 characters)');
const unit = z.string().min(1, 'a unit such as "MB" or "days/year"');

/** A figure the report states, with where. */
export const StatedSchema = z.strictObject({ value: positive, unit, source });
/** A figure the report implies (inferred) or we choose (project), with why. */
export const ReasonedSchema = z.strictObject({ value: positive, unit, reason });
export type Stated = z.infer<typeof StatedSchema>;
export type Reasoned = z.infer<typeof ReasonedSchema>;

const rowRange = z.tuple([whole, whole]).refine(([a, b]) => a <= b, 'a row range [first, last] with first ≤ last');

export const Table18Schema = z.strictObject({
  source,
  rows: z.array(z.strictObject({ no: whole, group: z.string(), organization: z.string(), organizations: whole, reports: whole })).min(1),
  /** The "Sub-total of the Number of Reports" columns as printed. */
  subtotals: z.array(z.strictObject({ rows: rowRange, reports: whole })),
});

const FiguresSchema = z.strictObject({
  reportsPerYear: nonNegative, reportsPerDay: nonNegative, reportsPerHour: nonNegative,
  reportsPerSecond: nonNegative, dataMBps: nonNegative, networkMbps: nonNegative,
});

export const PatternSchema = z.strictObject({
  id: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'a pattern number 1, 2 or 3' }),
  title: z.string(),
  source,
  /** Table 18 rows the pattern's description covers (checked against its yearly total). */
  scopeRows: rowRange,
  /** Where the yearly number of reports comes from. */
  reportsPerYear: z.discriminatedUnion('from', [
    z.strictObject({ from: z.literal('table18') }),
    z.strictObject({ from: z.literal('fact'), fact: z.string() }),
    z.strictObject({ from: z.literal('agencies'), agencies: z.string(), perAgencyPerMonth: z.string() }),
  ]),
  /** Name of the stated or inferred entry giving the report size Table 19 uses. */
  reportSizeMB: z.string(),
  /** Pattern-specific stand-ins Table 19 implies (names of inferred entries). */
  dayDivisor: z.string().optional(),
  peakHourPerAgency: z.strictObject({ agencies: z.string(), perAgency: z.string() }).optional(),
});
export type PatternDef = z.infer<typeof PatternSchema>;

export const OdbRecordSchema = z.strictObject({
  name: z.string(),
  count: z.strictObject({ value: positive, source }),
  recordKB: ReasonedSchema,
  attachmentMB: ReasonedSchema.optional(),
});

export const DemandFileSchema = z.strictObject({
  table18: Table18Schema,
  stated: z.record(z.string(), StatedSchema),
  inferred: z.record(z.string(), ReasonedSchema),
  project: z.record(z.string(), ReasonedSchema),
  /** Link speeds at the uplink/firewall to compare the peak with (ours). */
  links: z.strictObject({ gbps: z.array(positive).min(1), reason }),
  patterns: z.array(PatternSchema).length(3, 'the three patterns of §3.5.1 (2)'),
  dataPlatform: z.strictObject({
    source,
    systems: z.array(z.string()).min(1),
    transactionsPerDay: positive,
    transactionSizeMB: positive,
    /** The deployment options that host the Data Analysis and Management Platform. */
    options: z.array(z.string()).min(1),
  }),
  odb: z.strictObject({
    source,
    site: z.string(),
    institutions: StatedSchema,
    ccopStaff: StatedSchema,
    records: z.array(OdbRecordSchema).min(1),
    usersPerInstitution: ReasonedSchema,
    concurrentShare: ReasonedSchema,
    indexOverhead: ReasonedSchema,
    annualGrowthShare: ReasonedSchema,
  }),
  /** Table 19 as printed. Used for the comparison column and findings only, never as model input. */
  published: z.strictObject({ source, '1': FiguresSchema, '2': FiguresSchema, '3': FiguresSchema }),
});
export type DemandFile = z.infer<typeof DemandFileSchema>;
