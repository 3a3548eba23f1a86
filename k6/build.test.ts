import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { girsTargets, type PatternId } from '../sizing/index.ts';
import { buildPattern, run } from './build.ts';
import { checkBundle } from './compat.ts';

const out = mkdtempSync(join(tmpdir(), 'k6-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.each([1, 2, 3] as PatternId[])('Pattern %i bundle', (pattern) => {
  it('builds, imports only k6 modules, and uses no syntax past ES2017', async () => {
    const b = await buildPattern(pattern, out);
    const code = readFileSync(b.bundle, 'utf8');
    const imports = [...code.matchAll(/^\s*import\b[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec).toMatch(/^k6(\/(http|crypto|metrics))?$/);
    expect(code).not.toMatch(/https?:\/\/jslib|from\s+['"]https?:/);
    expect(code).not.toContain('k6/experimental/fs');
    expect(code).not.toMatch(/\brequire\(/);
    expect(checkBundle(code)).toEqual([]);
    // The named functions the scenarios execute, and the summary hook, are exported.
    expect(code).toMatch(/export\s*\{[^}]*\bsubmit\b[^}]*\}/);
    for (const name of ['browse', 'handleSummary', 'options']) expect(code).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`));
  });

  it('carries the sizing model\'s rate (within 0.5 %) and report size', async () => {
    const b = await buildPattern(pattern, out);
    const t = girsTargets(pattern);
    const plan = JSON.parse(readFileSync(b.planFile, 'utf8'));
    expect(plan.pattern).toBe(pattern);
    expect(Number.isInteger(plan.peak.rate) && Number.isInteger(plan.peak.timeUnitSeconds)).toBe(true);
    expect(Math.abs(plan.peak.rate / plan.peak.timeUnitSeconds - t.reportsPerSecond) / t.reportsPerSecond).toBeLessThanOrEqual(0.005);
    expect(Math.abs(plan.soak.rate / plan.soak.timeUnitSeconds - t.reportsPerDay / 86_400) / (t.reportsPerDay / 86_400)).toBeLessThanOrEqual(0.005);
    expect(plan.reportBytes).toBe(Math.round(t.reportSizeMB * 1e6));
    expect(plan.peakMBps).toBeCloseTo(t.dataMBps, 9);
  });
});

describe('the build command', () => {
  it('rejects a pattern that does not exist (exit 2 with what was expected)', async () => {
    await expect(run(['--pattern', '4', '--out-dir', out])).rejects.toThrow(/--pattern: expected one of 1, 2, 3, got "4"/);
    await expect(run(['--out-dir', out], { PATTERN: 'two' })).rejects.toThrow(/expected one of 1, 2, 3, got "two"/);
  });
});

describe('the bundle guard', () => {
  it('names what k6 0.47 could not run', () => {
    const bad = [
      'import a from "https://jslib.k6.io/k6-summary/0.0.2/index.js";',
      'import fs from "k6/experimental/fs";',
      'import _ from "lodash";',
      'const x = a?.b ?? c;',
      'class A { f = 1 }',
      'const o = { ...p };',
    ].join('\n');
    const what = checkBundle(bad).map((p) => p.what).join('\n');
    for (const m of ['network import', 'needs k6 >= 0.48', 'import of "lodash"', 'optional chaining', 'nullish coalescing', 'class field', 'object spread']) {
      expect(what).toContain(m);
    }
    expect(checkBundle('let = (').some((p) => p.what.startsWith('syntax error'))).toBe(true);
  });
});
