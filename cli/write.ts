// Output files are written whole or not at all: parent folders are created, the text goes
// to a temp name in the same folder and is renamed into place; on failure the temp file goes.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export function writeFileAtomicSync(path: string, text: string | Uint8Array): void {
  const out = resolve(path);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
