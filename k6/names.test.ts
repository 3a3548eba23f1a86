import { describe, expect, it } from 'vitest';
import { isBundleFile, k6FileNames } from './index.ts';

describe('k6 file names (one owner for build, workloads and the load drill)', () => {
  it('names the bundle, its plan and the drill outputs after the pattern', () => {
    expect(k6FileNames(2)).toEqual({ script: 'girs-p2.js', plan: 'girs-p2.plan.json', summary: 'k6-girs-p2-summary.json', junit: 'k6-girs-p2-junit.xml' });
  });

  it('recognises what a k6/dist folder holds and nothing else', () => {
    for (const p of [1, 2, 3] as const) {
      expect(isBundleFile(k6FileNames(p).script)).toBe(true);
      expect(isBundleFile(k6FileNames(p).plan)).toBe(true);
      expect(isBundleFile(k6FileNames(p).summary)).toBe(false);
    }
    expect(isBundleFile('notes.txt')).toBe(false);
  });
});
