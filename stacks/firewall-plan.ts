// Turns the inventory's zone-to-zone flows into Proxmox firewall rules. Everything not
// listed is dropped by the VM and host input/output policies, so e.g. the web DMZ reaches
// the application zone only on the ports of its flows, and the DB zone not at all.
import type { Flow } from '../inventory/index.ts';
import type { FirewallRule } from './proxmox/index.ts';
import { MANAGEMENT_IPSET, zoneAlias } from './naming.ts';

/** Ports whose service also (or only) speaks UDP: DNS and NTP. */
const UDP_PORTS = new Set([53, 123]);

function portRules(base: Omit<FirewallRule, 'proto' | 'dport'>, ports: number[]): FirewallRule[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const udp = sorted.filter((p) => UDP_PORTS.has(p));
  const tcp = sorted.filter((p) => p !== 123); // NTP is UDP only
  const out: FirewallRule[] = [];
  if (tcp.length) out.push({ ...base, proto: 'tcp', dport: tcp.join(',') });
  if (udp.length) out.push({ ...base, proto: 'udp', dport: udp.join(',') });
  return out;
}

/** Rules of the security group that VMs in `zone` insert: flows into and out of the zone. */
export function zoneGroupRules(zone: string, flows: readonly Flow[]): FirewallRule[] {
  const rules: FirewallRule[] = [];
  for (const f of flows) {
    if (f.to === zone) {
      rules.push(...portRules({ type: 'in', action: 'ACCEPT', source: zoneAlias(f.from), dest: zoneAlias(zone), comment: `${f.from}→${f.to}: ${f.purpose}` }, f.ports));
    }
  }
  for (const f of flows) {
    if (f.from === zone) {
      rules.push(...portRules({ type: 'out', action: 'ACCEPT', source: zoneAlias(zone), dest: zoneAlias(f.to), comment: `${f.from}→${f.to}: ${f.purpose}` }, f.ports));
    }
  }
  return rules;
}

/**
 * Rules for the platform hosts themselves (datacenter level): the flows into the
 * management zone, narrowed from the whole source zone to the operation PCs' addresses.
 */
export function hostGroupRules(mgmtZone: string, flows: readonly Flow[]): FirewallRule[] {
  const rules: FirewallRule[] = [];
  for (const f of flows) {
    if (f.to !== mgmtZone) continue;
    rules.push(...portRules({ type: 'in', action: 'ACCEPT', source: `+${MANAGEMENT_IPSET}`, dest: zoneAlias(mgmtZone), comment: `operation PCs (${f.from})→${f.to}: ${f.purpose}` }, f.ports));
  }
  return rules;
}
