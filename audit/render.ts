// Terminal and markdown renderings of an audit.
import { mdTable, table } from '../cli/table.ts';
import type { AuditResult } from './audit.ts';
import { figuresText } from './bill.ts';
import { COUNT_KEYS } from './types.ts';

const LABELS: Record<string, string> = {
  hostServers: 'Web/AP/other servers (hosts)', virtualServers: 'Virtual servers', dbServers: 'DB servers',
  storageDevices: 'Storage devices', networkDevices: 'Network devices', displays: 'Displays in IOC',
};

function sections(r: AuditResult) {
  const bill = r.lines.map((l) => [l.source, l.item, l.qty, l.kind === 'middleware' ? (l.product ?? '') : figuresText(l.perUnit), l.kind === 'middleware' ? '' : figuresText(l.total), l.specs ?? '']);
  const counts = COUNT_KEYS.map((k) => {
    const v = r.counting.verdicts.find((x) => x.key === k)!;
    return [LABELS[k]!, r.summary[k], r.published[k] ?? '—', r.published[k] === null ? 'n/a' : r.summary[k] === r.published[k] ? (v.oneRule ? 'yes' : 'yes, not one rule') : 'NO', v.explanation];
  });
  const rules = r.counting.rules.map((x) => [x.key, `${x.rule}${x.primary ? ' *' : ''}`, x.description, ...x.options.map((o) => `${o.count}${o.published === null ? '' : o.matches ? ' =' : ` ≠${o.published}`}`)]);
  const options = r.counting.rules[0]?.options.map((o) => o.option) ?? [];
  const checks = r.checks.map((c) => [c.status.toUpperCase(), c.id, c.requirement, c.evidence.join('\n')]);
  const uncovered = r.requirements.filter((q) => q.status === 'uncovered').map((q) => [q.id, q.ref, q.quote, q.gap ?? '']);
  return { bill, counts, rules, options, checks, uncovered };
}

function tally(r: AuditResult): string {
  const n = (s: string) => r.checks.filter((c) => c.status === s).length;
  return `${r.checks.length} checks: ${n('pass')} pass, ${n('warn')} warn, ${n('fail')} fail; ${r.uncovered.length} requirement(s) uncovered`;
}

export function renderTerminal(r: AuditResult): string {
  const s = sections(r);
  return [
    `${r.title} — ${r.optionTitle}`, '',
    'Bill of materials', table(['Source', 'Item', 'Qty', 'Per unit / product', 'Total', 'Specs'], s.bill, { widths: [14, 28, 5, 30, 26, 40] }), '',
    'Counts in the shape of Table 34 (* = rule used for the summary)', table(['Count', 'Bill', 'Table 34', 'Reproduced', 'How'], s.counts, { widths: [30, 6, 10, 12, 70] }),
    table(['Count', 'Rule', 'Description', ...s.options], s.rules), '',
    'Checks', table(['Status', 'Check', 'Requirement', 'Evidence'], s.checks, { widths: [8, 30, 22, 100] }), '',
    'Requirements no check covers', s.uncovered.length ? table(['Requirement', 'Reference', 'Quote', 'Why'], s.uncovered, { widths: [20, 22, 50, 50] }) : '(none)', '',
    tally(r),
  ].join('\n');
}

function md(head: string[], rows: unknown[][]): string {
  return mdTable(head, rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : typeof c === 'number' ? c : String(c)))), { newline: '<br>' });
}

export function renderMarkdown(r: AuditResult): string {
  const s = sections(r);
  return [
    `# Bill-of-materials audit: ${r.title}`, '', `${r.optionTitle}. ${tally(r)}.`, '',
    '## Bill of materials', '', md(['Source', 'Item', 'Qty', 'Per unit / product', 'Total', 'Specs'], s.bill), '',
    '## Counts in the shape of Table 34', '', md(['Count', 'Bill', 'Table 34', 'Reproduced', 'How'], s.counts), '',
    '### Counting rules (* = used for the summary)', '', md(['Count', 'Rule', 'Description', ...s.options], s.rules), '',
    '## Checks', '', md(['Status', 'Check', 'Requirement', 'Evidence'], s.checks), '',
    '## Requirements no check covers', '', s.uncovered.length ? md(['Requirement', 'Reference', 'Quote', 'Why'], s.uncovered) : '(none)', '',
  ].join('\n');
}
