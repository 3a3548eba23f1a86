// The planner page in headless Chromium, from file:// with no network: it shows exactly
// what `coc sizing --json` prints for the same what-if, its "copy as command" line gives
// that same output when run, and findings resolved or created by a change are marked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './cli.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// A busy 2-core machine: tsx start-up, an esbuild bundle and Chromium each take seconds.
const SLOW = 180_000;

/** `coc sizing` in its own process, as a user runs it. */
function sizingCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['bin/coc.mjs', 'sizing', ...args], { encoding: 'utf8', timeout: SLOW });
}

/** The page's "copy as command" line as argv for `coc sizing`. */
function argvOf(command: string): string[] {
  const m = /^npm run sizing -- (.*)$/.exec(command);
  if (!m) throw new Error(`not a sizing command: ${command}`);
  return m[1]!.split(' ');
}

const dir = mkdtempSync(join(tmpdir(), 'coc-planner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('coc planner --out', () => {
  it('writes one self-contained page and refuses to replace a file it did not write', async () => {
    const out = join(dir, 'page');
    const log = console.log;
    console.log = () => {};
    try { expect(await run(['--out', out])).toBe(0); } finally { console.log = log; }
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    // Everything inline: no external script, style sheet or image (the Chromium test checks no request is made).
    expect(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/.test(html)).toBe(false);
    expect(html).toContain('<meta name="generator" content="coc planner">');
    // Rebuilding over its own page is fine.
    console.log = () => {};
    try { expect(await run(['--out', out])).toBe(0); } finally { console.log = log; }
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'index.html'), '<p>mine</p>');
    await expect(run(['--out', foreign])).rejects.toThrow(/index\.html there was not written by coc planner/);
    expect(readFileSync(join(foreign, 'index.html'), 'utf8')).toBe('<p>mine</p>');
    writeFileSync(join(dir, 'a-file'), 'x');
    await expect(run(['--out', join(dir, 'a-file')])).rejects.toThrow(/exists and is not a directory/);
    await expect(run([])).rejects.toThrow(/--out is required/);
    // Under /proc Node's recursive mkdir would spin forever; the page refuses at once.
    await expect(run(['--out', '/proc/no-such-dir/planner'])).rejects.toThrow(/cannot create \/proc\/no-such-dir/);
    await expect(run(['--out', '/dev/null'])).rejects.toThrow(/exists and is not a directory/);
  }, SLOW);
});

