// The state backend comes from configuration. The pg backend is exercised for real: a
// PostgreSQL 15 started as the lab drills start it (user postgres, free loopback port) and
// the installed terraform running `init` and `apply` against it.
//
// What this proves: the synthesized `terraform.backend.pg` block (schema per stack, no
// conn_str; PG_CONN_STR supplies it) is accepted by Terraform's pg backend; the state is
// written to <schema>.states in PostgreSQL and nowhere on disk; while one terraform holds
// the lock, a second terraform on the same stack is refused.
// What it does not prove: anything about the bpg/proxmox provider or a plan of the real
// stack (no provider can be downloaded here), TLS to the database, or the site's
// PostgreSQL roles and HA; the configuration applied holds only the synthesized
// `terraform` block and a built-in terraform_data resource, which needs no provider.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, type TempPostgres } from '../lab/intake/pg-harness.ts';
import { backendConfig, pgSchemaName } from './backend.ts';
import { synthTemp } from './test-support.ts';
import { stackViews } from './synth.ts';
import { SiteStack } from './site-stack.ts';
import { App } from './cdktf.ts';

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

describe('backend from configuration', () => {
  it('pg is the default: one schema per stack, no connection string in the configuration', () => {
    expect(backendConfig('oog-option2', {})).toEqual({ kind: 'pg', schemaName: 'coc_oog_option2' });
    const s = synthTemp(new Map([['ccop', stackViews().get('ccop')!]]));
    try {
      expect(s.stacks.get('ccop')!.terraform.backend).toEqual({ pg: { schema_name: 'coc_ccop' } });
    } finally {
      s.cleanup();
    }
  });

  it('local state for the lab only outside the repository tree', () => {
    const outside = mkdtempSync(join(tmpdir(), 'coc-state-'));
    try {
      expect(backendConfig('ccop', { COC_TF_BACKEND: 'local', COC_TF_STATE_DIR: outside })).toEqual({ kind: 'local', path: join(outside, 'ccop.tfstate') });
      const app = new App({ outdir: join(outside, 'out') });
      new SiteStack(app, 'ccop', stackViews().get('ccop')!, backendConfig('ccop', { COC_TF_BACKEND: 'local', COC_TF_STATE_DIR: outside }));
      app.synth();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const repo = new URL('..', import.meta.url).pathname;
    expect(() => backendConfig('ccop', { COC_TF_BACKEND: 'local', COC_TF_STATE_DIR: join(repo, 'state') })).toThrow(/inside the repository/);
    expect(() => backendConfig('ccop', { COC_TF_BACKEND: 'local', COC_TF_STATE_DIR: repo })).toThrow(/inside the repository/);
    expect(() => backendConfig('ccop', { COC_TF_BACKEND: 'local' })).toThrow(/needs COC_TF_STATE_DIR=<absolute directory outside the repository>, got nothing/);
    expect(() => backendConfig('ccop', { COC_TF_BACKEND: 'local', COC_TF_STATE_DIR: 'state' })).toThrow(/got "state"/);
    expect(() => backendConfig('ccop', { COC_TF_BACKEND: 's3' })).toThrow(/COC_TF_BACKEND=s3: unknown backend; expected pg \(the team default\) or local \(lab only\)/);
  });
});

describe.runIf(terraform && postgresAvailable())('the pg backend against a real PostgreSQL 15', () => {
  let db: TempPostgres;
  let work: string;
  const stack = 'oog-option2';
  const schema = pgSchemaName(stack);

  beforeAll(async () => {
    db = await startPostgres();
    work = mkdtempSync(join(tmpdir(), 'coc-tf-pg-'));
    mkdirSync(join(work, 'plugins'));
    // The synthesized `terraform` block as is (backend + required_version), without the
    // bpg provider; a built-in terraform_data whose provisioner holds the apply (and so the
    // lock) until the test releases it.
    const s = synthTemp(new Map([[stack, stackViews().get(stack)!]]));
    const { backend, required_version } = s.stacks.get(stack)!.terraform;
    s.cleanup();
    const hold = `touch ${join(work, 'holding')}; while [ ! -e ${join(work, 'release')} ]; do sleep 0.2; done`;
    writeFileSync(join(work, 'main.tf.json'), JSON.stringify({
      terraform: { backend, required_version },
      resource: { terraform_data: { marker: { input: 'coc', provisioner: [{ 'local-exec': { command: hold } }] } } },
      output: { marker: { value: '${terraform_data.marker.output}' } },
    }));
  }, 180_000);
  afterAll(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
    await db?.stop();
  });

  const env = () => ({ ...process.env, PG_CONN_STR: `${db.url}?sslmode=disable`, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
  const tf = (args: string[]) => spawnSync('terraform', [...args, '-no-color'], { cwd: work, encoding: 'utf8', env: env(), timeout: 300_000 });

  it('init configures the pg backend offline', () => {
    const r = tf(['init', '-input=false', `-plugin-dir=${join(work, 'plugins')}`]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Successfully configured the backend "pg"/);
  }, 300_000);

  it('state lives in PostgreSQL, not on disk; a second concurrent apply is refused the lock', async () => {
    const first = spawn('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: work, env: env() });
    let out = '';
    first.stdout.on('data', (d) => { out += d; });
    first.stderr.on('data', (d) => { out += d; });
    const done = new Promise<number | null>((res) => first.on('close', res));
    try {
      // Wait for the event (the provisioner running under the lock), not for a time.
      while (!existsSync(join(work, 'holding'))) {
        if (first.exitCode !== null) throw new Error(`first apply ended early:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const second = tf(['apply', '-auto-approve', '-input=false', '-lock-timeout=0s']);
      expect(second.status).not.toBe(0);
      expect(second.stderr).toMatch(/Error acquiring the state lock/);
    } finally {
      writeFileSync(join(work, 'release'), '');
    }
    expect(await done, out).toBe(0);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT name, data FROM ${schema}.states`);
      expect(rows.map((r) => r.name)).toEqual(['default']);
      const state = JSON.parse(rows[0].data);
      expect(state.outputs.marker.value).toBe('coc');
    } finally {
      await client.end();
    }
    expect(readdirSync(work).filter((f) => f.endsWith('.tfstate') || f.endsWith('.tfstate.backup'))).toEqual([]);
    expect(existsSync(join(work, '.terraform', 'terraform.tfstate'))).toBe(true); // backend settings only
  }, 600_000);
});
