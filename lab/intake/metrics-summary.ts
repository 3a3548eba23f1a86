// The intake's side of a load run, from its /metrics text: what a drill records next to
// k6's client-side figures so the two views of one run can be compared. Works on the text
// of any intake (in-process: `intake.metrics.registry.metrics()`, remote: GET /metrics).

export interface IntakeRunSummary {
  /** Answers by status code, all routes. */
  answers: Record<string, number>;
  /** POST /reports answered 201. */
  uploadsCreated: number;
  reportsStored: number;
  receivedBytes: number;
  /** p50/p95 of POST /reports 201 durations, interpolated from the histogram buckets (seconds). */
  uploadSeconds: { p50: number | null; p95: number | null };
  /** p99 of each durability wait kind (seconds). */
  fsyncP99: Record<string, number | null>;
  storeErrors: Record<string, number>;
}

interface Sample { name: string; labels: Record<string, string>; value: number }

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Quantile from cumulative histogram buckets, linear within a bucket as Prometheus' histogram_quantile does. */
export function bucketQuantile(buckets: Array<{ le: number; count: number }>, q: number): number | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe; // in the +Inf bucket: the highest finite bound
      const inBucket = b.count - prevCount;
      return inBucket === 0 ? b.le : prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

export function summarizeIntakeMetrics(text: string): IntakeRunSummary {
  const samples = parse(text);
  const sum = (name: string, match: (l: Record<string, string>) => boolean = () => true) =>
    samples.filter((s) => s.name === name && match(s.labels)).reduce((a, s) => a + s.value, 0);
  const answers: Record<string, number> = {};
  for (const s of samples.filter((x) => x.name === 'girs_intake_http_requests_total')) {
    answers[s.labels.status!] = (answers[s.labels.status!] ?? 0) + s.value;
  }
  const buckets = (name: string, match: (l: Record<string, string>) => boolean) => {
    const byLe = new Map<number, number>();
    for (const s of samples.filter((x) => x.name === name && match(x.labels))) {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    }
    return [...byLe].map(([le, count]) => ({ le, count }));
  };
  const upload = buckets('girs_intake_http_request_duration_seconds_bucket', (l) => l.route === '/reports' && l.method === 'POST' && l.status === '201');
  const kinds = new Set(samples.filter((s) => s.name === 'girs_intake_fsync_duration_seconds_bucket').map((s) => s.labels.kind!));
  const storeErrors: Record<string, number> = {};
  for (const s of samples.filter((x) => x.name === 'girs_intake_store_errors_total')) {
    storeErrors[s.labels.kind!] = (storeErrors[s.labels.kind!] ?? 0) + s.value;
  }
  return {
    answers,
    uploadsCreated: sum('girs_intake_http_requests_total', (l) => l.route === '/reports' && l.method === 'POST' && l.status === '201'),
    reportsStored: sum('girs_intake_reports_stored_total'),
    receivedBytes: sum('girs_intake_received_bytes_total'),
    uploadSeconds: { p50: bucketQuantile(upload, 0.5), p95: bucketQuantile(upload, 0.95) },
    fsyncP99: Object.fromEntries([...kinds].map((k) => [k, bucketQuantile(buckets('girs_intake_fsync_duration_seconds_bucket', (l) => l.kind === k), 0.99)])),
    storeErrors,
  };
}
