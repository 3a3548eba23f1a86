// What-if values at the edges of their ranges: refused with exit 2 and the flag (CLI) or
// the setting key (Pulumi), or accepted with finite figures, never a hang. Each range
// comes from the one overrides schema (sizing/overrides.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from './cli.ts';
import { loadSizingData } from './data.ts';
import { computePattern } from './model.ts';
import { erlangC, mmc, serversFor } from './queue.ts';
import { OVERRIDE_KEYS, OVERRIDES, type Overrides } from './overrides.ts';
import { toJson } from './json.ts';
import { parseSettings } from '../workloads/settings.ts';
import { sizeWorkloads } from '../workloads/sizing-link.ts';

const data = loadSizingData();

/** Every number anywhere in a JSON value is finite (JSON.stringify would print Infinity/NaN as null). */
function nonFinite(v: unknown, path = ''): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [`${path} = ${v}`];
  if (Array.isArray(v)) return v.flatMap((x, i) => nonFinite(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonFinite(x, `${path}.${k}`));
  return [];
}

// The hostile values of the robustness review, each through the real entry point.
const REFUSED: [string, string][] = [
  ['peak-days', '1e-9'], ['per-core-rps', '1e-9'], ['target-utilisation', '1e-300'],
  ['reports-per-year', '1e18'], ['report-size-mb', '1e308'], ['protocol-overhead', '1e308'],
  ['peak-days', '0x10'], ['peak-days', '0b10'], ['peak-days', '0o20'], ['peak-days', ''], ['peak-days', ' 1'],
  ['peak-days', '1e'], ['peak-days', 'Infinity'], ['peak-days', 'NaN'], ['peak-days', '1_000'], ['peak-days', '12O'],
  ['target-utilisation', '1'], ['target-utilisation', '0'], ['peak-hour-share', '0.01'], ['reports-per-year', '-1'],
  ['client-upload-mbps', '0'],
];

describe('what-if ranges through the CLI', () => {
  it.each(REFUSED)('--%s %j is refused naming the flag and its range', async (flag, value) => {
    const key = OVERRIDE_KEYS.find((k) => OVERRIDES[k].flag === flag)!;
    await expect(run(['--pattern', '1', '--json', `--${flag}=${value}`]))
      .rejects.toThrow(`--${flag}: expected ${OVERRIDES[key].expected}, got "${value}"`);
  });

  it('exits 2 with one line on stderr and nothing on stdout (the dispatcher, a real process)', () => {
    for (const [flag, value] of [['peak-days', '0x10'], ['target-utilisation', '1e-300'], ['report-size-mb', '1e308']]) {
      const r = spawnSync(process.execPath, ['bin/coc.mjs', 'sizing', '--pattern', '1', '--json', `--${flag}`, value!], { encoding: 'utf8', timeout: 150_000 });
      expect(r.status, `${flag} ${value}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^coc sizing: --${flag}: expected .*, got "${value}"$`))]);
    }
  });

  it('plain decimal forms are accepted: 120, 120.0, +120, 1.2e2, .5', async () => {
    for (const v of ['120', '120.0', '+120', '1.2e2', '1.2E+2']) {
      const { reportsPerDay } = computePattern(data, 1, { peakDays: 120 }).figures;
      const lines: string[] = [];
      const log = console.log;
      console.log = (s: string) => lines.push(s);
      try { expect(await run(['--pattern', '1', '--json', '--peak-days', v])).toBe(0); } finally { console.log = log; }
      expect(JSON.parse(lines.join('\n')).figures.reportsPerDay).toBe(reportsPerDay);
    }
    const log = console.log;
    console.log = () => {};
    try { await expect(run(['--pattern', '1', '--json', '--peak-hour-share', '.5'])).resolves.toBe(0); } finally { console.log = log; }
  });

  it('--help lists every flag with its range', async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    try { await run(['--help']); } finally { console.log = log; }
    for (const k of OVERRIDE_KEYS) {
      expect(lines.join('\n')).toContain(`--${OVERRIDES[k].flag} N`);
      expect(lines.join('\n')).toContain(`range: ${OVERRIDES[k].expected}`);
    }
  });
});

describe('every accepted value gives finite figures', () => {
  // The corners of the ranges that drive λ up and μ down are where the queueing grows.
  const corners: Overrides[] = [];
  for (const reportsPerYear of [OVERRIDES.reportsPerYear.min, OVERRIDES.reportsPerYear.max]) {
    for (const peakDays of [OVERRIDES.peakDays.min, OVERRIDES.peakDays.max]) {
      for (const perCoreReportsPerSecond of [OVERRIDES.perCoreReportsPerSecond.min, OVERRIDES.perCoreReportsPerSecond.max]) {
        for (const targetUtilisation of [OVERRIDES.targetUtilisation.min, OVERRIDES.targetUtilisation.max]) {
          corners.push({
            reportsPerYear, peakDays, perCoreReportsPerSecond, targetUtilisation,
            peakHourShare: 1, reportSizeMB: OVERRIDES.reportSizeMB.max, protocolOverhead: OVERRIDES.protocolOverhead.max, clientUploadMbps: OVERRIDES.clientUploadMbps.min,
          });
        }
      }
    }
  }
  corners.push(Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, OVERRIDES[k].min])) as Overrides);
  corners.push(Object.fromEntries(OVERRIDE_KEYS.map((k) => [k, OVERRIDES[k].max])) as Overrides);

  it.each(corners.map((c, i) => [i, c] as const))('corner %i of the ranges', (_, o) => {
    for (const p of [1, 2, 3] as const) {
      const json = toJson(computePattern(data, p, o)) as { capacity: { options: { storage: { monthsUntilFull: number | null } }[] } };
      // monthsUntilFull is null only when nothing grows (0 reports a year and no data platform): "never".
      const withoutNever = JSON.parse(JSON.stringify(json, (k, v) => (k === 'monthsUntilFull' && v === null ? 0 : v)));
      expect(nonFinite(withoutNever)).toEqual([]);
      expect(JSON.stringify(json)).not.toContain('null,"utilisation"');
    }
  });

  it('--protocol-overhead at its maximum still prints a number for networkMbps', () => {
    const r = computePattern(data, 1, { protocolOverhead: OVERRIDES.protocolOverhead.max });
    expect(Number.isFinite(r.figures.networkMbps)).toBe(true);
    expect(r.figures.networkMbps).toBeCloseTo(1707.5 * 10, 0);
  });
});

