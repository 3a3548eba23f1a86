// The output writer refuses every target that is not new, empty or coc's own, and writes atomically.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { checkOutputFile, checkOutputFolder, GENERATED_BY, OUTPUT_MARKER, prepareOutputFolder, replaceOutputFolder, writeOutputFile } from './write.ts';

const root = mkdtempSync(join(tmpdir(), 'coc-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const CHECKOUT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const refused = (f: () => unknown, msg: RegExp) => {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).exitCode).toBe(2);
  expect((err as InputError).message).toMatch(msg);
};

describe('output files', () => {
  it('refuses an existing file coc did not write, and leaves it as it was', () => {
    const f = join(root, 'notes.yaml');
    writeFileSync(f, 'my notes\n');
    refused(() => writeOutputFile(f, `# ${GENERATED_BY} test\n`), /exists and was not written by coc/);
    expect(readFileSync(f, 'utf8')).toBe('my notes\n');
  });

  it('replaces its own file atomically and leaves no temp file', () => {
    const f = join(root, 'own', 'out.yaml');
    writeOutputFile(f, `# ${GENERATED_BY} test\na: 1\n`);
    writeOutputFile(f, `# ${GENERATED_BY} test\na: 2\n`);
    expect(readFileSync(f, 'utf8')).toContain('a: 2');
    expect(readdirSync(dirname(f))).toEqual(['out.yaml']);
  });

  it.each([
    ['', /expected a file path, got ""/],
    ['   ', /expected a file path/],
    ['/dev/null', /under \/dev/],
    ['/proc/self/x.yaml', /under \/proc/],
    ['/sys/x', /under \/sys/],
    ['.', /working folder or one of its parents/],
    ['..', /working folder or one of its parents/],
    ['/', /working folder or one of its parents|checkout/],
  ])('refuses %j', (target, msg) => refused(() => checkOutputFile(target), msg));

  it('refuses a folder, a symlink, a FIFO-like special file and a path under a file', () => {
    const d = join(root, 'adir');
    mkdirSync(d, { recursive: true });
    refused(() => checkOutputFile(d), /is a folder; expected a file path/);
    const link = join(root, 'link.yaml');
    symlinkSync('/etc/hostname', link);
    refused(() => checkOutputFile(link), /symbolic link/);
    refused(() => checkOutputFile('/dev/zero'), /under \/dev/);
    const file = join(root, 'plain');
    writeFileSync(file, 'x');
    refused(() => checkOutputFile(join(file, 'below.yaml')), /not a (folder|directory)/);
  });

  it('refuses a path reaching /proc through a symlink', () => {
    const link = join(root, 'proclink');
    symlinkSync('/proc/self', link);
    refused(() => checkOutputFile(join(link, 'x.yaml')), /under \/proc/);
  });
});

describe('output folders', () => {
  it('refuses a non-empty folder without the marker and keeps its content', () => {
    const d = join(root, 'mine');
    mkdirSync(d);
    writeFileSync(join(d, 'keep.txt'), 'keep');
    refused(() => replaceOutputFolder(d, 'test', (tmp) => writeFileSync(join(tmp, 'a'), 'a')), /not empty and was not written by coc/);
    refused(() => prepareOutputFolder(d, 'test'), /not written by coc/);
    expect(readdirSync(d)).toEqual(['keep.txt']);
    expect(readdirSync(root).filter((f) => f.includes('.mine.'))).toEqual([]);
  });

  it('refuses the checkout and a file where a folder is expected', () => {
    refused(() => checkOutputFolder(CHECKOUT), /checkout|working folder/);
    const f = join(root, 'afile');
    writeFileSync(f, 'x');
    refused(() => checkOutputFolder(f), /is a file; expected a folder path/);
  });

  it('fills an empty folder, marks it, and replaces only its own folder', () => {
    const d = join(root, 'out');
    mkdirSync(d);
    replaceOutputFolder(d, 'test', (tmp) => writeFileSync(join(tmp, 'one'), '1'));
    expect(readdirSync(d).sort()).toEqual([OUTPUT_MARKER, 'one']);
    replaceOutputFolder(d, 'test', (tmp) => writeFileSync(join(tmp, 'two'), '2'));
    expect(readdirSync(d).sort()).toEqual([OUTPUT_MARKER, 'two']);
  });

  it('a failed fill leaves the previous output and no temp folder', () => {
    const d = join(root, 'keep-out');
    replaceOutputFolder(d, 'test', (tmp) => writeFileSync(join(tmp, 'good'), 'g'));
    expect(() => replaceOutputFolder(d, 'test', () => { throw new Error('boom'); })).toThrow('boom');
    expect(readdirSync(d).sort()).toEqual([OUTPUT_MARKER, 'good']);
    expect(readdirSync(root).filter((f) => f.startsWith('.keep-out'))).toEqual([]);
  });

  it('accepts recognisable older output through legacyOwn only', () => {
    const d = join(root, 'legacy');
    mkdirSync(d);
    writeFileSync(join(d, 'index.html'), '<title>Audit: x</title>');
    expect(() => checkOutputFolder(d)).toThrow(InputError);
    expect(checkOutputFolder(d, { legacyOwn: () => true })).toBe(d);
    expect(existsSync(join(d, OUTPUT_MARKER))).toBe(false);
  });
});
