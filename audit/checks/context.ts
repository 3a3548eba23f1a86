// What every check receives, and the one way a check result is built.
import type { SiteView } from '../../inventory/index.ts';
import type { PatternResult } from '../../sizing/index.ts';
import type { BillLine, CheckResult, Status } from '../types.ts';
import type { AnsibleConfig } from '../../ansible-bridge/evidence.ts';
import type { TfJson } from '../../stacks/synth.ts';

/** What the configuration evidence is read from; tests pass edited copies to show a verdict turn. */
export interface ConfigSources {
  stack: { name: string; tf: TfJson } | { error: string };
  ansible: AnsibleConfig;
}

export interface AuditContext {
  view: SiteView;
  /** Every option of the site (for Table 34's counting rules); includes `view`. */
  views: SiteView[];
  lines: BillLine[];
  /** Rows each table of this option has (tables.yaml), to find missing and extra rows. */
  expectedRows: { table: string; rows: string[] }[];
  /** Sizing results for patterns 1–3, or why they are unavailable. */
  sizing: { results: PatternResult[] } | { error: string };
  /** Configuration the control checks cite; synthesized from `view` when absent (checks/config.ts). */
  config?: ConfigSources;
}

export function check(id: string, requirement: string, title: string, status: Status, evidence: string[], lines: string[] = [], figures: CheckResult['figures'] = {}): CheckResult {
  return { id, requirement, title, status, evidence, lines: [...new Set(lines)], figures };
}

/** Worst of several statuses. */
export function worst(statuses: Status[]): Status {
  return statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'pass';
}
