// Finding the k6 binary, the same way in the drill, the benchmarks and the tests:
// K6 if set, then `k6` on PATH, then the shared build next to the checkout
// (../shared/bin/k6). Nothing here stands in for k6 when none is found.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root (k6/ sits in it). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_K6 = resolve(ROOT, '..', 'shared', 'bin', 'k6');

export type K6Found = { path: string; via: 'K6' | 'PATH' | 'shared'; version: string };
export type K6Lookup = K6Found | { path: null; reason: string };

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `k6 version`'s first line, e.g. "k6 v0.48.0 (go1.19.8, linux/amd64)". */
export function k6Version(path: string): string {
  const out = execFileSync(path, ['version'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n')[0]!.trim();
}

/** "v0.48.0" -> [0, 48, 0]; null when the text names no version. */
export function versionOf(text: string): [number, number, number] | null {
  const m = /v(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function findK6(env: NodeJS.ProcessEnv = process.env, shared: string = SHARED_K6): K6Lookup {
  const found = (path: string, via: K6Found['via']): K6Lookup => {
    try {
      return { path, via, version: k6Version(path) };
    } catch (e) {
      return { path: null, reason: `${path} (from ${via}) did not answer \`k6 version\`: ${(e as Error).message.split('\n')[0]}` };
    }
  };
  if (env.K6 !== undefined && env.K6 !== '') {
    const p = resolve(env.K6);
    return executable(p) ? found(p, 'K6') : { path: null, reason: `K6=${env.K6} is not an executable file` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'k6'))) return found(join(dir, 'k6'), 'PATH');
  }
  if (executable(shared)) return found(shared, 'shared');
  return { path: null, reason: `no k6: K6 is not set, there is no k6 on PATH, and no ${shared}` };
}

/** What a k6 exit code means (k6's errext exit codes, the same in 0.4x, 1.x and 2.x). */
export function describeK6Exit(code: number | null): string {
  if (code === null) return 'k6 was killed';
  const known: Record<number, string> = {
    0: 'ok', 97: 'cloud test aborted', 98: 'cloud test failed', 99: 'thresholds crossed', 100: 'generic error', 101: 'cannot write the summary', 103: 'setup timed out', 104: 'invalid configuration',
    105: 'aborted by a signal', 107: 'script error: k6 could not start its VUs', 108: 'script aborted the test', 110: 'a threshold aborted the test',
  };
  return known[code] ?? 'error';
}
