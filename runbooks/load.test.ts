import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { girsTargets } from '../sizing/index.ts';
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
    await expect(run(['--pattern', '3', '--duration', '5s', '--out', outDir], { ...c.deps, env: { PATH: emptyPath } }))
      .rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/k6 is not on PATH: install k6 >= 0.47/) });
    const started = c.logs.map((l) => /lab intake listening on (http:\/\/127\.0\.0\.1:\d+) \(fs store in (\S+)\)/.exec(l)).find(Boolean);
    expect(started).toBeTruthy();
    // The preflight really went through the intake before k6 was looked for.
    expect(c.logs.some((l) => /preflight: POST \/reports \(10000000 bytes\) -> 201/.test(l))).toBe(true);
    await expect(fetch(`${started![1]}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    expect(existsSync(started![2]!)).toBe(false);
    const ev = JSON.parse(readFileSync(join(outDir, 'evidence.json'), 'utf8'));
    expect(ev).toMatchObject({ status: 'k6-not-found', exitCode: 3, k6: null, outcome: null });
    expect(readFileSync(join(outDir, 'evidence.md'), 'utf8')).toContain('no load was run');
  });

  it('exits 3 from the command line too, with the message on stderr', () => {
    const r = spawnSync(process.execPath, ['bin/coc.mjs', 'drill', 'load', '--pattern', '2', '--duration', '2s', '--out', join(scratch, 'cli')], {
      encoding: 'utf8', env: { PATH: dirname(process.execPath), TMPDIR: scratch, K6: join(scratch, 'no-such-k6') }, timeout: 60_000,
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^coc drill load: k6 is not on PATH/m);
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
    expect(text).toContain(`k6 run --summary-export OUT/k6-summary-export.json k6/dist/girs-p${p}.js`);
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

  it('hands k6 the lab target and judges its summary against the targets', async () => {
    // A stand-in k6 that records what it was given and leaves a summary the way
    // handleSummary does; the real k6 is not available here.
    const bin = mkdtempSync(join(scratch, 'bin-'));
    const seen = join(scratch, 'k6-seen.txt');
    const script = `#!/bin/sh
printf '%s\\n' "$*" "$GIRS_URL" "$PATTERN" "$DURATION" "$SCENARIO" "\${GIRS_TOKEN%%,*}" > ${seen}
cat > "$SUMMARY_DIR/k6-girs-p$PATTERN-summary.json" <<'EOF'
{"summary":{"metrics":{
 "girs_reports_accepted":{"type":"counter","values":{"count":ACCEPTED,"rate":3.9}},
 "girs_report_bytes":{"type":"counter","values":{"count":BYTES,"rate":3.9e7}},
 "http_req_duration{op:upload}":{"type":"trend","values":{"p(95)":850.5}},
 "http_req_failed":{"type":"rate","values":{"rate":0}},
 "dropped_iterations":{"type":"counter","values":{"count":0}},
 "checks":{"type":"rate","values":{"rate":1}}}}}
EOF
exit 0
`;
    const write = (accepted: number) => {
      writeFileSync(join(bin, 'k6'), script.replace('ACCEPTED', String(accepted)).replace('BYTES', String(accepted * 1e7)));
      chmodSync(join(bin, 'k6'), 0o755);
    };
    write(40); // Pattern 3: 4/s for 10 s
    const c = capture();
    const outDir = join(scratch, 'fake-k6');
    expect(await run(['--pattern', '3', '--duration', '10s', '--out', outDir], { ...c.deps, env: { PATH: `${bin}:/usr/bin:/bin` } })).toBe(0);
    const [args, url, pattern, duration, scenario, token] = readFileSync(seen, 'utf8').trim().split('\n');
    expect(args).toBe(`run --summary-export ${join(outDir, 'k6-summary-export.json')} ${join(process.cwd(), 'k6', 'dist', 'girs-p3.js')}`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect([pattern, duration, scenario]).toEqual(['3', '10s', 'peak']);
    expect(token!.length).toBeGreaterThanOrEqual(16);
    expect(c.out.join('\n')).toMatch(/accepted reports \| >= 39 .*\| 40 \| yes/);
    expect(JSON.parse(readFileSync(join(outDir, 'evidence.json'), 'utf8')).status).toBe('targets-met');

    write(30); // fell behind: 3/s
    const c2 = capture();
    expect(await run(['--pattern', '3', '--duration', '10s', '--out', join(scratch, 'fake-k6-slow')], { ...c2.deps, env: { PATH: `${bin}:/usr/bin:/bin` } })).toBe(1);
    expect(c2.out.join('\n')).toMatch(/accepted reports \| >= 39 .*\| 30 \| NO/);
  });
});
