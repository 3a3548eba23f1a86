// Files a user names are read only when they are regular files of bounded size.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { decodeText, readRegularFile } from './files.ts';

const root = mkdtempSync(join(tmpdir(), 'coc-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const why = (f: () => unknown): string => {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
  throw new Error('expected a refusal');
};

describe('readRegularFile', () => {
  it('reads a regular file', () => {
    writeFileSync(join(root, 'a.yaml'), 'a: 1\n');
    expect(readRegularFile(join(root, 'a.yaml')).toString()).toBe('a: 1\n');
  });

  it('refuses a directory, /dev/zero through a link, a FIFO, a dangling link, a loop and a missing file without hanging', () => {
    mkdirSync(join(root, 'dir.yaml'));
    expect(why(() => readRegularFile(join(root, 'dir.yaml')))).toMatch(/is a directory/);
    symlinkSync('/dev/zero', join(root, 'zero.yaml'));
    expect(why(() => readRegularFile(join(root, 'zero.yaml')))).toMatch(/not a regular file/);
    execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
    expect(why(() => readRegularFile(join(root, 'fifo.yaml')))).toMatch(/not a regular file/);
    symlinkSync(join(root, 'gone.yaml'), join(root, 'dangling.yaml'));
    expect(why(() => readRegularFile(join(root, 'dangling.yaml')))).toMatch(/dangling symbolic link/);
    symlinkSync(join(root, 'loop2.yaml'), join(root, 'loop1.yaml'));
    symlinkSync(join(root, 'loop1.yaml'), join(root, 'loop2.yaml'));
    expect(why(() => readRegularFile(join(root, 'loop1.yaml')))).toMatch(/symlink loop/);
    expect(why(() => readRegularFile(join(root, 'none.yaml')))).toMatch(/no such file/);
  });

  it('refuses a file over the size cap', () => {
    writeFileSync(join(root, 'big.yaml'), Buffer.alloc(2048, 0x61));
    expect(why(() => readRegularFile(join(root, 'big.yaml'), 'a YAML file', 1024))).toMatch(/2048 bytes; expected a YAML file of at most 1024 bytes/);
  });
});

describe('decodeText', () => {
  it('finds NUL and other control bytes and invalid UTF-8, with their offset', () => {
    expect(decodeText(Buffer.from('a: "x\0y"\n')).problem).toMatchObject({ offset: 5, message: expect.stringMatching(/U\+0000 \(a NUL byte\)/) });
    expect(decodeText(Buffer.from('a: \x1b[31m\n')).problem?.message).toMatch(/U\+001B/);
    expect(decodeText(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a])).problem?.message).toMatch(/invalid UTF-8/);
    expect(decodeText(Buffer.from('a: "tab\there"\r\n')).problem).toBeUndefined();
  });
});
