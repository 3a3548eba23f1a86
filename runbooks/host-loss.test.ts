import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'coc-host-loss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const drill = (...args: string[]) => spawnSync(process.execPath, ['bin/coc.mjs', 'drill', 'host-loss', ...args], { encoding: 'utf8', timeout: 150_000, env: { ...process.env, PROXMOX_VE_ENDPOINT: '', PROXMOX_VE_API_TOKEN: '' } });

describe('host-loss drill', () => {
  it('lab mode writes the evidence and flags the option-1 Platform A shortfall', () => {
    const out = join(dir, 'opt1');
    const r = drill('--lab', '--site', 'oog', '--option', '1', '--out', out);
    expect(r.status).toBe(1);
    const e = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8'));
    expect(e).toMatchObject({ mode: 'lab', model: true, holds: false });
    expect(e.shortfalls).toEqual(expect.arrayContaining([expect.objectContaining({ cluster: 'Platform A', failed: 'oog-vpa-01', ramShortfallGB: 2, vmsWithoutRoom: ['girs-web-01'] })]));
    expect(readFileSync(join(out, 'evidence.md'), 'utf8')).toMatch(/no Proxmox VE runs here[\s\S]*Lose oog-vpa-01: SHORT by 2 GB RAM/);
  }, 300_000);

  it('option 2 holds for every single host loss', () => {
    const out = join(dir, 'opt2');
    const r = drill('--lab', '--option', '2', '--out', out, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).holds).toBe(true);
    expect(existsSync(join(out, 'evidence.md'))).toBe(true);
  }, 300_000);

  it('bad input exits 2; --target without credentials says what is missing and writes nothing', () => {
    expect(drill('--option', '2').status).toBe(2);
    const t = drill('--target', '--option', '2', '--node', 'oog-vpa-01', '--out', join(dir, 't'));
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/PROXMOX_VE_ENDPOINT/);
    expect(existsSync(join(dir, 't'))).toBe(false);
    expect(drill('--lab', '--option', '2', '--node', 'nope').stderr).toMatch(/--node: expected a platform host/);
  }, 300_000);
});
