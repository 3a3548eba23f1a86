import { describe, expect, it } from 'vitest';
import { mergeMetrics, segmentArgs } from './k6-run.ts';

describe('splitting a test over k6 runners', () => {
  it('gives runner i of n the segment k6-operator gives it', () => {
    expect(segmentArgs(0, 1)).toEqual([]);
    expect(segmentArgs(0, 2)).toEqual(['--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1']);
    expect(segmentArgs(2, 3)).toEqual(['--execution-segment', '2/3:1', '--execution-segment-sequence', '0,1/3,2/3,1']);
  });

  it('sums counters, recomputes rates from passes and fails, keeps the worst percentile', () => {
    const m = mergeMetrics([
      { girs_reports_accepted: { count: 10, rate: 2 }, http_req_failed: { passes: 1, fails: 9, rate: 0.1 }, 'http_req_duration{op:upload,expected_response:true}': { 'p(95)': 300, max: 400, min: 5 } },
      { girs_reports_accepted: { count: 12, rate: 2.4 }, http_req_failed: { passes: 0, fails: 10, rate: 0 }, 'http_req_duration{op:upload,expected_response:true}': { 'p(95)': 500, max: 450, min: 3 } },
    ]);
    expect(m.girs_reports_accepted!.count).toBe(22);
    expect(m.http_req_failed!.rate).toBeCloseTo(1 / 20, 9);
    expect(m['http_req_duration{op:upload,expected_response:true}']).toEqual({ 'p(95)': 500, max: 450, min: 3 });
  });
});
