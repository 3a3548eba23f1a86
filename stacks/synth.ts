// Synthesis of every stack from the inventory: build the cdktf App, write
// cdktf.out/stacks/<stack>/cdk.tf.json atomically, and read the JSON back.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadInventory, siteView, type SiteView } from '../inventory/index.ts';
import { App } from './cdktf.ts';
import { SiteStack, STACKS, type StackSpec } from './site-stack.ts';

export const DEFAULT_OUTDIR = 'cdktf.out';

export type TfJson = Record<string, any>;

/** The inventory views of the stacks, by stack name (the input synthesis reads, and tests mutate). */
export function stackViews(specs: readonly StackSpec[] = STACKS): Map<string, SiteView> {
  const inv = loadInventory();
  return new Map(specs.map((s) => [s.stack, siteView(inv, s.site, s.option)]));
}

/** Build and synthesize into `outdir` (written directly; see synthAtomically for the CLI path). */
export function synthInto(views: Map<string, SiteView>, outdir: string): Map<string, TfJson> {
  const app = new App({ outdir, stackTraces: false, skipValidation: false });
  for (const [name, view] of views) new SiteStack(app, name, view);
  app.synth();
  return readStacks(outdir, [...views.keys()]);
}

export function stackFile(outdir: string, stack: string): string {
  return join(outdir, 'stacks', stack, 'cdk.tf.json');
}

export function readStacks(outdir: string, names: readonly string[]): Map<string, TfJson> {
  return new Map(names.map((n) => [n, JSON.parse(readFileSync(stackFile(outdir, n), 'utf8')) as TfJson]));
}

/**
 * Synthesize next to `outdir` and swap it in only when every stack succeeded, so a
 * failed run leaves the previous output intact and never a half-written one.
 */
export function synthAtomically(views: Map<string, SiteView>, outdir = DEFAULT_OUTDIR): Map<string, TfJson> {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    synthInto(views, tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
  return readStacks(target, [...views.keys()]);
}
