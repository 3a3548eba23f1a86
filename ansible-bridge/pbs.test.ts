// The pbs_server role really runs (connection: local) against a stand-in for
// proxmox-backup-manager that keeps PBS's configuration in a file: it must create what the
// inventory's backup.pbs asks for, change nothing on a second run, update only what
// differs, and never print a password.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as ansibleCli } from './cli.ts';
import { REPO_DIR } from './source.ts';

const STUB = join(REPO_DIR, 'ansible-bridge/test/pbs-manager-stub.py');
const PLAYBOOK = join(REPO_DIR, 'ansible-bridge/playbooks/backup.yml');
const HOSTS = ['oog-vmgmt-01', 'oog-vmgmt-02'];
const SECRETS = { pbs_sync_password: 'sync-secret-7f3a', pbs_offsite_password: 'offsite-secret-91c2' };
const OFFSITE = { pbs_offsite_host: '203.0.113.10', pbs_offsite_auth_id: 'push@pbs', pbs_offsite_fingerprint: 'CC:DD:EE', pbs_primary_fingerprint: 'AA:BB:CC' };

let tmp: string;
let inventory: string;
let local: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'coc-pbs-'));
  inventory = join(tmp, 'oog-option2.yml');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    expect(await ansibleCli(['export', '--site', 'oog', '--option', '2', '--out', inventory])).toBe(0);
  } finally {
    log.mockRestore();
  }
  // Each backup server gets its own stand-in (and so its own PBS configuration).
  const hosts: string[] = [];
  for (const h of HOSTS) {
    mkdirSync(join(tmp, h));
    copyFileSync(STUB, join(tmp, h, 'proxmox-backup-manager'));
    spawnSync('chmod', ['+x', join(tmp, h, 'proxmox-backup-manager')]);
    hosts.push(`    ${h}: {ansible_connection: local, pbs_manager: ${join(tmp, h, 'proxmox-backup-manager')}}`);
  }
  local = join(tmp, 'local.yml');
  writeFileSync(local, `all:\n  hosts:\n${hosts.join('\n')}\n`);
});
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

function play(extra: Record<string, string> = {}) {
  // JSON extra vars: values with spaces ("sun 02:00") stay whole.
  const vars = { pbs_require_mount: false, ...SECRETS, ...OFFSITE, ...extra };
  const args = ['-i', inventory, '-i', local, PLAYBOOK, '-v', '-e', JSON.stringify(vars)];
  const r = spawnSync('ansible-playbook', args, { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true' } });
  return { ...r, output: r.stdout + r.stderr };
}
const calls = (host: string) => (existsSync(join(tmp, host, 'calls.log')) ? readFileSync(join(tmp, host, 'calls.log'), 'utf8').trim().split('\n') : []);
const state = (host: string) => JSON.parse(readFileSync(join(tmp, host, 'state.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
const recap = (output: string, host: string) => output.match(new RegExp(`${host}\\s+: ok=\\d+\\s+changed=(\\d+)`))?.[1];

describe('pbs_server role', () => {
  it('creates the datastore and jobs from the inventory, the replica pulls, the primary pushes off site', () => {
    const r = play();
    expect(r.status, r.output).toBe(0);
    const [primary, replica] = HOSTS as [string, string];
    expect(state(primary).datastore).toEqual([{ name: 'coc-oog', path: '/mnt/datastore/coc-oog' }]);
    // Retention and schedules come from the inventory (backup.retention, backup.pbs).
    expect(state(primary)['prune-job']).toEqual([{ id: 'prune-coc-oog', store: 'coc-oog', schedule: '*-*-* 03:00', 'keep-daily': 14, 'keep-weekly': 8, 'keep-monthly': 12 }]);
    expect(state(replica)['verify-job']).toEqual([{ id: 'verify-coc-oog', store: 'coc-oog', schedule: 'sat 04:00', 'ignore-verified': true, 'outdated-after': 30 }]);
    // The replica pulls from the primary's address; only the primary pushes, and only off site.
    expect(state(replica).remote).toEqual([{ name: primary, host: '10.20.10.15', 'auth-id': 'sync@pbs', fingerprint: 'AA:BB:CC', password: SECRETS.pbs_sync_password }]);
    expect(state(replica)['sync-job']).toEqual([{ id: `pull-${primary}`, store: 'coc-oog', remote: primary, 'remote-store': 'coc-oog', schedule: '*-*-* 05:00' }]);
    expect(state(primary)['sync-job']).toEqual([{ id: 'push-offsite', store: 'coc-oog', remote: 'offsite', 'remote-store': 'coc-oog', schedule: '*-*-* 06:00', 'sync-direction': 'push' }]);
    expect(state(primary).remote!.map((x) => x.host)).toEqual(['203.0.113.10']);
    expect(r.output).not.toContain(SECRETS.pbs_sync_password);
    expect(r.output).not.toContain(SECRETS.pbs_offsite_password);
  }, 900_000);

  it('a second run changes nothing; a changed setting is one update of that option only', () => {
    const before = HOSTS.map((h) => calls(h).length);
    const again = play();
    expect(again.status, again.output).toBe(0);
    for (const h of HOSTS) expect(recap(again.output, h)).toBe('0');
    expect(HOSTS.map((h) => calls(h).length)).toEqual(before);

    const changed = play({ pbs_verify_schedule: 'sun 02:00' });
    expect(changed.status, changed.output).toBe(0);
    for (const h of HOSTS) {
      expect(calls(h).at(-1)).toBe('verify-job update verify-coc-oog --schedule sun 02:00');
      expect(recap(changed.output, h)).toBe('1');
    }
    expect(changed.output).not.toContain(SECRETS.pbs_sync_password);
  }, 900_000);

  it('without an off-site host the primary says so; missing replica credentials stop the play', () => {
    const r = play({ pbs_offsite_host: '' });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain('pbs_offsite_host is empty: backups stay on site');
    const bad = play({ pbs_sync_password: '' });
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('set pbs_sync_password (vault) and pbs_primary_fingerprint');
  }, 900_000);

  it('a datastore of the same name at another path is refused, not moved', () => {
    const primary = HOSTS[0]!;
    const s = state(primary);
    s.datastore = [{ name: 'coc-oog', path: '/srv/elsewhere' }];
    writeFileSync(join(tmp, primary, 'state.json'), JSON.stringify(s));
    const r = play();
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('datastore coc-oog exists at /srv/elsewhere; expected /mnt/datastore/coc-oog');
  }, 900_000);
});
