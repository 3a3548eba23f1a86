// Table 16: each sub-system needs a server to run on. Option 1 is GIRS only (Table 34,
// functional group a), so the data platform and dashboard are absent there by design.
import type { VmView } from '../../inventory/index.ts';
import type { CheckResult } from '../types.ts';
import { check, type AuditContext } from './context.ts';

const FUNCTIONS: { id: string; req: string; name: string; vm: (v: VmView) => boolean; hostRoles?: string[]; absent?: string }[] = [
  { id: 'function.girs', req: 'T16-GIRS', name: 'GIRS report management', vm: (v) => v.subsystem === 'girs' },
  { id: 'function.vedh', req: 'T16-VEDH', name: 'VEDH (ETL into the DWH)', vm: (v) => v.subsystem === 'vedh' && /etl/i.test(v.role) },
  { id: 'function.veap', req: 'T16-VEAP', name: 'VEAP (retrieving data from e-Cabinet, e-Service Portal, e-Consultation)', vm: (v) => /veap/i.test(v.role),
    absent: 'no virtual server is assigned to VEAP in any table; the ETL server (Table 37 #4) is the nearest fit for retrieving data from the administrative systems' },
  { id: 'function.vedb', req: 'T16-VEDB', name: 'VEDB (aggregation, big data)', vm: (v) => /olap|hadoop/i.test(v.role) },
  { id: 'function.ioc', req: 'T16-IOC', name: 'IOC dashboard', vm: (v) => v.subsystem === 'ioc', hostRoles: ['display-control'] },
  { id: 'function.vemcs', req: 'T16-VEMCS', name: 'VEMCS operation management', vm: (v) => /operation management/i.test(v.role) },
  { id: 'function.security', req: 'T16-SECMGMT', name: 'Security Management Sub-System', vm: (v) => v.subsystem === 'security' },
];

export function functionChecks({ view }: AuditContext): CheckResult[] {
  if (view.site !== 'oog') return [];
  return FUNCTIONS.map((f) => {
    const vms = view.vms.filter(f.vm);
    const hosts = view.hosts.filter((h) => f.hostRoles?.includes(h.role));
    const found = vms.length + hosts.length > 0;
    const evidence = found
      ? [`${f.name} runs on ${[...vms.map((v) => `${v.name} (${v.role}, ${v.vcpu} vCPU/${v.ramGB} GB)`), ...hosts.map((h) => `${h.name} (${h.rowName})`)].join(', ')}`]
      : [`${f.name}: ${f.absent ?? `no server in ${view.optionTitle}`}`];
    return check(f.id, f.req, `Table 16: ${f.name} has a server`, found ? 'pass' : 'warn', evidence, [...vms.map((v) => v.source), ...hosts.map((h) => h.source)], { vms: vms.length, hosts: hosts.length });
  });
}
