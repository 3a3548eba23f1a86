// Proxmox firewall: cluster security groups (one per network zone), the rule lists
// that insert them, IP sets / aliases they refer to, and firewall on/off options.
import type { Construct } from 'constructs';
import type { TerraformMetaArguments } from '../cdktf.ts';
import { ProxmoxResource } from './base.ts';

export interface FirewallRule {
  type: 'in' | 'out';
  action: 'ACCEPT' | 'DROP' | 'REJECT';
  comment?: string;
  source?: string;
  dest?: string;
  proto?: string;
  dport?: string;
  sport?: string;
  iface?: string;
  log?: string;
  enabled?: boolean;
}

/** A rule-list entry that inserts a cluster security group. */
export interface SecurityGroupInsertion {
  securityGroup: string;
  comment?: string;
  iface?: string;
  enabled?: boolean;
}

export interface ClusterSecurityGroupArgs {
  /** Proxmox limits group names to 18 characters. */
  name: string;
  comment?: string;
  rule?: FirewallRule[];
}
export class ClusterFirewallSecurityGroup extends ProxmoxResource<ClusterSecurityGroupArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_cluster_firewall_security_group';
  constructor(scope: Construct, id: string, args: ClusterSecurityGroupArgs, meta?: TerraformMetaArguments) {
    super(scope, id, ClusterFirewallSecurityGroup.tfResourceType, args, meta);
  }
}

export interface FirewallRulesArgs {
  /** Without node/vm the rules are cluster-level (datacenter firewall). */
  nodeName?: string;
  vmId?: number;
  rule: Array<FirewallRule | SecurityGroupInsertion>;
}
export class FirewallRules extends ProxmoxResource<FirewallRulesArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_firewall_rules';
  constructor(scope: Construct, id: string, args: FirewallRulesArgs, meta?: TerraformMetaArguments) {
    super(scope, id, FirewallRules.tfResourceType, args, meta);
  }
}

export interface FirewallIpsetArgs {
  name: string;
  comment?: string;
  cidr?: Array<{ name: string; comment?: string; nomatch?: boolean }>;
  nodeName?: string;
  vmId?: number;
}
export class FirewallIpset extends ProxmoxResource<FirewallIpsetArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_firewall_ipset';
  constructor(scope: Construct, id: string, args: FirewallIpsetArgs, meta?: TerraformMetaArguments) {
    super(scope, id, FirewallIpset.tfResourceType, args, meta);
  }
}

export interface FirewallAliasArgs {
  name: string;
  cidr: string;
  comment?: string;
  nodeName?: string;
  vmId?: number;
}
export class FirewallAlias extends ProxmoxResource<FirewallAliasArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_firewall_alias';
  constructor(scope: Construct, id: string, args: FirewallAliasArgs, meta?: TerraformMetaArguments) {
    super(scope, id, FirewallAlias.tfResourceType, args, meta);
  }
}

export interface FirewallOptionsArgs {
  nodeName: string;
  vmId?: number;
  enabled?: boolean;
  inputPolicy?: 'ACCEPT' | 'DROP' | 'REJECT';
  outputPolicy?: 'ACCEPT' | 'DROP' | 'REJECT';
  macfilter?: boolean;
  ipfilter?: boolean;
  dhcp?: boolean;
  ndp?: boolean;
  logLevelIn?: string;
  logLevelOut?: string;
}
/** Per-VM firewall switch: without it a VM's rules (and groups) are not enforced. */
export class FirewallOptions extends ProxmoxResource<FirewallOptionsArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_firewall_options';
  constructor(scope: Construct, id: string, args: FirewallOptionsArgs, meta?: TerraformMetaArguments) {
    super(scope, id, FirewallOptions.tfResourceType, args, meta);
  }
}

export interface ClusterFirewallArgs {
  enabled?: boolean;
  inputPolicy?: 'ACCEPT' | 'DROP' | 'REJECT';
  outputPolicy?: 'ACCEPT' | 'DROP' | 'REJECT';
  forwardPolicy?: 'ACCEPT' | 'DROP';
  ebtables?: boolean;
  logRatelimit?: { enabled?: boolean; burst?: number; rate?: string };
}
export class ClusterFirewall extends ProxmoxResource<ClusterFirewallArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_cluster_firewall';
  constructor(scope: Construct, id: string, args: ClusterFirewallArgs, meta?: TerraformMetaArguments) {
    super(scope, id, ClusterFirewall.tfResourceType, args, meta);
  }
}
