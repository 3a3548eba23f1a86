// drill:peak-failover on real components: the loopback Patroni lab, the lab intake with
// the hybrid store, the real k6. One short failover under load: no acknowledged report
// lost or doubled, an error window recorded, and the timeline renders in Chromium.
// Waits on events (k6 start-up, the kill, recovery), not on the clock.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../cli/errors.ts';
import { processesUnder } from '../lab/patroni/cluster.ts';
import { runJson } from './lib/labtest.ts';
import { locateK6, run } from './peak-failover.ts';

const CHROMIUM = '/usr/bin/chromium';
const k6 = locateK6(process.env);
const patroni = existsSync('/usr/bin/patroni') && existsSync('/usr/lib/postgresql/15/bin/postgres');

// A private temp dir: other suites sweep new coc-lab-* dirs under the shared /tmp.
const scratch = mkdtempSync(join(tmpdir(), 'coc-peak-test-'));
chmodSync(scratch, 0o755); // the lab's processes run as postgres and must reach their dirs
const labTmp = join(scratch, 'tmp');
mkdirSync(labTmp, { mode: 0o755 });
const labs: string[] = [];
afterAll(() => {
  for (const d of labs) for (const pid of processesUnder(d)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  rmSync(scratch, { recursive: true, force: true });
});

describe('drill:peak-failover flags', () => {
  it('--dry-run prints the plan with the pattern\'s rate and starts nothing', async () => {
    const { code, json } = await runJson(run, ['--lab', '--dry-run', '--json', '--pattern', '3', '--duration', '90s', '--kill-after', '30']);
    expect(code).toBe(0);
    expect(json).toMatchObject({ drill: 'peak-failover', dryRun: true, mode: 'lab', pattern: 3, durationSeconds: 90, killAfterSeconds: 30, repeat: 3 });
    expect(json.plan.join('\n')).toMatch(/4 per 1s \(4\.0000\/s\) × 10 MB for 90 s/);
    expect(json.plan.join('\n')).toMatch(/kill -9 the leader's Patroni and postmaster/);
  });

  it('rejects bad input with one message naming the flag (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['--lab', '--pattern', '4'], /--pattern: expected one of 1, 2, 3/],
      [['--lab', '--duration', '30s', '--kill-after', '30'], /--kill-after 30: expected less than the --duration/],
      [['--lab', '--duration', 'soon'], /--duration: expected a duration/],
      [['--lab', '--report-size-mb', '0'], /--report-size-mb: expected megabytes/],
      [['--target', '--patroni-url', 'http://10.0.0.1:8008', '--kill-command', 'x', '--restart-command', 'y', '--dry-run'], /--target needs --data-dir/],
      [['--lab', '--kill-command', 'x'], /only apply to --target/],
    ];
    for (const [argv, msg] of cases) {
      const e = await run(argv).then(() => null, (x: unknown) => x);
      expect(e, argv.join(' ')).toBeInstanceOf(InputError);
      expect((e as InputError).exitCode).toBe(2);
      expect((e as InputError).message).toMatch(msg);
    }
  });
});

describe.skipIf(!k6 || !patroni)('drill:peak-failover on the lab', () => {
  it('one failover under k6 load: 0 lost, 0 duplicates, an error window, the timeline in Chromium', async () => {
    const out = join(scratch, 'evidence');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = labTmp;
    let result: Awaited<ReturnType<typeof runJson>>;
    try {
      // Small reports keep k6's start-up (one buffer per VU) short on a busy machine; the
      // wire, the store and the failover are the same as with the pattern's 10 MB.
      result = await runJson(run, ['--lab', '--repeat', '1', '--pattern', '3', '--report-size-mb', '0.2', '--duration', '8s', '--kill-after', '2', '--json', '--out', out]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved;
    }
    const { code, json } = result;
    if (json.labDir) labs.push(json.labDir);
    expect(json.runs).toHaveLength(1);
    const r = json.runs[0];
    expect(r.error).toBeUndefined();
    expect(r.durability).toMatchObject({ synchronousCommit: 'on' });
    expect(r.durability.syncStandbys).toHaveLength(1);
    expect(json.synchronousMode).toBe('strict');
    expect(r.acknowledged).toBeGreaterThan(0);
    expect(r.found).toBe(r.acknowledged);
    expect(r.lost).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.corruptVisible).toBe(0);
    expect(r.neverAcknowledged).toBe(0);
    expect(r.newLeader).not.toBe(r.oldLeader);
    expect(r.errorWindow).not.toBeNull();
    expect(r.errorWindow.failedAnswers).toBeGreaterThan(0);
    expect(r.errorWindow.lastSeconds).toBeGreaterThanOrEqual(r.errorWindow.firstSeconds);
    expect(r.retriedSubmissions).toBeGreaterThan(0);
    expect(r.k6.retries).toBeGreaterThan(0);
    expect(r.acceptsAgainSeconds).toBeGreaterThan(0);
    expect(r.dbRtoSeconds).toBeGreaterThan(0);
    expect(r.rejoined).toBe(true);
    expect(code).toBe(0);
    expect(json.lost).toEqual({ min: 0, median: 0, max: 0 });

    // The evidence bundle: JSON as printed, Markdown verdict, k6 log, the timeline page.
    expect(JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')).runs[0].lost).toBe(0);
    expect(readFileSync(join(out, 'evidence.md'), 'utf8')).toContain('PASS');
    expect(existsSync(join(out, 'run-1', 'k6.log'))).toBe(true);
    expect(processesUnder(json.labDir)).toEqual([]);

    if (!existsSync(CHROMIUM)) return;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (q) => { if (!q.url().startsWith('file:')) requests.push(q.url()); });
      await page.goto(`file://${join(out, 'timeline.html')}`);
      const fig = await page.$eval('figure.chart[data-chart="run-1"]', (f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return { elements: svg ? svg.querySelectorAll('*').length : 0, area: (box?.width ?? 0) * (box?.height ?? 0), text: svg?.textContent ?? '' };
      });
      expect(fig.elements).toBeGreaterThan(20);
      expect(fig.area).toBeGreaterThan(0);
      expect(fig.text).toContain(`kill -9 ${r.oldLeader}`);
      expect(fig.text).toContain(`new leader ${r.newLeader}`);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 1_500_000);
});
