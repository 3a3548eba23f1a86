// Test support: run a drill in-process, capture its --json output, and make sure no lab
// process outlives the test (safety net on top of the drill's own cleanup).
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { processesUnder } from '../../lab/patroni/cluster.ts';

// Labs and restore scratch dirs go under os.tmpdir(), which other test runs on the same machine
// share. Give this test process (and the drills it spawns) a TMPDIR of its own, so labDirs() and
// the safety net below only ever see, and kill, what these tests started.
const ownTmp = mkdtempSync(join(tmpdir(), 'coc-labtest-'));
chmodSync(ownTmp, 0o755); // the postgres user must reach its lab directory inside
process.env.TMPDIR = ownTmp;
process.once('exit', () => rmSync(ownTmp, { recursive: true, force: true }));

export function labDirs(): Set<string> {
  return new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('coc-lab-') || n.startsWith('coc-restore-')).map((n) => join(tmpdir(), n)));
}

/** Kill anything under lab dirs created since `before`; returns the pids that were still alive. */
export function killLeftovers(before: Set<string>, extra: string[] = []): number[] {
  const dirs = [...labDirs()].filter((d) => !before.has(d)).concat(extra);
  const pids = dirs.flatMap((d) => processesUnder(d));
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  return pids;
}

export async function runJson(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ code: number; json: Record<string, any> }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.map(String).join(' ')); });
  try {
    const code = await run(argv);
    return { code, json: JSON.parse(lines.join('\n')) as Record<string, any> };
  } finally {
    spy.mockRestore();
  }
}
