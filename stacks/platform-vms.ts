// The VMs of one platform cluster, in inventory order (VM IDs follow it inside the platform's
// range): each with its firewall options and zone rules, HA resource and node preference, and
// a negative resource-affinity rule per redundant pair.
import { Construct } from 'constructs';
import type { SiteView, VmView, Zone } from '../inventory/index.ts';
import { VM_DATASTORE, firstVmId, named, securityGroupName, vnetId } from './naming.ts';
import {
  FirewallOptions, FirewallRules, HaResource, HaRule, VirtualEnvironmentVm,
  type ClusterFirewallSecurityGroup, type ProxmoxProvider, type SdnApplier, type VirtualEnvironmentPool,
} from './proxmox/index.ts';
import { SUBSYSTEM_TITLES, type PlannedVm } from './platform-types.ts';

export interface PlatformVmsProps {
  view: SiteView;
  p: 'A' | 'B';
  pl: string;
  provider: ProxmoxProvider;
  nodeNames: string[];
  vms: VmView[];
  zones: Map<string, Zone>;
  /** IPs of the site's DNS servers. */
  dnsServers: string[];
  /** The cloud-init template's VM ID (a Terraform variable's value). */
  templateVmId: number;
  applier: SdnApplier;
  pools: Map<string, VirtualEnvironmentPool>;
  groups: Map<string, ClusterFirewallSecurityGroup>;
}

const prefixOf = (cidr: string) => Number(cidr.split('/')[1]);

export class PlatformVms extends Construct {
  readonly planned: PlannedVm[] = [];

  constructor(scope: Construct, id: string, props: PlatformVmsProps) {
    super(scope, id);
    const { view, p, pl, provider, nodeNames, vms, zones, applier, pools, groups } = props;
    const pairSizes = new Map<string, number>();
    for (const vm of vms) if (vm.pairId) pairSizes.set(vm.pairId, (pairSizes.get(vm.pairId) ?? 0) + 1);
    const dns = { domain: view.settings.domain, servers: props.dnsServers };
    vms.forEach((vm, i) => {
      const zone = zones.get(vm.zone) as Zone;
      const vmId = firstVmId(p) + i;
      const tags = [view.site, vm.subsystem, vm.zone, `platform-${pl}`, ...(view.option ? [view.option] : [])].map((t) => t.toLowerCase());
      const resource = named(new VirtualEnvironmentVm(this, `vm-${vm.name}`, {
        name: vm.name,
        nodeName: vm.node,
        vmId,
        description: `${vm.role} (${vm.source}), ${SUBSYSTEM_TITLES[vm.subsystem] ?? vm.subsystem}. HA: ${vm.ha.required ? 'managed' : 'not managed'}, ${vm.ha.reason}`,
        tags: [...new Set(tags)].sort(),
        poolId: vm.subsystem,
        onBoot: true,
        started: true,
        scsiHardware: 'virtio-scsi-single',
        agent: { enabled: true, trim: true },
        clone: { vmId: props.templateVmId, full: true, datastoreId: VM_DATASTORE },
        cpu: { cores: vm.vcpu, sockets: 1, type: 'x86-64-v2-AES' },
        memory: { dedicated: Math.round(vm.ramGB * 1024) },
        disk: [{ interface: 'scsi0', datastoreId: VM_DATASTORE, size: vm.diskGB, fileFormat: 'raw', discard: 'on', iothread: true, ssd: true }],
        networkDevice: [{ bridge: vnetId(zone.vlan), model: 'virtio', firewall: true }],
        initialization: {
          datastoreId: VM_DATASTORE,
          dns,
          ipConfig: [{ ipv4: { address: `${vm.ip}/${prefixOf(zone.cidr)}`, gateway: zone.gateway } }],
        },
        operatingSystem: { type: 'l26' },
      }, { provider, dependsOn: [applier, pools.get(vm.subsystem)!] }), 'vm', vm.name);

      named(new FirewallOptions(this, `fw-options-${vm.name}`, {
        nodeName: vm.node, vmId, enabled: true, inputPolicy: 'DROP', outputPolicy: 'DROP', macfilter: true,
      }, { provider, dependsOn: [resource] }), 'vm_firewall', vm.name);
      named(new FirewallRules(this, `fw-rules-${vm.name}`, {
        nodeName: vm.node, vmId, rule: [{ securityGroup: securityGroupName(vm.zone), comment: `zone ${vm.zone}` }],
      }, { provider, dependsOn: [resource, groups.get(vm.zone)!] }), 'vm_rules', vm.name);

      // PVE 9 rules only apply to HA-managed guests, so redundant-pair members are registered
      // too: with the negative rule below and two nodes, a lost twin is never restarted next
      // to its partner, which is what "HA not required, the twin keeps the service" means.
      const inPair = vm.pairId !== null && (pairSizes.get(vm.pairId) ?? 0) > 1;
      let ha: HaResource | null = null;
      if (vm.ha.required || inPair) {
        ha = named(new HaResource(this, `ha-${vm.name}`, {
          resourceId: `vm:${vmId}`, state: 'started', maxRestart: 2, maxRelocate: vm.ha.required ? 1 : 0,
          comment: vm.ha.required ? vm.ha.reason : `placement only (redundant pair ${vm.pairId}): ${vm.ha.reason}`,
        }, { provider, dependsOn: [resource] }), 'ha', vm.name);
      }
      // Prefer the inventory's node, fall back to the others (not strict: HA must be able to
      // move it). Pair members get none: the anti-affinity rule places them, and PVE 9.0
      // reports resources in both a node- and a resource-affinity rule as a conflict.
      if (ha && !inPair) {
        const nodesPriority = Object.fromEntries(nodeNames.map((n) => [n, n === vm.node ? 2 : 1]));
        named(new HaRule(this, `ha-node-${vm.name}`, {
          rule: `node-${vm.name}`, type: 'node-affinity', resources: [`vm:${vmId}`], nodes: nodesPriority, strict: false,
          comment: `${vm.name} prefers ${vm.node} (inventory placement)`,
        }, { provider, dependsOn: [ha] }), 'ha_node_affinity', vm.name);
      }
      this.planned.push({ vm, vmId, resource, ha });
    });

    // Redundant pairs: keep the twins on different nodes (resource anti-affinity).
    const pairs = new Map<string, PlannedVm[]>();
    for (const pv of this.planned) if (pv.vm.pairId) pairs.set(pv.vm.pairId, [...(pairs.get(pv.vm.pairId) ?? []), pv]);
    for (const [pairId, members] of pairs) {
      if (members.length < 2 || members.some((m) => !m.ha)) continue;
      named(new HaRule(this, `ha-apart-${pairId}`, {
        rule: `apart-${pairId}`, type: 'resource-affinity', affinity: 'negative',
        resources: members.map((m) => `vm:${m.vmId}`).sort(),
        comment: `redundant pair ${pairId}: never on the same node`,
      }, { provider, dependsOn: members.map((m) => m.ha!) }), 'ha_anti_affinity', pairId);
    }
  }
}
