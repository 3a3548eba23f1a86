// Cluster-wide bpg/proxmox resources: options, pools, HA (PVE 9 rules) and backup jobs.
import type { Construct } from 'constructs';
import type { TerraformMetaArguments } from '../cdktf.ts';
import { ProxmoxResource, verbatim } from './base.ts';

export interface ClusterOptionsArgs {
  description?: string;
  keyboard?: string;
  language?: string;
  console?: string;
  emailFrom?: string;
  macPrefix?: string;
  maxWorkers?: number;
  migrationCidr?: string;
  migrationType?: 'secure' | 'insecure';
  haShutdownPolicy?: 'freeze' | 'failover' | 'conditional' | 'migrate';
  crsHa?: 'basic' | 'static';
  crsHaRebalanceOnStart?: boolean;
  nextId?: { lower?: number; upper?: number };
  bandwidthLimitMigration?: number;
}

export class ClusterOptions extends ProxmoxResource<ClusterOptionsArgs> {
  static readonly tfResourceType = 'proxmox_cluster_options';
  constructor(scope: Construct, id: string, args: ClusterOptionsArgs, meta?: TerraformMetaArguments) {
    super(scope, id, ClusterOptions.tfResourceType, args, meta);
  }
}

export interface PoolArgs {
  poolId: string;
  comment?: string;
}

/** The pool resource's current name keeps the long prefix (no short alias exists in v0.111). */
export class VirtualEnvironmentPool extends ProxmoxResource<PoolArgs> {
  static readonly tfResourceType = 'proxmox_virtual_environment_pool';
  constructor(scope: Construct, id: string, args: PoolArgs, meta?: TerraformMetaArguments) {
    super(scope, id, VirtualEnvironmentPool.tfResourceType, args, meta);
  }
}

export interface HaResourceArgs {
  /** `vm:<vmid>` */
  resourceId: string;
  state?: 'started' | 'stopped' | 'disabled' | 'ignored';
  comment?: string;
  maxRestart?: number;
  maxRelocate?: number;
  failback?: boolean;
  type?: 'vm' | 'ct';
}

export class HaResource extends ProxmoxResource<HaResourceArgs> {
  static readonly tfResourceType = 'proxmox_haresource';
  constructor(scope: Construct, id: string, args: HaResourceArgs, meta?: TerraformMetaArguments) {
    super(scope, id, HaResource.tfResourceType, args, meta);
  }
}

interface HaRuleCommon {
  rule: string;
  resources: string[];
  comment?: string;
  disable?: boolean;
}
export interface NodeAffinityRuleArgs extends HaRuleCommon {
  type: 'node-affinity';
  /** node name → priority (higher runs first). */
  nodes: Record<string, number>;
  strict?: boolean;
}
export interface ResourceAffinityRuleArgs extends HaRuleCommon {
  type: 'resource-affinity';
  affinity: 'positive' | 'negative';
}
export type HaRuleArgs = NodeAffinityRuleArgs | ResourceAffinityRuleArgs;

/** PVE 9 HA rule (replaces HA groups). */
export class HaRule extends ProxmoxResource<object> {
  static readonly tfResourceType = 'proxmox_harule';
  readonly rule: HaRuleArgs;
  constructor(scope: Construct, id: string, args: HaRuleArgs, meta?: TerraformMetaArguments) {
    const wire = args.type === 'node-affinity' ? { ...args, nodes: verbatim(args.nodes) } : args;
    super(scope, id, HaRule.tfResourceType, wire, meta);
    this.rule = args;
  }
}

export interface BackupJobArgs {
  id: string;
  /** systemd calendar event, e.g. `*-*-* 01:30` */
  schedule: string;
  storage: string;
  all?: boolean;
  vmid?: string[];
  pool?: string;
  node?: string;
  mode?: 'snapshot' | 'suspend' | 'stop';
  compress?: '0' | '1' | 'gzip' | 'lzo' | 'zstd';
  enabled?: boolean;
  mailnotification?: 'always' | 'failure';
  mailto?: string[];
  notesTemplate?: string;
  /** keep-daily, keep-weekly, … → count (as strings, as the provider expects). */
  pruneBackups?: Record<string, string>;
  protected?: boolean;
  repeatMissed?: boolean;
  fleecing?: { enabled?: boolean; storage?: string };
}

export class BackupJob extends ProxmoxResource<object> {
  static readonly tfResourceType = 'proxmox_backup_job';
  readonly job: BackupJobArgs;
  constructor(scope: Construct, id: string, args: BackupJobArgs, meta?: TerraformMetaArguments) {
    const wire = args.pruneBackups ? { ...args, pruneBackups: verbatim(args.pruneBackups) } : args;
    super(scope, id, BackupJob.tfResourceType, wire, meta);
    this.job = args;
  }
}

export interface StoragePbsArgs {
  /** Storage ID the backup jobs name. */
  id: string;
  server: string;
  datastore: string;
  /** PBS user@realm the cluster authenticates as. */
  username: string;
  password: string;
  /** SHA-256 fingerprint of the PBS certificate (self-signed by default). */
  fingerprint?: string;
  /** Client-side encryption key (JSON key file content); a sensitive variable only. */
  encryptionKey?: string;
  namespace?: string;
  nodes?: string[];
  disable?: boolean;
}

/** Proxmox Backup Server as a Proxmox VE storage (current name; not the deprecated `virtual_environment_storage_pbs`). */
export class StoragePbs extends ProxmoxResource<StoragePbsArgs> {
  static readonly tfResourceType = 'proxmox_storage_pbs';
  constructor(scope: Construct, id: string, args: StoragePbsArgs, meta?: TerraformMetaArguments) {
    super(scope, id, StoragePbs.tfResourceType, args, meta);
  }
}
