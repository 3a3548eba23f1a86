// Synthesis of every stack from the inventory: build the cdktf App, write
// cdktf.out/stacks/<stack>/cdk.tf.json atomically, and read the JSON back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceOutputFolder } from '../cli/write.ts';
import { DEFAULT_OUTDIR, stackFile } from './layout.ts';
import { loadInventory, siteView, type SiteView } from '../inventory/index.ts';
import { App } from './cdktf.ts';
import { SiteStack, STACKS, type StackSpec } from './site-stack.ts';

export { DEFAULT_OUTDIR, stackFile } from './layout.ts';

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

export function readStacks(outdir: string, names: readonly string[]): Map<string, TfJson> {
  return new Map(names.map((n) => [n, JSON.parse(readFileSync(stackFile(outdir, n), 'utf8')) as TfJson]));
}

/** A cdktf.out written before output folders were marked: only cdktf's own entries. */
export function isLegacySynthOutput(dir: string): boolean {
  const entries = readdirSync(dir);
  if (!entries.includes('manifest.json') || entries.some((e) => !['manifest.json', 'stacks'].includes(e))) return false;
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { stacks?: unknown };
    return typeof m.stacks === 'object' && m.stacks !== null && existsSync(join(dir, 'stacks'));
  } catch {
    return false;
  }
}

/**
 * Synthesize next to `outdir` and swap it in only when every stack succeeded, so a failed run
 * leaves the previous output intact and never a half-written one. Only a new or empty folder,
 * or one coc wrote, is replaced (cli/write.ts).
 */
export function synthAtomically(views: Map<string, SiteView>, outdir = DEFAULT_OUTDIR): Map<string, TfJson> {
  return replaceOutputFolder(outdir, 'synth', (tmp) => synthInto(views, tmp), { legacyOwn: isLegacySynthOutput });
}
