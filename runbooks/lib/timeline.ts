// The peak-failover drill's picture: submissions answered per second (accepted vs failed)
// with the leader kill and the new leader marked, rendered offline to SVG by the same
// Vega-Lite path as the audit report, in a self-contained HTML page (no script, no URL).
import type { TopLevelSpec } from 'vega-lite';
import { toSvg } from '../../audit/charts.ts';

export interface Outcome {
  /** When the answer was sent (ms since the epoch). */
  at: number;
  ok: boolean;
}

export interface TimelineBucket { second: number; accepted: number; failed: number }
export interface Marker { label: string; second: number }

/** Answers per whole second since `t0`; every second up to the last answer appears, empty ones too. */
export function perSecond(outcomes: readonly Outcome[], t0: number): TimelineBucket[] {
  const last = outcomes.reduce((m, o) => Math.max(m, Math.floor((o.at - t0) / 1000)), -1);
  const buckets = Array.from({ length: last + 1 }, (_, second) => ({ second, accepted: 0, failed: 0 }));
  for (const o of outcomes) {
    const s = Math.floor((o.at - t0) / 1000);
    if (s < 0) continue;
    if (o.ok) buckets[s]!.accepted++;
    else buckets[s]!.failed++;
  }
  return buckets;
}

const COLOURS = { accepted: '#1a9850', failed: '#d73027' } as const;

export function timelineSpec(title: string, buckets: readonly TimelineBucket[], markers: readonly Marker[]): TopLevelSpec {
  const values = buckets.flatMap((b) => [
    { second: b.second, outcome: 'accepted', n: b.accepted },
    { second: b.second, outcome: 'failed (503 / no answer)', n: b.failed },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { font: 'system-ui, sans-serif', view: { stroke: null } },
    width: 760, height: 240, title,
    layer: [
      {
        data: { values }, mark: { type: 'bar' },
        encoding: {
          x: { field: 'second', type: 'quantitative', title: 'seconds since the load started', bin: { step: 1 }, axis: { tickMinStep: 1 } },
          y: { field: 'n', type: 'quantitative', title: 'submissions answered', stack: true },
          color: { field: 'outcome', type: 'nominal', title: null, legend: { orient: 'bottom' }, scale: { domain: ['accepted', 'failed (503 / no answer)'], range: [COLOURS.accepted, COLOURS.failed] } },
        },
      },
      {
        data: { values: markers.map((m) => ({ ...m })) }, mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { x: { field: 'second', type: 'quantitative' }, color: { value: '#333' } },
      },
      // One label layer per marker, each a line lower, so close markers do not overlap.
      ...markers.map((m, i) => ({
        data: { values: [{ ...m }] }, mark: { type: 'text' as const, align: 'left' as const, dx: 4, dy: 14 * i, baseline: 'top' as const, fontWeight: 'bold' as const },
        encoding: { x: { field: 'second', type: 'quantitative' as const }, y: { value: 4 }, text: { field: 'label' }, color: { value: '#333' } },
      })),
    ],
  } as TopLevelSpec;
}

const esc = (s: unknown) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface TimelineFigure { id: string; title: string; caption: string; buckets: TimelineBucket[]; markers: Marker[] }

export async function timelineHtml(heading: string, summary: string, figures: readonly TimelineFigure[]): Promise<string> {
  const parts: string[] = [];
  for (const f of figures) {
    const svg = await toSvg(timelineSpec(f.title, f.buckets, f.markers));
    parts.push(`<figure class="chart" data-chart="${esc(f.id)}">${svg}<figcaption>${esc(f.caption)}</figcaption></figure>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222}figure.chart{border:1px solid #ddd;border-radius:6px;margin:0 0 16px;padding:12px;max-width:900px}figcaption{color:#555}</style></head>
<body><h1>${esc(heading)}</h1><p>${esc(summary)}</p>
${parts.join('\n') || '<p>No run produced a timeline.</p>'}
</body></html>
`;
}
