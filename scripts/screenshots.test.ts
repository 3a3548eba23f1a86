import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHOTS } from './screenshots.ts';

const CHROMIUM = '/usr/bin/chromium';
const shoot = (dir: string, ...names: string[]) => spawnSync(process.execPath, ['bin/coc.mjs', 'docs', 'screenshots', ...names], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, SCREENSHOTS_DIR: dir, COC_FROM_SOURCE: '1' } });

describe('docs screenshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coc-shots-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has one entry per README image', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const s of SHOTS) expect(readme).toContain(`docs/img/${s.file}`);
    expect(SHOTS.map((s) => s.file)).toEqual(expect.arrayContaining(['report-oog-option2.png', 'report-ccop.png', 'report-index.png']));
  });

  it.skipIf(!existsSync(CHROMIUM))('takes a PNG of the real page a coc command writes', () => {
    const r = shoot(dir, 'report-index.png');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const png = readFileSync(join(dir, 'report-index.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1400); // IHDR width: the viewport
  }, 240_000);

  it('names the known shots when asked for an unknown one, exit 2, nothing written', () => {
    const r = shoot(dir, 'nope.png');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^coc docs screenshots: unknown shot "nope\.png"; expected one of report-oog-option2\.png/);
    expect(existsSync(join(dir, 'nope.png'))).toBe(false);
  }, 60_000);
});
