// Checks on the paths the intake is given (--data-dir, --tokens, --init-tokens) before it
// touches them: kernel file systems (/proc, /sys, /dev) and special files (FIFOs, devices)
// can block an open or a read forever, and a folder the intake did not create must never
// lose files to its start-up clean-up.
import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from './durable.ts';

/** Bad input: the caller reports the message and exits 2. */
export class PathError extends Error {}

/** Written into every data directory the intake creates or adopts; its presence is the permission to clean up. */
export const DATA_DIR_MARKER = '.girs-intake-data';

const KERNEL_FS = ['/proc', '/sys', '/dev'];
/** /dev/shm is an ordinary tmpfs that people do use for scratch data. */
const ALLOWED_UNDER_DEV = ['/dev/shm'];

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** The path with symlinks resolved as far as it exists (the rest appended unresolved). */
async function resolveExisting(path: string): Promise<string> {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(p), ...rest);
    } catch {
      const parent = dirname(p);
      if (parent === p) return join(p, ...rest);
      rest.unshift(p.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
      p = parent;
    }
  }
}

/** Refuses paths on kernel file systems, where reads and writes can block forever. */
export async function refuseKernelPath(what: string, path: string): Promise<void> {
  if (path.length === 0) throw new PathError(`${what}: expected a path, got an empty string`);
  if (path.includes('\0')) throw new PathError(`${what}: expected a path, got one with a NUL byte`);
  const real = await resolveExisting(path);
  if (KERNEL_FS.some((r) => under(real, r)) && !ALLOWED_UNDER_DEV.some((r) => under(real, r))) {
    throw new PathError(`${what} ${path}: ${real} is on a kernel file system (/proc, /sys, /dev); expected a path on an ordinary file system`);
  }
}

/** A file the intake will read: a regular file of at most `maxBytes`. */
export async function checkReadableFile(what: string, path: string, maxBytes: number): Promise<void> {
  await refuseKernelPath(what, path);
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PathError(`${what} ${path}: cannot read (${code === 'ENOENT' ? 'ENOENT: no such file, or a dangling symlink' : code === 'ELOOP' ? 'ELOOP: symlink loop' : code})`);
  }
  if (st.isDirectory()) throw new PathError(`${what} ${path}: is a directory; expected a file`);
  if (!st.isFile()) throw new PathError(`${what} ${path}: is not a regular file (FIFO, socket or device); expected a file`);
  if (st.size > maxBytes) throw new PathError(`${what} ${path}: is ${st.size} bytes; expected at most ${maxBytes}`);
}

/** A file the intake will create: its name must be free and its folder an ordinary one. */
export async function checkNewFile(what: string, path: string): Promise<void> {
  await refuseKernelPath(what, path);
  const st = await lstat(path).catch(() => undefined);
  if (st) throw new PathError(`${what} ${path}: ${st.isDirectory() ? 'is a directory' : 'file exists'}; expected a new file name (the intake never overwrites a file): choose a new name or delete it first`);
}

/**
 * Makes `dir` the intake's: creates it (with the marker) when missing, adopts it when
 * empty, accepts it when it carries the marker, and refuses anything else, so that
 * start-up never deletes files the intake did not write.
 */
export async function claimDataDir(dir: string): Promise<void> {
  await refuseKernelPath('--data-dir', dir);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new PathError(`--data-dir ${dir}: is a file; expected a directory the intake creates or created`);
    if (code !== 'ENOENT') throw new PathError(`--data-dir ${dir}: cannot read (${code})`);
    try {
      await mkdir(dir, { recursive: true });
    } catch (e2) {
      throw new PathError(`--data-dir ${dir}: cannot create (${(e2 as NodeJS.ErrnoException).code ?? (e2 as Error).message})`);
    }
    entries = [];
  }
  if (entries.includes(DATA_DIR_MARKER)) {
    const st = await lstat(join(dir, DATA_DIR_MARKER));
    if (st.isFile()) return;
  }
  if (entries.length > 0) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, ... (${entries.length} entries)` : '');
    throw new PathError(`--data-dir ${dir}: is not empty (${shown}) and has no ${DATA_DIR_MARKER} file, so the intake did not create it; `
      + 'the intake deletes unacknowledged files in its data directory and refuses a folder it does not own. '
      + `Expected a new or empty directory (an intake data directory from an earlier version: add an empty ${DATA_DIR_MARKER} file to adopt it)`);
  }
  await writeFileAtomic(join(dir, DATA_DIR_MARKER), 'GIRS lab intake data directory: tmp/, objects/ and meta/ belong to the intake; it deletes unacknowledged files here on start.\n', { exclusive: true })
    .catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
}
