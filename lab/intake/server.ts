// `npm run lab:intake -- [options]`: the lab GIRS intake as a process. The first line
// on stdout is `listening on http://HOST:PORT` so scripts can parse it.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { choiceFlag, numberFlag, parseFlags } from '../../cli/args.ts';
import { InputError } from '../../cli/errors.ts';
import { FsStore } from './fs-store.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_UPLOADS, startIntake } from './intake.ts';
import { checkNewFile, checkReadableFile, PathError } from './paths.ts';
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
  --max-uploads N      uploads received at once, more get 503 + Retry-After
                       (default ${DEFAULT_MAX_UPLOADS.fs} fs, ${DEFAULT_MAX_UPLOADS.pg} pg: the pg store holds bodies in memory)
  --access-log stdout|stderr|off   one JSON line per request (default stdout)
  --metrics on|off     Prometheus metrics at GET /metrics (default on)
  --scrub-hours H      re-hash every stored body every H hours (0.01-8760; default off)

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
    'max-uploads': { type: 'string' },
    'access-log': { type: 'string' },
    metrics: { type: 'string' },
    'scrub-hours': { type: 'string' },
    'init-tokens': { type: 'string' },
    agencies: { type: 'string' },
    examiners: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, CMD);
  if (v.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; options start with --`);

  if (v['init-tokens'] !== undefined) {
    const agencies = numberFlag(CMD, 'agencies', v.agencies, (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, 'an integer from 1 to 10000') ?? 93;
    const examiners = numberFlag(CMD, 'examiners', v.examiners, (n) => Number.isInteger(n) && n >= 0 && n <= 1000, 'an integer from 0 to 1000') ?? 2;
    try {
      await checkNewFile('--init-tokens', v['init-tokens']);
      await writeTokensFile(v['init-tokens'], generateTokens(agencies, examiners));
    } catch (e) {
      if (e instanceof PathError) throw new InputError(e.message);
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`--init-tokens ${v['init-tokens']}: ${code === 'EEXIST' ? 'file exists; choose a new name or delete it first' : (e as Error).message}`);
    }
    console.log(`wrote ${agencies} agency and ${examiners} examiner tokens to ${v['init-tokens']}`);
    return 0;
  }

  if (v.tokens === undefined) throw new InputError(`--tokens FILE is required (create one with --init-tokens FILE)`);
  const store = choiceFlag(CMD, 'store', v.store, ['fs', 'pg', 'hybrid'] as const) ?? 'fs';
  const port = numberFlag(CMD, 'port', v.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer port from 0 to 65535') ?? 0;
  const maxBytes = numberFlag(CMD, 'max-bytes', v['max-bytes'], (n) => Number.isSafeInteger(n) && n >= 1, 'a positive integer number of bytes') ?? DEFAULT_MAX_BYTES;
  if (store === 'hybrid') {
    if (v['pg-url'] === undefined) throw new InputError(`--store hybrid needs --pg-url postgresql://USER:PASSWORD@HOST1:PORT,HOST2:PORT/DB?target_session_attrs=read-write`);
    try { parseMultiHostUrl(v['pg-url']); } catch (e) { throw new InputError(`--pg-url: ${(e as Error).message}`); }
  }
  if (store === 'pg' && v['pg-url'] === undefined) throw new InputError(`--store pg needs --pg-url postgres://USER@HOST:PORT/DB`);
  if (store === 'fs' && v['pg-url'] !== undefined) throw new InputError(`--pg-url applies only to --store pg`);
  if (store === 'pg' && v['data-dir'] !== undefined) throw new InputError(`--data-dir applies only to --store fs`);
  const maxUploads = numberFlag(CMD, 'max-uploads', v['max-uploads'], (n) => Number.isInteger(n) && n >= 1 && n <= 10_000, 'an integer from 1 to 10000') ?? DEFAULT_MAX_UPLOADS[store];
  const accessLogTo = choiceFlag(CMD, 'access-log', v['access-log'], ['stdout', 'stderr', 'off'] as const) ?? 'stdout';
  const metrics = (choiceFlag(CMD, 'metrics', v.metrics, ['on', 'off'] as const) ?? 'on') === 'on';
  const scrubHours = numberFlag(CMD, 'scrub-hours', v['scrub-hours'], (n) => n >= 0.01 && n <= 8760, 'hours from 0.01 to 8760');
  if (v['pg-url'] !== undefined) checkPgUrl(v['pg-url']);
  const host = v.host ?? '127.0.0.1';
  await checkHost(host);
  try {
    await checkReadableFile('--tokens', v.tokens, 16 * 1024 * 1024);
  } catch (e) {
    if (e instanceof PathError) throw new InputError(e.message);
    throw e;
  }

  let intake;
  try {
    intake = await startIntake({
      port, store, maxBytes, maxUploads, host, metrics,
      dataDir: v['data-dir'] ?? '.lab/intake',
      ...(v['pg-url'] !== undefined ? { pgUrl: v['pg-url'] } : {}),
      tokens: v.tokens,
      log: (line) => console.error(line),
      ...(accessLogTo === 'off' ? {} : { accessLog: accessLogTo === 'stdout' ? (line: string) => process.stdout.write(`${line}\n`) : (line: string) => process.stderr.write(`${line}\n`) }),
    });
  } catch (e) {
    if (e instanceof TokenFileError) throw new InputError(`--tokens ${e.message}`);
    if (e instanceof PathError) throw new InputError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new InputError(`cannot listen on ${v.host ?? '127.0.0.1'}:${port} (${code})`, 1);
    // The environment, not the input (database down, disk): exit 1, still one line.
    throw new InputError(`cannot start the ${store} store: ${store === 'pg' ? redact((e as Error).message) : (e as Error).message}`, 1);
  }
  console.log(`listening on ${intake.url}`);
  if (intake.store instanceof FsStore) {
    const r = intake.store.recovery;
    console.log(`fs store: ${r.reports} reports; removed ${r.tempFilesRemoved} temp files and ${r.orphanBodiesRemoved} unacknowledged bodies; direct I/O ${intake.store.directIO ? 'on' : 'off (file system does not support O_DIRECT)'}`);
    for (const s of r.skipped) console.error(`skipped ${s}`);
  }

  if (scrubHours !== undefined) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return; // a scrub longer than the interval: skip, do not pile up
      running = true;
      const t0 = Date.now();
      intake.scrub().then(
        (r) => console.error(`scrub: ${r.checked} reports, ${(r.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${r.corrupt.length} corrupt${r.corrupt.length ? `: ${r.corrupt.map((c) => c.id).join(', ')}` : ''}`),
        (e: unknown) => console.error(`scrub failed: ${(e as Error).message}`),
      ).finally(() => { running = false; });
    }, scrubHours * 3_600_000);
    timer.unref();
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

