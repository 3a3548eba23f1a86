// One Proxmox VE cluster per virtual platform (A, B): its provider alias, cluster
// options, pools, SDN, firewall, VMs with HA resources and rules, and backup job.
import { StackInputError } from './errors.ts';
import { Construct } from 'constructs';
import type { HostView, SiteView, VmView, Zone } from '../inventory/index.ts';
import { TerraformVariable } from './cdktf.ts';
import { hostGroupRules, zoneGroupRules } from './firewall-plan.ts';
import {
  HOSTS_GROUP, MANAGEMENT_IPSET, UPLINK_BRIDGE, VMID_RANGE, VM_DATASTORE, backupStorage, firstVmId, named,
  sdnZoneId, securityGroupName, templateVmId, vnetId, zoneAlias,
} from './naming.ts';
import {
  BackupJob, ClusterFirewall, ClusterFirewallSecurityGroup, ClusterOptions, FirewallAlias, FirewallIpset, FirewallOptions,
  FirewallRules, HaResource, HaRule, ProxmoxProvider, SdnApplier, SdnSubnet, SdnVnet, SdnZoneVlan, StoragePbs,
  VirtualEnvironmentPool, VirtualEnvironmentVm,
} from './proxmox/index.ts';

export const SUBSYSTEM_TITLES: Record<string, string> = {
  girs: 'GIRS: Government Information Reporting System',
  vedh: 'VEDH: data analysis (Data Analysis and Management Platform)',
  ioc: 'IOC: Government Information Operation Center dashboard',
  ops: 'Operation management (VEMCS) and shared infrastructure services',
  security: 'Security Management Sub-System',
};

export interface PlannedVm {
  vm: VmView;
  vmId: number;
  resource: VirtualEnvironmentVm;
  ha: HaResource | null;
}

export interface PlatformProps {
  view: SiteView;
  platform: 'A' | 'B';
  nodes: HostView[];
  vms: VmView[];
  /** IPs of the site's DNS servers (settings.dns resolved through the inventory). */
  dnsServers: string[];
  /** Addresses allowed to manage the hosts (operation PCs). */
  managementSources: string[];
  /** The site's Proxmox Backup Server the backup jobs write to (one set of credentials per site). */
  backupTarget: BackupTarget;
}

/** The inventory's backup.pbs primary as Proxmox VE sees it; password, fingerprint and encryption key are variables. */
export interface BackupTarget {
  server: string;
  datastore: string;
  username: string;
  password: string;
  fingerprint: string;
  /** Client-side encryption key (proxmox-backup-client key file, JSON): PVE encrypts before sending. */
  encryptionKey: string;
}

/** The stack-wide variables and address of the site's primary backup server. */
export function backupTarget(scope: Construct, view: SiteView): BackupTarget {
  const pbs = view.backup.pbs;
  if (!pbs) throw new StackInputError(`site ${view.site}: no backup.pbs in the inventory; expected the Proxmox Backup Server the class-4 backup jobs write to`);
  const primary = view.hosts.find((h) => h.name === pbs.servers[0]);
  if (!primary?.ip) throw new StackInputError(`backup.pbs.servers[0] "${pbs.servers[0]}" is not a server with an address in ${view.site}/${view.option}; expected a host with an ip`);
  const password = named(new TerraformVariable(scope, 'pbs-password', {
    type: 'string', sensitive: true, nullable: false,
    description: `Password of ${pbs.user} on the Proxmox Backup Server ${primary.name} (datastore ${pbs.datastore})`,
  }), 'pbs_password');
  const fingerprint = named(new TerraformVariable(scope, 'pbs-fingerprint', {
    type: 'string', nullable: false,
    description: `SHA-256 fingerprint of ${primary.name}'s certificate (\`proxmox-backup-manager cert info\` on it)`,
  }), 'pbs_fingerprint');
  // One key per site: both clusters write into the same datastore, and the escrowed key must
  // restore every snapshot (runbooks/backup-key.md). Held by ansible-bridge's pbs_server role.
  const encryptionKey = named(new TerraformVariable(scope, 'pbs-encryption-key', {
    type: 'string', sensitive: true, nullable: false,
    description: `Client-side encryption key of the backups in ${pbs.datastore}: the JSON key file the pbs_server role creates (proxmox-backup-client key create --kdf none); losing it loses the backups`,
  }), 'pbs_encryption_key');
  return {
    server: primary.ip, datastore: pbs.datastore, username: pbs.user,
    password: password.stringValue, fingerprint: fingerprint.stringValue, encryptionKey: encryptionKey.stringValue,
  };
}

