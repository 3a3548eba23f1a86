// Ansible's public face for the audit: which role variable, task or template implements each
// security/availability control, read from the role files (the configuration operators run),
// not from the inventory's words. `where` is `ansible-bridge/<file>: <key>`.
// See docs/adr/0012-audit-reads-configuration.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_DIR } from './source.ts';

export type AnsibleControl = 'backup-verification' | 'offsite-copy' | 'offsite-encrypted-only' | 'backup-key' | 'tls' | 'log-shipping';

export interface ControlEvidence {
  control: AnsibleControl;
  ok: boolean;
  where: string;
  detail: string;
}

/** The role files the evidence is read from: YAML parsed, templates as text. */
export const EVIDENCE_FILES = [
  'roles/pbs_server/tasks/main.yml', 'roles/pbs_server/defaults/main.yml', 'roles/pbs_server/tasks/encryption-key.yml',
  'roles/baseline/templates/rsyslog-coc.conf.j2', 'roles/baseline/defaults/main.yml',
  'roles/patroni/templates/patroni.yml.j2', 'roles/patroni/defaults/main.yml', 'roles/etcd/defaults/main.yml',
  'roles/pg_standalone/templates/coc.conf.j2', 'roles/pg_standalone/defaults/main.yml',
] as const;

export type AnsibleConfig = Record<(typeof EVIDENCE_FILES)[number], unknown>;

export function readAnsibleConfig(dir = join(REPO_DIR, 'ansible-bridge')): AnsibleConfig {
  return Object.fromEntries(EVIDENCE_FILES.map((f) => {
    let text: string;
    try {
      text = readFileSync(join(dir, f), 'utf8');
    } catch {
      return [f, null];
    }
    return [f, f.endsWith('.j2') ? text : parse(text)];
  })) as AnsibleConfig;
}

type Obj = Record<string, any>;
/** Every object anywhere in a parsed YAML document. */
function objects(doc: unknown): Obj[] {
  if (Array.isArray(doc)) return doc.flatMap(objects);
  if (doc && typeof doc === 'object') return [doc as Obj, ...Object.values(doc).flatMap(objects)];
  return [];
}
const at = (file: string, key: string) => `ansible-bridge/${file}: ${key}`;
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const defaults = (cfg: AnsibleConfig, file: keyof AnsibleConfig): Obj => (cfg[file] && typeof cfg[file] === 'object' ? (cfg[file] as Obj) : {});

