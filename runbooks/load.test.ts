import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { girsTargets } from '../sizing/index.ts';
import { k6FileNames } from '../k6/index.ts';
import { planFor } from '../k6/plan.ts';
import { run } from './load.ts';

const scratch = mkdtempSync(join(tmpdir(), 'load-drill-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function capture() {
  const logs: string[] = [];
  const out: string[] = [];
  return { logs, out, deps: { log: (l: string) => logs.push(l), print: (l: string) => out.push(l) } };
}

describe('drill:load', () => {
  it('without k6 on PATH: says so, exits 3, and stops the intake it started', async () => {
    const c = capture();
    const outDir = join(scratch, 'no-k6');
    const emptyPath = mkdtempSync(join(scratch, 'path-'));
    await expect(run(['--pattern', '3', '--duration', '5s', '--out', outDir], { ...c.deps, env: { PATH: emptyPath }, sharedK6: join(scratch, 'no-shared-k6') }))
      .rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/k6 not found: no k6: K6 is not set, there is no k6 on PATH, and no .*no-shared-k6/) });
    const started = c.logs.map((l) => /lab intake listening on (http:\/\/127\.0\.0\.1:\d+) \(fs store in (\S+)\)/.exec(l)).find(Boolean);
    expect(started).toBeTruthy();
    // The preflight really went through the intake before k6 was looked for.
    expect(c.logs.some((l) => /preflight: POST \/reports \(10000000 bytes\) -> 201/.test(l))).toBe(true);
    await expect(fetch(`${started![1]}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(existsSync(started![2]!)).toBe(false);
    const ev = JSON.parse(readFileSync(join(outDir, 'evidence.json'), 'utf8'));
    expect(ev).toMatchObject({ status: 'k6-not-found', exitCode: 3, k6: null, outcome: null });
    expect(readFileSync(join(outDir, 'evidence.md'), 'utf8')).toContain('no load was run');
    // Nothing ran, so nothing passed: CI sees a failure, not an empty suite.
    expect(readFileSync(join(outDir, k6FileNames(3).junit), 'utf8')).toMatch(/tests="1" failures="1"[\s\S]*k6 not found/);
    expect(JSON.parse(readFileSync(join(outDir, k6FileNames(3).summary), 'utf8'))).toMatchObject({ ok: false, status: 'k6-not-found' });
  });

  it('exits 3 from the command line too, with the message on stderr', () => {
    const r = spawnSync(process.execPath, ['bin/coc.mjs', 'drill', 'load', '--pattern', '2', '--duration', '2s', '--out', join(scratch, 'cli')], {
      encoding: 'utf8', env: { PATH: dirname(process.execPath), TMPDIR: scratch, K6: join(scratch, 'no-such-k6') }, timeout: 150_000,
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^coc drill load: k6 not found: K6=.*no-such-k6 is not an executable file/m);
    expect(r.stderr).toMatch(/lab intake stopped/);
  });

  it.each([1, 2, 3] as const)('--dry-run prints Pattern %i rates from the sizing model and starts nothing', async (p) => {
    const c = capture();
    expect(await run(['--pattern', String(p), '--dry-run'], { ...c.deps, env: { PATH: '' } })).toBe(0);
    const text = c.out.join('\n');
    const plan = planFor(p);
    const t = girsTargets(p);
    expect(text).toContain(`peak   ${plan.peak.rate} per ${plan.peak.timeUnitSeconds}s`);
    expect(text).toContain(`(model ${t.reportsPerSecond.toFixed(4)}/s`);
    expect(text).toContain(`${t.reportSizeMB} MB reports (${t.reportSizeMB * 1e6} bytes)`);
    expect(text).toContain(`k6 run --quiet --summary-export OUT/k6-summary-export.json --out json=OUT/k6-points.json k6/dist/girs-p${p}.js`);
    expect(c.logs.join('\n')).not.toContain('listening');
  });

  it('rejects bad input with what was expected (exit 2)', async () => {
    const c = capture();
    await expect(run(['--pattern', '4'], c.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--pattern: expected one of 1, 2, 3/) });
    await expect(run(['--duration', 'soon'], c.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--duration: expected a duration/) });
    await expect(run(['--scenario', 'storm', '--dry-run'], c.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--scenario: expected/) });
    await expect(run([], { ...c.deps, env: { GIRS_URL: 'http://127.0.0.1:9' } })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/GIRS_TOKEN is required/) });
    expect(c.logs.join('\n')).not.toContain('listening');
  });

  it('--dry-run with --runners 2 shows the execution segments k6-operator gives its runners', async () => {
    const c = capture();
    expect(await run(['--pattern', '3', '--runners', '2', '--dry-run'], { ...c.deps, env: { PATH: '' } })).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('GIRS_SHARE=1/2');
    expect(text).toContain('--execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1');
    expect(text).toContain('--execution-segment 1/2:1 --execution-segment-sequence 0,1/2,1');
    await expect(run(['--runners', '0', '--dry-run'], c.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--runners: expected a whole number/) });
    await expect(run(['--body', 'zip', '--dry-run'], c.deps)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--body: expected one of unique, per-vu/) });
  });
});
