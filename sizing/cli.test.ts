import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './cli.ts';

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  try {
    const code = await run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('coc sizing', () => {
  it('--json prints the stable contract for one pattern', async () => {
    const { code, out } = await capture(['--pattern', '3', '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.pattern).toBe(3);
    expect(j.figures).toEqual({ reportsPerYear: 7_200_000, reportsPerDay: 28_235, reportsPerHour: 12_000, reportsPerSecond: 4, dataMBps: 40, networkMbps: 320 });
    expect(Object.keys(j.exact).sort()).toEqual(Object.keys(j.figures).sort());
    for (const a of j.assumptions) expect(Object.keys(a).sort()).toEqual(['kind', 'name', 'source', 'unit', 'value']);
    for (const f of j.findings) expect(['info', 'warning']).toContain(f.severity);
    expect(j.capacity.options).toHaveLength(2);
  });

  it('what-if flags change the JSON figures', async () => {
    const j = JSON.parse((await capture(['--pattern', '1', '--json', '--peak-days', '120'])).out);
    expect(j.figures.reportsPerDay).toBe(320_155);
    expect(j.figures.networkMbps).toBe(1067.2);
  });

  it('the table shows Table 19 published vs model, findings and capacity', async () => {
    const { out } = await capture(['--pattern', 'all']);
    expect(out).toMatch(/The number of reports per an hour\s*│\s*76,837\s*│\s*76,837\s*│\s*315\.4\s*│\s*315\.4\s*│\s*12,000\s*│\s*12,000/);
    expect(out).toContain('Findings, Pattern 3');
    expect(out).toContain('[warning] Pattern 1');
    expect(out).toContain('Capacity per deployment option (OOG)');
    expect(out).not.toContain(' *');
  });

  it('--markdown gives Markdown tables; a what-if marks differing figures', async () => {
    const { out } = await capture(['--pattern', '2', '--markdown', '--report-size-mb', '10']);
    expect(out).toContain('| Estimation item | P2 published | P2 model |');
    expect(out).toContain('| Data volume at one second (MB) | 1.8 | 0.9 * |');
  });

  it('rejects bad input with a message naming the flag', async () => {
    await expect(run(['--peak-days', 'abc'])).rejects.toThrow('--peak-days: expected a number of days from 1 to 366, got "abc"');
    await expect(run(['--pattern', '4'])).rejects.toThrow(/--pattern: expected one of 1, 2, 3, all, got "4"/);
    await expect(run(['--peak-hour-share', '1.5'])).rejects.toThrow(/--peak-hour-share: expected a share/);
    await expect(run(['--bogus'])).rejects.toThrow(/Unknown option '--bogus'/);
    await expect(run(['3'])).rejects.toThrow(/unexpected argument "3"/);
    await expect(run(['--json', '--markdown'])).rejects.toThrow(/exclude each other/);
  });
});

describe('coc sizing end to end', () => {
  it('--pattern all --json prints the three patterns', () => {
    const r = spawnSync(process.execPath, ['bin/coc.mjs', 'sizing', '--pattern', 'all', '--json'], { encoding: 'utf8', timeout: 150_000 });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.map((x: { pattern: number }) => x.pattern)).toEqual([1, 2, 3]);
    expect(j[0].figures.networkMbps).toBe(1707.5);
    expect(j[1].figures.dataMBps).toBe(1.8);
  });

  it('an unknown flag exits 2 with a message and no output', () => {
    const r = spawnSync(process.execPath, ['bin/coc.mjs', 'sizing', '--peak-dayz', '3'], { encoding: 'utf8', timeout: 150_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("coc sizing: Unknown option '--peak-dayz'");
    expect(r.stdout).toBe('');
  });
});
