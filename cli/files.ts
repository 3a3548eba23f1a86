// Reading files the user names (inventory YAML, stack settings, token files): only regular
// files, opened without blocking, read up to a size cap. A FIFO, /dev/zero, a directory, a
// dangling symlink or a symlink loop is refused with a message instead of hanging or a stack.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { InputError, errnoText } from './errors.ts';

/** Largest input file read whole (the inventory files are < 100 KiB). */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/** Why `path` cannot be opened, in words (dangling symlinks named as such). */
function openFailure(e: unknown, path: string, expected: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    try {
      if (lstatSync(path).isSymbolicLink()) return new InputError(`${path}: dangling symbolic link to ${readlinkSync(path)}; expected ${expected}`);
    } catch { /* not a link: plain ENOENT */ }
  }
  const text = errnoText(e);
  if (text) return new InputError(`${path}: ${text}; expected ${expected}`, 2, { cause: e });
  throw e;
}

/** The bytes of a regular file, or an InputError naming the path and what was expected. */
export function readRegularFile(path: string, expected = 'a regular file', maxBytes = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw openFailure(e, path, expected);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(`${path}: is a directory; expected ${expected}`);
    if (!st.isFile()) throw new InputError(`${path}: is not a regular file (a device, pipe or socket); expected ${expected}`);
    if (st.size > maxBytes) throw new InputError(`${path}: ${st.size} bytes; expected ${expected} of at most ${maxBytes} bytes`);
    // Read one byte past the cap so a file that grows while read is still refused.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === buf.length) break;
    }
    if (n > maxBytes) throw new InputError(`${path}: more than ${maxBytes} bytes; expected ${expected} of at most ${maxBytes} bytes`);
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw openFailure(e, path, expected);
  } finally {
    closeSync(fd);
  }
}

/** A position in a text: 1-based line and column (columns count UTF-16 units, as the YAML parser does). */
export function linePos(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; start = i + 1; }
  return { line, col: offset - start + 1 };
}

export interface TextProblem { offset: number; message: string }

/**
 * UTF-8 text of a file, or the first problem found: invalid UTF-8, or a control character YAML
 * does not allow (C0 other than tab/LF/CR, DEL, C1) such as a NUL byte.
 */
export function decodeText(bytes: Uint8Array): { text: string; problem?: TextProblem } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    return { text: lossy, problem: { offset: Math.max(0, lossy.indexOf('\uFFFD')), message: 'invalid UTF-8; expected UTF-8 text' } };
  }
  const problem = controlCharProblem(text);
  return problem ? { text, problem } : { text };
}

/** The first control character YAML does not allow, if any. */
export function controlCharProblem(text: string): TextProblem | undefined {
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.exec(text);
  if (!bad) return undefined;
  const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return { offset: bad.index, message: `control character U+${cp}${cp === '0000' ? ' (a NUL byte)' : ''}; expected printable text (YAML allows only tab, LF and CR)` };
}
