// Shapes shared by the platform cluster and its per-domain constructs.
import type { HostView, SiteView, VmView } from '../inventory/index.ts';
import type { HaResource, VirtualEnvironmentVm } from './proxmox/index.ts';

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

