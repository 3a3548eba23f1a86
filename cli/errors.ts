// The one error model. Domain code throws InputError for bad input (what, where, what was
// expected) without naming a command; only the dispatcher (bin/main.ts) adds the `coc <command>:`
// prefix and turns an error into an exit code. Anything else is a bug and keeps its stack.

/** Bad input: reported as one message, exit code 2 (or the given code), never a stack trace. */
export class InputError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
    this.exitCode = exitCode;
  }
}

/** System-call errors caused by a path the user named (ENOENT, EISDIR, ELOOP, …), in words. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links (a symlink loop)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  EXDEV: 'crosses a file-system boundary',
  EBUSY: 'busy',
  EINVAL: 'invalid argument for this kind of file',
};

export function errnoText(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && Object.hasOwn(ERRNO_TEXT, code) ? ERRNO_TEXT[code] : undefined;
}

/** Turn a system-call error about `path` into an InputError naming the path; rethrow others. */
export function pathError(e: unknown, path: string, expected: string): never {
  const text = errnoText(e);
  if (text) throw new InputError(`${path}: ${text}; expected ${expected}`, 2, { cause: e });
  throw e;
}

/**
 * Exit code for an error and what to print. Input errors → their message with `prefix` (once);
 * anything else → its stack (a bug), exit 1.
 */
export function describeError(e: unknown, prefix: string, legacyLabels: readonly string[] = []): { code: number; text: string } {
  if (e instanceof InputError) {
    let msg = e.message;
    for (const label of [prefix, ...legacyLabels]) {
      if (label && msg.startsWith(`${label}: `)) { msg = msg.slice(label.length + 2); break; }
    }
    return { code: e.exitCode, text: prefix ? `${prefix}: ${msg}` : msg };
  }
  return { code: 1, text: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
