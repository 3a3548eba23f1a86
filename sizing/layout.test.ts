// The shape of the sizing folder: a pure core with no import cycles, an edge that does the
// reading, and index.ts as the public face only. Checked on the import statements.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(DIR, '..');
/** Modules that read files or the inventory: the edge. Everything else in sizing/ is the pure core. */
const EDGE = new Set(['data.ts', 'calibration.ts', 'cli.ts', 'index.ts', 'render.ts']);

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const graph = new Map(files.map((f) => [f, imports(join(DIR, f))]));

describe('sizing/ layout', () => {
  it('has no import cycle', () => {
    const local = (f: string) => graph.get(f)!.filter((s) => s.startsWith('./')).map((s) => s.slice(2));
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (path.includes(f)) { cycles.push([...path.slice(path.indexOf(f)), f].join(' → ')); return; }
      for (const g of local(f)) visit(g, [...path, f]);
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('the core reads nothing: no Node built-ins, no loader, no edge module', () => {
    const bad: string[] = [];
    for (const f of files.filter((x) => !EDGE.has(x))) {
      for (const s of graph.get(f)!) {
        const target = s.startsWith('.') ? relative(ROOT, resolve(DIR, s)) : s;
        const typeOnly = new RegExp(`import type [^;]*'${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`).test(readFileSync(join(DIR, f), 'utf8'));
        if (s.startsWith('node:') || (s.startsWith('./') && EDGE.has(s.slice(2)))) bad.push(`${f} imports ${s}`);
        else if (target.startsWith('inventory/') && !typeOnly && target !== 'inventory/demand-schema.ts') bad.push(`${f} imports ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('nothing inside sizing/ imports its public face, and there is no fixed GIRS site', () => {
    for (const f of files.filter((x) => x !== 'index.ts')) {
      expect(graph.get(f), f).not.toContain('./index.ts');
      expect(readFileSync(join(DIR, f), 'utf8'), f).not.toMatch(/GIRS_SITE|'oog'/);
    }
  });

  it('consumers take the N+1 model from sizing, not from audit', () => {
    expect(readdirSync(join(ROOT, 'audit'))).not.toContain('nplus1.ts');
    for (const f of ['runbooks/host-loss.ts', 'audit/checks/availability.ts', 'audit/charts.ts']) {
      expect(readFileSync(join(ROOT, f), 'utf8'), f).toMatch(/from '(\.\.\/)+sizing\/index\.ts'/);
    }
  });
});

describe('the core runs in a browser', () => {
  it('bundles for the browser platform (a Node built-in anywhere in it would fail the build)', async () => {
    const { bundlePage } = await import('../planner/build.ts');
    const js = await bundlePage();
    expect(js).toContain('what-if: --');
    expect(js).not.toMatch(/require\("(node:)?fs"\)/);
  }, 120_000);
});