describe('bounded queueing arithmetic', () => {
  /** The unbounded recursion the model used before, as the reference. */
  function erlangCForward(c: number, a: number): number {
    if (a >= c) return 1;
    let b = 1;
    for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
    return b / (1 - a / c + (a / c) * b);
  }

  it('Erlang C agrees with the full recursion where that one is cheap', () => {
    for (const [c, a] of [[5, 4.9], [1700, 1600], [2100, 2000], [5000, 4900], [20000, 19500], [60000, 20000], [3000, 2999.5]] as const) {
      expect(erlangC(c, a)).toBeCloseTo(erlangCForward(c, a), 12);
    }
  });

  it('beyond 10^8 Erlangs the heavy-traffic (Halfin–Whitt) limit answers, close to the exact value', () => {
    // Exact (bounded recursion) just below the switch, the limit just above it, at the same β.
    for (const beta of [0.5, 1, 2]) {
      const exact = erlangC(Math.ceil(1e8 + beta * 1e4), 1e8);
      const limit = erlangC(Math.ceil(1.0001e8 + beta * Math.sqrt(1.0001e8)), 1.0001e8);
      expect(Math.abs(exact - limit), `β ${beta}`).toBeLessThan(2e-3);
    }
    // A hostile demand.yaml (10^20 reports a second) still gets an answer.
    expect(erlangC(1e20 + 1e12, 1e20)).toBe(0); // β = 100
    expect(erlangC(1e20 + 1e10, 1e20)).toBeCloseTo(0.2234, 3); // β = 1
  });

  it('millions of servers are answered at once, with a finite wait', () => {
    // λ 277,778/s (10^9 reports on one day in one hour) at 0.01 reports/s per core, 5 % busy.
    const mu = 0.01;
    const lambda = 1e9 / 3600;
    const c = serversFor(lambda, mu, 0.05);
    expect(c).toBe(Math.ceil(lambda / (mu * 0.05) - 1e-9));
    const q = mmc(lambda, mu, c);
    expect(q.stable).toBe(true);
    expect(q.probabilityOfWaiting).toBe(0);
    expect(Number.isFinite(q.meanWaitSeconds)).toBe(true);
    // Near saturation the wait is real and finite.
    const near = mmc(1e6, 1, 1e6 + 2000);
    expect(near.probabilityOfWaiting).toBeGreaterThan(0);
    expect(near.probabilityOfWaiting).toBeLessThan(1);
  });
});

describe('the same ranges through the Pulumi settings', () => {
  it.each([
    ['targetUtilisation', 1], ['targetUtilisation', 1e-300], ['targetUtilisation', '0x10'],
    ['perCoreReportsPerSecond', 1e-9], ['perCoreReportsPerSecond', 1e308], ['perCoreReportsPerSecond', 'Infinity'],
  ] as const)('coc:%s %j is refused naming the setting key and the range', (key, value) => {
    expect(() => parseSettings({ [key]: value }, 'Pulumi.x.yaml')).toThrow(`Pulumi.x.yaml: coc:${key}: expected ${OVERRIDES[key].expected}, got ${JSON.stringify(value)}`);
  });

  it('pod cores are bounded too, so the replica count stays computable', () => {
    expect(() => parseSettings({ uploadPodCores: 1e-9 }, 'x')).toThrow('x: coc:uploadPodCores: a number of cores from 0.1 to 64');
  });

  it('a stack at the edges of the ranges sizes finite tiers', () => {
    const s = sizeWorkloads(parseSettings({ pattern: 1, targetUtilisation: 0.05, perCoreReportsPerSecond: 0.01, uploadPodCores: 0.1, apiPodCores: 0.1 }, 'test'), 'oog', 'option2');
    expect(nonFinite(s)).toEqual([]);
    expect(s.upload.replicas).toBeGreaterThan(1000);
  });
});

describe('docs/sizing.md', () => {
  it('documents each flag with the range the schema enforces', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../docs/sizing.md', import.meta.url), 'utf8');
    for (const k of OVERRIDE_KEYS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`--${OVERRIDES[k].flag} `));
      expect(row, OVERRIDES[k].flag).toBeDefined();
      expect(row!.trim().endsWith(`| ${OVERRIDES[k].expected} |`), row).toBe(true);
    }
  });
});
