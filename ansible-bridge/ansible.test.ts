// The Ansible bridge under the real ansible-core: both inventories (the static YAML export and
// the coc.infra.inventory plugin reading the JSON export) parse (a parse failure fails), carry
// the expected groups and host vars, give identical --list and --graph output, every playbook
// passes --syntax-check, the hardening baseline passes --check on this host, and an
// inventory error surfaces with the loader's own file:line:col message.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInventory, formatIssue, INVENTORY_DIR } from '../inventory/index.ts';
import { REPO_DIR } from './source.ts';

const TSX = join(REPO_DIR, 'node_modules/tsx/dist/cli.mjs');
const BRIDGE = join(REPO_DIR, 'ansible-bridge');
const PLAYBOOKS = join(REPO_DIR, 'ansible-bridge/playbooks');
// Fail on an inventory Ansible cannot parse instead of warning and carrying on empty.
const STRICT = { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_INVENTORY_ENABLED: 'script,yaml', ANSIBLE_NOCOLOR: '1' };
// The plugin as operators run it: ansible-bridge/ansible.cfg (collections path, enabled plugins).
const PLUGIN = { ANSIBLE_CONFIG: join(BRIDGE, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' };

// ansible-inventory/ansible-playbook runs: seconds each when idle, far longer on a loaded 2-core machine.
const ANSIBLE_TIMEOUT = 900_000;

type Listing = { _meta: { hostvars: Record<string, Record<string, unknown>> } } & Record<string, { hosts?: string[]; children?: string[] }>;

let tmp: string;
/** A plugin source (like ansible-bridge/inventory.coc.yml) reading the JSON export in tmp. */
let pluginSource: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'coc-ansible-'));
  const r = coc(['ansible', 'export', '--out', join(tmp, 'export', 'coc-inventory.json')]);
  expect(r.status, r.stderr).toBe(0);
  pluginSource = join(tmp, 'export', 'site.coc.yml');
  writeFileSync(pluginSource, readFileSync(join(BRIDGE, 'inventory.coc.yml'), 'utf8').replace('../out/ansible/coc-inventory.json', 'coc-inventory.json'));
});
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