export function ansibleControls(cfg: AnsibleConfig, site: string): ControlEvidence[] {
  const out: ControlEvidence[] = [];
  const pbsTasks = 'roles/pbs_server/tasks/main.yml' as const;
  const pbsDefaults = defaults(cfg, 'roles/pbs_server/defaults/main.yml');
  const jobs = objects(cfg[pbsTasks]).filter((o) => typeof o.kind === 'string' && o.props && typeof o.props === 'object');

  if (site === 'oog') {
    for (const j of jobs.filter((o) => o.kind === 'verify-job')) {
      out.push({
        control: 'backup-verification', ok: !!j.props.schedule && !!j.props.store, where: at(pbsTasks, `verify-job ${j.id} props.schedule`),
        detail: `PBS verify job on store ${j.props.store} at ${j.props.schedule} (pbs_verify_schedule = ${JSON.stringify(pbsDefaults.pbs_verify_schedule ?? null)}), outdated-after ${j.props['outdated-after'] ?? '-'}`,
      });
    }
    for (const j of jobs.filter((o) => o.kind === 'sync-job' && o.props['sync-direction'] === 'push')) {
      out.push({
        control: 'offsite-copy', ok: !!j.props.remote && !!j.props.schedule, where: at(pbsTasks, `sync-job ${j.id} props.sync-direction`),
        detail: `PBS push sync job to ${j.props.remote}:${j.props['remote-store']} at ${j.props.schedule}`,
      });
      const enc = j.props['encrypted-only'];
      const on = enc !== undefined && (enc === true || /pbs_offsite_encrypted_only/.test(String(enc))) && pbsDefaults.pbs_offsite_encrypted_only === true;
      out.push({
        control: 'offsite-encrypted-only', ok: on, where: at(pbsTasks, `sync-job ${j.id} props.encrypted-only`),
        detail: on ? `only encrypted snapshots are pushed (pbs_offsite_encrypted_only = ${pbsDefaults.pbs_offsite_encrypted_only})` : 'not set: the push job would also move unencrypted snapshots',
      });
    }
    // A role file that is absent implements nothing: no citation at all (the audit says "not configured").
    if (cfg['roles/pbs_server/tasks/encryption-key.yml']) {
      const keyTasks = objects(cfg['roles/pbs_server/tasks/encryption-key.yml']).filter((o) => o['ansible.builtin.command']);
      const creates = keyTasks.some((t) => JSON.stringify(t['ansible.builtin.command']).includes('"create"'));
    out.push({
      control: 'backup-key', ok: creates && !!pbsDefaults.pbs_encryption_key_file, where: at('roles/pbs_server/tasks/encryption-key.yml', 'proxmox-backup-client key create'),
      detail: creates ? `the role keeps the key at pbs_encryption_key_file = ${JSON.stringify(pbsDefaults.pbs_encryption_key_file)} and creates it on the first run that finds none` : 'no task creates or keeps the backup encryption key',
    });
    }

    const patroni = text(cfg['roles/patroni/templates/patroni.yml.j2']);
    const pd = defaults(cfg, 'roles/patroni/defaults/main.yml');
    if (patroni) out.push({
      control: 'tls', ok: /ssl: "on"/.test(patroni) && /hostssl all all/.test(patroni) && !!pd.patroni_pg_ssl_cert_file, where: at('roles/patroni/templates/patroni.yml.j2', 'postgresql.parameters.ssl, pg_hba hostssl'),
      detail: `PostgreSQL TLS with ${JSON.stringify(pd.patroni_pg_ssl_cert_file ?? null)}; application networks connect with hostssl only`,
    });
    const ed = defaults(cfg, 'roles/etcd/defaults/main.yml');
    if (cfg['roles/etcd/defaults/main.yml']) out.push({
      control: 'tls', ok: !!ed.etcd_tls_cert_file && /https/.test(String(ed.etcd_scheme ?? '')), where: at('roles/etcd/defaults/main.yml', 'etcd_tls_cert_file'),
      detail: `etcd client and peer TLS with ${JSON.stringify(ed.etcd_tls_cert_file ?? null)}`,
    });
  } else {
    const conf = text(cfg['roles/pg_standalone/templates/coc.conf.j2']);
    if (conf) out.push({
      control: 'tls', ok: /^ssl = on$/m.test(conf), where: at('roles/pg_standalone/templates/coc.conf.j2', 'ssl'),
      detail: /^ssl = on$/m.test(conf) ? 'PostgreSQL TLS on the CCOP Database server' : 'ssl is not on',
    });
  }
  const rsyslog = text(cfg['roles/baseline/templates/rsyslog-coc.conf.j2']);
  const bd = defaults(cfg, 'roles/baseline/defaults/main.yml');
  const forward = /action\(type="omfwd"[^)]*StreamDriver="gtls"[^)]*StreamDriverMode="1"/s.test(rsyslog);
  if (!rsyslog) return out;
  out.push({
    control: 'log-shipping', ok: forward && !!bd.baseline_log_servers, where: at('roles/baseline/templates/rsyslog-coc.conf.j2', 'action(type="omfwd" StreamDriver="gtls")'),
    detail: forward ? `every Linux host forwards syslog over TLS (port ${bd.baseline_log_port}) to baseline_log_servers = ${JSON.stringify(bd.baseline_log_servers ?? null)}, disk-queued` : 'no TLS forwarding action',
  });
  out.push({
    control: 'tls', ok: forward, where: at('roles/baseline/templates/rsyslog-coc.conf.j2', 'StreamDriver="gtls"'),
    detail: forward ? 'syslog over TLS (RFC 5425) with x509/name peer authentication' : 'syslog forwarding without TLS',
  });
  return out;
}
