// `npm run bench:intake-pg-mem`: peak memory of the lab intake on the pg store when 40
// agencies upload 8 MiB reports at once, with the upload limit (--max-uploads 8, the
// default) and without it (64). Starts its own PostgreSQL 15 (as user postgres, temp dir,
// free loopback port) and the intake as its own process; reads VmHWM from /proc.
import { InputError } from '../cli/errors.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { body, TEST_TOKEN_MAP, TEST_TOKENS as T, upload } from '../lab/intake/index.ts';
import { startPostgres } from '../lab/intake/pg-harness.ts';

const COC = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'coc.mjs');
const mb = (pid: number, key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const USAGE = `usage: coc bench intake-pg-mem

Starts the lab intake on a scratch PostgreSQL, sends 40 concurrent 8 MiB uploads with and
without the upload limit, and prints the intake's peak RSS for each. Asserts nothing.`;

async function main(argv: string[] = []): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { console.log(USAGE); return 0; }
  if (argv.length) throw new InputError(`unexpected argument "${argv[0]}"; expected no arguments (see --help)`);
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const cluster = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-mem-'));
  try {
    const tokens = join(dir, 'tokens.json');
    writeFileSync(tokens, JSON.stringify(TEST_TOKEN_MAP), { mode: 0o600 });
    const bodies = Array.from({ length: 40 }, () => body(8 * 1024 * 1024));
    for (const maxUploads of [64, 8]) {
      const db = `mem${maxUploads}`;
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      const proc = spawn(process.execPath, [COC, 'lab', 'intake', '--tokens', tokens, '--store', 'pg', '--pg-url', cluster.url.replace(/\/postgres$/, `/${db}`), '--max-uploads', String(maxUploads), '--access-log', 'off'], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const url = await new Promise<string>((resolve) => createInterface({ input: proc.stdout! }).once('line', (l) => resolve(l.split(' ').pop()!)));
        await upload(url, body(1000).bytes, { token: T.m1 }); // pool connected, code loaded
        const before = mb(proc.pid!, 'VmRSS');
        // A refused upload may see its connection closed while it is still sending (EPIPE):
        // the server drains a refused body for at most 2 s.
        const answers = await Promise.all(bodies.map((b, i) => upload(url, b.bytes, { token: [T.m1, T.m2, T.p1][i % 3] }).catch(() => ({ status: 'reset' }))));
        const peak = mb(proc.pid!, 'VmHWM');
        const codes: Record<string, number> = {};
        for (const a of answers) codes[a.status] = (codes[a.status] ?? 0) + 1;
        console.log(`--max-uploads ${maxUploads}: RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB) for 40 concurrent 8 MiB uploads; answers ${Object.entries(codes).map(([s, n]) => `${n} x ${s}`).join(', ')}`);
      } finally {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
    }
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

/** `coc bench …` (the dispatcher in bin/ is the entry point). */
export const run = main;
