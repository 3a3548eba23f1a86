// A stack per site/deployment option, generated from the inventory view only.
import { StackInputError } from './errors.ts';
import { stackName } from './layout.ts';
import type { Construct } from 'constructs';
import type { SiteView } from '../inventory/index.ts';
import { addBackend, backendConfig, type BackendConfig } from './backend.ts';
import { TerraformStack } from './cdktf.ts';
import { jsonOutput } from './outputs.ts';
import { Facility } from './physical.ts';
import { PlatformCluster, backupTarget } from './platform.ts';

/** Terraform versions the stacks accept (see docs/stacks.md: why 1.6 and not 1.11). */
export const REQUIRED_TERRAFORM = '>= 1.6.0, < 2.0.0';

export interface StackSpec {
  stack: string;
  site: string;
  option?: string;
}

/** The stacks `npm run synth` writes, by exact name. */
export const STACKS: readonly StackSpec[] = [
  { stack: stackName('oog', 'option1'), site: 'oog', option: 'option1' },
  { stack: stackName('oog', 'option2'), site: 'oog', option: 'option2' },
  { stack: stackName('ccop'), site: 'ccop' },
];

/** Names of units (VMs first, then servers) resolved to their addresses. */
function addressesOf(view: SiteView, names: readonly string[], what: string): string[] {
  const ips = new Map<string, string>();
  for (const d of [...view.hosts, ...view.devices]) if (d.ip) ips.set(d.name, d.ip);
  for (const v of view.vms) ips.set(v.name, v.ip);
  return names.map((n) => {
    const ip = ips.get(n);
    if (!ip) throw new StackInputError(`settings.${what} names "${n}", which has no address in site ${view.site}; expected a VM or server with an ip`);
    return ip;
  });
}

export class SiteStack extends TerraformStack {
  readonly platforms: PlatformCluster[] = [];

  /** `backend` defaults to the one configured in the environment (stacks/backend.ts). */
  constructor(scope: Construct, name: string, view: SiteView, backend: BackendConfig = backendConfig(name)) {
    super(scope, name);
    addBackend(this, backend);
    // No write-only (`*_wo`) arguments are used, so 1.6 is the floor: the bpg provider's own minimum.
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM);

    new Facility(this, 'facility', view);

    const platformHosts = view.hosts.filter((h) => h.role === 'platform');
    const byPlatform = new Map<'A' | 'B', typeof platformHosts>();
    for (const h of platformHosts) {
      if (!h.platform) throw new StackInputError(`platform host "${h.name}" (${h.source}) has no platform; expected A or B`);
      byPlatform.set(h.platform, [...(byPlatform.get(h.platform) ?? []), h]);
    }
    for (const vm of view.vms) {
      if (!byPlatform.has(vm.platform)) throw new StackInputError(`VM "${vm.name}" is on Virtual Platform ${vm.platform}, which has no hosts in ${view.site}/${view.option ?? '-'}`);
    }
    const managementSources = this.managementSources(view);
    const dnsServers = view.vms.length ? addressesOf(view, view.settings.dns, 'dns') : [];
    const backup = byPlatform.size ? backupTarget(this, view) : null;
    for (const p of [...byPlatform.keys()].sort()) {
      const vms = view.vms.filter((v) => v.platform === p);
      this.platforms.push(new PlatformCluster(this, `platform-${p.toLowerCase()}`, {
        view, platform: p, nodes: byPlatform.get(p)!, vms, dnsServers, managementSources, backupTarget: backup!,
      }));
    }

    const planned = this.platforms.flatMap((c) => c.planned);
    const ceiling = view.hypervisor?.vcpuPerCoreCeiling ?? 1;
    const reserve = view.hypervisor?.hostReserveGB ?? 0;
    jsonOutput(this, 'platform_nodes', 'Platform hosts and the capacity VMs may use on each (vCPU ceiling, RAM after the host reserve)',
      platformHosts.map((h) => ({
        name: h.name, platform: h.platform, cpuCores: h.cpuCores, ramGB: h.ramGB, ip: h.ip, rack: h.rack, ru: h.ru,
        vcpuCapacity: h.cpuCores * ceiling, ramCapacityMB: Math.round((h.ramGB - reserve) * 1024),
      })));
    jsonOutput(this, 'vm_placement', 'Every VM: platform, node, VM ID, size, zone, address, pair, HA',
      planned.map(({ vm, vmId }) => ({
        name: vm.name, role: vm.role, source: vm.source, platform: vm.platform, node: vm.node, vmId, vcpu: vm.vcpu, ramGB: vm.ramGB,
        diskGB: vm.diskGB, subsystem: vm.subsystem, zone: vm.zone, vlan: vm.vlan, ip: vm.ip, ports: vm.ports, pairId: vm.pairId, ha: vm.ha,
      })));
    const pairs: Record<string, string[]> = {};
    for (const vm of view.vms) if (vm.pairId) (pairs[vm.pairId] ??= []).push(vm.name);
    jsonOutput(this, 'redundant_pairs', 'Redundant pairs (rows with a count of 2): members must run on different nodes', pairs);
    jsonOutput(this, 'ha_exemptions', 'VMs not managed by Proxmox HA, with the recorded reason',
      Object.fromEntries(view.vms.filter((v) => !v.ha.required).map((v) => [v.name, v.ha.reason])));
    jsonOutput(this, 'backup_policy', 'Class-4 backup (§3.5.2): schedule, retention, target, off-site copy, integrity checks (project assumption)', {
      ...view.backup,
      jobs: this.platforms.map((c) => c.backupJobId),
    });
  }

  /** Operation PCs: the PCs in the zone(s) the inventory lets reach the management zone. */
  private managementSources(view: SiteView): string[] {
    const mgmtZones = new Set(view.hosts.filter((h) => h.role === 'platform').map((h) => h.zone));
    const from = new Set(view.flows.filter((f) => mgmtZones.has(f.to)).map((f) => f.from));
    return view.devices.filter((d) => d.role === 'pc' && d.zone !== null && from.has(d.zone) && d.ip).map((d) => d.ip!);
  }
}
