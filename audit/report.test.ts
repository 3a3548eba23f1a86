import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTIONS } from './html.ts';
import { compareRows } from './report-index.ts';
import { buildAll } from './report-cli.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const coc = (...args: string[]) => spawnSync(process.execPath, ['bin/coc.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });

// Figures only GIRS (Table 19, OOG) has: none may appear on the ODB (CCOP) page.
const GIRS_FIGURES = ['1,707.5', '1,707', '7,200,000', '157,677', '38,418,597', '512,248', 'Pattern 1', 'Pattern 2', 'Pattern 3', 'Table 19 reproduced', 'GbE'];

describe('coc report --all', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coc-report-all-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one report per site and option and an index comparing the options; exit 1 because option 1 fails', () => {
    const r = coc('report', '--all', '--out', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    for (const f of ['index.html', 'oog-option1/index.html', 'oog-option2/index.html', 'ccop/index.html']) expect(existsSync(join(dir, f)), f).toBe(true);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index).toContain('href="oog-option1/index.html#check-availability.n+1.platform-a"');
    expect(index).not.toMatch(/<script|<link|src="http/);
  }, 180_000);

  it('rejects --all with --site, and a missing --out, with exit 2 and nothing written', () => {
    const out = join(dir, 'not-written');
    const a = coc('report', '--all', '--site', 'oog', '--out', out);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--all writes every site and option; expected no --site or --option/);
    const b = coc('report', '--all');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--out is required/);
    expect(existsSync(out)).toBe(false);
  }, 180_000);
});