const prefixOf = (cidr: string) => Number(cidr.split('/')[1]);

export class PlatformCluster extends Construct {
  readonly provider: ProxmoxProvider;
  readonly planned: PlannedVm[] = [];
  readonly backupJobId: string;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const { view, platform: p, nodes, vms } = props;
    const pl = p.toLowerCase();
    if (props.managementSources.length === 0) {
      throw new StackInputError(`site ${view.site}: no operation PC may reach the management zone of Virtual Platform ${p}; expected PCs (role pc, with ip) in a zone with a flow to the hosts' zone`);
    }
    const nodeNames = nodes.map((n) => n.name);
    for (const vm of vms) {
      if (!nodeNames.includes(vm.node)) {
        throw new StackInputError(`VM "${vm.name}" is placed on node "${vm.node}", which is not a host of Virtual Platform ${p}; expected one of ${nodeNames.join(', ')}`);
      }
      if (!Number.isInteger(vm.vcpu) || vm.vcpu < 1) throw new StackInputError(`VM "${vm.name}" has ${vm.vcpu} vCPU; Proxmox needs a whole number of cores ≥ 1`);
    }

    // Proxmox is driven per cluster endpoint: one aliased provider, credentials from sensitive variables.
    // The endpoint URL is not a secret: marking it sensitive would only hide it in every plan.
    const endpoint = named(new TerraformVariable(this, 'endpoint', {
      type: 'string', nullable: false,
      description: `Proxmox VE API URL of Virtual Platform ${p} (e.g. https://<node>:8006/)`,
    }), 'proxmox_endpoint', pl);
    const token = named(new TerraformVariable(this, 'api-token', {
      type: 'string', sensitive: true, nullable: false,
      description: `Proxmox VE API token of Virtual Platform ${p}: user@realm!tokenid=secret`,
    }), 'proxmox_api_token', pl);
    const template = named(new TerraformVariable(this, 'template', {
      type: 'number', default: templateVmId(p),
      description: `VM ID of the cloud-init template on Virtual Platform ${p} cloned for every VM`,
    }), 'vm_template_id', pl);
    this.provider = new ProxmoxProvider(this, 'provider', { alias: `platform_${pl}`, endpoint: endpoint.stringValue, apiToken: token.stringValue });
    const provider = this.provider;

    const mgmtZone = nodes[0]?.zone;
    const mgmt = view.zones.find((z) => z.name === mgmtZone);
    if (!mgmt) throw new StackInputError(`hosts of Virtual Platform ${p} have no management zone; expected a zone on ${nodeNames.join(', ')}`);

    named(new ClusterOptions(this, 'options', {
      description: `${view.title}, ${view.optionTitle}: Virtual Platform ${p} (${nodeNames.join(', ')})`,
      keyboard: 'en-us',
      language: 'en',
      emailFrom: `pve-${pl}@${view.settings.domain}`,
      migrationType: 'secure',
      migrationCidr: mgmt.cidr,
      // Keep HA guests running through a node shutdown: move them to the other node.
      haShutdownPolicy: 'migrate',
      crsHa: 'static',
      crsHaRebalanceOnStart: true,
      nextId: VMID_RANGE[p],
    }, { provider }), 'cluster_options', pl);

    // Pools: one per subsystem present on this platform.
    const pools = new Map<string, VirtualEnvironmentPool>();
    for (const s of [...new Set(vms.map((v) => v.subsystem))].sort()) {
      pools.set(s, named(new VirtualEnvironmentPool(this, `pool-${s}`, { poolId: s, comment: SUBSYSTEM_TITLES[s] ?? s }, { provider }), 'pool', pl, s));
    }

