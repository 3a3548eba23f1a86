// The one rule that turns a table row's published figures into per-unit figures.
// Tables 35, 37 and 38 give the *total* of a row of several units ("Assumed Total
// Specification"); Table 40 gives figures *for each* unit. A row whose text says "for each"
// (the PC rows) is per unit whatever its table says. Totals stay checkable: total() undoes it.
import type { Published } from './schema.ts';

export type Basis = 'total' | 'perUnit' | 'none';

export interface Figures {
  cpuCores: number | string | null;
  vcpu: number | null;
  ramGB: number | null;
  diskGB: number | null;
}

export function rowBasis(tableBasis: Basis, published: Published): Basis {
  return /for each/i.test(published.specs ?? '') ? 'perUnit' : tableBasis;
}

export function perUnit(published: Published, quantity: number, basis: Basis): Figures {
  const div = (v: number | undefined) => (v === undefined ? null : basis === 'total' ? v / quantity : v);
  return {
    cpuCores: typeof published.cpuCores === 'string' ? published.cpuCores : div(published.cpuCores),
    vcpu: div(published.vcpu),
    ramGB: div(published.ramGB),
    diskGB: div(published.diskGB),
  };
}

/** The row's totals as the table would print them (per-unit × quantity for per-unit rows). */
export function total(published: Published, quantity: number, basis: Basis): Figures {
  const mul = (v: number | undefined) => (v === undefined ? null : basis === 'total' ? v : v * quantity);
  return {
    cpuCores: typeof published.cpuCores === 'string' ? published.cpuCores : mul(published.cpuCores),
    vcpu: mul(published.vcpu),
    ramGB: mul(published.ramGB),
    diskGB: mul(published.diskGB),
  };
}
