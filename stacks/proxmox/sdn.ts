// Proxmox SDN: a VLAN zone on the existing uplink bridge, one vnet per network zone
// (tagged with the zone's VLAN), its subnet, and the applier that commits pending SDN config.
import type { Construct } from 'constructs';
import type { TerraformMetaArguments } from '../cdktf.ts';
import { ProxmoxResource } from './base.ts';

export interface SdnZoneVlanArgs {
  /** ≤ 8 characters, letters and digits (a Proxmox SDN limit). */
  id: string;
  bridge: string;
  nodes?: string[];
  mtu?: number;
  ipam?: string;
  dns?: string;
  dnsZone?: string;
  reverseDns?: string;
}
export class SdnZoneVlan extends ProxmoxResource<SdnZoneVlanArgs> {
  static readonly tfResourceType = 'proxmox_sdn_zone_vlan';
  constructor(scope: Construct, id: string, args: SdnZoneVlanArgs, meta?: TerraformMetaArguments) {
    super(scope, id, SdnZoneVlan.tfResourceType, args, meta);
  }
}

export interface SdnVnetArgs {
  /** ≤ 8 characters, letters and digits. VMs attach to it as their bridge. */
  id: string;
  zone: string;
  tag?: number;
  alias?: string;
  isolatePorts?: boolean;
  vlanAware?: boolean;
}
export class SdnVnet extends ProxmoxResource<SdnVnetArgs> {
  static readonly tfResourceType = 'proxmox_sdn_vnet';
  constructor(scope: Construct, id: string, args: SdnVnetArgs, meta?: TerraformMetaArguments) {
    super(scope, id, SdnVnet.tfResourceType, args, meta);
  }
}

export interface SdnSubnetArgs {
  vnet: string;
  cidr: string;
  gateway?: string;
  snat?: boolean;
  dnsZonePrefix?: string;
  dhcpDnsServer?: string;
  dhcpRange?: Array<{ startAddress: string; endAddress: string }>;
}
export class SdnSubnet extends ProxmoxResource<SdnSubnetArgs> {
  static readonly tfResourceType = 'proxmox_sdn_subnet';
  constructor(scope: Construct, id: string, args: SdnSubnetArgs, meta?: TerraformMetaArguments) {
    super(scope, id, SdnSubnet.tfResourceType, args, meta);
  }
}

export interface SdnApplierArgs {
  onCreate?: boolean;
  onDestroy?: boolean;
}
export class SdnApplier extends ProxmoxResource<SdnApplierArgs> {
  static readonly tfResourceType = 'proxmox_sdn_applier';
  constructor(scope: Construct, id: string, args: SdnApplierArgs, meta?: TerraformMetaArguments) {
    super(scope, id, SdnApplier.tfResourceType, args, meta);
  }
}
