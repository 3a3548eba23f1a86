import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The CLI end to end, as a pipeline would call it.
const coc = (...args: string[]) => spawnSync(process.execPath, ['bin/coc.mjs', ...args], { encoding: 'utf8', timeout: 150_000 });

describe('coc bill', () => {
  it('prints the JSON contract and exits 1 for option 1 (Platform A N+1 fails)', () => {
    const r = coc('bill', '--site', 'oog', '--option', '1', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ site: 'oog', option: 'option1', published: { networkDevices: 18 } });
    expect(j.checks.find((c: { id: string }) => c.id === 'availability.n+1.platform-a').status).toBe('fail');
  }, 300_000);

  it('exits 2 with a clear message on bad input', () => {
    const a = coc('bill', '--site', 'nowhere');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--site: expected one of ccop, oog, got "nowhere"/);
    const b = coc('bill', '--site', 'oog', '--option', '7');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/no option "7"/);
    expect(coc('bill', '--site', 'oog', '--option', '2', '--bogus').status).toBe(2);
  }, 300_000);
});