/** A connection URL pg can use; the value is not echoed, since it may carry a password. */
function checkPgUrl(raw: string): void {
  const expected = 'expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new InputError(`--pg-url: not a URL; ${expected}`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new InputError(`--pg-url: scheme "${u.protocol.replace(/:$/, '')}"; ${expected}`);
  if (u.hostname === '' && !u.searchParams.has('host')) throw new InputError(`--pg-url: no host; ${expected}`);
  try {
    decodeURIComponent(u.pathname);
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
  } catch {
    throw new InputError(`--pg-url: bad percent-encoding; ${expected}`);
  }
}

/** The listen address must be an IP address or a name that resolves. */
async function checkHost(host: string): Promise<void> {
  if (isIP(host)) return;
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(host)) throw new InputError(`--host "${host.slice(0, 80)}": expected an IP address or a host name`);
  try {
    await lookup(host);
  } catch (e) {
    throw new InputError(`--host ${host}: cannot be resolved (${(e as NodeJS.ErrnoException).code ?? 'lookup failed'}); expected an IP address or a resolvable host name such as 127.0.0.1 or localhost`);
  }
}

function redact(message: string): string {
  return message.replace(/(postgres(?:ql)?:\/\/[^:@/\s]*:)[^@\s]*@/g, '$1***@');
}