    // SDN: one VLAN zone on the uplink bridge; one vnet + subnet per network zone with VMs here.
    const zones = new Map(view.zones.map((z) => [z.name, z]));
    const usedZones = [...new Set(vms.map((v) => v.zone))].map((n) => zones.get(n)!).sort((a, b) => a.vlan - b.vlan);
    const sdnZone = named(new SdnZoneVlan(this, 'sdn-zone', { id: sdnZoneId(view.site), bridge: UPLINK_BRIDGE, nodes: nodeNames }, { provider }), 'sdn_zone', pl);
    const vnets: SdnVnet[] = [];
    const subnets: SdnSubnet[] = [];
    for (const z of usedZones) {
      const vnet = named(new SdnVnet(this, `vnet-${z.name}`, { id: vnetId(z.vlan), zone: sdnZone.args.id, tag: z.vlan, alias: z.name }, { provider, dependsOn: [sdnZone] }), 'vnet', pl, z.name);
      vnets.push(vnet);
      subnets.push(named(new SdnSubnet(this, `subnet-${z.name}`, { vnet: vnet.args.id, cidr: z.cidr, gateway: z.gateway }, { provider, dependsOn: [vnet] }), 'subnet', pl, z.name));
    }
    const applier = named(new SdnApplier(this, 'sdn-apply', { onCreate: true, onDestroy: true }, {
      provider,
      dependsOn: [sdnZone, ...vnets, ...subnets],
      // Plain references: Terraform's JSON syntax takes no ${…} here (cdktf would render fqn tokens).
      lifecycle: { replaceTriggeredBy: [sdnZone, ...vnets, ...subnets].map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`) },
    }), 'sdn_applier', pl);

    // Firewall: aliases per zone, the management IP set, a security group per VM zone and one for the hosts.
    const aliases = view.zones.map((z) => named(new FirewallAlias(this, `alias-${z.name}`, { name: zoneAlias(z.name), cidr: z.cidr, comment: z.purpose }, { provider }), 'alias', pl, z.name));
    const mgmtSet = named(new FirewallIpset(this, 'management', {
      name: MANAGEMENT_IPSET,
      comment: 'Operation management PCs: the only sources allowed to the GUI/API and SSH of the hosts',
      cidr: [...props.managementSources].sort().map((ip) => ({ name: ip, comment: 'operation management PC' })),
    }, { provider }), 'ipset', pl, MANAGEMENT_IPSET);
    const groups = new Map<string, ClusterFirewallSecurityGroup>();
    for (const z of usedZones) {
      groups.set(z.name, named(new ClusterFirewallSecurityGroup(this, `sg-${z.name}`, {
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

    // VMs, in inventory order; VM IDs follow that order inside the platform's range.
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
        clone: { vmId: template.numberValue, full: true, datastoreId: VM_DATASTORE },
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

    // Class 4 (§3.5.2): fault-tolerant backup, daily, to the Proxmox Backup Server datastore on the SAN.
    // The PBS side (datastore, prune, verify, replica and off-site sync) is ansible-bridge's pbs_server role.
    const t = props.backupTarget;
    const storage = named(new StoragePbs(this, 'backup-storage', {
      id: backupStorage(view.site), server: t.server, datastore: t.datastore, username: t.username,
      password: t.password, fingerprint: t.fingerprint, encryptionKey: t.encryptionKey,
    }, { provider }), 'pbs_storage', pl);
    const r = view.backup.retention;
    this.backupJobId = `daily-${view.site}-${pl}`;
    named(new BackupJob(this, 'backup', {
      id: this.backupJobId,
      schedule: view.backup.schedule,
      storage: backupStorage(view.site),
      all: true,
      mode: 'snapshot',
      compress: 'zstd',
      enabled: true,
      repeatMissed: true,
      notesTemplate: '{{guestname}} on {{node}} ({{cluster}})',
      pruneBackups: { 'keep-daily': String(r.daily), 'keep-weekly': String(r.weekly), 'keep-monthly': String(r.monthly) },
      fleecing: { enabled: true, storage: VM_DATASTORE },
    }, { provider, dependsOn: [storage] }), 'backup_job', pl);
  }
}
