// `npm run lab:intake -- [options]`: the lab GIRS intake as a process. The first line
// on stdout is `listening on http://HOST:PORT` so scripts can parse it.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choiceFlag, numberFlag, parseFlags } from '../../cli/args.ts';
import { CliError, runMain } from '../../cli/errors.ts';
import { FsStore } from './fs-store.ts';
import { DEFAULT_MAX_BYTES, startIntake } from './intake.ts';
import { parseMultiHostUrl } from './leader.ts';
import { generateTokens, TokenFileError, writeTokensFile } from './tokens.ts';

export { DEFAULT_MAX_BYTES, startIntake } from './intake.ts';
export type { IntakeOptions, RunningIntake } from './intake.ts';

const CMD = 'lab:intake';

const USAGE = `usage: npm run lab:intake -- [options]

serve:
  --tokens FILE        bearer tokens, YAML or JSON: token -> {agency, role} (required)
  --store fs|pg|hybrid report store (default fs); hybrid = bodies in --data-dir (shared
                       storage), metadata in PostgreSQL, leader found among several hosts
  --data-dir DIR       fs store directory, or the hybrid store's bodies (default .lab/intake)
  --pg-url URL         pg store connection, e.g. postgres://user@127.0.0.1:5432/girs; hybrid:
                       postgresql://user:pw@HOST1:PORT,HOST2:PORT,HOST3:PORT/girs?target_session_attrs=read-write
  --port N             TCP port, 0 = any free port (default 0)
  --host ADDR          listen address (default 127.0.0.1)
  --max-bytes N        largest report accepted (default ${DEFAULT_MAX_BYTES} = 32 MiB)

generate lab tokens and exit:
  --init-tokens FILE   write random tokens (mode 0600; refuses to overwrite)
  --agencies N         submitting agencies: ministries first, then provinces (default 93 = 30 + 63, Table 18)
  --examiners N        OOG examiners (default 2)

API: docs/intake-api.md`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, {
    tokens: { type: 'string' },
    store: { type: 'string' },
    'data-dir': { type: 'string' },
    'pg-url': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'max-bytes': { type: 'string' },
    'init-tokens': { type: 'string' },
    agencies: { type: 'string' },
    examiners: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, CMD);
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) throw new CliError(`coc ${CMD}: unexpected argument "${positionals[0]}"; options start with --`);

  if (v['init-tokens'] !== undefined) {
    const agencies = numberFlag(CMD, 'agencies', v.agencies, (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, 'an integer from 1 to 10000') ?? 93;
    const examiners = numberFlag(CMD, 'examiners', v.examiners, (n) => Number.isInteger(n) && n >= 0 && n <= 1000, 'an integer from 0 to 1000') ?? 2;
    try {
      await writeTokensFile(v['init-tokens'], generateTokens(agencies, examiners));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new CliError(`coc ${CMD}: --init-tokens ${v['init-tokens']}: ${code === 'EEXIST' ? 'file exists; choose a new name or delete it first' : (e as Error).message}`);
    }
    console.log(`wrote ${agencies} agency and ${examiners} examiner tokens to ${v['init-tokens']}`);
    return 0;
  }

  if (v.tokens === undefined) throw new CliError(`coc ${CMD}: --tokens FILE is required (create one with --init-tokens FILE)`);
  const store = choiceFlag(CMD, 'store', v.store, ['fs', 'pg', 'hybrid'] as const) ?? 'fs';
  const port = numberFlag(CMD, 'port', v.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer port from 0 to 65535') ?? 0;
  const maxBytes = numberFlag(CMD, 'max-bytes', v['max-bytes'], (n) => Number.isSafeInteger(n) && n >= 1, 'a positive integer number of bytes') ?? DEFAULT_MAX_BYTES;
  if (store === 'hybrid') {
    if (v['pg-url'] === undefined) throw new CliError(`coc ${CMD}: --store hybrid needs --pg-url postgresql://USER:PASSWORD@HOST1:PORT,HOST2:PORT/DB?target_session_attrs=read-write`);
    try { parseMultiHostUrl(v['pg-url']); } catch (e) { throw new CliError(`coc ${CMD}: --pg-url: ${(e as Error).message}`); }
  }
  if (store === 'pg' && v['pg-url'] === undefined) throw new CliError(`coc ${CMD}: --store pg needs --pg-url postgres://USER@HOST:PORT/DB`);
  if (store === 'fs' && v['pg-url'] !== undefined) throw new CliError(`coc ${CMD}: --pg-url applies only to --store pg`);
  if (store === 'pg' && v['data-dir'] !== undefined) throw new CliError(`coc ${CMD}: --data-dir applies only to --store fs`);

  let intake;
  try {
    intake = await startIntake({
      port, store, maxBytes,
      host: v.host ?? '127.0.0.1',
      dataDir: v['data-dir'] ?? '.lab/intake',
      ...(v['pg-url'] !== undefined ? { pgUrl: v['pg-url'] } : {}),
      tokens: v.tokens,
      log: (line) => console.error(line),
    });
  } catch (e) {
    if (e instanceof TokenFileError) throw new CliError(`coc ${CMD}: --tokens ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new CliError(`coc ${CMD}: cannot listen on ${v.host ?? '127.0.0.1'}:${port} (${code})`, 1);
    throw new CliError(`coc ${CMD}: cannot start the ${store} store: ${(e as Error).message}`, 1);
  }
  console.log(`listening on ${intake.url}`);
  if (intake.store instanceof FsStore) {
    const r = intake.store.recovery;
    console.log(`fs store: ${r.reports} reports; removed ${r.tempFilesRemoved} temp files and ${r.orphanBodiesRemoved} unacknowledged bodies; direct I/O ${intake.store.directIO ? 'on' : 'off (file system does not support O_DIRECT)'}`);
    for (const s of r.skipped) console.error(`skipped ${s}`);
  }

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130); // a second signal: do not wait any longer
      stopping = true;
      console.log(`${signal}: closing`);
      intake.close().then(done, (e: unknown) => { console.error(String(e)); done(); });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(resolve(arg)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) runMain(run);
