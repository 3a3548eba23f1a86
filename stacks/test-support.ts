// Test helpers: synthesize views into a throw-away directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SiteView } from '../inventory/index.ts';
import { stackViews, synthInto, type TfJson } from './synth.ts';

export interface Synthesized {
  dir: string;
  stacks: Map<string, TfJson>;
  cleanup(): void;
}

export function synthTemp(views: Map<string, SiteView> = stackViews()): Synthesized {
  const dir = mkdtempSync(join(tmpdir(), 'coc-synth-'));
  try {
    return { dir, stacks: synthInto(views, dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Synthesize one stack from a mutated copy of its inventory view. */
export function synthMutated(stack: string, mutate: (view: SiteView) => void): TfJson {
  const views = stackViews();
  const view = structuredClone(views.get(stack)!);
  mutate(view);
  const s = synthTemp(new Map([[stack, view]]));
  try {
    return s.stacks.get(stack)!;
  } finally {
    s.cleanup();
  }
}
