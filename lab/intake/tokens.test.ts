import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../cli/errors.ts';
import { run } from './server.ts';
import { generateTokens, loadTokensFile, Principals, TokenFileError, writeTokensFile } from './tokens.ts';

const dir = mkdtempSync(join(tmpdir(), 'intake-tokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lab tokens', () => {
  it('generates Table 18 principals: 30 ministries, then provinces, then OOG examiners', () => {
    const t = generateTokens(93, 2);
    const ps = Object.values(t);
    expect(ps).toHaveLength(95);
    expect(ps.filter((p) => p.agency.startsWith('ministry-'))).toHaveLength(30);
    expect(ps.filter((p) => p.agency.startsWith('province-'))).toHaveLength(63);
    expect(ps.filter((p) => p.role === 'examiner')).toEqual([{ agency: 'oog', role: 'examiner' }, { agency: 'oog', role: 'examiner' }]);
    expect(new Set(ps.map((p) => p.agency)).size).toBe(94);
    expect(Object.keys(t).every((k) => k.length >= 43)).toBe(true);
    expect(Object.keys(generateTokens(93, 2))).not.toEqual(Object.keys(t));
  });

  it('writes an owner-only file, refuses to overwrite it, and reads it back', async () => {
    const file = join(dir, 'lab.yaml');
    const t = generateTokens(3, 1);
    await writeTokensFile(file, t);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(writeTokensFile(file, generateTokens(1, 0))).rejects.toMatchObject({ code: 'EEXIST' });
    const p = await loadTokensFile(file);
    expect(p.size).toBe(4);
    const [token, who] = Object.entries(t)[0]!;
    expect(p.lookup(token)).toEqual(who);
    expect(p.lookup(`${token}x`)).toBeUndefined();
  });

  it('reads JSON too', async () => {
    const file = join(dir, 'lab.json');
    writeFileSync(file, JSON.stringify({ 'a-token-of-16-chars!': { agency: 'province-63', role: 'agency' } }));
    expect((await loadTokensFile(file)).lookup('a-token-of-16-chars!')).toEqual({ agency: 'province-63', role: 'agency' });
  });

  it('rejects bad files with the file and the problem named', async () => {
    const cases: Array<[string, RegExp]> = [
      ['a: [unclosed', /not valid YAML or JSON/],
      ['{}', /lists no tokens/],
      ['short: {agency: ministry-01, role: agency}', /at least 16 characters/],
      ['a-token-of-16-chars!: {agency: ministry-01, role: admin}', /role/],
      ['a-token-of-16-chars!: {agency: "Ministry One", role: agency}', /agency/],
    ];
    for (const [text, msg] of cases) {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, text);
      const err = await loadTokensFile(file).catch((e: unknown) => e);
      expect(err, text).toBeInstanceOf(TokenFileError);
      expect((err as Error).message, text).toMatch(msg);
      expect((err as Error).message).toContain(file);
    }
    await expect(loadTokensFile(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read \(ENOENT\)/);
    expect(() => new Principals({})).toThrow(TokenFileError);
  });
});

describe('lab:intake command line', () => {
  const fails = async (argv: string[], msg: RegExp) => {
    const err = await run(argv).catch((e: unknown) => e);
    expect(err, argv.join(' ')).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(msg);
  };

  it('refuses bad options with what was expected', async () => {
    const tokens = join(dir, 'cli.yaml');
    await writeTokensFile(tokens, generateTokens(1, 1));
    await fails([], /--tokens FILE is required/);
    await fails(['--tokens', tokens, '--port', 'abc'], /--port: expected an integer port/);
    await fails(['--tokens', tokens, '--port', '70000'], /--port: expected/);
    await fails(['--tokens', tokens, '--store', 'mysql'], /--store: expected one of fs, pg/);
    await fails(['--tokens', tokens, '--store', 'pg'], /--store pg needs --pg-url/);
    await fails(['--tokens', tokens, '--max-bytes', '0'], /--max-bytes: expected a positive integer/);
    await fails(['--tokens', tokens, '--colour'], /Unknown option '--colour'/);
    await fails(['--tokens', join(dir, 'nope.yaml')], /--tokens .*nope\.yaml: cannot read/);
    await fails(['--init-tokens', join(dir, 'x.yaml'), '--agencies', '0'], /--agencies: expected an integer from 1/);
  });

  it('--init-tokens writes a file once', async () => {
    const file = join(dir, 'init.yaml');
    expect(await run(['--init-tokens', file, '--agencies', '5', '--examiners', '1'])).toBe(0);
    expect((await loadTokensFile(file)).size).toBe(6);
    const before = readFileSync(file, 'utf8');
    await fails(['--init-tokens', file], /file exists/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('--init-tokens creates the folder it writes into (e.g. .lab/ on a fresh checkout)', async () => {
    const file = join(dir, 'fresh', '.lab', 'tokens.yaml');
    expect(await run(['--init-tokens', file, '--agencies', '2', '--examiners', '1'])).toBe(0);
    expect((await loadTokensFile(file)).size).toBe(3);
  });
});
