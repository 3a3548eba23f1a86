// Every command through the dispatcher, fed hostile and clumsy input: one message naming
// the command, exit 2, no stack trace, nothing written, nothing of the user's touched.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVENTORY_DIR } from '../inventory/load.ts';
import { main } from './main.ts';

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'coc-hostile-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => { vi.restoreAllMocks(); delete process.env.COC_INVENTORY_DIR; });

/** Run `coc ...argv` in this process; stdout and stderr captured. */
async function coc(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.length) { out.push(chunk); return true; }
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    vi.restoreAllMocks();
  }
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+[:(]\d+:\d+\)?/);

/** A copy of the inventory with one file changed. */
function inventoryCopy(name: string, change?: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const f of readdirSync(INVENTORY_DIR).filter((x) => x.endsWith('.yaml'))) cpSync(join(INVENTORY_DIR, f), join(dir, f));
  change?.(dir);
  return dir;
}

/** Every command that reads the inventory, with the flags it needs to get that far. */
const READERS: [string, string[]][] = [
  ['inventory', ['inventory', 'show', '--site', 'oog', '--option', '2']],
  ['sizing', ['sizing', '--pattern', '3', '--json']],
  ['bill', ['bill', '--site', 'oog', '--option', '2']],
  ['report', ['report', '--site', 'oog', '--option', '2', '--out', 'OUT/report']],
  ['synth', ['synth', '--out', 'OUT/synth']],
  ['workloads', ['workloads', 'render', '--out', 'OUT/w.yaml']],
  ['ansible', ['ansible', 'export', '--site', 'oog', '--option', '2', '--out', 'OUT/a.yml']],
  ['k6 build', ['k6', 'build', '--pattern', '1', '--out-dir', 'OUT/k6']],
  ['drill host-loss', ['drill', 'host-loss', '--lab', '--site', 'oog', '--option', '2', '--out', 'OUT/d']],
  ['drill load', ['drill', 'load', '--pattern', '1', '--dry-run']],
];
const withOut = (argv: string[], out: string) => argv.map((a) => a.replace('OUT', out));

