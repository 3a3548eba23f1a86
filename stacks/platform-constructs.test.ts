// Each per-domain construct of a platform cluster synthesized on its own (Testing.synthScope):
// what it creates from the inventory view, and how it depends on its neighbours.
import { describe, expect, it } from 'vitest';
import type { Construct } from 'constructs';
import { Testing } from './cdktf.ts';
import { PlatformBackup } from './platform-backup.ts';
import { PlatformFirewall } from './platform-firewall.ts';
import { PlatformSdn } from './platform-sdn.ts';
import { PlatformVms } from './platform-vms.ts';
import { ProxmoxProvider, VirtualEnvironmentPool } from './proxmox/index.ts';
import { stackViews } from './synth.ts';

const view = stackViews().get('oog-option2')!;
const vms = view.vms.filter((v) => v.platform === 'A');
const nodeNames = view.hosts.filter((h) => h.role === 'platform' && h.platform === 'A').map((h) => h.name);
const zones = new Map(view.zones.map((z) => [z.name, z]));
const usedZones = [...new Set(vms.map((v) => v.zone))].map((n) => zones.get(n)!).sort((a, b) => a.vlan - b.vlan);
const mgmt = zones.get(view.hosts.find((h) => h.name === nodeNames[0])!.zone!)!;

type Tf = { resource: Record<string, Record<string, any>> };
const synth = (fn: (scope: Construct, provider: ProxmoxProvider) => void): Tf =>
  JSON.parse(Testing.synthScope((scope) => fn(scope, new ProxmoxProvider(scope, 'provider', { alias: 'platform_a', endpoint: 'https://pve.invalid:8006/' }))));
const all = (tf: Tf, type: string) => Object.values(tf.resource[type] ?? {});

function base(scope: Construct, provider: ProxmoxProvider) {
  const sdn = new PlatformSdn(scope, 'sdn', { view, pl: 'a', provider, nodeNames, usedZones });
  const firewall = new PlatformFirewall(scope, 'firewall', { view, p: 'A', pl: 'a', provider, mgmt, usedZones, managementSources: ['10.20.140.21'] });
  return { sdn, firewall };
}

describe('platform cluster constructs', () => {
  it('PlatformSdn: one VLAN zone, a tagged vnet and subnet per used zone, an applier after all of them', () => {
    const tf = synth((scope, provider) => { new PlatformSdn(scope, 'sdn', { view, pl: 'a', provider, nodeNames, usedZones }); });
    expect(all(tf, 'proxmox_sdn_zone_vlan')).toHaveLength(1);
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(all(tf, 'proxmox_sdn_vnet').map((v) => [v.alias, v.tag]).sort(byName)).toEqual(usedZones.map((z) => [z.name, z.vlan]).sort(byName));
    expect(all(tf, 'proxmox_sdn_subnet').map((s) => s.cidr).sort()).toEqual(usedZones.map((z) => z.cidr).sort());
    const [applier] = all(tf, 'proxmox_sdn_applier');
    expect(applier.depends_on).toHaveLength(1 + 2 * usedZones.length);
  });

  it('PlatformFirewall: a group per used zone and one for the hosts; the cluster firewall drops input and comes last', () => {
    const tf = synth((scope, provider) => { base(scope, provider); });
    expect(all(tf, 'proxmox_virtual_environment_cluster_firewall_security_group').map((g) => g.name).sort())
      .toEqual([...usedZones.map((z) => `zone-${z.name}`), 'pve-hosts'].sort());
    expect(all(tf, 'proxmox_virtual_environment_firewall_alias')).toHaveLength(view.zones.length);
    const [fw] = all(tf, 'proxmox_virtual_environment_cluster_firewall');
    expect([fw.enabled, fw.input_policy]).toEqual([true, 'DROP']);
    expect([...fw.depends_on].sort()).toEqual(['proxmox_virtual_environment_firewall_ipset.ipset_a_management', 'proxmox_virtual_environment_firewall_rules.cluster_rules_a']);
  });

  it('PlatformVms: every VM with its firewall and zone group, HA for the HA-required, twins kept apart', () => {
    const tf = synth((scope, provider) => {
      const { sdn, firewall } = base(scope, provider);
      const pools = new Map([...new Set(vms.map((v) => v.subsystem))].map((s) => [s, new VirtualEnvironmentPool(scope, `pool-${s}`, { poolId: s }, { provider })]));
      new PlatformVms(scope, 'vms', {
        view, p: 'A', pl: 'a', provider, nodeNames, vms, zones, dnsServers: ['10.20.150.12'], templateVmId: 1999,
        applier: sdn.applier, pools, groups: firewall.groups,
      });
    });
    // VM IDs follow inventory order inside the platform's range.
    const ids = Object.fromEntries(all(tf, 'proxmox_virtual_environment_vm').map((v) => [v.name, v.vm_id]));
    expect(ids).toEqual(Object.fromEntries(vms.map((v, i) => [v.name, 1101 + i])));
    expect(all(tf, 'proxmox_virtual_environment_firewall_options')).toHaveLength(vms.length);
    for (const r of all(tf, 'proxmox_virtual_environment_firewall_rules').filter((x) => x.vm_id)) expect(r.depends_on.some((d: string) => d.includes('security_group'))).toBe(true);
    const inPair = vms.filter((v) => v.pairId && vms.filter((w) => w.pairId === v.pairId).length > 1);
    expect(all(tf, 'proxmox_haresource')).toHaveLength(vms.filter((v) => v.ha.required || inPair.includes(v)).length);
    const apart = all(tf, 'proxmox_harule').filter((r) => r.type === 'resource-affinity');
    expect(apart).toHaveLength(new Set(inPair.map((v) => v.pairId)).size);
  });

  it('PlatformBackup: encrypted PBS storage, a daily job of every guest that depends on it', () => {
    const tf = synth((scope, provider) => {
      new PlatformBackup(scope, 'backup', { view, pl: 'a', provider, backupTarget: { server: '10.20.10.15', datastore: 'coc-oog', username: 'pve-backup@pbs', password: 'p', fingerprint: 'f', encryptionKey: 'k' } });
    });
    const [storage] = all(tf, 'proxmox_storage_pbs');
    expect(storage).toMatchObject({ id: 'pbs-oog', server: '10.20.10.15', encryption_key: 'k' });
    const [job] = all(tf, 'proxmox_backup_job');
    expect(job).toMatchObject({ id: 'daily-oog-a', schedule: view.backup.schedule, all: true, storage: 'pbs-oog', depends_on: ['proxmox_storage_pbs.pbs_storage_a'] });
  });
});
