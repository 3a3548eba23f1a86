// Principals of the lab intake: submitting agencies (ministries, provinces) and OOG
// examiners, each known only by a bearer token read from a tokens file. Tokens are
// indexed by their SHA-256 so a lookup never compares secrets character by character.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { writeFileAtomic } from './durable.ts';

export type Role = 'agency' | 'examiner';
export interface Principal { agency: string; role: Role }

export const AGENCY_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const principalSchema = z.object({
  agency: z.string().regex(AGENCY_ID, 'lower-case letters, digits and "-", at most 64 characters'),
  role: z.enum(['agency', 'examiner']),
}).strict();

// Short tokens are guessable; 16 characters is the floor, generated ones are 43.
const tokensSchema = z.record(z.string(), principalSchema).superRefine((m, ctx) => {
  const keys = Object.keys(m);
  if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'the file lists no tokens' });
  keys.forEach((k, i) => {
    const where = `token #${i + 1} ("${k.slice(0, 4)}…")`;
    if (k.length < 16) ctx.addIssue({ code: 'custom', message: `${where}: tokens must be at least 16 characters` });
    else if (!/^[\x21-\x7e]+$/.test(k)) ctx.addIssue({ code: 'custom', message: `${where}: expected printable ASCII without spaces` });
  });
});

export type TokenMap = Record<string, Principal>;

export class TokenFileError extends Error {}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Looks principals up by token digest; built once at start-up. */
export class Principals {
  readonly #byDigest = new Map<string, Principal>();

  constructor(tokens: TokenMap) {
    const parsed = tokensSchema.safeParse(tokens);
    if (!parsed.success) throw new TokenFileError(describeIssues(parsed.error));
    for (const [token, p] of Object.entries(parsed.data)) this.#byDigest.set(digest(token), p);
  }

  get size(): number { return this.#byDigest.size; }

  lookup(token: string): Principal | undefined {
    return this.#byDigest.get(digest(token));
  }
}

function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

/** Reads a YAML or JSON tokens file (JSON is valid YAML, so one parser serves both). */
export async function loadTokensFile(file: string): Promise<Principals> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new TokenFileError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new TokenFileError(`${file}: not valid YAML or JSON (${(e as Error).message.split('\n')[0]})`);
  }
  try {
    return new Principals(data as TokenMap);
  } catch (e) {
    throw new TokenFileError(`${file}: expected a mapping token -> {agency, role}; ${(e as Error).message}`);
  }
}

/**
 * Lab principals shaped like Table 18: the first agencies are state ministries
 * (30 in the survey), the rest provinces (63); examiners belong to OOG.
 */
export function generateTokens(agencies: number, examiners: number, ministries = 30): TokenMap {
  const out: TokenMap = {};
  const token = () => randomBytes(32).toString('base64url');
  for (let i = 1; i <= agencies; i++) {
    const agency = i <= ministries ? `ministry-${String(i).padStart(2, '0')}` : `province-${String(i - ministries).padStart(2, '0')}`;
    out[token()] = { agency, role: 'agency' };
  }
  for (let i = 1; i <= examiners; i++) out[token()] = { agency: 'oog', role: 'examiner' };
  return out;
}

/** Writes a tokens file readable only by its owner; refuses to replace an existing one. */
export async function writeTokensFile(file: string, tokens: TokenMap): Promise<void> {
  const header = '# Lab intake bearer tokens (random, for rehearsals only): token -> {agency, role}\n';
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeFileAtomic(file, header + stringifyYaml(tokens), { mode: 0o600, exclusive: true });
}
