import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from './cdktf.ts';
import { run } from './main.ts';
import { Rack } from './physical.ts';
import { HCL_UNSUPPORTED, ProxmoxProvider, VirtualEnvironmentPool } from './proxmox/index.ts';
import { stackViews, synthAtomically } from './synth.ts';
import { synthTemp, type Synthesized } from './test-support.ts';

let synth: Synthesized;
const views = stackViews();
beforeAll(() => { synth = synthTemp(views); });
afterAll(() => synth?.cleanup());

const vmsOf = (name: string) => Object.values<any>(synth.stacks.get(name)!.resource?.proxmox_virtual_environment_vm ?? {});

describe('stacks from the inventory', () => {
  it.each([['oog-option1', 8], ['oog-option2', 12]] as const)('%s has %i VMs with the inventory sizes', (name, count) => {
    const vms = vmsOf(name);
    expect(vms).toHaveLength(count);
    const inv = views.get(name)!.vms;
    expect(vms.map((v) => v.name).sort()).toEqual(inv.map((v) => v.name).sort());
    for (const vm of inv) {
      const r = vms.find((v) => v.name === vm.name);
      expect(r.cpu.cores, vm.name).toBe(vm.vcpu);
      expect(r.memory.dedicated, vm.name).toBe(vm.ramGB * 1024);
      expect(r.disk[0].size, vm.name).toBe(vm.diskGB);
      expect(r.node_name, vm.name).toBe(vm.node);
      expect(r.initialization.ip_config[0].ipv4.address.split('/')[0]).toBe(vm.ip);
      expect(r.network_device[0].bridge).toBe(`v${vm.vlan}`);
      expect(r.tags).toEqual([...r.tags].sort());
      expect(r.provider).toBe(`proxmox.platform_${vm.platform.toLowerCase()}`);
    }
  });

  it('option 2 pools cover every subsystem; VNets carry the zone VLANs', () => {
    const tf = synth.stacks.get('oog-option2')!;
    const pools = Object.values<any>(tf.resource.proxmox_virtual_environment_pool).map((p) => p.pool_id).sort();
    expect([...new Set(pools)]).toEqual(['girs', 'ioc', 'ops', 'security', 'vedh']);
    const zones = new Map(views.get('oog-option2')!.zones.map((z) => [z.name, z.vlan]));
    for (const v of Object.values<any>(tf.resource.proxmox_sdn_vnet)) expect(v.tag).toBe(zones.get(v.alias));
  });

  it('one aliased provider per platform cluster, credentials only from sensitive variables, the endpoint in the clear', () => {
    const tf = synth.stacks.get('oog-option2')!;
    expect(tf.terraform.required_providers.proxmox).toEqual({ source: 'bpg/proxmox', version: '~> 0.111.1' });
    expect(tf.terraform.required_version).toBe('>= 1.6.0, < 2.0.0');
    expect(tf.provider.proxmox.map((p: any) => p.alias)).toEqual(['platform_a', 'platform_b']);
    for (const p of tf.provider.proxmox) {
      expect(p.endpoint).toMatch(/^\$\{var\.proxmox_endpoint_[ab]\}$/);
      expect(p.api_token).toMatch(/^\$\{var\.proxmox_api_token_[ab]\}$/);
      const name = (ref: string) => ref.slice(6, -1);
      expect(tf.variable[name(p.endpoint)].sensitive).toBeUndefined();
      expect(tf.variable[name(p.api_token)].sensitive).toBe(true);
    }
    // Sensitive is exactly what is secret.
    const sensitive = Object.entries<any>(tf.variable).filter(([, v]) => v.sensitive).map(([k]) => k).sort();
    expect(sensitive).toEqual(['pbs_encryption_key', 'pbs_password', 'proxmox_api_token_a', 'proxmox_api_token_b']);
  });

  it('every PBS storage encrypts client-side with the site key variable', () => {
    for (const name of ['oog-option1', 'oog-option2']) {
      const tf = synth.stacks.get(name)!;
      const storages = Object.values<any>(tf.resource.proxmox_storage_pbs);
      expect(storages).toHaveLength(2);
      for (const s of storages) expect(s.encryption_key).toBe('${var.pbs_encryption_key}');
    }
  });

  it('HA resources for every HA-required VM and for pair members; rules for placement and pairs', () => {
    const tf = synth.stacks.get('oog-option2')!;
    const ha = Object.values<any>(tf.resource.proxmox_haresource).map((r) => r.resource_id);
    const vms = vmsOf('oog-option2');
    for (const vm of views.get('oog-option2')!.vms.filter((v) => v.ha.required || v.pairId)) {
      expect(ha).toContain(`vm:${vms.find((r) => r.name === vm.name).vm_id}`);
    }
    const rules = Object.values<any>(tf.resource.proxmox_harule);
    expect(rules.filter((r) => r.type === 'resource-affinity' && r.affinity === 'negative').map((r) => r.rule).sort())
      .toEqual(['apart-operation-management', 'apart-security-management']);
    const hadoop = vms.find((r) => r.name === 'vedh-hadoop-01');
    expect(ha).not.toContain(`vm:${hadoop.vm_id}`);
    expect(tf.output.ha_exemptions.value['vedh-hadoop-01']).toBeTruthy();
  });

  it('daily backup per cluster with the inventory retention', () => {
    const tf = synth.stacks.get('oog-option1')!;
    const jobs = Object.values<any>(tf.resource.proxmox_backup_job);
    expect(jobs).toHaveLength(2);
    const b = views.get('oog-option1')!.backup;
    for (const j of jobs) {
      expect(j.schedule).toBe(b.schedule);
      expect(j.all).toBe(true);
      expect(j.prune_backups).toEqual({ 'keep-daily': String(b.retention.daily), 'keep-weekly': String(b.retention.weekly), 'keep-monthly': String(b.retention.monthly) });
    }
  });

  it('the web DMZ reaches the application zone only on the ports of its flows', () => {
    const tf = synth.stacks.get('oog-option2')!;
    const ports = views.get('oog-option2')!.flows.filter((f) => f.from === 'dmz' && f.to === 'app').flatMap((f) => f.ports).sort((a, b) => a - b).join(',');
    const app = Object.values<any>(tf.resource.proxmox_virtual_environment_cluster_firewall_security_group).filter((g) => g.name === 'zone-app');
    expect(app).toHaveLength(1);
    expect(app[0].rule.filter((r: any) => r.source === 'net-dmz').map((r: any) => `${r.type} ${r.action} ${r.proto} ${r.dport}`)).toEqual([`in ACCEPT tcp ${ports}`]);
    for (const fw of Object.values<any>(tf.resource.proxmox_virtual_environment_firewall_options)) {
      expect([fw.enabled, fw.input_policy, fw.output_policy]).toEqual([true, 'DROP', 'DROP']);
    }
  });

  it('management reaches the hosts only from the operation PCs', () => {
    const tf = synth.stacks.get('oog-option1')!;
    const pcs = views.get('oog-option1')!.devices.filter((d) => d.role === 'pc' && d.zone === 'ops').map((d) => d.ip).sort();
    for (const set of Object.values<any>(tf.resource.proxmox_virtual_environment_firewall_ipset)) {
      expect(set.name).toBe('management');
      expect(set.cidr.map((c: any) => c.name)).toEqual(pcs);
    }
    const hosts = Object.values<any>(tf.resource.proxmox_virtual_environment_cluster_firewall_security_group).filter((g) => g.name === 'pve-hosts');
    expect(hosts).toHaveLength(2);
    for (const g of hosts) for (const r of g.rule) expect(r.source).toBe('+management');
    for (const fw of Object.values<any>(tf.resource.proxmox_virtual_environment_cluster_firewall)) expect(fw.input_policy).toBe('DROP');
  });

  it('ccop is bare metal: racks and devices only, no provider', () => {
    const tf = synth.stacks.get('ccop')!;
    expect(tf.provider).toBeUndefined();
    expect(tf.resource).toBeUndefined();
    const devices = tf.output.devices.value as Array<{ role: string }>;
    expect(devices.filter((d) => d.role === 'server')).toHaveLength(7);
  });

  it('rack elevations and the device list are outputs, consistent with the inventory', () => {
    for (const [name, tf] of synth.stacks) {
      const view = views.get(name)!;
      const devices = tf.output.devices.value as Array<{ name: string; rack: string | null }>;
      expect(devices).toHaveLength(view.hosts.length + view.devices.length);
      for (const rack of view.racks) {
        const e = tf.output[`rack_${rack.name.toLowerCase().replace(/-/g, '_')}`].value;
        const inRack = devices.filter((d) => d.rack === rack.name).map((d) => d.name).sort();
        expect(e.slots.map((s: any) => s.name).sort()).toEqual(inRack);
        expect(e.usedU + e.freeU).toBe(rack.units);
      }
    }
  });

  it.each(['oog-option1', 'oog-option2', 'ccop'])('%s matches its snapshot', async (name) => {
    await expect(JSON.stringify(synth.stacks.get(name), null, 2) + '\n').toMatchFileSnapshot(`__snapshots__/${name}.tf.json`);
  });
});