function coc(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(REPO_DIR, 'bin/coc.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

function inventory(source: string, mode: '--list' | '--graph', env: NodeJS.ProcessEnv = STRICT): string {
  return execFileSync('ansible-inventory', ['-i', source, mode], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
const inventoryList = (source: string, env?: NodeJS.ProcessEnv) => JSON.parse(inventory(source, '--list', env)) as Listing;

/** Hosts of a group, children included (ansible-inventory lists them per group). */
function members(l: Listing, group: string): string[] {
  const g = l[group];
  if (!g) return [];
  return [...new Set([...(g.hosts ?? []), ...(g.children ?? []).flatMap((c) => members(l, c))])].sort();
}

const cases = [
  { site: 'oog', option: '1', env: { COC_SITE: 'oog', COC_OPTION: 'option1' } },
  { site: 'oog', option: '2', env: { COC_SITE: 'oog', COC_OPTION: '2' } },
  { site: 'ccop', option: undefined, env: { COC_SITE: 'ccop' } },
] as const;

describe.each(cases)('inventory $site option $option', ({ site, option, env }) => {
  let fromExport: Listing;
  let out: string;
  beforeAll(() => {
    out = join(tmp, `${site}${option ?? ''}.yml`);
    const r = coc(['ansible', 'export', '--site', site, ...(option ? ['--option', option] : []), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    fromExport = inventoryList(out);
  }, ANSIBLE_TIMEOUT);

  // The static export is what the former Node.js inventory script printed (the model's
  // --list JSON), so equal output here is the same output as before the plugin.
  it('the inventory plugin and the static export give ansible-inventory the same --list and --graph', () => {
    const penv = { ...PLUGIN, ...env };
    expect(JSON.parse(inventory(pluginSource, '--list', penv))).toEqual(fromExport);
    expect(inventory(pluginSource, '--list', penv)).toBe(inventory(out, '--list'));
    expect(inventory(pluginSource, '--graph', penv)).toBe(inventory(out, '--graph'));
  }, ANSIBLE_TIMEOUT);

  it('host vars carry address, size, zone/VLAN, rack/RU and Proxmox node', () => {
    const hv = fromExport._meta.hostvars;
    if (site === 'ccop') {
      expect(hv['ccop-db-01']).toMatchObject({ ansible_host: '10.30.130.11', coc_zone: 'db', coc_vlan: 130, coc_rack: 'CCOP-R2', coc_ru: 13, coc_cpu_cores: 4, coc_site: 'ccop' });
      expect(hv['ccop-db-01']!.coc_option).toBeUndefined();
      return;
    }
    expect(hv['oog-vpa-01']).toMatchObject({ ansible_host: '10.20.10.11', coc_kind: 'server', coc_platform: 'A', coc_rack: 'OOG-R2', coc_ru: 10, coc_zone: 'mgmt', coc_vlan: 10 });
    expect(hv['girs-web-01']).toMatchObject({ ansible_host: '10.20.110.11', coc_kind: 'vm', coc_proxmox_node: 'oog-vpa-01', coc_vcpu: 4, coc_ram_gb: 128, coc_zone: 'dmz', coc_vlan: 110 });
    expect(hv['oog-vpa-01']!.coc_cpu_cores).toBe(option === '1' ? 8 : 18);
    // Site-wide settings resolve names to addresses.
    expect(hv['oog-db-01']).toMatchObject({ coc_option: `option${option}`, coc_ntp_servers: ['10.20.150.11'], coc_dns_servers: ['10.20.150.12'], coc_log_servers: ['10.20.160.11', '10.20.160.12'] });
    // Displays and video multiplexers have no address and are not in the inventory.
    expect(Object.keys(hv).some((h) => h.startsWith('oog-display-'))).toBe(false);
  }, ANSIBLE_TIMEOUT);

  it('groups by site, platform, role, zone and function', () => {
    const l = fromExport;
    const all = Object.keys(l._meta.hostvars).sort();
    expect(members(l, `site_${site}`)).toEqual(all);
    expect(members(l, 'zone_db').length).toBeGreaterThan(0);
    expect(members(l, 'zone_db').every((h) => l._meta.hostvars[h]!.coc_zone === 'db')).toBe(true);
    if (site === 'ccop') {
      expect(members(l, 'pg_standalone')).toEqual(['ccop-db-01']);
      expect(members(l, 'proxmox_nodes')).toEqual([]);
      expect(members(l, 'log_servers')).toEqual(['ccop-sec-01']);
      expect(l._meta.hostvars['ccop-db-01']).toMatchObject({ pg_cluster_name: 'odb', pg_app_networks: ['10.30.120.0/24', '10.30.140.0/24'] });
      return;
    }
    const dbs = option === '1' ? ['oog-db-01', 'oog-db-02'] : ['oog-db-01', 'oog-db-02', 'oog-db-03'];
    expect(members(l, 'proxmox_nodes')).toEqual(['oog-vpa-01', 'oog-vpa-02', 'oog-vpb-01', 'oog-vpb-02']);
    expect(members(l, 'platform_a_nodes')).toEqual(['oog-vpa-01', 'oog-vpa-02']);
    expect(members(l, 'platform_a')).toContain('girs-web-01');
    expect(l._meta.hostvars['oog-vpb-01']!.pve_cluster_name).toBe('oog-platform-b');
    expect(members(l, 'qdevice')).toEqual(['oog-vmgmt-01']);
    expect(members(l, 'patroni')).toEqual(dbs);
    // Three etcd voters in both options: Option 1's two DB servers get the QDevice host as witness.
    expect(members(l, 'etcd')).toEqual(option === '1' ? [...dbs, 'oog-vmgmt-01'] : dbs);
    expect(members(l, 'role_db')).toEqual(dbs);
    expect(members(l, 'display_controllers')).toEqual(option === '1' ? [] : ['oog-dispctl-01', 'oog-dispctl-02', 'oog-dispctl-03', 'oog-dispctl-04']);
    expect(members(l, 'subsystem_vedh').length).toBe(option === '1' ? 0 : 3);
    expect(l._meta.hostvars['oog-db-01']).toMatchObject({ patroni_scope: 'girs', patroni_pg_hba_cluster_networks: ['10.20.130.0/24'], etcd_site: 'oog' });
  }, ANSIBLE_TIMEOUT);

  it('site.yml (importing every playbook) passes --syntax-check against this inventory', () => {
    const out = join(tmp, `${site}${option ?? ''}.yml`);
    const r = spawnSync('ansible-playbook', ['-i', out, '--syntax-check', join(PLAYBOOKS, 'site.yml')], { encoding: 'utf8', env: { ...process.env, ...STRICT } });
    expect(r.status, r.stderr).toBe(0);
  }, ANSIBLE_TIMEOUT);
});

describe('playbooks', () => {
  it('every playbook passes --syntax-check on its own', () => {
    const out = join(tmp, 'oog2.yml');
    for (const pb of readdirSync(PLAYBOOKS).filter((f) => f.endsWith('.yml'))) {
      const r = spawnSync('ansible-playbook', ['-i', out, '--syntax-check', join(PLAYBOOKS, pb)], { encoding: 'utf8', env: { ...process.env, ...STRICT } });
      expect(r.status, `${pb}: ${r.stderr}`).toBe(0);
    }
  }, ANSIBLE_TIMEOUT);

  it('the hardening baseline passes --check --diff against this host (connection: local)', () => {
    const out = join(tmp, 'baseline.yml');
    expect(coc(['ansible', 'export', '--site', 'oog', '--option', '2', '--out', out]).status).toBe(0);
    const r = spawnSync('ansible-playbook', ['-i', out, '-i', 'localhost,', '--connection', 'local', '-e', 'coc_targets=localhost',
      '--check', '--diff', join(PLAYBOOKS, 'baseline.yml')], { encoding: 'utf8', env: { ...process.env, ...STRICT } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/localhost\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0/);
    // The diff shows the site's settings reaching the host's configuration.
    expect(r.stdout).toContain('+PermitRootLogin no');
    expect(r.stdout).toContain('+server 10.20.150.11 iburst');
    expect(r.stdout).toContain('target="10.20.160.12" port="6514"');
  }, ANSIBLE_TIMEOUT);
});

describe('errors', () => {
  it('a broken inventory value stops the export with the loader\'s file:line:col message, writing nothing', () => {
    const dir = join(tmp, 'broken');
    spawnSync('mkdir', ['-p', dir]);
    for (const f of readdirSync(INVENTORY_DIR).filter((f) => f.endsWith('.yaml'))) copyFileSync(join(INVENTORY_DIR, f), join(dir, f));
    const file = join(dir, 'oog.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('vlan: 130\n');
    writeFileSync(file, text.replace('vlan: 130\n', 'vlan: one-thirty\n'));
    const expected = checkInventory(dir).issues.map(formatIssue);
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatch(/oog\.yaml:\d+:\d+ zones\[3\]\.vlan: expected a number, got "one-thirty"/);

    const target = join(tmp, 'broken-export.json');
    const r = coc(['ansible', 'export', '--out', target], { COC_INVENTORY_DIR: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(expected[0]);
    expect(existsSync(target)).toBe(false);
  }, ANSIBLE_TIMEOUT);

  it('the plugin rejects an unknown option and a missing export; serves one host\'s vars', () => {
    const bad = spawnSync('ansible-inventory', ['-i', pluginSource, '--list'], { encoding: 'utf8', env: { ...process.env, ...PLUGIN, COC_SITE: 'oog', COC_OPTION: '7' } });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.replace(/\s+/g, ' ')).toContain('site "oog" has no option "7"; expected one of option1, option2');
    const missing = join(tmp, 'nowhere.coc.yml');
    writeFileSync(missing, 'plugin: coc.infra.inventory\nexport: nowhere.json\n');
    const none = spawnSync('ansible-inventory', ['-i', missing, '--list'], { encoding: 'utf8', env: { ...process.env, ...PLUGIN } });
    expect(none.status).not.toBe(0);
    expect(none.stderr.replace(/\s+/g, '')).toContain('nowhere.json:noexportedinventory'.replace(/\s+/g, ''));
    const one = spawnSync('ansible-inventory', ['-i', pluginSource, '--host', 'ccop-um-01'], { encoding: 'utf8', env: { ...process.env, ...PLUGIN, COC_SITE: 'ccop' } });
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ ansible_host: '10.30.150.11', coc_rack: 'CCOP-R1', coc_ru: 16 });
  }, ANSIBLE_TIMEOUT);

  it('bad export flags exit 2 and write nothing', () => {
    const dir = mkdtempSync(join(tmp, 'out-'));
    const out = join(dir, 'inv.yml');
    for (const args of [
      ['--site', 'oog', '--out', out],
      ['--site', 'oog', '--option', '9', '--out', out],
      ['--site', 'mars', '--out', out],
      ['--site', 'oog', '--option', '2', '--out', join(dir, 'inv.txt')],
      ['--site', 'oog', '--option', '2', '--bogus', '--out', out],
      ['--site', 'oog', '--option', '2'],
      ['--site', 'mars', '--out', join(dir, 'inv.json')],
      ['--option', '2', '--out', join(dir, 'inv.json')],
    ]) {
      const r = coc(['ansible', 'export', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^coc ansible export: |site/);
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  }, ANSIBLE_TIMEOUT);
});
