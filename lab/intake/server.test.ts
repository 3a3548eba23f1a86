// Bad input to `npm run lab:intake`: one message, exit 2, no stack trace, no hang, and
// nothing written or deleted.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../cli/errors.ts';
import { run } from './server.ts';
import { TEST_TOKEN_MAP } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'intake-cli-'));
const tokens = join(dir, 'tokens.json');
writeFileSync(tokens, JSON.stringify(TEST_TOKEN_MAP));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refused(argv: string[], msg: RegExp): Promise<void> {
  const err = await run(argv).catch((e: unknown) => e);
  expect(err, argv.join(' ')).toBeInstanceOf(InputError);
  expect((err as InputError).exitCode, argv.join(' ')).toBe(2);
  expect((err as Error).message, argv.join(' ')).toMatch(msg);
  expect((err as Error).message).not.toContain('\n');
}

describe('lab:intake --data-dir', () => {
  it('never deletes files in a folder the intake did not create', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(join(foreign, 'tmp'), { recursive: true });
    mkdirSync(join(foreign, 'objects'));
    writeFileSync(join(foreign, 'tmp', 'draft.part'), 'keep me');
    writeFileSync(join(foreign, 'objects', 'x.bin'), 'keep me too');
    await refused(['--tokens', tokens, '--data-dir', foreign], /--data-dir .*foreign: is not empty .* the intake did not create it/);
    expect(readFileSync(join(foreign, 'tmp', 'draft.part'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(foreign, 'objects', 'x.bin'), 'utf8')).toBe('keep me too');
    expect(readdirSync(foreign).sort()).toEqual(['objects', 'tmp']);
    // The checkout itself (a folder full of someone's files) is refused the same way.
    await refused(['--tokens', tokens, '--data-dir', '.'], /--data-dir \.: is not empty/);
  });

  it('refuses a file and kernel file systems instead of hanging', async () => {
    await refused(['--tokens', tokens, '--data-dir', tokens], /is a file; expected a directory/);
    for (const p of ['/proc/self', '/proc/self/task/new', '/sys/fs/intake', '/dev/intake']) {
      await refused(['--tokens', tokens, '--data-dir', p], /kernel file system/);
    }
  });
});

describe('lab:intake --tokens and --init-tokens', () => {
  it('refuses special files, directories and broken links without hanging', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    await refused(['--tokens', fifo], /is not a regular file/);
    await refused(['--tokens', dir], /is a directory; expected a file/);
    await refused(['--tokens', join(dir, 'dangling')], /cannot read \(ENOENT/);
    await refused(['--tokens', join(dir, 'loop-a')], /ELOOP/);
    await refused(['--tokens', '/proc/self/environ'], /kernel file system/);
    await refused(['--tokens', '/dev/zero'], /kernel file system/);
  });

  it('--init-tokens under /proc or onto a folder is refused and writes nothing', async () => {
    await refused(['--init-tokens', '/proc/self/tokens.yaml'], /kernel file system/);
    await refused(['--init-tokens', '/proc/sys/kernel/hostname'], /kernel file system/);
    await refused(['--init-tokens', dir], /is a directory/);
    await refused(['--init-tokens', join(dir, 'dangling')], /file exists/); // a symlink is not replaced either
  });
});

describe('lab:intake --host and --pg-url', () => {
  it('an unresolvable --host is one message and exit 2, before anything is created', async () => {
    const data = join(dir, 'never-created');
    await refused(['--tokens', tokens, '--data-dir', data, '--host', 'no-such-host.invalid'], /--host no-such-host\.invalid: cannot be resolved/);
    await refused(['--tokens', tokens, '--host', 'bad host!'], /--host "bad host!": expected an IP address or a host name/);
    expect(() => readdirSync(data)).toThrow(/ENOENT/);
  });

  it('a garbage --pg-url is one message and exit 2, and a password in it is never echoed', async () => {
    for (const [url, msg] of [
      ['garbage', /--pg-url: not a URL/],
      ['http://127.0.0.1/girs', /--pg-url: scheme "http"/],
      ['postgres://', /--pg-url: no host/],
      ['postgres://u:secret@127.0.0.1:notaport/db', /--pg-url: not a URL/],
      ['postgres://u:s%zzret@127.0.0.1/db', /--pg-url: bad percent-encoding/],
    ] as const) {
      await refused(['--tokens', tokens, '--store', 'pg', '--pg-url', url], msg);
      const err = await run(['--tokens', tokens, '--store', 'pg', '--pg-url', url]).catch((e: Error) => e);
      expect((err as Error).message).not.toContain('secret');
    }
  });

  it('prints no stack trace as a process either', async () => {
    const coc = fileURLToPath(new URL('../../bin/coc.mjs', import.meta.url));
    const proc = spawn(process.execPath, [coc, 'lab', 'intake', '--tokens', tokens, '--store', 'pg', '--pg-url', 'postgres://%zz@'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^coc lab intake: --pg-url: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
