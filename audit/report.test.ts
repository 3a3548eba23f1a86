import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../inventory/index.ts';
import { expectedRowsOf, loadSizing, runAudit, viewsOf } from './audit.ts';
import { buildCharts, renderHtml } from './html.ts';
import { writeReport } from './report-cli.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe.skipIf(!existsSync(CHROMIUM))('HTML report in headless Chromium', () => {
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'coc-report-'));
  beforeAll(async () => { browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS }); }, 180_000);
  afterAll(async () => { await browser?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('renders every chart as a non-empty SVG with no console errors and no network', async () => {
    const inv = loadInventory();
    const { view, views } = viewsOf(inv, 'oog', '2');
    const sizing = await loadSizing();
    const result = runAudit({ view, views, expectedRows: expectedRowsOf(inv, view), sizing });
    const file = await writeReport(dir, renderHtml(result, await buildCharts(view, sizing)));
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http/);

    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(`file://${file}`);
    const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { id: f.getAttribute('data-chart'), elements: svg ? svg.querySelectorAll('*').length : 0, w: box?.width ?? 0, h: box?.height ?? 0 };
    }));
    const ids = charts.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['racks', 'hosts-ram', 'hosts-cpu']));
    if ('results' in sizing) expect(ids).toEqual(expect.arrayContaining(['storage', 'network']));
    for (const c of charts) {
      if (!('results' in sizing) && (c.id === 'storage' || c.id === 'network')) continue;
      expect(c.elements, `${c.id} elements`).toBeGreaterThan(20);
      expect(c.w * c.h, `${c.id} size`).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync(resolve('out'), { recursive: true });
    await page.screenshot({ path: resolve('out', 'report-oog-option2.png'), fullPage: false });
    await page.close();
  }, 300_000);
});
