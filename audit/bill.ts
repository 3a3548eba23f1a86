// The bill of materials of one site and option, read from the inventory view: one line per
// table row (hardware, virtual server, middleware), each traced to its `source`.
import type { SiteView } from '../inventory/index.ts';
import type { BillLine } from './types.ts';

export function billLines(view: SiteView): BillLine[] {
  const unitsBySource = new Map<string, string[]>();
  const add = (source: string, name: string) => unitsBySource.set(source, [...(unitsBySource.get(source) ?? []), name]);
  for (const h of view.hosts) add(h.source, h.name);
  for (const d of view.devices) add(d.source, d.name);
  for (const v of view.vms) add(v.source, v.name);
  const products = new Map(view.middleware.map((m) => [m.source, m.product]));
  return view.rows.map((r) => ({
    item: r.name,
    qty: r.quantity,
    source: r.source,
    kind: r.kind,
    role: r.role,
    basis: r.basis,
    perUnit: r.perUnit,
    total: r.total,
    specs: r.published.specs ?? null,
    product: products.get(r.source) ?? null,
    units: unitsBySource.get(r.source) ?? [],
    note: r.note ?? null,
  }));
}

/** Short "16 cores, 512 GB RAM" text for a line's figures. */
export function figuresText(f: BillLine['perUnit']): string {
  const parts: string[] = [];
  if (f.cpuCores !== null) parts.push(typeof f.cpuCores === 'number' ? `${fmt(f.cpuCores)} cores` : f.cpuCores);
  if (f.vcpu !== null) parts.push(`${fmt(f.vcpu)} vCPU`);
  if (f.ramGB !== null) parts.push(`${fmt(f.ramGB)} GB RAM`);
  if (f.diskGB !== null) parts.push(`${fmt(f.diskGB)} GB disk`);
  return parts.join(', ');
}

export function fmt(n: number, digits = 1): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}
