import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBackupStorage, checkCapacity, checkDmzToDb, checkHa, checkPairs, checkStack, scanSecrets } from './policy.ts';
import { stackFile } from './synth.ts';
import { synthMutated, synthTemp, type Synthesized } from './test-support.ts';

let synth: Synthesized;
beforeAll(() => { synth = synthTemp(); });
afterAll(() => synth?.cleanup());

const OOG = ['oog-option1', 'oog-option2'] as const;

describe('stack policies hold for the inventory as it is', () => {
  it.each([...OOG, 'ccop'])('%s is compliant', (name) => {
    expect(checkStack(synth.stacks.get(name)!)).toEqual([]);
  });

  it('no secret anywhere in the synthesized output', () => {
    expect(scanSecrets(synth.dir)).toEqual([]);
  });

  it.skipIf(!existsSync('cdktf.out'))('no secret anywhere in the project\'s cdktf.out', () => {
    expect(scanSecrets('cdktf.out')).toEqual([]);
  });
});

describe('each policy fails when the inventory is changed to break it', () => {
  it.each(OOG)('%s: enlarging a VM beyond its node breaks capacity', (stack) => {
    const tf = synthMutated(stack, (v) => { v.vms.find((x) => x.name === 'girs-web-01')!.vcpu = 500; });
    expect(checkCapacity(tf).join('\n')).toMatch(/node oog-vpa-01: \d+ vCPU placed .*girs-web-01/);
  });

  it.each(OOG)('%s: moving a twin onto a node and enlarging it to the node\'s RAM breaks capacity', (stack) => {
    const tf = synthMutated(stack, (v) => {
      const vm = v.vms.find((x) => x.name === 'ops-mgmt-02')!;
      vm.node = 'oog-vpb-01';
      vm.ramGB = v.hosts.find((h) => h.name === 'oog-vpb-01')!.ramGB;
    });
    expect(checkCapacity(tf).join('\n')).toMatch(/node oog-vpb-01: \d+ MB RAM placed/);
  });

  it.each(OOG)('%s: moving one twin of a redundant pair onto its partner\'s node breaks the pair rule', (stack) => {
    const tf = synthMutated(stack, (v) => { v.vms.find((x) => x.name === 'ops-mgmt-02')!.node = 'oog-vpb-01'; });
    expect(checkPairs(tf)).toEqual(['pair operation-management: ops-mgmt-01 and ops-mgmt-02 are both on oog-vpb-01']);
  });

  it('a pair without its anti-affinity rule is flagged', () => {
    const tf = structuredClone(synth.stacks.get('oog-option1')!);
    for (const [k, r] of Object.entries<any>(tf.resource.proxmox_harule)) if (r.type === 'resource-affinity') delete tf.resource.proxmox_harule[k];
    expect(checkPairs(tf).join('\n')).toMatch(/no negative resource-affinity rule/);
  });

  it.each(OOG)('%s: a backup job whose storage is not created, or not waited for, is flagged', (stack) => {
    const tf = structuredClone(synth.stacks.get(stack)!);
    const jobs = Object.values<any>(tf.resource.proxmox_backup_job);
    expect(jobs.length).toBe(2);
    expect(checkBackupStorage(tf)).toEqual([]);
    delete jobs[0].depends_on;
    jobs[1].storage = 'pbs-elsewhere';
    expect(checkBackupStorage(tf)).toEqual([
      expect.stringMatching(/^backup job backup_job_a does not depend on proxmox_storage_pbs\.pbs_storage_a$/),
      expect.stringMatching(/writes to storage "pbs-elsewhere", which no proxmox_storage_pbs of proxmox\.platform_b creates$/),
    ]);
  });

  it.each(OOG)('%s: a VM without HA and without a reason breaks the HA rule', (stack) => {
    const tf = synthMutated(stack, (v) => { v.vms.find((x) => x.name === 'dns-01')!.ha = { required: false, reason: '' }; });
    expect(checkHa(tf)).toEqual([expect.stringMatching(/^VM dns-01 \(vm:\d+\) has neither/)]);
  });

  it.each(OOG)('%s: a flow from the DMZ to the DB zone breaks the firewall rule', (stack) => {
    const tf = synthMutated(stack, (v) => {
      v.flows.push({ from: 'dmz', to: 'db', ports: [5432], purpose: 'shortcut', kind: 'assumption', reason: 'a broken change for the test' });
    });
    expect(checkDmzToDb(tf).join('\n')).toMatch(/out ACCEPT net-dmz → net-db tcp 5432 lets the dmz zone reach the db zone/);
  });

  it('a VM moved into the DB zone and opened to the DMZ is flagged', () => {
    const tf = synthMutated('oog-option1', (v) => {
      const ap = v.vms.find((x) => x.name === 'girs-ap-01')!;
      const db = v.zones.find((z) => z.name === 'db')!;
      Object.assign(ap, { zone: 'db', vlan: db.vlan, cidr: db.cidr, gateway: db.gateway, ip: '10.20.130.50' });
      v.flows.push({ from: 'dmz', to: 'db', ports: [8443], purpose: 'web to api', kind: 'assumption', reason: 'a broken change for the test' });
    });
    const v = checkDmzToDb(tf).join('\n');
    expect(v).toMatch(/vm_rules_girs_ap_01 → group zone-db: in ACCEPT net-dmz/);
  });

  it('a hand-added rule with any source on a DB-zone guest is flagged', () => {
    const tf = structuredClone(synth.stacks.get('oog-option2')!);
    const dmzGroup = Object.values<any>(tf.resource.proxmox_virtual_environment_cluster_firewall_security_group).find((g) => g.name === 'zone-dmz');
    dmzGroup.rule.push({ type: 'out', action: 'ACCEPT', dest: '10.20.130.11', proto: 'tcp', dport: '5432' });
    // Both DMZ guests of option 2 (GIRS web, IOC web) insert the group.
    expect(checkDmzToDb(tf)).toEqual([expect.stringMatching(/girs_web_01 .*any → 10\.20\.130\.11/), expect.stringMatching(/ioc_web_01 .*any → 10\.20\.130\.11/)]);
  });

  it('a literal token or password in the output is found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coc-secrets-'));
    try {
      cpSync(synth.dir, dir, { recursive: true });
      const file = stackFile(dir, 'oog-option1');
      const tf = JSON.parse(readFileSync(file, 'utf8'));
      tf.provider.proxmox[0].api_token = 'terraform@pve!provider=0b7a1c2e-3d4f-4a5b-8c9d-0e1f2a3b4c5d';
      writeFileSync(file, JSON.stringify(tf));
      writeFileSync(join(dir, 'notes.txt'), 'user password: -----BEGIN OPENSSH PRIVATE KEY-----');
      const found = scanSecrets(dir).join('\n');
      expect(found).toMatch(/contains a Proxmox API token/);
      expect(found).toMatch(/api_token holds a literal value/);
      expect(found).toMatch(/notes\.txt: contains a private key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
