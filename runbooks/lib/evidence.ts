// Evidence bundle: every drill leaves evidence.json + evidence.md (and optional
// attachments such as component logs) in one folder, written atomically.
import { mkdirSync } from 'node:fs';
import { writeFileAtomicSync } from '../../cli/write.ts';
import { join, resolve } from 'node:path';

export function defaultOutDir(drill: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return resolve('out', 'drills', `${drill}-${stamp}`);
}


export interface Bundle {
  dir: string;
  json: string;
  markdown: string;
}

export function writeEvidence(dir: string, data: unknown, markdown: string, attachments: Record<string, string> = {}): Bundle {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(attachments)) {
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileAtomicSync(join(dir, 'logs', name), text);
  }
  const json = join(dir, 'evidence.json');
  const md = join(dir, 'evidence.md');
  writeFileAtomicSync(json, JSON.stringify(data, null, 2) + '\n');
  writeFileAtomicSync(md, markdown);
  return { dir, json, markdown: md };
}

/** Markdown table from rows of cells. */
export function mdTable(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Write the bundle, then print either the JSON result or the markdown and where the bundle is. */
export function publishEvidence(dir: string, data: unknown, markdown: string, json: boolean, attachments: Record<string, string> = {}): Bundle {
  const bundle = writeEvidence(dir, data, markdown, attachments);
  console.log(json ? JSON.stringify(data) : `${markdown}\nevidence: ${bundle.json}, ${bundle.markdown}`);
  return bundle;
}
