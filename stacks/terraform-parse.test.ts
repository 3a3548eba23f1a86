// Terraform itself must accept the synthesized JSON as configuration. With an empty plugin
// directory `terraform init` parses every file, then stops at the provider lookup without
// touching the network: that proves the syntax, not the provider schema (no validate/plan here).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackFile } from './synth.ts';
import { synthTemp, type Synthesized } from './test-support.ts';

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

function init(stackDir: string) {
  const work = mkdtempSync(join(tmpdir(), 'coc-tf-'));
  const plugins = join(work, 'no-plugins');
  mkdirSync(plugins);
  cpSync(stackDir, join(work, 'stack'), { recursive: true });
  const r = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${plugins}`], {
    cwd: join(work, 'stack'), encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' }, timeout: 150_000,
  });
  rmSync(work, { recursive: true, force: true });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.runIf(terraform)('terraform parses the synthesized stacks', () => {
  let synth: Synthesized;
  beforeAll(() => { synth = synthTemp(); });
  afterAll(() => synth?.cleanup());

  it.each(['oog-option1', 'oog-option2'])('%s: configuration accepted; init stops only at the missing bpg/proxmox provider', (stack) => {
    const { status, out } = init(join(synth.dir, 'stacks', stack));
    expect(out).not.toMatch(/problems with the configuration|Invalid (character|expression)|Error: (Unsupported|Missing|Duplicate)/);
    expect(status).toBe(1);
    expect(out).toMatch(/provider registry\.terraform\.io\/bpg\/proxmox was not found in any of the search\s+locations/);
  }, 300_000);

  it('ccop (no provider): init succeeds', () => {
    const { status, out } = init(join(synth.dir, 'stacks', 'ccop'));
    expect(out).toMatch(/successfully initialized/);
    expect(status).toBe(0);
  }, 300_000);

  it('a ${…} reference in replace_triggered_by is rejected (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coc-tf-bad-'));
    try {
      const tf = structuredClone(synth.stacks.get('oog-option2')!) as { resource: Record<string, Record<string, { lifecycle?: { replace_triggered_by?: string[] } }>> };
      const applier = Object.values(tf.resource.proxmox_sdn_applier!)[0]!;
      applier.lifecycle!.replace_triggered_by = applier.lifecycle!.replace_triggered_by!.map((r) => `\${${r}}`);
      mkdirSync(join(dir, 'stack'));
      writeFileSync(join(dir, 'stack', 'cdk.tf.json'), JSON.stringify(tf));
      expect(init(join(dir, 'stack')).out).toMatch(/Invalid character/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('stack files are where synth says', () => {
    expect(stackFile(synth.dir, 'oog-option2')).toBe(join(synth.dir, 'stacks', 'oog-option2', 'cdk.tf.json'));
  });
});
