// Where a report came from, printed in its header so a reviewer can tell two copies apart:
// when it was generated, from which commit, from which inventory (a content hash of every
// inventory YAML file, measured calibrations included) and by which tool version. I/O at
// the edge: the renderers receive the result.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INVENTORY_DIR } from '../inventory/index.ts';

export interface Provenance {
  generatedAt: string;
  /** Commit hash, "+ uncommitted changes" when the work tree differs, or why there is none. */
  commit: string;
  /** sha256 over the inventory's YAML files (name and content, sorted by path). */
  inventoryHash: string;
  toolVersion: string;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function inventoryHash(dir = INVENTORY_DIR): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  const h = createHash('sha256');
  for (const f of files.sort()) h.update(`${relative(dir, f)}\0`).update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

function gitCommit(): string {
  if (!existsSync(join(ROOT, '.git'))) return 'unknown (not a git checkout)';
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown (git unavailable)';
  }
}

export function provenance(now = new Date()): Provenance {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { generatedAt: now.toISOString(), commit: gitCommit(), inventoryHash: inventoryHash(), toolVersion: `${pkg.name} ${pkg.version}` };
}
