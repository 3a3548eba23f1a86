// Parse YAML keeping source positions and validate it against a zod schema, so every
// error names file:line:col, the path, what was expected and what was found.
import { isAbsolute, relative } from 'node:path';
import { InputError } from '../cli/errors.ts';
import { controlCharProblem, decodeText, readRegularFile, type TextProblem } from '../cli/files.ts';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export interface InventoryIssue {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

export function formatIssue(i: InventoryIssue): string {
  return `${i.file}:${i.line}:${i.col} ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** Bad inventory content: an input error (exit 2) whose message lists every issue. */
export class InventoryError extends InputError {
  constructor(readonly issues: InventoryIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InventoryError';
  }
}

export type PathKey = string | number;

export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

/** A parsed YAML file that can answer "where is this path?". */
export class SourceFile {
  readonly doc: Document;
  private lines = new LineCounter();
  /** A problem found before parsing (NUL byte, invalid UTF-8): reported instead of the YAML's content. */
  private readonly textProblem: TextProblem | undefined;
  constructor(readonly file: string, text: string, problem?: TextProblem) {
    const found = problem ?? controlCharProblem(text);
    this.textProblem = found;
    this.doc = parseDocument(found ? '' : text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    if (found) this.lines = countLines(text);
  }

  /** Read a YAML file: regular files only, size-capped; unreadable paths are InputErrors. */
  static read(path: string): SourceFile {
    const name = displayPath(path);
    const { text, problem } = decodeText(readRegularFile(path, 'a YAML file'));
    return new SourceFile(name, text, problem);
  }

  syntaxIssues(): InventoryIssue[] {
    if (this.textProblem) {
      const { line, col } = this.lines.linePos(this.textProblem.offset);
      return [{ file: this.file, line, col, path: '', message: this.textProblem.message }];
    }
    return this.doc.errors.map((e) => {
      // linePos is only filled with prettyErrors; the offset is always there.
      const { line, col } = this.lines.linePos(e.pos[0]);
      return { file: this.file, line, col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
    });
  }

  /**
   * The document as plain data. The parser's own guards (alias count, unresolved alias) throw
   * ReferenceError from toJS; they become an issue at the first alias instead.
   */
  toJS(): { data?: unknown; issue?: InventoryIssue } {
    try {
      return { data: this.doc.toJS({ maxAliasCount: 100 }) };
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      const at = firstAlias(this.doc);
      const { line, col } = this.lines.linePos(at ?? 0);
      const what = /alias count/i.test(e.message)
        ? 'too many alias expansions (more than 100; a "billion laughs" document?); expected plain data with few aliases'
        : `${e.message.split('\n')[0]}; expected every alias (*name) to refer to an anchor (&name) defined before it`;
      return { issue: { file: this.file, line, col, path: '', message: `YAML: ${what}` } };
    }
  }

  /** Position of the node at `path`; `key` asks for the key of the last step (for unknown keys). */
  locate(path: readonly PathKey[], key = false): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let offset = offsetOf(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      const step = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) break;
        if (last && key) { offset = offsetOf(pair.key) ?? offset; break; }
        node = pair.value;
        offset = offsetOf(node) ?? offsetOf(pair.key) ?? offset;
      } else if (isSeq(node) && typeof step === 'number') {
        node = node.items[step];
        if (node === undefined) break;
        offset = offsetOf(node) ?? offset;
      } else break;
    }
    return this.lines.linePos(offset);
  }

  issue(path: readonly PathKey[], message: string, key = false): InventoryIssue {
    const { line, col } = this.locate(path, key);
    return { file: this.file, line, col, path: formatPath(path), message };
  }
}

/** Paths inside the working folder are shown relative to it, others in full. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function countLines(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

function firstAlias(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, { Alias(_, node) { at = node.range?.[0]; return visit.BREAK; } });
  return at;
}

function offsetOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}..."` : s;
}

const typeNames: Record<string, string> = {
  number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list',
  int: 'a whole number', null: 'null', literal: 'a fixed value',
};

/** Turns one zod issue into our message; schema messages are phrased as "what was expected". */
function expectation(issue: z.core.$ZodIssue): string {
  // Our schema's own messages name the expectation already ("a positive number").
  if (!/^(Invalid|Too (small|big)|Expected)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return typeNames[issue.expected] ?? `a ${issue.expected}`;
    case 'too_small': {
      if (issue.origin === 'number') return issue.minimum === 0 && !issue.inclusive ? 'a positive number' : `a number ≥ ${issue.minimum}`;
      if (issue.origin === 'array') return `a list of at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return issue.message.startsWith('Too small') ? `at least ${issue.minimum} characters` : issue.message;
      return issue.message;
    }
    case 'too_big':
      return issue.origin === 'number' ? `a number ≤ ${issue.maximum}` : `at most ${issue.maximum}`;
    case 'invalid_value':
      return issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `a ${issue.format}` : issue.message;
    case 'invalid_union':
      return 'one of the allowed forms (a number or a text)';
    default:
      return issue.message;
  }
}

/** Validate parsed data; returns typed data or issues with positions. */
export function validate<S extends z.ZodType>(src: SourceFile, schema: S): { data?: z.infer<S>; issues: InventoryIssue[] } {
  const syntax = src.syntaxIssues();
  if (syntax.length) return { issues: syntax };
  const { data: raw, issue } = src.toJS();
  if (issue) return { issues: [issue] };
  const res = schema.safeParse(raw, { reportInput: true });
  if (res.success) return { data: res.data, issues: [] };
  const issues: InventoryIssue[] = [];
  for (const issue of res.error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) issues.push(src.issue([...path, k], `unknown key "${k}"; remove it or check its spelling`, true));
      continue;
    }
    const input = (issue as { input?: unknown }).input;
    if (input === undefined && issue.code === 'invalid_type') {
      issues.push(src.issue(path, `missing required field; expected ${expectation(issue)}`));
      continue;
    }
    issues.push(src.issue(path, `expected ${expectation(issue)}, got ${describe(input)}`));
  }
  return { issues };
}
