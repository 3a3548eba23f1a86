// Every check that claims a security or availability control cites the configuration that
// implements it, and removing that one argument, variable or template line turns its verdict.
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../inventory/index.ts';
import { expectedRowsOf, runAudit, viewsOf } from '../audit.ts';
import { EVIDENCE_FILES, type AnsibleConfig } from '../../ansible-bridge/evidence.ts';
import { configSources, type ConfigSources } from './config.ts';
import type { AuditContext } from './context.ts';

const inv = loadInventory();
function setup(site: string, option?: string) {
  const { view, views } = viewsOf(inv, site, option);
  const base = { view, views, expectedRows: expectedRowsOf(inv, view), sizing: { error: 'not needed here' } } as Omit<AuditContext, 'lines'>;
  const real = configSources({ ...base, lines: [] });
  const verdict = (id: string, edit?: (c: ConfigSources & { stack: { tf: any } }) => void) => {
    const config = structuredClone(real) as ConfigSources & { stack: { tf: any } };
    edit?.(config);
    const c = runAudit({ ...base, config }).checks.find((x) => x.id === id);
    if (!c) throw new Error(`no check ${id}`);
    return c;
  };
  return { real, verdict };
}
const oog = setup('oog', '2');
type Task = { props?: Record<string, unknown>; kind?: string; loop?: Task[]; block?: Task[] };
/** The pbs_server tasks' loop items (jobs), wherever they sit. */
function jobs(a: AnsibleConfig): Task[] {
  const walk = (x: unknown): Task[] => (Array.isArray(x) ? x.flatMap(walk) : x && typeof x === 'object' ? [x as Task, ...Object.values(x).flatMap(walk)] : []);
  return walk(a['roles/pbs_server/tasks/main.yml']).filter((t) => typeof t.kind === 'string' && t.props);
}
function dropJob(a: AnsibleConfig, kind: string) {
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) { for (let i = x.length - 1; i >= 0; i--) if ((x[i] as Task)?.kind === kind) x.splice(i, 1); x.forEach(walk); }
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(a['roles/pbs_server/tasks/main.yml']);
}

