// The `coc` entry point as users meet it: help everywhere (and never a benchmark run by
// --help), --version, completion, no colour codes off a terminal, the compiled build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { useColor } from '../cli/table.ts';
import { COMMANDS, isGroup } from './commands.ts';
import { main } from './main.ts';

const tmp = mkdtempSync(join(tmpdir(), 'coc-entry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const coc = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['bin/coc.mjs', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });

async function inProcess(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Every command path, subcommands included. */
const PATHS: string[][] = Object.entries(COMMANDS).flatMap(([name, c]) => isGroup(c)
  ? [[name], ...Object.keys(c.children).map((s) => [name, s])]
  : [[name], ...(c.subcommands ?? []).map((s) => [name, s])]);

describe('--help', () => {
  it('coc --help lists every command, the drills, the lab intake, the k6 build and the benchmarks', async () => {
    const r = await inProcess(['--help']);
    expect(r.code).toBe(0);
    for (const [name, c] of Object.entries(COMMANDS)) {
      if (isGroup(c)) for (const sub of Object.keys(c.children)) expect(r.out).toContain(`  ${name} ${sub} `);
      else expect(r.out).toContain(`  ${c.subcommands ? `${name} ${c.subcommands.join('|')}` : name} `);
    }
    expect(r.out).toMatch(/--inventory DIR/);
  });

  it.each(PATHS)('coc %s … --help prints usage and exits 0 without running anything', async (...p) => {
    const started = Date.now();
    const r = await inProcess([...p, '--help']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^usage: /);
    expect(r.err).toBe('');
    // A benchmark's own output never appears: --help must not run it.
    expect(r.out).not.toMatch(/inventory load \+ views:|runs: min|cpu ratio \(median\)|^Pattern \d:|synthesized \d/m);
    expect(Date.now() - started).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('an unknown command or subcommand exits 2 naming what is expected', async () => {
    expect(await inProcess(['deploy'])).toMatchObject({ code: 2, err: expect.stringMatching(/^coc: unknown command "deploy"; expected one of inventory, sizing/) });
    expect(await inProcess(['drill', 'nope'])).toMatchObject({ code: 2, err: expect.stringMatching(/^coc drill: unknown command "nope"; expected one of db-failover/) });
    expect(await inProcess(['--inventory'])).toMatchObject({ code: 2, err: expect.stringMatching(/--inventory: expected a folder path/) });
    expect(await inProcess(['bench', 'sizing', '--runs', '0x10'])).toMatchObject({ code: 2, err: expect.stringMatching(/^coc bench sizing: --runs: expected a whole number/) });
  });
});

describe('the process', () => {
  it('--version names the package and version', () => {
    const r = coc(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^coc-infra \d+\.\d+\.\d+ \(node \d+/);
  });

  it('completion bash is valid bash and completes commands, subcommands and flags', () => {
    const r = coc(['completion', 'bash']);
    expect(r.status).toBe(0);
    const script = join(tmp, 'coc.bash');
    writeFileSync(script, r.stdout);
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const complete = (line: string) => spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _coc; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim();
    expect(complete('coc dr')).toBe('drill');
    expect(complete('coc drill ""')).toContain('db-failover');
    expect(complete('coc sizing --pe')).toBe('--peak-days --peak-hour-share --per-core-rps');
    expect(complete('coc --inventory x bi')).toBe('bill');
    expect(coc(['completion', 'zsh']).status).toBe(2);
  });

  it('prints no colour codes off a terminal or with NO_COLOR', () => {
    const r = coc(['inventory', 'show', '--site', 'ccop'], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ccop');
    expect(r.stdout).not.toContain('\u001b[');
    expect(useColor({ isTTY: true })).toBe(process.env.NO_COLOR === undefined || process.env.NO_COLOR === '' ? process.env.TERM !== 'dumb' : false);
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      expect(useColor({ isTTY: true })).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR; else process.env.NO_COLOR = saved;
    }
    expect(useColor({ isTTY: false })).toBe(false);
  });

  it('an input error is one line without a stack; a bug keeps its stack', () => {
    const r = coc(['sizing', '--pattern', '9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('coc sizing: --pattern: expected one of 1, 2, 3, all, got "9"\n');
  });

  it('the compiled build runs the same commands, in one process, with the same answer', () => {
    const out = join(tmp, 'dist');
    const b = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8', env: { ...process.env, COC_BUILD_OUT: out }, timeout: 120_000 });
    expect(b.status, b.stderr).toBe(0);
    expect(existsSync(join(out, 'main.js'))).toBe(true);
    const run = (entry: string) => spawnSync(process.execPath, ['-e', `import(${JSON.stringify(entry)}).then((m) => m.runMain(['sizing', '--pattern', '3', '--json']))`], { encoding: 'utf8', timeout: 120_000 });
    const compiled = run(join(out, 'main.js'));
    expect(compiled.status, compiled.stderr).toBe(0);
    const source = coc(['sizing', '--pattern', '3', '--json'], { COC_FROM_SOURCE: '1' });
    expect(JSON.parse(compiled.stdout)).toEqual(JSON.parse(source.stdout));
  }, 180_000);
});
