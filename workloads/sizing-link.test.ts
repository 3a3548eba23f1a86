// The upload/API tiers follow the sizing model: formulas checked against the model's own
// figures, and a heavier pattern yields more replicas.
import { describe, expect, test } from 'vitest';
import { girsTargets, serversFor, sizePattern } from '../sizing/index.ts';
import { parseSettings } from './settings.ts';
import { MIN_HA_REPLICAS, sizeWorkloads } from './sizing-link.ts';

const size = (raw: Record<string, unknown>) => sizeWorkloads(parseSettings(raw, 'test'), 'oog', 'option2');

describe('sizeWorkloads', () => {
  test('Pattern 1 needs more upload and API replicas than Pattern 2', () => {
    const p1 = size({ pattern: 1 });
    const p2 = size({ pattern: 2 });
    expect(p1.upload.replicas).toBeGreaterThan(p2.upload.replicas);
    expect(p1.api.replicas).toBeGreaterThanOrEqual(p2.api.replicas);
    // In the CPU-bound regime (the default 2 reports/s per core before calibration) the API grows too.
    const slow = { perCoreReportsPerSecond: 2 };
    expect(size({ pattern: 1, ...slow }).api.replicas).toBeGreaterThan(size({ pattern: 2, ...slow }).api.replicas);
    expect(p1.loadTest.parallelism).toBeGreaterThan(p2.loadTest.parallelism);
  });

  test('upload replicas = max(2, servers needed at the target utilisation, uploads in flight ÷ slots per pod)', () => {
    for (const pattern of [1, 2, 3] as const) {
      for (const perCoreReportsPerSecond of [undefined, 2]) {
        const model = sizePattern(pattern, perCoreReportsPerSecond ? { perCoreReportsPerSecond } : {});
        const peak = girsTargets(pattern).reportsPerSecond;
        const perPod = model.capacity.intake.perCoreReportsPerSecond * 1;
        const s = size({ pattern, uploadPodCores: 1, ...(perCoreReportsPerSecond ? { perCoreReportsPerSecond } : {}) });
        expect(s.perCoreReportsPerSecond).toBe(perPod);
        expect(s.upload.replicas).toBe(Math.max(MIN_HA_REPLICAS, serversFor(peak, perPod, 0.7), Math.ceil(s.concurrentUploads / 16)));
        expect(s.upload.utilisation).toBeLessThanOrEqual(0.7 + 1e-9);
        expect(s.upload.inFlightPerPod).toBeLessThanOrEqual(16);
      }
    }
  });

  test('bigger pods need fewer replicas; a lower target utilisation needs more', () => {
    // CPU-bound regime, so the slot floor does not mask the effect.
    const base = { pattern: 1, perCoreReportsPerSecond: 2, uploadSlotsPerPod: 1000 };
    expect(size({ ...base, uploadPodCores: 2 }).upload.replicas).toBeLessThan(size(base).upload.replicas);
    expect(size({ ...base, targetUtilisation: 0.5 }).upload.replicas).toBeGreaterThan(size(base).upload.replicas);
    // Fewer upload slots per pod need more pods.
    expect(size({ pattern: 1, uploadSlotsPerPod: 4 }).upload.replicas).toBeGreaterThan(size({ pattern: 1 }).upload.replicas);
  });

  test('upload memory = 256 MiB + ⌈concurrent uploads ÷ replicas⌉ × report size × buffer factor, in 64 MiB steps', () => {
    const s = size({ pattern: 1 });
    const inFlight = Math.ceil(s.concurrentUploads / s.upload.replicas);
    const expected = Math.ceil((256 + inFlight * (s.reportSizeMB * 1e6 / 2 ** 20) * 2) / 64) * 64;
    expect(s.upload.memoryMiB).toBe(expected);
    expect(size({ pattern: 1, uploadBufferFactor: 4 }).upload.memoryMiB).toBeGreaterThan(s.upload.memoryMiB);
  });

  test('k6 runners = max(⌈rate ÷ per-pod rate⌉, ⌈MB/s ÷ per-pod MB/s⌉)', () => {
    const s = size({ pattern: 1, k6: { perPodReportsPerSecond: 10, perPodMBps: 25, reason: 'test assumption only' } });
    expect(s.loadTest.byRate).toBe(Math.ceil(s.reportsPerSecond / 10));
    expect(s.loadTest.byBandwidth).toBe(Math.ceil(s.dataMBps / 25));
    expect(s.loadTest.parallelism).toBe(Math.max(s.loadTest.byRate, s.loadTest.byBandwidth));
  });

  test('a site without GIRS capacity is refused clearly', () => {
    expect(() => sizeWorkloads(parseSettings({}, 'test'), 'ccop', 'default')).toThrow(/no GIRS capacity for ccop/);
  });
});

describe('planTier capacity fit', async () => {
  const { planTier } = await import('./plan.ts');
  const { oogView } = await import('./fixtures.ts');
  const plan = (pattern: 1 | 2 | 3) => {
    const settings = parseSettings({ pattern }, 'test');
    return planTier(settings, oogView('2'), sizeWorkloads(settings, 'oog', 'option2'));
  };
  test('the node VMs (WEB, AP, ETL, OLAP/BI, IOC web) are the capacity; Hadoop is not a node', () => {
    expect(plan(2).fit.nodeVcpu).toBe(4 + 4 + 2 + 2 + 2);
  });
  test('Pattern 2 fits option 2; Pattern 1 does not', () => {
    expect(plan(2).fit.fits).toBe(true);
    expect(plan(1).fit.fits).toBe(false);
    expect(plan(1).fit.requestedCores).toBeGreaterThan(plan(1).fit.nodeVcpu);
  });
});

describe('planTier and the inventory flows', async () => {
  const { planTier } = await import('./plan.ts');
  const { oogView } = await import('./fixtures.ts');
  const settings = parseSettings({ pattern: 2 }, 'test');
  const sizing = sizeWorkloads(settings, 'oog', 'option2');
  test('notifications reach the inventory\'s mail gateways on 587, and only while a flow allows it', () => {
    const view = oogView('2');
    const notify = planTier(settings, view, sizing).workloads.find((w) => w.name === 'girs-notify')!;
    expect(notify.egressHosts).toEqual([
      { name: 'sec-mgmt-01', zone: 'sec', ip: '10.20.160.11', ports: [587] },
      { name: 'sec-mgmt-02', zone: 'sec', ip: '10.20.160.12', ports: [587] },
    ]);
    const noMailFlow = { ...view, flows: view.flows.filter((f) => !(f.from === 'app' && f.to === 'sec' && f.ports.includes(587))) };
    expect(noMailFlow.flows.length).toBe(view.flows.length - 1);
    expect(() => planTier(settings, noMailFlow, sizing)).toThrow('girs-notify (app) needs sec-mgmt-01 (sec):587 but no inventory flow allows it');
    expect(() => planTier(settings, { ...view, settings: { ...view.settings, mailRelay: [] } }, sizing)).toThrow(/no settings\.mailRelay/);
  });
});