describe.skipIf(!existsSync(CHROMIUM))('the planner page in headless Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];
  const file = join(dir, 'chromium', 'index.html');

  beforeAll(async () => {
    const log = console.log;
    console.log = () => {};
    try { await run(['--out', join(dir, 'chromium')]); } finally { console.log = log; }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready]');
  }, SLOW);
  afterAll(async () => { await browser?.close(); });

  /** Set inputs and wait for the page to recompute (it counts its renders in data-ready). */
  async function set(values: Record<string, string>, pattern?: string): Promise<void> {
    const before = await page.getAttribute('body', 'data-ready');
    if (pattern) await page.selectOption('#pattern', pattern);
    for (const [id, v] of Object.entries(values)) await page.fill(`#${id}`, v);
    await page.waitForFunction((b) => document.body.dataset.ready !== b, before);
  }

  it('with no change it shows the model exactly as `sizing --json` prints it (Pattern 2)', async () => {
    const cli = sizingCli(['--pattern', '2', '--json']);
    expect(cli.status).toBe(0);
    expect((await page.textContent('#json'))!.trim()).toBe(cli.stdout.trim());
    expect(await page.textContent('#command')).toBe('npm run sizing -- --pattern 2');
  }, SLOW);

  it('peak days 120 and report size 20 MB on Pattern 1: the same figures as the CLI, cell by cell', async () => {
    await set({ 'flag-peak-days': '120', 'flag-report-size-mb': '20' }, '1');
    const command = (await page.textContent('#command'))!;
    expect(command).toBe('npm run sizing -- --pattern 1 --peak-days 120 --report-size-mb 20');
    await page.click('#copy');
    await page.waitForFunction(() => document.getElementById('copied')?.textContent === 'copied');
    // The copied command, run for real, prints exactly what the page shows.
    const cli = sizingCli([...argvOf(command), '--json']);
    expect(cli.status).toBe(0);
    const shown = (await page.textContent('#json'))!.trim();
    expect(shown).toBe(cli.stdout.trim());
    const json = JSON.parse(cli.stdout);
    // Table 19's what-if column holds the CLI's rounded figures.
    for (const [k, v] of Object.entries(json.figures)) {
      expect(Number(await page.getAttribute(`#table19 tr[data-figure="${k}"] td[data-value]`, 'data-value')), k).toBe(v);
    }
    expect(await page.textContent('#table19 tr[data-figure="reportsPerDay"] td[data-value]')).toContain('320,155');
    expect(await page.textContent('#table19 tr[data-figure="dataMBps"] td[data-value]')).toContain('266.8');
    // Storage months, link utilisation and queueing follow the same result.
    const o1 = json.capacity.options[0];
    const m = o1.storage.monthsUntilFull as number;
    const en = (x: number, d: number) => x.toLocaleString('en-US', { maximumFractionDigits: d });
    expect(await page.textContent('#capacity tr[data-row="months"] td:first-of-type')).toBe(m < 1 ? `${en(m * 30.4, 0)} days` : `${en(m, 1)} months`);
    expect(await page.textContent('#capacity tr[data-row="link-1"] td:first-of-type')).toContain(`${(o1.network.links[0].utilisation * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`);
    expect(await page.textContent('#capacity tr[data-row="needed"] td:first-of-type')).toContain(String(o1.webAp.serversNeeded));
    await page.screenshot({ path: resolve('out', 'planner-p1-what-if.png'), fullPage: true });
  }, SLOW);

  it('a change to the ledger shows which findings it resolves and creates', async () => {
    await set({ 'flag-peak-days': '', 'flag-report-size-mb': '' }, '2');
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    // Pattern 2 with the stated 10 MB resolves the "20 MB vs stated 10 MB" finding.
    await set({ 'demand-inferred-pattern2ReportSizeMB-value': '10' });
    const resolved = await page.$$eval('li.finding[data-status="resolved"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(resolved.some((t) => t.includes('MB per report (MPI') )).toBe(true);
    const created = await page.$$eval('li.finding[data-status="created"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(created.some((t) => t.includes('the model gives') && t.includes('Table 19 prints'))).toBe(true);
    expect(await page.textContent('#file-edits')).toContain('inferred.pattern2ReportSizeMB.value: 10');
    await page.screenshot({ path: resolve('out', 'planner-findings.png'), fullPage: true });
    await set({ 'demand-inferred-pattern2ReportSizeMB-value': '' });
  }, SLOW);

  it('an out-of-range value gets the CLI\'s own message and the figures stay', async () => {
    const cli = sizingCli(['--pattern', '2', '--json', '--peak-days', '0x10']);
    expect(cli.status).toBe(2);
    await set({ 'flag-peak-days': '0x10' });
    expect(`coc sizing: ${await page.textContent('#flag-peak-days-err')}`).toBe(cli.stderr.trim());
    expect(await page.textContent('#status')).toMatch(/1 input\(s\) out of range/);
    await set({ 'flag-peak-days': '' });
    expect(await page.textContent('#status')).toBe('');
  }, SLOW);

  it('the N+1 host-loss verdict recomputes with the hypervisor reserve', async () => {
    const row = '#capacity tr[data-row="n1-hosts"] td:nth-of-type(2)';
    expect(await page.textContent(row)).toMatch(/holds/);
    await set({ 'reserve-option2-hostReserveGB': '400' });
    expect(await page.textContent(row)).toMatch(/fails/);
    await set({ 'reserve-option2-hostReserveGB': '' });
  }, SLOW);

  it('draws the charts, logs no error and asks the network for nothing', async () => {
    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => ({ id: f.getAttribute('data-chart'), n: f.querySelectorAll('svg *').length })));
    expect(charts.map((c) => c.id)).toEqual(['storage', 'network', 'queue']);
    for (const c of charts) expect(c.n, c.id!).toBeGreaterThan(8);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, SLOW);
});
