// Counts in the shape of Table 34 ("The Number of Major Hardware"), by explicit counting
// rules. Table 34 does not say how it counts; where no single rule reproduces both options'
// published numbers, every candidate rule is shown with the numbers it gives.
import type { Role, SiteView } from '../inventory/index.ts';
import { COUNT_KEYS, type CountKey, type Counts } from './types.ts';

export interface CountRule {
  key: CountKey;
  rule: string;
  description: string;
  /** The rule used for `summary` in the JSON contract. */
  primary: boolean;
  count: (v: SiteView) => number;
}

const unitsOf = (v: SiteView, roles: Role[]) =>
  v.hosts.filter((h) => roles.includes(h.role)).length + v.devices.filter((d) => roles.includes(d.role)).length;

export const COUNT_RULES: readonly CountRule[] = [
  { key: 'hostServers', rule: 'platform-hosts', primary: true, description: 'Virtual Platform A/B hosts only', count: (v) => unitsOf(v, ['platform']) },
  { key: 'hostServers', rule: 'platform+virt-mgmt', primary: false, description: 'platform hosts and Virtualization Management servers', count: (v) => unitsOf(v, ['platform', 'virt-mgmt']) },
  { key: 'hostServers', rule: 'all-non-db-servers', primary: false, description: 'every server except DB (adds Display Control in option 2; all of Table 40 at CCOP)', count: (v) => unitsOf(v, ['platform', 'virt-mgmt', 'display-control', 'server']) },
  { key: 'virtualServers', rule: 'vm-instances', primary: true, description: 'virtual server instances ((2) rows count twice)', count: (v) => v.vms.length },
  { key: 'virtualServers', rule: 'vm-rows', primary: false, description: 'virtual server rows', count: (v) => v.rows.filter((r) => r.kind === 'vm').length },
  { key: 'dbServers', rule: 'db-servers', primary: true, description: 'DB servers (bare metal)', count: (v) => unitsOf(v, ['db']) },
  { key: 'storageDevices', rule: 'storage-devices', primary: true, description: 'storage devices', count: (v) => unitsOf(v, ['storage']) },
  { key: 'networkDevices', rule: 'fw+l2+l3+fc', primary: true, description: 'firewalls, L2, L3 and FC switches', count: (v) => unitsOf(v, ['firewall', 'l2-switch', 'l3-switch', 'fc-switch']) },
  { key: 'networkDevices', rule: 'fw+l2+l3', primary: false, description: 'firewalls, L2 and L3 switches (no FC switches, no sensors)', count: (v) => unitsOf(v, ['firewall', 'l2-switch', 'l3-switch']) },
  { key: 'networkDevices', rule: 'fw+l2+l3+sensor', primary: false, description: 'firewalls, L2, L3 switches and security sensors (no FC)', count: (v) => unitsOf(v, ['firewall', 'l2-switch', 'l3-switch', 'security-sensor']) },
  { key: 'networkDevices', rule: 'fw+l2+l3+fc+sensor', primary: false, description: 'every network and security-monitoring device', count: (v) => unitsOf(v, ['firewall', 'l2-switch', 'l3-switch', 'fc-switch', 'security-sensor']) },
  { key: 'displays', rule: 'ioc-displays', primary: true, description: 'displays in the IOC room', count: (v) => v.devices.filter((d) => d.role === 'display' && d.location === 'ioc-room').length },
];

export function summaryCounts(view: SiteView): Counts {
  const out = {} as Counts;
  for (const k of COUNT_KEYS) out[k] = COUNT_RULES.find((r) => r.key === k && r.primary)!.count(view);
  return out;
}

export function publishedCounts(view: SiteView): Counts {
  const t = view.table34;
  const out = {} as Counts;
  for (const k of COUNT_KEYS) out[k] = t ? t[k] : null;
  return out;
}

export interface RuleRow {
  key: CountKey;
  rule: string;
  description: string;
  primary: boolean;
  /** Per option of the site: the rule's count and Table 34's number. */
  options: { option: string; count: number; published: number | null; matches: boolean | null }[];
}

export interface KeyVerdict {
  key: CountKey;
  /** Table 34 has this count for at least one option. */
  published: boolean;
  /** One rule reproduces every option's published count. */
  oneRule: string | null;
  /** Rule used for the summary reproduces this option's count. */
  primaryMatches: boolean | null;
  explanation: string;
}

/** Each candidate rule applied to every option of the site (`views`, one per option). */
export function ruleMatrix(views: SiteView[]): RuleRow[] {
  return COUNT_RULES.map((r) => ({
    key: r.key, rule: r.rule, description: r.description, primary: r.primary,
    options: views.map((v) => {
      const count = r.count(v);
      const published = v.table34 ? v.table34[r.key] : null;
      return { option: v.option ?? v.site, count, published, matches: published === null ? null : count === published };
    }),
  }));
}

/** Why a count is or is not reproduced, for `view` among all the site's options. */
export function verdicts(view: SiteView, matrix: RuleRow[]): KeyVerdict[] {
  const me = view.option ?? view.site;
  return COUNT_KEYS.map((key) => {
    const rows = matrix.filter((r) => r.key === key);
    const published = rows.some((r) => r.options.some((o) => o.published !== null));
    const all = rows.find((r) => r.options.every((o) => o.matches !== false) && r.options.some((o) => o.matches));
    const primary = rows.find((r) => r.primary)!;
    const mine = primary.options.find((o) => o.option === me)!;
    const show = (r: RuleRow) => `${r.rule} gives ${r.options.map((o) => `${o.option} ${o.count}${o.published === null ? '' : ` (Table 34: ${o.published})`}`).join(', ')}`;
    let explanation: string;
    if (!published) explanation = 'Table 34 has no count for this site';
    else if (all) explanation = `reproduced by one rule: ${all.description}`;
    else {
      explanation = `no single counting rule reproduces Table 34 for every option: ${rows.map(show).join('; ')}`;
    }
    return { key, published, oneRule: all?.rule ?? null, primaryMatches: mine.matches, explanation };
  });
}
