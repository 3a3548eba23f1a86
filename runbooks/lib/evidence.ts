// Evidence bundle: every drill leaves evidence.json + evidence.md (and optional
// attachments such as component logs) in one folder, written atomically.
import { resolve } from 'node:path';
import { prepareOutputFolder, writeInto } from '../../cli/write.ts';

export function defaultOutDir(drill: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return resolve('out', 'drills', `${drill}-${stamp}`);
}


export interface Bundle {
  dir: string;
  json: string;
  markdown: string;
}

/** Write the bundle into `dir`: a new or empty folder, or one coc wrote (cli/write.ts). */
export function writeEvidence(dir: string, data: unknown, markdown: string, attachments: Record<string, string> = {}): Bundle {
  const out = prepareOutputFolder(dir, 'drill');
  for (const [name, text] of Object.entries(attachments)) writeInto(out, `logs/${name}`, text);
  const json = writeInto(out, 'evidence.json', JSON.stringify(data, null, 2) + '\n');
  const md = writeInto(out, 'evidence.md', markdown);
  return { dir, json, markdown: md };
}

/** Markdown table from rows of cells (the one writer in cli/table.ts). */
export { mdTable } from '../../cli/table.ts';

/** Write the bundle, then print either the JSON result or the markdown and where the bundle is. */
export function publishEvidence(dir: string, data: unknown, markdown: string, json: boolean, attachments: Record<string, string> = {}): Bundle {
  const bundle = writeEvidence(dir, data, markdown, attachments);
  console.log(json ? JSON.stringify(data) : `${markdown}\nevidence: ${bundle.json}, ${bundle.markdown}`);
  return bundle;
}
