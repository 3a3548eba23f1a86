// The site_pki role really runs (connection: local, under a scratch root) with certificates
// made here by openssl: a good one is installed with the right owners and modes and a second
// run changes nothing; an expiring, foreign, mismatched or misnamed one is refused by name.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_DIR } from './source.ts';

const PLAYBOOK = join(REPO_DIR, 'ansible-bridge/playbooks/pki.yml');
const ROLES = join(REPO_DIR, 'ansible-bridge/roles');
const HOST = 'pki-test';
const DOMAIN = 'coc.oog.gov.vn';

let tmp: string;
const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });

/** A CA and a host certificate signed by it; options make the broken variants. */
function issue(dir: string, o: { days?: number; ip?: string; ca?: string } = {}): void {
  mkdirSync(join(tmp, dir), { recursive: true });
  const ca = o.ca ?? dir;
  if (!existsSync(join(tmp, ca, 'ca.key'))) {
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${ca}/ca.key`, '-out', `${ca}/ca.crt`, '-days', '3650', '-subj', `/CN=${ca} CA`);
  }
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${dir}/${HOST}.key`, '-out', `${dir}/${HOST}.csr`, '-subj', `/CN=${HOST}.${DOMAIN}`);
  writeFileSync(join(tmp, dir, 'ext.cnf'), `subjectAltName=DNS:${HOST}.${DOMAIN},IP:${o.ip ?? '127.0.0.1'}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  ssl('x509', '-req', '-in', `${dir}/${HOST}.csr`, '-CA', `${ca}/ca.crt`, '-CAkey', `${ca}/ca.key`, '-CAcreateserial', '-out', `${dir}/${HOST}.crt`, '-days', String(o.days ?? 365), '-extfile', `${dir}/ext.cnf`);
  if (ca !== dir) copyFileSync(join(tmp, dir === 'foreign' ? 'good' : ca, 'ca.crt'), join(tmp, dir, 'ca.crt'));
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'coc-pki-'));
  issue('good');
  issue('expiring', { days: 5 });
  issue('noip', { ip: '10.9.9.9' });
  issue('other');
  issue('foreign', { ca: 'other' }); // signed by another CA, shipped with the site CA
  mkdirSync(join(tmp, 'mismatch'));
  for (const f of ['ca.crt', `${HOST}.crt`]) copyFileSync(join(tmp, 'good', f), join(tmp, 'mismatch', f));
  copyFileSync(join(tmp, 'other', `${HOST}.key`), join(tmp, 'mismatch', `${HOST}.key`));
  writeFileSync(join(tmp, 'hosts.yml'), [
    'all:',
    `  vars: {coc_domain: ${DOMAIN}}`,
    `  hosts: {${HOST}: {ansible_host: 127.0.0.1, ansible_connection: local}}`,
    `  children: {linux: {hosts: {${HOST}: null}}, etcd: {hosts: {${HOST}: null}}, patroni: {hosts: {${HOST}: null}}}`,
    '',
  ].join('\n'));
});
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

function play(source: string, root: string) {
  const vars = { coc_targets: HOST, site_pki_source: join(tmp, source), site_pki_root: join(tmp, root) };
  const r = spawnSync('ansible-playbook', ['-i', join(tmp, 'hosts.yml'), PLAYBOOK, '--diff', '-e', JSON.stringify(vars)], {
    encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true' },
  });
  return { ...r, output: r.stdout + r.stderr };
}
const uid = (user: string) => Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());

describe('site_pki role', () => {
  it('installs one host certificate for every TLS service of the host, keys 0600 for their service only', () => {
    const r = play('good', 'root');
    expect(r.status, r.output).toBe(0);
    const at = (p: string) => statSync(join(tmp, 'root', p));
    const expected: [string, string][] = [
      ['/etc/ssl/coc/host', 'root'], ['/etc/etcd/pki/etcd', 'etcd'], ['/etc/patroni/pki/patroni', 'postgres'],
      ['/etc/patroni/pki/etcd-client', 'postgres'], ['/etc/postgresql/pki/server', 'postgres'],
    ];
    for (const [base, user] of expected) {
      expect(at(`${base}.key`).mode & 0o777, base).toBe(0o600);
      expect(at(`${base}.key`).uid, base).toBe(uid(user));
      expect(at(`${base}.crt`).mode & 0o777).toBe(0o644);
      expect(readFileSync(join(tmp, 'root', `${base}.crt`), 'utf8')).toBe(readFileSync(join(tmp, 'good', `${HOST}.crt`), 'utf8'));
    }
    for (const d of ['/etc/ssl/coc', '/etc/etcd/pki', '/etc/patroni/pki', '/etc/postgresql/pki']) expect(existsSync(join(tmp, 'root', d, 'ca.crt'))).toBe(true);
    expect(r.output).toContain('certificates changed for etcd, patroni, postgresql: reload them one member at a time');
    // --diff never shows the private key.
    expect(r.output).not.toContain('PRIVATE KEY');
    const again = play('good', 'root');
    expect(again.status, again.output).toBe(0);
    expect(again.output).toMatch(new RegExp(`${HOST}\\s+: ok=\\d+\\s+changed=0`));
  }, 900_000);

  it.each([
    ['expiring', 'expires within 30 days (notAfter='],
    ['foreign', 'not signed by the site CA in ca.crt'],
    ['mismatch', `the key ${HOST}.key does not match it`],
    ['noip', 'no IP Address:127.0.0.1 in subjectAltName'],
  ])('refuses the %s certificate and installs nothing', (source, message) => {
    const r = play(source, `root-${source}`);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(message);
    expect(existsSync(join(tmp, `root-${source}`))).toBe(false);
  }, 900_000);

  it('names the missing files', () => {
    const r = play('nowhere', 'root-none');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(`missing in ${join(tmp, 'nowhere')}: ca.crt, ${HOST}.crt, ${HOST}.key`);
  }, 900_000);

  it('installs where the service roles read their files', () => {
    const defaults = (role: string) => parse(readFileSync(join(ROLES, role, 'defaults/main.yml'), 'utf8')) as Record<string, string | undefined>;
    const pki = readFileSync(join(ROLES, 'site_pki/defaults/main.yml'), 'utf8');
    const paths = [
      defaults('baseline').baseline_tls_cert_file, defaults('baseline').baseline_tls_key_file, defaults('baseline').baseline_tls_ca_file,
      defaults('etcd').etcd_tls_cert_file, defaults('etcd').etcd_tls_key_file, defaults('etcd').etcd_tls_ca_file,
      defaults('patroni').patroni_restapi_certfile, defaults('patroni').patroni_restapi_keyfile, defaults('patroni').patroni_restapi_cafile,
      defaults('patroni').patroni_etcd_cert, defaults('patroni').patroni_etcd_key, defaults('patroni').patroni_etcd_cacert,
      defaults('patroni').patroni_pg_ssl_cert_file, defaults('patroni').patroni_pg_ssl_key_file,
      defaults('pg_standalone').pg_ssl_cert_file, defaults('pg_standalone').pg_ssl_key_file,
    ];
    for (const p of paths as string[]) {
      expect(p, 'a role default is missing').toMatch(/^\//);
      const dir = p.slice(0, p.lastIndexOf('/'));
      const file = p.slice(p.lastIndexOf('/') + 1);
      expect(pki, p).toContain(`'dir': '${dir}'`);
      expect(file === 'ca.crt' || pki.includes(`'${file}'`), p).toBe(true);
    }
  });
});
