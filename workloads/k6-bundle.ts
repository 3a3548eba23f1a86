// The k6 script the TestRun runs: the bundle `npm run k6:build` writes for the pattern
// (k6/dist/girs-pN.js and its plan). Built on demand through k6's public face when missing.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../cli/errors.ts';
import { buildPattern, DIST, k6FileNames } from '../k6/index.ts';
import type { PatternId } from '../sizing/index.ts';
import type { Settings } from './settings.ts';

export const K6_DIST = DIST;
/** A ConfigMap (like any object in etcd) must stay under 1 MiB. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

export interface K6Bundle {
  /** File name inside the ConfigMap that the TestRun runs. */
  script: string;
  files: Record<string, string>;
}

function readBundle(dir: string, pattern: PatternId, script?: string): K6Bundle | null {
  const names = k6FileNames(pattern);
  const main = script ?? names.script;
  if (!existsSync(join(dir, main))) return null;
  const files: Record<string, string> = { [main]: readFileSync(join(dir, main), 'utf8') };
  if (!script && existsSync(join(dir, names.plan))) files[names.plan] = readFileSync(join(dir, names.plan), 'utf8');
  return { script: main, files };
}

/**
 * The pattern's bundle from `dir`; when absent (and no explicit script was asked for),
 * build it with k6's buildPattern. Fails with what to run otherwise.
 */
export async function loadK6Bundle(pattern: PatternId, opts: { dir?: string; script?: string; build?: boolean } = {}): Promise<K6Bundle> {
  const dir = opts.dir ?? K6_DIST;
  const found = readBundle(dir, pattern, opts.script);
  if (found) return checkSize(found);
  if (opts.script) throw new InputError(`k6 script "${opts.script}" not found in ${dir}; expected a file written by npm run k6:build`);
  if (opts.build !== false) {
    await buildPattern(pattern, dir);
    const built = readBundle(dir, pattern);
    if (built) return checkSize(built);
  }
  throw new InputError(`no k6 bundle ${k6FileNames(pattern).script} in ${dir} and it could not be built; run \`npm run k6:build -- --pattern ${pattern}\` first`);
}

function checkSize(b: K6Bundle): K6Bundle {
  const bytes = Object.values(b.files).reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (bytes > CONFIGMAP_LIMIT_BYTES) throw new InputError(`k6 bundle ${b.script} is ${bytes} bytes; a ConfigMap holds at most ${CONFIGMAP_LIMIT_BYTES}: use a PVC-backed TestRun instead`);
  return b;
}

/** Where the settings say the bundle is (relative dirs are taken from the working directory). */
export function k6Options(s: Settings): { dir?: string; script?: string } {
  return { ...(s.k6.dir ? { dir: resolve(s.k6.dir) } : {}), ...(s.k6.script ? { script: s.k6.script } : {}) };
}
