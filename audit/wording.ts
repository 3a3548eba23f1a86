// Verdict and words must agree: a line that passes may not say that something does not
// fit, fails or falls short, and a failing check must say what failed. Used by the tests
// over every check of every site and option, so a new check cannot contradict itself.
import type { CheckResult, Status } from './types.ts';

/** Words that mean "this does not hold". */
const NEGATIVE = /does not fit|\bfails?\b|\bfailed\b|\bshort\b|no room|too many|\bexceeds?\b|\bexceeded\b|overloaded|\bunstable\b|not met|\bmissing\b|\bcannot\b|\bnot enough\b|\bover budget\b/i;
/** Verdict words a line may open with (the check's aspects, N+1 scenarios). */
const PREFIX: Record<string, Status> = { PASS: 'pass', HOLDS: 'pass', WARN: 'warn', FAIL: 'fail', SHORT: 'fail' };

export interface Contradiction { check: string; status: Status; line: string; why: string }

/** The status a line speaks for: its own verdict word, else the check's. */
export function lineStatus(line: string, status: Status): { status: Status; own: boolean } {
  const m = /^([A-Z]+)\b/.exec(line);
  const own = m ? PREFIX[m[1]!] : undefined;
  return own ? { status: own, own: true } : { status, own: false };
}

export function contradictions(c: CheckResult): Contradiction[] {
  const out: Contradiction[] = [];
  for (const line of c.evidence) {
    const l = lineStatus(line, c.status);
    if (l.status === 'pass' && NEGATIVE.test(line)) out.push({ check: c.id, status: c.status, line, why: `a passing line says "${NEGATIVE.exec(line)![0]}"` });
    if (c.status === 'pass' && l.own && l.status !== 'pass') out.push({ check: c.id, status: c.status, line, why: `a PASS check carries a ${l.status.toUpperCase()} line` });
  }
  if (c.status === 'fail' && !c.evidence.some((line) => lineStatus(line, c.status).status === 'fail' && (lineStatus(line, c.status).own || NEGATIVE.test(line)))) {
    out.push({ check: c.id, status: c.status, line: c.evidence.join(' | '), why: 'a FAIL check says nowhere what fails' });
  }
  return out;
}

/** The line that best says why a check is not a plain pass: its own verdict word, else a negative word, else the first. */
export function headline(c: CheckResult): string {
  const own = c.evidence.find((e) => { const l = lineStatus(e, c.status); return l.own && l.status !== 'pass'; });
  return own ?? c.evidence.find((e) => NEGATIVE.test(e) || /≠|\bno\b|\bnot\b|outside the bill/i.test(e)) ?? c.evidence[0] ?? '';
}
