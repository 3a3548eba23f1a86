// The run's verdict as files CI reads: JUnit XML (one test case per target and per k6
// threshold, a <failure> for each one missed) and a JSON summary. A run that could not
// be judged (k6 missing, killed, or unable to start its VUs) is a failure here, never an
// empty pass.
import type { Check, Outcome, ThresholdResult } from './results.ts';

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export interface Verdict {
  suite: string;
  seconds: number;
  outcome: Outcome | null;
  thresholds: ThresholdResult[];
  /** Why there is no outcome (or why the run failed outside the checks). */
  failure?: string;
}

interface Case { classname: string; name: string; failure?: { message: string; text: string } }

export function junitCases(v: Verdict): Case[] {
  const cases: Case[] = [];
  if (v.failure) cases.push({ classname: 'girs.load', name: 'k6 run', failure: { message: v.failure, text: v.failure } });
  for (const c of v.outcome?.checks ?? []) {
    cases.push({ classname: 'girs.load', name: c.name, ...(c.ok ? {} : { failure: { message: `${c.name}: wanted ${c.target}, got ${c.achieved}`, text: `${c.name}: wanted ${c.target}, got ${c.achieved}` } }) });
  }
  for (const t of v.thresholds) {
    cases.push({ classname: 'k6.thresholds', name: `${t.metric} ${t.expression}`, ...(t.ok ? {} : { failure: { message: `threshold ${t.expression} crossed`, text: `${t.metric} ${t.expression}` } }) });
  }
  if (cases.length === 0) cases.push({ classname: 'girs.load', name: 'k6 run', failure: { message: 'nothing was measured', text: 'no summary and no checks' } });
  return cases;
}

export function junitXml(v: Verdict): string {
  const cases = junitCases(v);
  const failures = cases.filter((c) => c.failure).length;
  const secs = v.seconds.toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(v.suite)}" tests="${cases.length}" failures="${failures}" time="${secs}">`,
    `  <testsuite name="${xmlEscape(v.suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${secs}">`,
  ];
  for (const c of cases) {
    const attrs = `classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}"`;
    if (!c.failure) lines.push(`    <testcase ${attrs}/>`);
    else {
      lines.push(`    <testcase ${attrs}>`);
      lines.push(`      <failure message="${xmlEscape(c.failure.message)}" type="target">${xmlEscape(c.failure.text)}</failure>`);
      lines.push('    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** Short lines for people, after k6's own end-of-test summary. */
export function checkLines(checks: readonly Check[]): string[] {
  return checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.achieved} (wanted ${c.target})`);
}
