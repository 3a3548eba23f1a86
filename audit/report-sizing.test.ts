import { describe, expect, it } from 'vitest';
import { sizePattern } from '../sizing/index.ts';
import { ledgerRows, table19Html } from './report-sizing.ts';

describe('Table 19 and the ledger in the report', () => {
  it('marks no cell with the report assumptions, and each model cell a what-if moves', () => {
    expect(table19Html([sizePattern(2)])).not.toContain('≠ differs');
    const html = table19Html([sizePattern(2, { peakDays: 120 })]);
    // Per day, per hour, MB/s and Mbps follow the 120 days; the yearly count does not, and
    // 0.07 reports/s still rounds to Table 19's 0.1.
    expect(html.match(/class="num differs"/g)).toHaveLength(4);
    expect(html).toMatch(/4 model figure\(s\) differ from Table 19/);
    expect(html).toMatch(/class="num differs">1,314 <b class="mark">≠ differs/);
  });

  it('one ledger row per assumption with a value per pattern, kinds kept per pattern', () => {
    const rows = ledgerRows([sizePattern(1), sizePattern(2), sizePattern(3)], (a) => !a.name.startsWith('odb.'));
    const size = rows.find((r) => r.name === 'reportSizeMB')!;
    expect(size.values).toEqual([10, 20, 10]);
    expect(size.kinds).toEqual(['stated', 'inferred', 'stated']);
    expect(rows.find((r) => r.name === 'dayDivisor')!.values).toEqual([null, null, 255]);
    expect(rows.some((r) => r.name.startsWith('odb.'))).toBe(false);
  });
});
