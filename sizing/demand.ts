// Reading demand.yaml's entries by name, and Table 18's arithmetic (pure: the file is read
// at the edge, sizing/data.ts).
import type { DemandFile } from '../inventory/index.ts';
import { InputError } from '../cli/errors.ts';
import type { Assumption } from './types.ts';
import { OVERRIDES, type OverrideKey, type Overrides } from './overrides.ts';

/** Look an entry up in `stated` or `inferred` and say which it was. */
export function entry(d: DemandFile, name: string): Assumption & { value: number } {
  const s = d.stated[name];
  if (s) return { name, value: s.value, unit: s.unit, source: s.source, kind: 'stated' };
  const i = d.inferred[name];
  if (i) return { name, value: i.value, unit: i.unit, source: `implied by Table 19: ${i.reason}`, kind: 'inferred' };
  const p = d.project[name];
  if (p) return { name, value: p.value, unit: p.unit, source: p.reason, kind: 'project' };
  throw new InputError(`demand.yaml names "${name}", which is not an entry of stated, inferred or project`);
}

/** Sum of Table 18's "Number of Reports" over rows first..last. */
export function table18Sum(d: DemandFile, [first, last]: readonly [number, number]): number {
  return d.table18.rows.filter((r) => r.no >= first && r.no <= last).reduce((s, r) => s + r.reports, 0);
}

export interface SubtotalCheck { rows: [number, number]; printed: number; sum: number }

/** Each printed sub-total of Table 18 next to the sum of its rows. */
export function table18Checks(d: DemandFile): SubtotalCheck[] {
  return d.table18.subtotals.map((s) => ({ rows: s.rows, printed: s.reports, sum: table18Sum(d, s.rows) }));
}

export function rowsLabel([a, b]: readonly [number, number]): string {
  return a === b ? `row ${a}` : `rows ${a}–${b}`;
}

/**
 * One input of the model as an assumption of the ledger: the what-if value when one is
 * given (recorded as ours, citing the flag), else demand.yaml's entry `key` under `name`.
 */
export function assume(d: DemandFile, o: Overrides, what: OverrideKey, key: string, name: string, ledger: Assumption[]): number {
  const override = o[what];
  if (override !== undefined) {
    ledger.push({ name, value: override, unit: OVERRIDES[what].unit, source: `what-if: --${OVERRIDES[what].flag}`, kind: 'project' });
    return override;
  }
  const e = entry(d, key);
  ledger.push({ ...e, name });
  return e.value;
}
