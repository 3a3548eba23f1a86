// ansible-lint (Debian 12's 6.13) on the whole of ansible-bridge at the production profile,
// its strictest, with ansible-bridge/.ansible-lint; and a copy with one bad task fails, so the
// check can fail.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './source.ts';

const BRIDGE = join(REPO_DIR, 'ansible-bridge');
const available = spawnSync('ansible-lint', ['--version'], { encoding: 'utf8' }).status === 0;
// A loaded 2-core machine runs one lint in up to a few minutes.
const LINT_TIMEOUT = 900_000;

function lint(cwd: string) {
  const r = spawnSync('ansible-lint', ['--nocolor'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1' }, timeout: LINT_TIMEOUT });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.runIf(available)('ansible-lint', () => {
  it('passes the production profile with 0 failures and 0 warnings on the whole of ansible-bridge', () => {
    expect(readFileSync(join(BRIDGE, '.ansible-lint'), 'utf8')).toMatch(/^profile: production$/m);
    const r = lint(BRIDGE);
    expect(r.out).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\) on \d+ files/);
    expect(r.status, r.out).toBe(0);
  }, LINT_TIMEOUT);

  it('a lower-case task name and a command without changed_when fail it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coc-lint-'));
    try {
      cpSync(BRIDGE, join(dir, 'ansible-bridge'), { recursive: true, filter: (src) => !src.includes('node_modules') });
      const tasks = join(dir, 'ansible-bridge', 'roles', 'qnetd', 'tasks', 'main.yml');
      writeFileSync(tasks, `${readFileSync(tasks, 'utf8')}\n- name: restart qnetd by hand\n  ansible.builtin.command: systemctl restart corosync-qnetd\n`);
      const r = lint(join(dir, 'ansible-bridge'));
      expect(r.status).not.toBe(0);
      expect(r.out).toContain('name[casing]');
      expect(r.out).toContain('no-changed-when');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, LINT_TIMEOUT);
});
