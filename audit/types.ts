// Shapes shared by the audit's checks, renderers and the JSON contract.
import type { Figures } from '../inventory/index.ts';

export type Status = 'pass' | 'warn' | 'fail';

/** One line of the bill of materials, traced to its table row. */
export interface BillLine {
  item: string;
  qty: number;
  source: string;
  kind: 'hardware' | 'vm' | 'middleware';
  role: string;
  basis: string;
  perUnit: Figures;
  total: Figures;
  specs: string | null;
  /** Our product choice for a middleware category (an assumption, not the report's). */
  product: string | null;
  /** Named units (hosts, devices, VM instances) the line provides. */
  units: string[];
  note: string | null;
}

export interface Counts {
  hostServers: number | null;
  virtualServers: number | null;
  dbServers: number | null;
  storageDevices: number | null;
  networkDevices: number | null;
  displays: number | null;
}
export type CountKey = keyof Counts;
export const COUNT_KEYS: readonly CountKey[] = ['hostServers', 'virtualServers', 'dbServers', 'storageDevices', 'networkDevices', 'displays'];

export interface CheckResult {
  id: string;
  /** The requirement ID (audit/requirements.ts) this check tests. */
  requirement: string;
  title: string;
  status: Status;
  /** Human-readable findings, numbers first. */
  evidence: string[];
  /** Bill lines (table rows) that satisfy, or fail to satisfy, the requirement. */
  lines: string[];
  /** Machine-readable figures behind the evidence. */
  figures: Record<string, number | string | boolean | null>;
}
