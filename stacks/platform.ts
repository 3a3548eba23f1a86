// One Proxmox VE cluster per virtual platform (A, B): its provider alias, cluster options and
// pools here; SDN, firewall, VMs (with HA and pairs) and backup as constructs of their own.
import { StackInputError } from './errors.ts';
import { Construct } from 'constructs';
import type { SiteView } from '../inventory/index.ts';
import { TerraformVariable } from './cdktf.ts';
import { VMID_RANGE, named, templateVmId } from './naming.ts';
import { PlatformBackup } from './platform-backup.ts';
import { PlatformFirewall } from './platform-firewall.ts';
import type { BackupTarget, PlannedVm, PlatformProps } from './platform-types.ts';
import { PlatformSdn } from './platform-sdn.ts';
import { PlatformVms } from './platform-vms.ts';
import { ClusterOptions, ProxmoxProvider, VirtualEnvironmentPool } from './proxmox/index.ts';
import { SUBSYSTEM_TITLES } from './platform-types.ts';

export { SUBSYSTEM_TITLES, type BackupTarget, type PlannedVm, type PlatformProps } from './platform-types.ts';

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

export class PlatformCluster extends Construct {
  readonly provider: ProxmoxProvider;
  readonly planned: PlannedVm[];
  readonly backupJobId: string;
  readonly sdn: PlatformSdn;
  readonly firewall: PlatformFirewall;
  readonly vms: PlatformVms;
  readonly backup: PlatformBackup;

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
    this.sdn = new PlatformSdn(this, 'sdn', { view, pl, provider, nodeNames, usedZones });
    this.firewall = new PlatformFirewall(this, 'firewall', { view, p, pl, provider, mgmt, usedZones, managementSources: props.managementSources });
    this.vms = new PlatformVms(this, 'vms', {
      view, p, pl, provider, nodeNames, vms, zones, dnsServers: props.dnsServers, templateVmId: template.numberValue,
      applier: this.sdn.applier, pools, groups: this.firewall.groups,
    });
    this.planned = this.vms.planned;
    this.backup = new PlatformBackup(this, 'backup', { view, pl, provider, backupTarget: props.backupTarget });
    this.backupJobId = this.backup.backupJobId;
  }
}
