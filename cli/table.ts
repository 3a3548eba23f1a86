// Aligned terminal tables (cli-table3) in one house style: no row rules, no colour when
// the output is not a terminal, so piped output and tests stay plain text.
import Table from 'cli-table3';

export type Cell = string | number | null | undefined;

export function table(head: string[], rows: Cell[][], opts: { align?: ('left' | 'right' | 'center')[]; widths?: number[] } = {}): string {
  const t = new Table({
    head,
    style: { head: process.stdout.isTTY ? ['bold'] : [], border: process.stdout.isTTY ? ['grey'] : [], compact: true },
    ...(opts.align ? { colAligns: opts.align } : {}),
    ...(opts.widths ? { colWidths: opts.widths, wordWrap: true } : {}),
  });
  for (const r of rows) t.push(r.map((c) => (c === null || c === undefined ? '' : c)));
  return t.toString();
}
