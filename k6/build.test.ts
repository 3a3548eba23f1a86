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
    // CommonJS: no Babel pass on k6 < 0.52, native on current k6.
    const loads = [...code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    expect(new Set(loads)).toEqual(new Set(['k6', 'k6/crypto', 'k6/execution', 'k6/http', 'k6/metrics']));
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toMatch(/https?:\/\/jslib/);
    expect(checkBundle(code)).toEqual([]);
    // The named functions the scenarios execute are exported; no handleSummary, so k6
    // prints its usual end-of-test summary.
    for (const name of ['submit', 'browse', 'options', 'postReport', 'default']) expect(code).toMatch(new RegExp(`\\b${name}: \\(\\) => `));
    expect(code).not.toContain('handleSummary');
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
    expect(checkBundle('var a = require("k6/http"); var b = require("lodash"); var c = require(x);').map((p) => p.what)).toEqual(['require of "lodash" (only k6 and k6/* modules are provided)', 'require() of a computed module name']);
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