describe('constructs refuse bad input', () => {
  it('a rack refuses overlapping or out-of-range units', () => {
    const rack = new Rack(new Construct(undefined as never, 'root'), 'R1', 'server-room', 42);
    const d = { name: 'a', role: 'server', deviceClass: 'server-2u', ruSize: 2, powerW: 1, ru: 10 } as any;
    rack.place(d);
    expect(() => rack.place({ ...d, name: 'b', ru: 11 })).toThrow(/"b" \(RU 11–12\) overlaps "a" \(RU 10–11\) in rack R1/);
    expect(() => rack.place({ ...d, name: 'c', ru: 42 })).toThrow(/does not fit rack R1 of 42U/);
  });

  it('a VM on a node outside its platform is refused', () => {
    const view = structuredClone(views.get('oog-option1')!);
    view.vms[0]!.node = 'oog-vpb-01';
    expect(() => synthTemp(new Map([['oog-option1', view]]))).toThrow(/VM "girs-web-01" is placed on node "oog-vpb-01", which is not a host of Virtual Platform A/);
  });

  it('HCL output (what `cdktf synth --hcl` asks for) is refused rather than written empty', async () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'coc-hcl-')), hclOutput: true });
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      await expect(run([])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/JSON only/) });
      const stack = new TerraformStack(app, 's');
      const provider = new ProxmoxProvider(stack, 'proxmox', { endpoint: 'https://pve.invalid:8006/' });
      new VirtualEnvironmentPool(stack, 'p', { poolId: 'x' }, { provider });
      expect(() => app.synth()).toThrow(HCL_UNSUPPORTED);
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
      rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  it('a failed synthesis leaves the previous output untouched and no temp directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'coc-atomic-'));
    try {
      const out = join(root, 'cdktf.out');
      synthAtomically(new Map([['ccop', views.get('ccop')!]]), out);
      const bad = structuredClone(views.get('oog-option1')!);
      bad.vms[0]!.vcpu = 2.5;
      expect(() => synthAtomically(new Map([['oog-option1', bad]]), out)).toThrow(/2\.5 vCPU/);
      expect(readdirSync(root)).toEqual(['cdktf.out']);
      expect(existsSync(join(out, 'stacks', 'ccop', 'cdk.tf.json'))).toBe(true);
      expect(existsSync(join(out, 'stacks', 'oog-option1'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the synth command rejects an unknown stack with exit 2', async () => {
    await expect(run(['--stack', 'nope'])).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/unknown stack "nope"; expected one of oog-option1, oog-option2, ccop/) });
  });
});
