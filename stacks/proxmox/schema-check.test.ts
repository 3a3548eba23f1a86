import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthTemp, type Synthesized } from '../test-support.ts';
import { checkTerraformJson, formatViolations, loadReferenceSchema } from './schema-check.ts';

let synth: Synthesized;
beforeAll(() => { synth = synthTemp(); });
afterAll(() => synth?.cleanup());

describe('bpg/proxmox schema check', () => {
  it('finds no violation in any synthesized stack', () => {
    expect([...synth.stacks.keys()].sort()).toEqual(['ccop', 'oog-option1', 'oog-option2']);
    for (const [name, tf] of synth.stacks) {
      const v = checkTerraformJson(tf);
      expect(formatViolations(v), name).toBe('');
    }
  });

  it('uses only current, known resource types', () => {
    const schema = loadReferenceSchema();
    const types = new Set([...synth.stacks.values()].flatMap((tf) => Object.keys(tf.resource ?? {})));
    expect(types.size).toBeGreaterThan(10);
    for (const t of types) {
      expect(schema.resources[t], t).toBeDefined();
      expect(schema.resources[t]!.deprecated, t).toBe(false);
    }
    expect(types.has('proxmox_vm')).toBe(false);
    expect(types.has('proxmox_virtual_environment_vm2')).toBe(false);
  });

  const base = () => structuredClone(synth.stacks.get('oog-option1')!);

  it('flags an unknown argument, also in a nested block', () => {
    const tf = base();
    const vm = Object.values<any>(tf.resource.proxmox_virtual_environment_vm)[0];
    vm.memory_mb = 4096;
    vm.cpu.threads = 2;
    const kinds = checkTerraformJson(tf).map((v) => `${v.kind} ${v.path.split('.').pop()}`);
    expect(kinds).toContain('unknown-argument memory_mb');
    expect(kinds).toContain('unknown-argument threads');
  });

  it('flags a missing required argument, in a list of blocks too', () => {
    const tf = base();
    const vm = Object.values<any>(tf.resource.proxmox_virtual_environment_vm)[0];
    delete vm.node_name;
    delete vm.disk[0].interface;
    const paths = checkTerraformJson(tf).filter((v) => v.kind === 'missing-required').map((v) => v.path);
    expect(paths.some((p) => p.endsWith('.node_name'))).toBe(true);
    expect(paths.some((p) => p.endsWith('.disk[0].interface'))).toBe(true);
  });

  it('flags a deprecated type', () => {
    const tf = base();
    tf.resource.proxmox_virtual_environment_haresource = { x: { resource_id: 'vm:1' } };
    const v = checkTerraformJson(tf);
    expect(v.map((x) => x.kind)).toContain('deprecated-type');
  });

  it('treats an API token as the provider credential, and needs one of the credential forms', () => {
    const tf = base();
    expect(checkTerraformJson(tf)).toEqual([]);
    delete tf.provider.proxmox[0].api_token;
    expect(checkTerraformJson(tf).map((v) => v.kind)).toEqual(['missing-required']);
    delete tf.provider.proxmox[0].endpoint;
    expect(checkTerraformJson(tf).map((v) => v.path)).toContain('provider.proxmox[0].endpoint');
  });

  it('accepts firewall rule entries as rules or as security-group insertions, but not neither', () => {
    const tf = base();
    const rules = Object.values<any>(tf.resource.proxmox_virtual_environment_firewall_rules)[0];
    rules.rule.push({ type: 'in', action: 'DROP', source: 'net-dmz' });
    expect(checkTerraformJson(tf)).toEqual([]);
    rules.rule.push({ comment: 'neither a rule nor a group' });
    expect(checkTerraformJson(tf).map((v) => v.kind)).toEqual(['missing-required']);
  });

  it('flags an unknown type of the provider', () => {
    const tf = base();
    tf.resource.proxmox_nonsense = { x: {} };
    expect(checkTerraformJson(tf).map((v) => v.kind)).toEqual(['unknown-type']);
  });
});