describe('a broken inventory: every command prints the loader\'s file:line:col once, exit 2', () => {
  let broken: string;
  beforeAll(() => {
    broken = inventoryCopy('broken', (d) => writeFileSync(join(d, 'oog.yaml'), readFileSync(join(d, 'oog.yaml'), 'utf8').replace(/^title: /m, 'title:\n\t- ')));
  });

  it.each(READERS)('%s', async (name, argv) => {
    const out = join(root, `out-broken-${name.replace(/ /g, '-')}`);
    const r = await coc('--inventory', broken, ...withOut(argv, out));
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(new RegExp(`^coc ${name}[a-z ]*: the inventory is not valid \\(1 error\\):\\n.*broken/oog\\.yaml:7:1 YAML syntax: Tabs`));
    expect(r.err.match(/oog\.yaml:\d+:\d+/g)).toHaveLength(1);
    noStack(r.err);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('unreadable and hostile YAML: located, exit 2, no hang', () => {
  const cases: [string, (d: string) => void, RegExp][] = [
    ['a directory', (d) => { rmSync(join(d, 'ccop.yaml')); mkdirSync(join(d, 'ccop.yaml')); }, /ccop\.yaml:1:1 is a directory; expected a YAML file/],
    ['a symlink to /dev/zero', (d) => { rmSync(join(d, 'ccop.yaml')); symlinkSync('/dev/zero', join(d, 'ccop.yaml')); }, /ccop\.yaml:1:1 is not a regular file/],
    ['a FIFO', (d) => { rmSync(join(d, 'ccop.yaml')); execFileSync('mkfifo', [join(d, 'ccop.yaml')]); }, /ccop\.yaml:1:1 is not a regular file/],
    ['a dangling symlink', (d) => { rmSync(join(d, 'ccop.yaml')); symlinkSync(join(d, 'gone.yaml'), join(d, 'ccop.yaml')); }, /ccop\.yaml:1:1 dangling symbolic link/],
    ['a symlink loop', (d) => { rmSync(join(d, 'ccop.yaml')); symlinkSync(join(d, 'ccop.yaml'), join(d, 'ccop.yaml')); }, /ccop\.yaml:1:1 too many levels of symbolic links/],
    ['a NUL byte', (d) => writeFileSync(join(d, 'ccop.yaml'), readFileSync(join(d, 'ccop.yaml'), 'utf8').replace(/^site: ccop$/m, 'site: "cc\0op"')), /ccop\.yaml:\d+:10 control character U\+0000 \(a NUL byte\)/],
    ['a billion-laughs alias bomb', (d) => writeFileSync(join(d, 'ccop.yaml'), `site: ccop\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`), /ccop\.yaml:3:\d+ YAML: too many alias expansions/],
    ['an undefined alias', (d) => writeFileSync(join(d, 'ccop.yaml'), 'site: ccop\ntitle: *nowhere\n'), /ccop\.yaml:2:8 YAML: Unresolved alias/],
    ['a duplicate key', (d) => writeFileSync(join(d, 'ccop.yaml'), 'site: ccop\ntitle: a\nsite: x\n'), /ccop\.yaml:3:1 YAML syntax: Map keys must be unique/],
    ['an unclosed flow sequence', (d) => writeFileSync(join(d, 'ccop.yaml'), 'site: ccop\nzones: [a, b\ntitle: x\n'), /ccop\.yaml:3:\d+ YAML syntax: .*(Flow sequence|\])/],
  ];
  it.each(cases)('%s: validate and sizing', async (name, make, msg) => {
    const dir = inventoryCopy(`yaml-${name.replace(/\W+/g, '-')}`, make);
    for (const argv of [['inventory', 'validate'], ['sizing', '--json']]) {
      process.env.COC_INVENTORY_DIR = dir;
      const r = await coc(...argv);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(msg);
      noStack(r.err);
    }
  }, 60_000);

  it('an inventory folder that does not exist', async () => {
    const r = await coc('--inventory', join(root, 'nope'), 'sizing');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^coc sizing: inventory folder .*nope: no such folder/);
  });
});

describe('--site __proto__ / toString, --option constructor: plain input errors', () => {
  const SITE_TAKERS: string[][] = [
    ['inventory', 'show'], ['bill'], ['report', '--out', 'OUT'], ['workloads', 'render'],
    ['ansible', 'export', '--out', 'OUT/a.yml'], ['drill', 'host-loss', '--lab'],
  ];
  it.each(SITE_TAKERS)('%s', async (...cmd) => {
    for (const [flag, value] of [['--site', '__proto__'], ['--site', 'toString'], ['--site', 'hasOwnProperty'], ['--option', 'constructor'], ['--option', '__proto__']] as const) {
      const site = flag === '--site' ? [] : ['--site', 'oog'];
      const out = join(root, `proto-${cmd[0]}`);
      const r = await coc(...withOut(cmd, out), ...site, flag, value);
      expect(r.code, `${cmd.join(' ')} ${flag} ${value}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(new RegExp(`^coc ${cmd[0]}`));
      expect(r.err).toContain(`"${value}"`);
      noStack(r.err);
      expect(existsSync(out)).toBe(false);
    }
  }, 120_000);

  it('workloads --stack and synth --stack with prototype names', async () => {
    for (const argv of [['workloads', 'render', '--stack', '__proto__'], ['synth', '--stack', 'constructor', '--out', join(root, 'never')]]) {
      const r = await coc(...argv);
      expect(r.code, r.err).toBe(2);
      noStack(r.err);
    }
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

/** Every command that takes an output path: [name, argv with OUT, file or folder]. */
const WRITERS: [string, string[], 'file' | 'folder'][] = [
  ['synth', ['synth', '--stack', 'ccop', '--out', 'OUT'], 'folder'],
  ['report', ['report', '--site', 'ccop', '--out', 'OUT'], 'folder'],
  ['workloads render', ['workloads', 'render', '--out', 'OUT'], 'file'],
  ['ansible export', ['ansible', 'export', '--site', 'ccop', '--out', 'OUT'], 'file'],
  ['k6 build', ['k6', 'build', '--pattern', '1', '--out-dir', 'OUT'], 'folder'],
  ['drill host-loss', ['drill', 'host-loss', '--lab', '--site', 'oog', '--option', '2', '--out', 'OUT'], 'folder'],
  ['drill db-failover', ['drill', 'db-failover', '--lab', '--dry-run', '--out', 'OUT'], 'folder'],
  ['drill load', ['drill', 'load', '--pattern', '1', '--dry-run', '--out', 'OUT'], 'folder'],
];

describe('output paths: never replace what coc did not write', () => {
  it.each(WRITERS)('%s', async (name, argv, kind) => {
    const dir = join(root, `w-${name.replace(/ /g, '-')}`);
    mkdirSync(dir);
    const userFile = join(dir, kind === 'file' ? 'mine.yml' : 'mine.txt');
    writeFileSync(userFile, 'the user\'s own file\n');
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'keep\n');
    const targets: [string, RegExp][] = [
      [userFile, kind === 'file' ? /exists and was not written by coc/ : /is a file; expected a folder/],
      ['', /expected a (file|folder) path, got ""/],
      ['.', /working folder or one of its parents/],
      ['/dev/null', /under \/dev/],
      ['/proc/self/out.yml', /under \/proc/],
    ];
    if (kind === 'folder') targets.push([full, /not empty and was not written by coc/]);
    else targets.push([full, /is a folder; expected a file path/]);
    for (const [target, msg] of targets) {
      const r = await coc(...withOut(argv, target === '' ? '' : target));
      expect(r.code, `${name} → ${JSON.stringify(target)}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(new RegExp(`^coc ${name}: `));
      expect(r.err).toMatch(msg);
      noStack(r.err);
    }
    expect(readFileSync(userFile, 'utf8')).toBe('the user\'s own file\n');
    expect(readdirSync(full)).toEqual(['keep.txt']);
    expect(readdirSync(dir).sort()).toEqual(['full', kind === 'file' ? 'mine.yml' : 'mine.txt'].sort());
  }, 180_000);

  it.each(WRITERS.filter(([n]) => ['synth', 'report', 'ansible export', 'drill host-loss'].includes(n)))('%s writes, then replaces only its own output', async (name, argv, kind) => {
    const target = join(root, `own-${name.replace(/ /g, '-')}${kind === 'file' ? '.yml' : ''}`);
    const first = await coc(...withOut(argv, target));
    expect([0, 1]).toContain(first.code);
    const again = await coc(...withOut(argv, target));
    expect([0, 1], again.err).toContain(again.code);
    if (kind === 'folder') expect(readdirSync(target)).toContain('.coc-output');
    else expect(readFileSync(target, 'utf8')).toMatch(/generated by `?coc/);
  }, 180_000);
});

describe('--inventory DIR and COC_INVENTORY_DIR are honoured by every command', () => {
  let copy: string;
  beforeAll(() => {
    copy = inventoryCopy('copy', (d) => {
      const oog = readFileSync(join(d, 'oog.yaml'), 'utf8');
      writeFileSync(join(d, 'oog.yaml'), oog.replace(/^title: .*$/m, 'title: Office of Government (OOG) — COPIED INVENTORY').replaceAll('ip: 10.20.10.11}', 'ip: 10.20.10.199}'));
      writeFileSync(join(d, 'demand.yaml'), readFileSync(join(d, 'demand.yaml'), 'utf8').replace(/value: 38418597/, 'value: 40000000'));
    });
  });

  it('sizing, inventory, bill: the copy\'s figures', async () => {
    const repo = JSON.parse((await coc('sizing', '--pattern', '1', '--json')).out) as { figures: { reportsPerYear: number } };
    const mine = JSON.parse((await coc('--inventory', copy, 'sizing', '--pattern', '1', '--json')).out) as { figures: { reportsPerYear: number } };
    expect(mine.figures.reportsPerYear).not.toBe(repo.figures.reportsPerYear);
    process.env.COC_INVENTORY_DIR = copy;
    const env = JSON.parse((await coc('sizing', '--pattern', '1', '--json')).out) as { figures: { reportsPerYear: number } };
    expect(env.figures.reportsPerYear).toBe(mine.figures.reportsPerYear);
    delete process.env.COC_INVENTORY_DIR;
    expect((await coc('inventory', 'show', '--site', 'oog', '--option', '2', '--inventory', copy)).out).toContain('COPIED INVENTORY');
    expect((await coc('--inventory', copy, 'bill', '--site', 'oog', '--option', '2')).out).toContain('COPIED INVENTORY');
    expect((await coc('bill', '--site', 'oog', '--option', '2')).out).not.toContain('COPIED INVENTORY');
  }, 120_000);

  it('report, synth, ansible export, workloads render, k6 build, drills: the copy', async () => {
    const out = join(root, 'copy-out');
    expect((await coc('--inventory', copy, 'report', '--site', 'oog', '--option', '2', '--out', join(out, 'report'))).code).toBeLessThan(2);
    expect(readFileSync(join(out, 'report', 'index.html'), 'utf8')).toContain('COPIED INVENTORY');
    expect((await coc('--inventory', copy, 'synth', '--stack', 'oog-option2', '--out', join(out, 'synth'))).code).toBe(0);
    expect(readFileSync(join(out, 'synth', 'stacks', 'oog-option2', 'cdk.tf.json'), 'utf8')).toContain('COPIED INVENTORY');
    expect((await coc('--inventory', copy, 'ansible', 'export', '--site', 'oog', '--option', '2', '--out', join(out, 'a.yml'))).code).toBe(0);
    expect(readFileSync(join(out, 'a.yml'), 'utf8')).toContain('10.20.10.199');
    const plan = (inv: string[]) => coc(...inv, 'k6', 'build', '--pattern', '1', '--out-dir', join(out, `k6${inv.length}`));
    await plan([]);
    await plan(['--inventory', copy]);
    const rate = (d: string) => (JSON.parse(readFileSync(join(out, d, 'girs-p1.plan.json'), 'utf8')) as { peak: { targetPerSecond: number } }).peak.targetPerSecond;
    expect(rate('k62')).not.toBe(rate('k60'));
    const w = await coc('--inventory', copy, 'workloads', 'render', '--pattern', '1', '--k6-dir', join(out, 'k62'), '--out', join(out, 'w.yaml'));
    const wRepo = await coc('workloads', 'render', '--pattern', '1', '--k6-dir', join(out, 'k60'), '--out', join(out, 'w0.yaml'));
    expect(w.code, w.err).toBe(0);
    expect(wRepo.code, wRepo.err).toBe(0);
    const perSecond = (f: string) => /Pattern 1: ([\d.]+) reports\/s/.exec(readFileSync(join(out, f), 'utf8'))?.[1];
    expect(perSecond('w.yaml')).toBeDefined();
    expect(perSecond('w.yaml')).not.toBe(perSecond('w0.yaml'));
    const load = await coc('--inventory', copy, 'drill', 'load', '--pattern', '1', '--dry-run');
    const loadRepo = await coc('drill', 'load', '--pattern', '1', '--dry-run');
    expect(load.code).toBe(0);
    expect(load.out).not.toBe(loadRepo.out);
    const hl = await coc('--inventory', copy, 'drill', 'host-loss', '--lab', '--site', 'oog', '--option', '2', '--json', '--out', join(out, 'hl'));
    // The host-loss model shows no title or address; that it reads the copy is shown by the
    // broken-inventory case above, which names the copy's file.
    expect(hl.code).toBeLessThan(2);
    expect(readFileSync(join(out, 'hl', 'evidence.json'), 'utf8')).toContain('"drill": "host-loss"');
  }, 300_000);
});
