// Class 4 (§3.5.2): fault-tolerant backup, daily, to the Proxmox Backup Server datastore on the
// SAN, encrypted on the node. The PBS side (datastore, prune, verify, replica and off-site sync)
// is ansible-bridge's pbs_server role.
import { Construct } from 'constructs';
import type { SiteView } from '../inventory/index.ts';
import { VM_DATASTORE, backupStorage, named } from './naming.ts';
import { BackupJob, StoragePbs, type ProxmoxProvider } from './proxmox/index.ts';
import type { BackupTarget } from './platform-types.ts';

export interface PlatformBackupProps {
  view: SiteView;
  pl: string;
  provider: ProxmoxProvider;
  backupTarget: BackupTarget;
}

export class PlatformBackup extends Construct {
  readonly backupJobId: string;

  constructor(scope: Construct, id: string, props: PlatformBackupProps) {
    super(scope, id);
    const { view, pl, provider } = props;
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
    }, { provider, dependsOn: [storage] }), 'backup_job', pl);  }
}
