// `coc workloads render`: YAML out, flags checked, pattern drives replicas.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../cli/errors.ts';
import { k6FileNames } from '../k6/index.ts';
import { run } from './cli.ts';
import { validateAll } from './validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'coc-wl-'));
for (const p of [1, 2, 3] as const) writeFileSync(join(dir, k6FileNames(p).script), 'export default function () {}\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
});
afterEach(() => { vi.restoreAllMocks(); });

async function render(...flags: string[]): Promise<Record<string, any>[]> {
  out = '';
  expect(await run(['render', '--k6-dir', dir, ...flags])).toBe(0);
  const docs = parseAllDocuments(out);
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Record<string, any>).filter(Boolean);
}
const uploadReplicas = (objs: Record<string, any>[]) => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'girs-upload')!.spec.replicas;

describe('coc workloads render', () => {
  test('prints valid multi-document YAML with every kind, in a stable order', async () => {
    const objs = await render('--site', 'oog', '--option', '2', '--pattern', '2');
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of ['Deployment', 'Service', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'TestRun']) expect(kinds).toContain(k);
    expect(Object.keys(objs[0]!).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(objs[0]!.kind).toBe('Namespace');
    expect(validateAll(objs)).toEqual([]);
    const first = out;
    await render('--site', 'oog', '--option', '2', '--pattern', '2');
    expect(out).toBe(first);
  });

  test('--pattern 1 yields more upload-tier replicas than --pattern 2', async () => {
    const p1 = uploadReplicas(await render('--pattern', '1'));
    const p2 = uploadReplicas(await render('--pattern', '2'));
    expect(p1).toBeGreaterThan(p2);
    expect(p2).toBeGreaterThanOrEqual(2);
  });

  test('--stack reads the Pulumi stack file; option 1 has no VEDH/IOC namespaces', async () => {
    const objs = await render('--stack', 'oog-option1-p2');
    expect(objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(['girs', 'ops']);
  });

  test('--out writes the file atomically', async () => {
    const file = join(dir, 'tier.yaml');
    expect(await run(['render', '--k6-dir', dir, '--out', file])).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('kind: TestRun');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test.each([
    [['render', '--pattern', '4'], /--pattern: expected one of 1, 2, 3, got "4"/],
    [['render', '--option', 'two'], /--option: expected a number/],
    [['render', '--option', '7'], /no option "7"/],
    [['render', '--site', 'ccop'], /no GIRS/],
    [['render', '--colour'], /Unknown option '--colour'/],
    [['render', '--stack', 'nope'], /no stack file/],
    [['deploy'], /unknown subcommand "deploy"/],
  ])('bad input %j → InputError (exit 2)', async (argv, message) => {
    const err = await run(argv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as InputError).message).toMatch(message);
    expect(out).toBe('');
  });

  test('through npm run: bad flag exits 2 with a message', () => {
    const r = spawnSync(process.execPath, ['bin/coc.mjs', 'workloads', 'render', '--pattern', 'x'], { encoding: 'utf8', timeout: 150_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--pattern: expected one of 1, 2, 3/);
    expect(existsSync(join(dir, 'girs-px.js'))).toBe(false);
  });
});