describe('control checks cite the configuration and turn when it goes', () => {
  it('the configuration is the synthesized stack and the role files', () => {
    expect('tf' in oog.real.stack && oog.real.stack.name).toBe('oog-option2');
    expect(Object.keys(oog.real.ansible).sort()).toEqual([...EVIDENCE_FILES].sort());
  });

  it('security.backup-encryption: proxmox_storage_pbs encryption_key', () => {
    const ok = oog.verdict('security.backup-encryption');
    expect(ok.status).toBe('pass');
    expect(ok.evidence.join('\n')).toContain('configured: oog-option2/proxmox_storage_pbs.pbs_storage_a/encryption_key');
    const bad = oog.verdict('security.backup-encryption', (c) => { delete c.stack.tf.resource.proxmox_storage_pbs.pbs_storage_a.encryption_key; });
    expect(bad.status).toBe('warn');
    expect(bad.evidence.join('\n')).toMatch(/NOT configured: oog-option2\/proxmox_storage_pbs\.pbs_storage_a\/encryption_key.*\n[\s\S]*warn: not configured: client-side backup encryption/);
  });

  it('availability.offsite: the push job, encrypted-only, and client-side encryption', () => {
    expect(oog.verdict('availability.offsite').status).toBe('pass');
    expect(oog.verdict('availability.offsite').evidence.join('\n')).toContain('configured: ansible-bridge/roles/pbs_server/tasks/main.yml: sync-job push-{{ pbs_offsite.remote }} props.encrypted-only');
    const noEncOnly = oog.verdict('availability.offsite', (c) => { for (const j of jobs(c.ansible)) delete j.props!['encrypted-only']; });
    expect(noEncOnly.status).toBe('warn');
    expect(noEncOnly.evidence.join('\n')).toContain('NOT configured: ansible-bridge/roles/pbs_server/tasks/main.yml: sync-job push-{{ pbs_offsite.remote }} props.encrypted-only');
    expect(oog.verdict('availability.offsite', (c) => { for (const j of jobs(c.ansible)) if (j.props!['sync-direction'] === 'push') delete j.props!['sync-direction']; }).status).toBe('warn');
    expect(oog.verdict('availability.offsite', (c) => { delete c.stack.tf.resource.proxmox_storage_pbs.pbs_storage_b.encryption_key; }).status).toBe('warn');
  });

  it('availability.backup: proxmox_backup_job schedule and prune_backups', () => {
    const ok = oog.verdict('availability.backup');
    expect(ok.status).toBe('pass');
    expect(ok.evidence.join('\n')).toContain('configured: oog-option2/proxmox_backup_job.backup_job_a/prune_backups — keep-daily 14');
    expect(oog.verdict('availability.backup', (c) => { delete c.stack.tf.resource.proxmox_backup_job.backup_job_a.prune_backups; }).status).toBe('warn');
    expect(oog.verdict('availability.backup', (c) => { delete c.stack.tf.resource.proxmox_backup_job.backup_job_b.schedule; }).status).toBe('warn');
  });

  it('availability.integrity: the PBS verify job, not the inventory sentence', () => {
    const ok = oog.verdict('availability.integrity');
    expect(ok.status).toBe('pass');
    expect(ok.evidence.join('\n')).toContain('configured: ansible-bridge/roles/pbs_server/tasks/main.yml: verify-job verify-{{ pbs_datastore }} props.schedule');
    const bad = oog.verdict('availability.integrity', (c) => dropJob(c.ansible, 'verify-job'));
    expect(bad.status).toBe('warn');
    expect(bad.evidence.join('\n')).toContain('warn: not configured: backup verification');
  });

  it('availability.ha: an HA resource per HA-required VM, anti-affinity per pair', () => {
    expect(oog.verdict('availability.ha').status).toBe('pass');
    const noHa = oog.verdict('availability.ha', (c) => { delete c.stack.tf.resource.proxmox_haresource.ha_girs_web_01; });
    expect(noHa.status).toBe('warn');
    expect(noHa.evidence.join('\n')).toContain('girs-web-01 (vm:1101) must keep running but is no HA resource');
    expect(oog.verdict('availability.ha', (c) => { delete c.stack.tf.resource.proxmox_harule.ha_anti_affinity_security_management; }).status).toBe('warn');
  });

  it('security.db-isolation: firewalls drop by default and no DMZ → DB rule', () => {
    expect(oog.verdict('security.db-isolation').status).toBe('pass');
    expect(oog.verdict('security.db-isolation', (c) => { c.stack.tf.resource.proxmox_virtual_environment_cluster_firewall.cluster_firewall_a.input_policy = 'ACCEPT'; }).status).toBe('warn');
    const leak = oog.verdict('security.db-isolation', (c) => {
      const g = Object.values<any>(c.stack.tf.resource.proxmox_virtual_environment_cluster_firewall_security_group).find((x) => x.name === 'zone-dmz');
      g.rule.push({ type: 'out', action: 'ACCEPT', source: 'net-dmz', dest: 'net-db', proto: 'tcp', dport: '5432' });
    });
    expect(leak.status).toBe('warn');
  });

  it('security.tls: PostgreSQL ssl and hostssl, etcd TLS, syslog over TLS', () => {
    expect(oog.verdict('security.tls').status).toBe('pass');
    expect(oog.verdict('security.tls', (c) => { c.ansible['roles/patroni/templates/patroni.yml.j2'] = String(c.ansible['roles/patroni/templates/patroni.yml.j2']).replace('ssl: "on"', 'ssl: "off"'); }).status).toBe('warn');
    expect(oog.verdict('security.tls', (c) => { (c.ansible['roles/etcd/defaults/main.yml'] as any).etcd_tls_cert_file = ''; }).status).toBe('warn');
    const ccop = setup('ccop');
    expect(ccop.verdict('security.tls').status).toBe('pass');
    expect(ccop.verdict('security.tls', (c) => { c.ansible['roles/pg_standalone/templates/coc.conf.j2'] = String(c.ansible['roles/pg_standalone/templates/coc.conf.j2']).replace('ssl = on', 'ssl = off'); }).status).toBe('warn');
  });

  it('security.log-shipping: the rsyslog TLS forwarding action', () => {
    expect(oog.verdict('security.log-shipping').status).toBe('pass');
    expect(oog.verdict('security.log-shipping', (c) => { c.ansible['roles/baseline/templates/rsyslog-coc.conf.j2'] = String(c.ansible['roles/baseline/templates/rsyslog-coc.conf.j2']).replaceAll('StreamDriver="gtls"', 'StreamDriver="ptcp"'); }).status).toBe('warn');
  });

  it('a control claimed only in prose is "warn: not configured"', () => {
    const none = { stack: { error: 'no stack' }, ansible: Object.fromEntries(EVIDENCE_FILES.map((f) => [f, null])) } as unknown as ConfigSources;
    for (const id of ['availability.offsite', 'availability.integrity', 'availability.ha', 'availability.backup', 'security.backup-encryption', 'security.tls', 'security.db-isolation', 'security.log-shipping']) {
      const c = oog.verdict(id, (cfg) => Object.assign(cfg, none));
      expect(c.status, id).toBe('warn');
      expect(c.evidence.join('\n'), id).toMatch(/warn: not configured: .*no synthesized resource, Ansible variable or template implements it \(the stack could not be synthesized: no stack\)/);
    }
    // Transparent database encryption is bought (a middleware line) but configured nowhere.
    const enc = oog.verdict('security.encryption');
    expect(enc.status).toBe('warn');
    expect(enc.evidence.join('\n')).toContain('warn: not configured: transparent database encryption');
  });
});
