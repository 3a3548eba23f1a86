// Stable names for what the stacks create. Terraform logical IDs are overridden with
// readable names (no construct-path hashes), so plans and policy output name VMs plainly.
import { StackInputError } from './errors.ts';
import type { TerraformElement } from './cdktf.ts';

/** Terraform block name: letters, digits, underscores (hyphens would also do, but `_` reads better in HCL refs). */
export function tfName(...parts: string[]): string {
  const s = parts.join('_').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  return /^[a-z_]/.test(s) ? s : `_${s}`;
}

export function named<T extends TerraformElement>(el: T, ...parts: string[]): T {
  el.overrideLogicalId(tfName(...parts));
  return el;
}

/**
 * VM IDs are unique across both platform clusters of a site: both clusters back up to
 * the same Proxmox Backup Server datastore, where backup groups are keyed by VM ID.
 * Platform A uses 1000–1999, B 2000–2999; the top of each range holds the template.
 */
export const VMID_RANGE: Record<'A' | 'B', { lower: number; upper: number }> = {
  A: { lower: 1000, upper: 1999 },
  B: { lower: 2000, upper: 2999 },
};
export const firstVmId = (p: 'A' | 'B') => VMID_RANGE[p].lower + 101;
export const templateVmId = (p: 'A' | 'B') => VMID_RANGE[p].upper;

/** Proxmox SDN IDs: at most 8 letters/digits. One vnet per zone VLAN, e.g. `v110`. */
export const vnetId = (vlan: number) => `v${vlan}`;
export function sdnZoneId(site: string): string {
  const id = `z${site.replace(/[^a-z0-9]/g, '')}`.slice(0, 8);
  return id;
}

/** Proxmox firewall group names are limited to 18 characters. */
export function securityGroupName(zone: string): string {
  const name = `zone-${zone}`;
  if (name.length > 18) throw new StackInputError(`security group name "${name}" for zone "${zone}" exceeds Proxmox's 18 characters; shorten the zone name`);
  return name;
}
export const zoneAlias = (zone: string) => `net-${zone}`;
/** Proxmox's special cluster IP set: the only sources allowed to reach the GUI/API and SSH of the hosts. */
export const MANAGEMENT_IPSET = 'management';
export const HOSTS_GROUP = 'pve-hosts';

/** Storage IDs configured on every platform node (the SAN LUN and the Proxmox Backup Server). */
export const VM_DATASTORE = 'san-lvm';
export const backupStorage = (site: string) => `pbs-${site}`;
/** Uplink bridge present on every node; SDN VLAN zones tag on top of it. */
export const UPLINK_BRIDGE = 'vmbr0';
