// `coc docs screenshots` (npm run docs:screenshots): the README's screenshots, taken from the real pages. Each entry
// runs a real `coc` command into a scratch folder, opens the page it wrote in headless
// Chromium (file://, no network) and saves a PNG under docs/img/ (or SCREENSHOTS_DIR) through
// the one atomic writer. Adding a page is one entry in SHOTS.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { InputError } from '../cli/errors.ts';
import { writeFileAtomicSync } from '../cli/write.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Where the PNGs go: docs/img/, or SCREENSHOTS_DIR (the tests write to a scratch folder). */
const IMG_DIR = resolve(process.env.SCREENSHOTS_DIR ?? join(ROOT, 'docs', 'img'));

export interface Shot {
  /** File name under docs/img/. */
  file: string;
  /** `coc` arguments; OUT is replaced by the scratch folder. */
  argv: string[];
  /** The page the command writes, relative to OUT. */
  page: string;
  /** Scroll to this anchor first (default: the top of the page). */
  anchor?: string;
  /** Exit codes that mean the page was written (the audit exits 1 when a check fails). */
  okExit?: number[];
}

export const SHOTS: Shot[] = [
  { file: 'report-oog-option2.png', argv: ['report', '--site', 'oog', '--option', '2', '--out', 'OUT'], page: 'index.html', okExit: [0, 1] },
  { file: 'report-ccop.png', argv: ['report', '--site', 'ccop', '--out', 'OUT'], page: 'index.html', anchor: 'sizing', okExit: [0, 1] },
  { file: 'report-index.png', argv: ['report', '--all', '--out', 'OUT'], page: 'index.html', okExit: [0, 1] },
  { file: 'planner.png', argv: ['planner', '--out', 'OUT'], page: 'index.html' },
];

function runCoc(argv: string[], out: string, ok: number[]): void {
  const args = argv.map((a) => (a === 'OUT' ? out : a));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'coc.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === null || !ok.includes(r.status)) throw new InputError(`coc ${args.join(' ')} exited ${r.status}; expected ${ok.join(' or ')}:\n${r.stderr.trim()}`, 1);
}

const USAGE = `usage: coc docs screenshots [FILE.png ...]

Runs the real coc commands into a scratch folder, opens each page in headless Chromium and
writes the README's screenshots to docs/img/ (or SCREENSHOTS_DIR). Names choose some of:
${SHOTS.map((s) => s.file).join(', ')}.`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(USAGE); return 0; }
  const only = argv.filter((a) => !a.startsWith('-'));
  const unknown = only.filter((n) => !SHOTS.some((s) => s.file === n));
  if (unknown.length) throw new InputError(`unknown shot "${unknown[0]}"; expected one of ${SHOTS.map((s) => s.file).join(', ')}`);
  if (!existsSync(CHROMIUM)) throw new InputError(`no Chromium at ${CHROMIUM}; install it (npm run setup:test) or set CHROMIUM`);
  const shots = only.length ? SHOTS.filter((s) => only.includes(s.file)) : SHOTS;
  const scratch = mkdtempSync(join(tmpdir(), 'coc-screens-'));
  // Written only after every shot is taken: a PNG written early would make the work tree
  // differ, and the later pages' provenance would say "+ uncommitted changes".
  const taken: { file: string; png: Buffer; shot: Shot }[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    for (const [i, s] of shots.entries()) {
      const out = join(scratch, String(i));
      runCoc(s.argv, out, s.okExit ?? [0]);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const external: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith('file:')) external.push(r.url()); });
      await page.goto(`file://${join(out, s.page)}${s.anchor ? `#${s.anchor}` : ''}`);
      if (external.length) throw new InputError(`${s.page} requested ${external[0]}; pages must work offline`, 1);
      const png = await page.screenshot({ fullPage: false });
      await page.close();
      taken.push({ file: join(IMG_DIR, s.file), png, shot: s });
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const t of taken) {
    writeFileAtomicSync(t.file, t.png);
    console.log(`wrote ${t.file} (${(t.png.length / 1024).toFixed(0)} KiB) from coc ${t.shot.argv.join(' ')}`);
  }
  return 0;
}

