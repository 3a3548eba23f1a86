#!/usr/bin/env node
// The `coc` launcher. Runs the JavaScript that `npm ci` built into dist/ (scripts/build-cli.mjs)
// in this process. When dist/ is missing (installed with --omit=dev, so no esbuild) or older
// than a source file it was built from, it runs the TypeScript through tsx's loader, in this
// process too: there is never a second Node process.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** dist/inputs.json lists each source file bundled, with its size and mtime at build time. */
function distIsFresh() {
  if (process.env.COC_FROM_SOURCE) return false;
  const manifest = join(dist, 'inputs.json');
  if (!existsSync(manifest)) return false;
  try {
    const inputs = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [file, [size, mtimeMs]] of Object.entries(inputs)) {
      const st = statSync(join(root, file), { throwIfNoEntry: false });
      if (!st || st.size !== size || st.mtimeMs !== mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}

let entry;
if (distIsFresh()) {
  entry = pathToFileURL(join(dist, 'main.js')).href;
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = pathToFileURL(join(root, 'bin', 'main.ts')).href;
}
const { runMain } = await import(entry);
await runMain(process.argv.slice(2));