describe.skipIf(!existsSync(CHROMIUM))('HTML reports in headless Chromium', () => {
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'coc-report-'));
  let built: Awaited<ReturnType<typeof buildAll>>;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    built = await buildAll();
    for (const r of built.reports) {
      mkdirSync(join(dir, r.folder), { recursive: true });
      writeFileSync(join(dir, r.folder, 'index.html'), r.html);
    }
    writeFileSync(join(dir, 'index.html'), built.index);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 180_000);
  afterAll(async () => { await browser?.close(); rmSync(dir, { recursive: true, force: true }); });

  async function open(path: string): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${path}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(`file://${join(dir, path)}`);
    return page;
  }
  const checksOf = (folder: string) => built.reports.find((r) => r.folder === folder)!.result.checks.length;
  const visibleStatuses = (page: Page) => page.$$eval('table.checks tbody tr', (rows) => rows.filter((r) => r.getClientRects().length > 0).map((r) => r.getAttribute('data-status')));

  it('every page: sections in order, charts drawn, no script, no console error, no network request', async () => {
    for (const r of built.reports) {
      expect(r.html).not.toMatch(/<script|<link|src="http|href="http/);
      const page = await open(`${r.folder}/index.html`);
      expect(await page.$$eval('main > section', (s) => s.map((x) => x.id))).toEqual(SECTIONS.map(([id]) => id));
      const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return { id: f.getAttribute('data-chart'), elements: svg ? svg.querySelectorAll('*').length : 0, area: (box?.width ?? 0) * (box?.height ?? 0) };
      }));
      const expected = r.result.site === 'oog' ? ['storage', 'runway', 'network', 'hosts-ram', 'hosts-cpu', 'racks'] : ['odb-storage', 'odb-load', 'racks'];
      for (const id of expected) {
        const c = charts.find((x) => x.id === id);
        expect(c?.elements, `${r.folder} ${id}`).toBeGreaterThan(20);
        expect(c?.area, `${r.folder} ${id}`).toBeGreaterThan(0);
      }
      const prov = await page.textContent('dl.prov');
      expect(prov).toMatch(/Generated at\d{4}-\d\d-\d\dT/);
      expect(prov).toMatch(/Inventory \(sha256\)[0-9a-f]{64}/);
      expect(prov).toMatch(/Toolcoc-infra \d+\.\d+\.\d+/);
      await page.close();
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 120_000);

  it('OOG: Table 19 published vs model, the findings and the assumption ledger come from the sizing model', async () => {
    const page = await open('oog-option2/index.html');
    const t19 = await page.$$eval('table.t19 tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.split('‡')[0]!.trim())));
    expect(t19[0]!.slice(0, 2)).toEqual(['38,418,597', '38,418,597']);
    expect(t19[5]).toEqual(['1,707.5', '1,707.5', '14', '14', '320', '320']);
    expect(await page.$$eval('table.t19 a.dispute', (a) => a.map((x) => x.textContent))).toContain('‡ text gives 320,155');
    expect(await page.textContent('#findings + h4 + ol')).toMatch(/75 peak days/);
    expect(await page.textContent('table.ledger')).toMatch(/peakHourShare[\s\S]*inferred from Table 19/);
    await page.close();
  }, 60_000);

  it('CCOP shows the ODB figures and no GIRS figure', async () => {
    const page = await open('ccop/index.html');
    const text = (await page.textContent('body'))!;
    for (const f of GIRS_FIGURES) expect(text, f).not.toContain(f);
    expect(text).toMatch(/2\.65 TB of 6\.4 TB \(Table 40 #8\)/);
    expect(await page.textContent('#chart-odb-storage')).toMatch(/full in 170\.2 months/);
    expect(await page.textContent('#chart-odb-load')).toMatch(/2,822 concurrent sessions at peak/);
    await page.close();
  }, 60_000);

  it("option 1's N+1 failure is written on both host charts, naming the VM that could not restart", async () => {
    const page = await open('oog-option1/index.html');
    // A verdict is two lines (tspans) under its bar.
    const lines = (id: string) => page.$$eval(`#chart-${id} svg text`, (t) => t.map((x) => [...x.querySelectorAll('tspan')].map((s) => s.textContent).join(' — ') || x.textContent).join('\n'));
    const ram = await lines('hosts-ram');
    expect(ram).toMatch(/✗ N\+1 FAILS: losing oog-vpa-02 — girs-ap-01 \(128 GB, 4 vCPU\) cannot restart here: needs 256 of 254 GB usable, short 2 GB/);
    expect(ram).toMatch(/✓ N\+1 holds: losing oog-vpb-02 — worst case 112 of 126 GB usable/);
    const cpu = await lines('hosts-cpu');
    expect(cpu).toMatch(/✗ N\+1 FAILS \(RAM\): losing oog-vpa-02 — girs-ap-01 could not restart; with it 8 of 32 vCPU/);
    // Storage: crossings, service life, link capacities written on the charts.
    expect(await page.textContent('#chart-storage')).toMatch(/Pattern 3 full at month 2\.5[\s\S]*service life 60 months|service life 60 months[\s\S]*Pattern 3 full at month 2\.5/);
    expect(await page.textContent('#chart-network')).toMatch(/1 GbE = 1,000 Mbps/);
    expect(await page.textContent('#summary')).toContain(`2 of ${checksOf('oog-option1')} checks fail`);
    await page.close();
    const p2 = await open('oog-option2/index.html');
    expect(await p2.textContent('#chart-runway')).toMatch(/full in 7\.5 months: before the service life ends/);
    expect(await p2.textContent('#chart-runway')).toMatch(/full in 1\.4 months/);
    await p2.close();
  }, 60_000);

  it('the checks filter by status without JavaScript (CSS :target), and print shows every check', async () => {
    const page = await open('oog-option1/index.html');
    const all = await visibleStatuses(page);
    const n = checksOf('oog-option1');
    expect(n).toBeGreaterThan(30);
    expect(all.length).toBe(n);
    await page.click('nav.filter a[href="#checks-fail"]');
    expect(await visibleStatuses(page)).toEqual(['fail', 'fail']);
    await page.click('nav.filter a[href="#checks-attention"]');
    const attention = await visibleStatuses(page);
    expect(attention.length).toBe(all.filter((s) => s !== 'pass').length);
    expect(attention).not.toContain('pass');
    await page.click('nav.filter a[href="#checks"]');
    expect((await visibleStatuses(page)).length).toBe(n);
    // A summary link lands on its check's anchor.
    await page.click('#summary a[href="#check-availability.n+1.platform-a"]');
    expect(page.url()).toMatch(/#check-availability\.n\+1\.platform-a$/);
    await page.goto(`file://${join(dir, 'oog-option1/index.html')}#checks-fail`);
    await page.emulateMedia({ media: 'print' });
    expect((await visibleStatuses(page)).length).toBe(n);
    expect(await page.$eval("nav.filter", (n) => n.getClientRects().length)).toBe(0);
    await page.close();
  }, 60_000);

  it('the index shows every check of option 1 and option 2 side by side, differences highlighted and filterable', async () => {
    const oog = built.reports.filter((r) => r.result.site === 'oog').map((r) => ({ result: r.result, href: '' }));
    const differing = compareRows(oog).filter((r) => r.differs).map((r) => r.id);
    expect(differing).toEqual(expect.arrayContaining(['availability.n+1.platform-a', 'performance.pattern2']));
    const page = await open('index.html');
    const rows = await page.$$eval('table.compare tbody tr', (trs) => trs.map((tr) => ({ id: tr.querySelector('code')!.textContent, cls: tr.className, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()) })));
    expect(rows.length).toBe(compareRows(oog).length);
    const n1 = rows.find((r) => r.id === 'availability.n+1.platform-a')!;
    expect(n1).toMatchObject({ cls: 'differs', cells: ['✗ FAIL', '✓ PASS', '≠ differs'] });
    await page.click('a[href="#differences"]');
    const shown = await page.$$eval('table.compare tbody tr', (trs) => trs.filter((t) => t.getClientRects().length > 0).map((t) => t.querySelector('code')!.textContent));
    expect(shown).toEqual(differing);
    // Table 34's counts of both options side by side, the one that differs from Table 34 marked.
    const counts = await page.$$eval('table.counts tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim()).join(' ')));
    expect(counts).toContain('networkDevices 20 / 18 ≠ 30 / 30');
    await page.close();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 60_000);
});
