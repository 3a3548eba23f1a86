// Aligned terminal tables (cli-table3) in one house style, and the one Markdown table writer.
// Colour only on a terminal and never with NO_COLOR (https://no-color.org) or TERM=dumb, so
// piped output and tests stay plain text.
import Table from 'cli-table3';

export type Cell = string | number | null | undefined;

/** Whether to colour output written to `stream`. */
export function useColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function table(head: string[], rows: Cell[][], opts: { align?: ('left' | 'right' | 'center')[]; widths?: number[] } = {}): string {
  const color = useColor();
  const t = new Table({
    head,
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [], compact: true },
    ...(opts.align ? { colAligns: opts.align } : {}),
    ...(opts.widths ? { colWidths: opts.widths, wordWrap: true } : {}),
  });
  for (const r of rows) t.push(r.map((c) => (c === null || c === undefined ? '' : c)));
  return t.toString();
}

/** A Markdown (GFM) table; `|` inside a cell is escaped, so a cell never breaks the row. */
export function mdTable(head: string[], rows: Cell[][], opts: { align?: ('left' | 'right')[]; newline?: string } = {}): string {
  const { align, newline = ' ' } = opts;
  // An already escaped pipe (\|) stays as it is.
  const cell = (c: Cell) => (c === null || c === undefined ? '' : String(c)).replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, newline);
  const line = (cells: Cell[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = head.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [line(head), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}
