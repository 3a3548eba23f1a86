// proxmox_virtual_environment_vm: the current (non-experimental, non-deprecated)
// VM resource. Only the argument subset the stacks need is typed.
import type { Construct } from 'constructs';
import type { TerraformMetaArguments } from '../cdktf.ts';
import { ProxmoxResource } from './base.ts';

export interface VmDisk {
  interface: string;
  datastoreId?: string;
  size?: number;
  fileFormat?: string;
  discard?: string;
  iothread?: boolean;
  ssd?: boolean;
  cache?: string;
  backup?: boolean;
  replicate?: boolean;
}

export interface VmNetworkDevice {
  bridge?: string;
  vlanId?: number;
  model?: string;
  firewall?: boolean;
  macAddress?: string;
  mtu?: number;
  enabled?: boolean;
}

export interface VmIpConfig {
  ipv4?: { address?: string; gateway?: string };
  ipv6?: { address?: string; gateway?: string };
}

export interface VmInitialization {
  datastoreId?: string;
  interface?: string;
  dns?: { domain?: string; servers?: string[] };
  ipConfig?: VmIpConfig[];
  userAccount?: { username?: string; keys?: string[] };
  userDataFileId?: string;
}

export interface VmArgs {
  nodeName: string;
  name?: string;
  vmId?: number;
  description?: string;
  /** Sorted by the caller: Proxmox returns tags sorted, unsorted input drifts. */
  tags?: string[];
  poolId?: string;
  onBoot?: boolean;
  started?: boolean;
  protection?: boolean;
  stopOnDestroy?: boolean;
  scsiHardware?: string;
  machine?: string;
  bios?: string;
  agent?: { enabled?: boolean; trim?: boolean; type?: string; timeout?: string };
  clone?: { vmId: number; nodeName?: string; datastoreId?: string; full?: boolean; retries?: number };
  cpu?: { cores?: number; sockets?: number; type?: string; numa?: boolean; limit?: number; units?: number };
  memory?: { dedicated?: number; floating?: number; shared?: number };
  disk?: VmDisk[];
  networkDevice?: VmNetworkDevice[];
  initialization?: VmInitialization;
  operatingSystem?: { type?: string };
  startup?: { order?: number; upDelay?: number; downDelay?: number };
}

export class VirtualEnvironmentVm extends ProxmoxResource<VmArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_vm';
  constructor(scope: Construct, id: string, args: VmArgs, meta?: TerraformMetaArguments) {
    super(scope, id, VirtualEnvironmentVm.tfResourceType, args, meta);
  }
}
