import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { k6FileNames } from '../k6/index.ts';
import { CONFIGMAP_LIMIT_BYTES, loadK6Bundle } from './k6-bundle.ts';

const p2 = k6FileNames(2);
const p3 = k6FileNames(3);

const dir = mkdtempSync(join(tmpdir(), 'coc-k6b-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadK6Bundle', () => {
  test('reads the pattern bundle and its plan', async () => {
    writeFileSync(join(dir, p2.script), 'export default function () {}\n');
    writeFileSync(join(dir, p2.plan), '{}\n');
    const b = await loadK6Bundle(2, { dir, build: false });
    expect(b.script).toBe(p2.script);
    expect(Object.keys(b.files).sort()).toEqual([p2.script, p2.plan]);
  });

  test('a missing bundle is built through k6\'s public face', async () => {
    const out = join(dir, 'built');
    const b = await loadK6Bundle(3, { dir: out });
    expect(b.script).toBe(p3.script);
    expect(b.files[p3.script]).toMatch(/require\("k6\/http"\)/);
    expect(JSON.parse(b.files[p3.plan]!).pattern).toBe(3);
  });

  test('missing bundle without a build says what to run', async () => {
    await expect(loadK6Bundle(3, { dir: join(dir, 'none'), build: false })).rejects.toThrow(/npm run k6:build -- --pattern 3/);
  });

  test('a named script that is absent is an error', async () => {
    await expect(loadK6Bundle(2, { dir, script: 'nope.js' })).rejects.toThrow(/"nope.js" not found/);
  });

  test('a bundle too large for a ConfigMap is refused', async () => {
    writeFileSync(join(dir, 'big.js'), 'x'.repeat(CONFIGMAP_LIMIT_BYTES + 1));
    await expect(loadK6Bundle(2, { dir, script: 'big.js' })).rejects.toThrow(/at most/);
  });
});
