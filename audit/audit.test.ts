import { describe, expect, it } from 'vitest';
import { loadInventory, type SiteView } from '../inventory/index.ts';
import { exitCode, expectedRowsOf, runAudit, toJson, viewsOf, type AuditResult } from './audit.ts';
import type { AuditContext } from './checks/context.ts';
import { REQUIREMENTS } from './requirements.ts';

const inv = loadInventory();
const NO_SIZING = { error: 'not used in this test' } as const;

function audit(site: string, option: string | undefined, mutate?: (v: SiteView) => void, sizing: AuditContext['sizing'] = NO_SIZING): AuditResult {
  const { view, views } = viewsOf(inv, site, option);
  const copy = structuredClone(view);
  mutate?.(copy);
  return runAudit({ view: copy, views: views.map((v) => (v === view ? copy : v)), expectedRows: expectedRowsOf(inv, view), sizing });
}
const status = (r: AuditResult, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id}`);
  return c.status;
};

describe('bill and Table 34', () => {
  it('reproduces Table 34 for option 2 and explains option 1 network devices', () => {
    const r2 = audit('oog', '2');
    expect(r2.summary).toEqual({ hostServers: 4, virtualServers: 12, dbServers: 3, storageDevices: 1, networkDevices: 30, displays: 12 });
    expect(r2.published).toEqual({ hostServers: 4, virtualServers: 12, dbServers: 3, storageDevices: 1, networkDevices: 30, displays: 12 });
    const r1 = audit('oog', '1');
    expect(r1.summary.networkDevices).toBe(20);
    expect(r1.published.networkDevices).toBe(18);
    const net = r1.counting.rules.filter((x) => x.key === 'networkDevices');
    const of = (rule: string) => net.find((x) => x.rule === rule)!.options.map((o) => o.count);
    expect(of('fw+l2+l3')).toEqual([18, 28]);
    expect(of('fw+l2+l3+fc')).toEqual([20, 30]);
    expect(of('fw+l2+l3+sensor')).toEqual([19, 30]);
    expect(r1.counting.verdicts.find((v) => v.key === 'networkDevices')!.oneRule).toBeNull();
    expect(status(r1, 'bom.table34')).toBe('warn');
  });

  it('CCOP has no Table 34: published counts are null', () => {
    const r = audit('ccop', undefined);
    expect(Object.values(r.published).every((v) => v === null)).toBe(true);
    expect(r.checks.find((c) => c.id === 'bom.table34')).toBeUndefined();
  });

  it('a removed host makes Table 34 fail; a duplicated row fails the trace', () => {
    const r = audit('oog', '2', (v) => { v.hosts = v.hosts.filter((h) => h.name !== 'oog-vpa-02'); });
    expect(status(r, 'bom.table34')).toBe('fail');
    const d = audit('oog', '2', (v) => { v.rows.push(structuredClone(v.rows[0]!)); });
    expect(status(audit('oog', '2'), 'bom.rows')).toBe('pass');
    expect(status(d, 'bom.rows')).toBe('fail');
    expect(d.checks.find((c) => c.id === 'bom.rows')!.evidence.join()).toMatch(/Table 37 #1 appears 2 times/);
  });
});

describe('availability', () => {
  it('option 1 Platform A is 2 GB short after a host loss; option 2 holds', () => {
    const r1 = audit('oog', '1');
    const a = r1.checks.find((c) => c.id === 'availability.n+1.platform-a')!;
    expect(a.status).toBe('fail');
    expect(a.figures.ramShortfallGB).toBe(2);
    expect(status(audit('oog', '2'), 'availability.n+1.platform-a')).toBe('pass');
  });

  it('enlarging a VM breaks N+1 and the vCPU ceiling', () => {
    const r = audit('oog', '2', (v) => { const vm = v.vms.find((x) => x.name === 'girs-web-01')!; vm.ramGB = 800; vm.vcpu = 200; });
    expect(status(r, 'availability.n+1.platform-a')).toBe('fail');
    expect(status(r, 'availability.vcpu-ratio')).toBe('fail');
  });

  it('pairs need only one survivor: splitting twins holds, stacking them on one host is restarted once', () => {
    const r = audit('oog', '2', (v) => { for (const vm of v.vms) if (vm.pairId === 'operation-management') vm.node = 'oog-vpb-01'; });
    const b = r.checks.find((c) => c.id === 'availability.n+1.platform-b')!;
    expect(b.status).toBe('pass');
    expect(b.evidence.join()).toMatch(/ops-mgmt-0\d \(64 GB\) → oog-vpb-02/);
    expect(b.evidence.join()).toMatch(/waits: ops-mgmt-0\d/);
  });

  it('a removed QDevice or a QDevice on a cluster member fails quorum', () => {
    expect(status(audit('oog', '2'), 'availability.quorum')).toBe('pass');
    expect(status(audit('oog', '2', (v) => { delete v.hypervisor!.quorumDevice; }), 'availability.quorum')).toBe('fail');
    expect(status(audit('oog', '2', (v) => { v.hypervisor!.quorumDevice = 'corosync-qnetd on oog-vpa-01'; }), 'availability.quorum')).toBe('fail');
    // Option 1's 2-member DB etcd cannot lose a member.
    expect(status(audit('oog', '1'), 'availability.quorum')).toBe('warn');
  });

  it('one DB server left fails the DB tier', () => {
    expect(status(audit('oog', '2', (v) => { v.hosts = v.hosts.filter((h) => h.role !== 'db' || h.name === 'oog-db-01'); }), 'availability.n+1.db')).toBe('fail');
  });

  it('backup fails without disk-to-disk copy; CCOP has no tape and no backup site', () => {
    expect(status(audit('oog', '2'), 'availability.backup')).toBe('pass');
    expect(status(audit('oog', '2', (v) => { v.storage[0]!.diskToDiskCopy = false; }), 'availability.backup')).toBe('fail');
    // The Proxmox Backup Server jobs of the inventory are the evidence; one server alone is no second copy.
    const byId = (r: AuditResult, id: string) => r.checks.find((c) => c.id === id)!;
    const ok = audit('oog', '2');
    expect(byId(ok, 'availability.backup').evidence).toContain('oog-vmgmt-02 pulls a second copy from oog-vmgmt-01 at "*-*-* 05:00"');
    expect(byId(ok, 'availability.integrity').evidence.join('\n')).toMatch(/PBS verify job verify-coc-oog at "sat 04:00".*older than 30 days/);
    expect(byId(ok, 'availability.offsite').evidence.join('\n')).toContain('push sync job push-offsite from oog-vmgmt-01 to offsite:coc-oog');
    const single = audit('oog', '2', (v) => { v.backup = { ...v.backup, pbs: { ...v.backup.pbs!, servers: ['oog-vmgmt-01'] } }; });
    expect(status(single, 'availability.backup')).toBe('warn');
    expect(byId(single, 'availability.backup').evidence).toContain('a single backup server: no second copy on site');
    const c = audit('ccop', undefined);
    expect(status(c, 'availability.tape')).toBe('fail');
    expect(status(c, 'availability.backup-site')).toBe('warn');
  });
});

describe('security and physical', () => {
  it('each control names the lines that satisfy it and flips when they go', () => {
    const r = audit('oog', '2');
    expect(r.checks.find((c) => c.id === 'security.pc-2fa')!.lines).toEqual(expect.arrayContaining(['Table 38 #8', 'Table 39 #5.5']));
    expect(r.checks.find((c) => c.id === 'security.encryption')!.lines).toContain('Table 39 #2.2');
    const gone = audit('oog', '2', (v) => { v.rows = v.rows.filter((x) => !/Database Encryption|Biometric|Security Sensor/.test(x.name)); v.devices = v.devices.filter((d) => d.role !== 'security-sensor'); });
    expect(status(gone, 'security.encryption')).toBe('fail');
    expect(status(gone, 'security.pc-2fa')).toBe('fail');
    expect(status(gone, 'security.lan')).not.toBe('pass');
    const noBio = audit('oog', '2', (v) => { v.rows.find((x) => x.source === 'Table 38 #9')!.published.specs = '128GB(SSD) for each'; });
    expect(status(noBio, 'security.pc-2fa')).toBe('fail');
  });

  it('an overfilled rack or a fifth server-room rack fails', () => {
    expect(status(audit('oog', '2'), 'physical.racks')).toBe('pass');
    const over = audit('oog', '2', (v) => { for (const h of v.hosts) if (h.rack === 'OOG-R2') { h.ruSize = 20; } });
    expect(status(over, 'physical.racks')).toBe('fail');
    const fifth = audit('oog', '2', (v) => { v.racks.push({ ...v.racks[0]!, name: 'OOG-R5' }); v.hosts[0]!.rack = 'OOG-R5'; v.hosts[0]!.ru = 1; });
    expect(status(fifth, 'physical.racks')).toBe('fail');
  });

  it('the IOC room check fails when a display goes missing', () => {
    expect(status(audit('oog', '2'), 'physical.ioc')).toBe('pass');
    expect(status(audit('oog', '2', (v) => { v.devices.splice(v.devices.findIndex((d) => d.role === 'display'), 1); }), 'physical.ioc')).toBe('fail');
  });
});

describe('requirements and the JSON contract', () => {
  it('every check names a catalogued requirement and every catalogued check exists', () => {
    for (const [site, opt] of [['oog', '1'], ['oog', '2'], ['ccop', undefined]] as const) {
      const r = audit(site, opt);
      const ids = new Set(REQUIREMENTS.map((q) => q.id));
      for (const c of r.checks) expect(ids.has(c.requirement), `${c.id} → ${c.requirement}`).toBe(true);
      for (const q of r.requirements) for (const id of REQUIREMENTS.find((x) => x.id === q.id)!.checks) expect(r.checks.map((c) => c.id), `${q.id} ${id}`).toContain(id);
      expect(r.uncovered).toEqual(r.requirements.filter((q) => q.checks.length === 0).map((q) => q.id));
      expect(r.checks.every((c) => c.evidence.length > 0)).toBe(true);
    }
    expect(audit('oog', '2').uncovered).toEqual(expect.arrayContaining(['DEV-CICD', 'SEC-CLASS4-LABELS']));
  });

  it('toJson keeps the contract keys', () => {
    const j = toJson(audit('oog', '2'));
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['site', 'option', 'lines', 'summary', 'published', 'checks', 'uncovered']));
    expect(j.lines[0]).toMatchObject({ item: 'Virtual Platform A', qty: 2, source: 'Table 37 #1' });
    expect(Object.keys(j.summary)).toEqual(['hostServers', 'virtualServers', 'dbServers', 'storageDevices', 'networkDevices', 'displays']);
    for (const c of j.checks) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'requirement', 'status', 'evidence']));
  });

  it('exit code is 1 only when a check fails', () => {
    expect(exitCode(audit('oog', '1'))).toBe(1);
    const r = audit('oog', '2');
    expect(exitCode({ ...r, checks: r.checks.map((c) => ({ ...c, status: c.status === 'fail' ? 'warn' : c.status })) })).toBe(0);
  });
});
