// Regenerates docs/img/planner.png, the README's picture of the planner, from the real page:
// builds it into out/planner/, opens it in headless Chromium, applies the what-if of the
// README (Pattern 1, peak days 120, report size 20 MB) and takes the screenshot.
// Run: npx tsx planner/screenshot.ts
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { runMain } from '../cli/errors.ts';
import { run as buildPlanner } from './cli.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

export async function screenshot(png = join(ROOT, 'docs', 'img', 'planner.png')): Promise<number> {
  const out = join(ROOT, 'out', 'planner');
  await buildPlanner(['--out', out]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1150 } });
    await page.goto(`file://${join(out, 'index.html')}`);
    await page.waitForSelector('body[data-ready]');
    await page.selectOption('#pattern', '1');
    await page.fill('#flag-peak-days', '120');
    await page.fill('#flag-report-size-mb', '20');
    await page.waitForFunction(() => document.querySelector('#command')?.textContent?.includes('--report-size-mb 20'));
    mkdirSync(dirname(png), { recursive: true });
    await page.screenshot({ path: png });
    console.log(`wrote ${png}`);
  } finally {
    await browser.close();
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runMain(() => screenshot());
