// Firewall of one platform cluster: an alias per zone, the management IP set, a security group
// per VM zone and one for the hosts, the host rules, and the cluster firewall enabled last.
import { Construct } from 'constructs';
import type { SiteView, Zone } from '../inventory/index.ts';
import { hostGroupRules, zoneGroupRules } from './firewall-plan.ts';
import { HOSTS_GROUP, MANAGEMENT_IPSET, named, securityGroupName, zoneAlias } from './naming.ts';
import { ClusterFirewall, ClusterFirewallSecurityGroup, FirewallAlias, FirewallIpset, FirewallRules, type ProxmoxProvider } from './proxmox/index.ts';

export interface PlatformFirewallProps {
  view: SiteView;
  /** Platform letter (A, B) and its lower-case form, for names. */
  p: 'A' | 'B';
  pl: string;
  provider: ProxmoxProvider;
  /** The hosts' management zone. */
  mgmt: Zone;
  usedZones: Zone[];
  /** Addresses allowed to manage the hosts (operation PCs). */
  managementSources: string[];
}

export class PlatformFirewall extends Construct {
  /** Security group per VM zone: each VM's rules insert its zone's group. */
  readonly groups = new Map<string, ClusterFirewallSecurityGroup>();

  constructor(scope: Construct, id: string, props: PlatformFirewallProps) {
    super(scope, id);
    const { view, p, pl, provider, mgmt, usedZones } = props;
    const aliases = view.zones.map((z) => named(new FirewallAlias(this, `alias-${z.name}`, { name: zoneAlias(z.name), cidr: z.cidr, comment: z.purpose }, { provider }), 'alias', pl, z.name));
    const mgmtSet = named(new FirewallIpset(this, 'management', {
      name: MANAGEMENT_IPSET,
      comment: 'Operation management PCs: the only sources allowed to the GUI/API and SSH of the hosts',
      cidr: [...props.managementSources].sort().map((ip) => ({ name: ip, comment: 'operation management PC' })),
    }, { provider }), 'ipset', pl, MANAGEMENT_IPSET);
    for (const z of usedZones) {
      this.groups.set(z.name, named(new ClusterFirewallSecurityGroup(this, `sg-${z.name}`, {
        name: securityGroupName(z.name),
        comment: `VMs in zone ${z.name} (VLAN ${z.vlan}): ${z.purpose}`,
        rule: zoneGroupRules(z.name, view.flows),
      }, { provider, dependsOn: aliases }), 'security_group', pl, z.name));
    }
    const hostsGroup = named(new ClusterFirewallSecurityGroup(this, 'sg-hosts', {
      name: HOSTS_GROUP,
      comment: `Platform ${p} hosts (zone ${mgmt.name}): management only from the operation PCs`,
      rule: hostGroupRules(mgmt.name, view.flows),
    }, { provider, dependsOn: [...aliases, mgmtSet] }), 'security_group', pl, 'hosts');
    const hostRules = named(new FirewallRules(this, 'host-rules', {
      rule: [{ securityGroup: HOSTS_GROUP, comment: 'platform hosts' }],
    }, { provider, dependsOn: [hostsGroup] }), 'cluster_rules', pl);
    // Enabled last, once the allow rules exist, so the operators are not locked out mid-apply.
    named(new ClusterFirewall(this, 'firewall', {
      enabled: true, inputPolicy: 'DROP', outputPolicy: 'ACCEPT', forwardPolicy: 'ACCEPT', ebtables: true,
      logRatelimit: { enabled: true, burst: 5, rate: '1/second' },
    }, { provider, dependsOn: [hostRules, mgmtSet] }), 'cluster_firewall', pl);
  }
}
