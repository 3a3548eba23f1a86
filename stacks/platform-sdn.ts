// SDN of one platform cluster: a VLAN zone on the uplink bridge, a vnet and subnet per network
// zone with VMs there, and the applier that commits them.
import { Construct } from 'constructs';
import type { SiteView, Zone } from '../inventory/index.ts';
import { UPLINK_BRIDGE, named, sdnZoneId, vnetId } from './naming.ts';
import { SdnApplier, SdnSubnet, SdnVnet, SdnZoneVlan, type ProxmoxProvider } from './proxmox/index.ts';

export interface PlatformSdnProps {
  view: SiteView;
  /** Lower-case platform letter, for names. */
  pl: string;
  provider: ProxmoxProvider;
  nodeNames: string[];
  /** Zones with VMs on this platform, by VLAN. */
  usedZones: Zone[];
}

export class PlatformSdn extends Construct {
  /** Every VM depends on it: NICs attach to vnets only once they are applied. */
  readonly applier: SdnApplier;

  constructor(scope: Construct, id: string, props: PlatformSdnProps) {
    super(scope, id);
    const { view, pl, provider, nodeNames, usedZones } = props;
    const sdnZone = named(new SdnZoneVlan(this, 'sdn-zone', { id: sdnZoneId(view.site), bridge: UPLINK_BRIDGE, nodes: nodeNames }, { provider }), 'sdn_zone', pl);
    const vnets: SdnVnet[] = [];
    const subnets: SdnSubnet[] = [];
    for (const z of usedZones) {
      const vnet = named(new SdnVnet(this, `vnet-${z.name}`, { id: vnetId(z.vlan), zone: sdnZone.args.id, tag: z.vlan, alias: z.name }, { provider, dependsOn: [sdnZone] }), 'vnet', pl, z.name);
      vnets.push(vnet);
      subnets.push(named(new SdnSubnet(this, `subnet-${z.name}`, { vnet: vnet.args.id, cidr: z.cidr, gateway: z.gateway }, { provider, dependsOn: [vnet] }), 'subnet', pl, z.name));
    }
    this.applier = named(new SdnApplier(this, 'sdn-apply', { onCreate: true, onDestroy: true }, {
      provider,
      dependsOn: [sdnZone, ...vnets, ...subnets],
      // Plain references: Terraform's JSON syntax takes no ${…} here (cdktf would render fqn tokens).
      lifecycle: { replaceTriggeredBy: [sdnZone, ...vnets, ...subnets].map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`) },
    }), 'sdn_applier', pl);
  }
}
