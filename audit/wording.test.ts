import { describe, expect, it } from 'vitest';
import { loadInventory, siteNames } from '../inventory/index.ts';
import { expectedRowsOf, loadSizing, runAudit, viewsOf } from './audit.ts';
import { check } from './checks/context.ts';
import { contradictions } from './wording.ts';

describe('verdicts and their words agree', () => {
  it('flags a passing line that says the figure does not fit, and a FAIL that names no failure', () => {
    const bad = check('x', 'R', 't', 'warn', ['PASS network peak 1,708 Mbps: 170.8% of 1 GbE (does not fit)']);
    expect(contradictions(bad).map((c) => c.why)).toEqual(['a passing line says "does not fit"']);
    expect(contradictions(check('y', 'R', 't', 'pass', ['quorum is short by one vote']))).toHaveLength(1);
    expect(contradictions(check('z', 'R', 't', 'pass', ['FAIL storage full in 2 months']))).toHaveLength(1);
    expect(contradictions(check('f', 'R', 't', 'fail', ['everything is fine']))).toHaveLength(1);
    expect(contradictions(check('ok', 'R', 't', 'fail', ['SHORT lose host-1: vm → NO ROOM']))).toEqual([]);
  });

  it('no check of any site or option contradicts its own verdict', async () => {
    const inv = loadInventory();
    const sizing = await loadSizing();
    expect('results' in sizing).toBe(true);
    const found: unknown[] = [];
    let scanned = 0;
    for (const site of siteNames(inv)) {
      for (const option of Object.keys(inv.sites[site]!.options)) {
        const { view, views } = viewsOf(inv, site, option);
        const r = runAudit({ view, views, expectedRows: expectedRowsOf(inv, view), sizing });
        for (const c of r.checks) { scanned++; found.push(...contradictions(c).map((x) => ({ site, option, ...x }))); }
      }
    }
    expect(scanned).toBeGreaterThan(60);
    expect(found).toEqual([]);
  }, 60_000);

  it('Pattern 1 at 1,708 Mbps says it needs a 10 GbE uplink instead of passing 1 GbE', async () => {
    const inv = loadInventory();
    const { view, views } = viewsOf(inv, 'oog', '2');
    const r = runAudit({ view, views, expectedRows: expectedRowsOf(inv, view), sizing: await loadSizing() });
    const line = r.checks.find((c) => c.id === 'performance.pattern1')!.evidence.find((e) => /network peak/.test(e))!;
    expect(line).toMatch(/^WARN network peak 1,708 Mbps needs a 10 GbE uplink, a speed the bill does not state: 170\.8% of 1 GbE \(exceeds it\), 17\.1% of 10 GbE$/);
  }, 60_000);
});
