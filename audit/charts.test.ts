import { describe, expect, it } from 'vitest';
import { hostRows } from './charts.ts';
import type { ClusterAnalysis, HostLoad, LossScenario } from '../sizing/index.ts';

const host = (name: string, vmRamGB: number, vcpu: number): HostLoad => ({
  host: name, source: 'Table 37 #1', cores: 8, ramGB: 100, localStorageTB: 0, reserveGB: 2, usableRamGB: 98, vcpuCeiling: 32, vms: [], vcpu, vmRamGB,
});
function scenario(failed: string, after: HostLoad[], stranded: { vm: string; ramGB: number; vcpu: number }[]): LossScenario {
  return {
    cluster: 'Platform A', failed, survivors: after.map((a) => a.host), coveredByTwin: [], staysDown: [], after,
    restarts: stranded.map((m) => ({ ...m, from: failed, to: null, reason: 'ha' })),
    holds: stranded.length === 0, ramShortfallGB: stranded.reduce((a, m) => a + m.ramGB, 0) - 8, vcpuOverCeiling: [],
  };
}

describe('N+1 verdict per host on the charts', () => {
  // h1 and h2 absorb each other's loss; losing h3 strands a 60 GB VM that h1 (most free) cannot take.
  const h1 = host('h1', 50, 4), h2 = host('h2', 60, 4), h3 = host('h3', 40, 2);
  const cluster: ClusterAnalysis = {
    cluster: 'Platform A', hosts: [h1, h2, h3], baselineHolds: true, holds: false,
    scenarios: [
      scenario('h1', [{ ...h2, vmRamGB: 80 }, { ...h3, vmRamGB: 70 }], []),
      scenario('h2', [{ ...h1, vmRamGB: 90 }, h3], []),
      scenario('h3', [h1, h2], [{ vm: 'big-vm', ramGB: 60, vcpu: 8 }]),
    ],
  };
  const rows = hostRows([cluster]);
  const row = (h: string) => rows.find((r) => r.host === h)!;

  it('counts the VM that could not restart on the survivor with the most free RAM, on RAM and vCPU', () => {
    expect(row('h1')).toMatchObject({ holds: false, ramAfterGB: 110, vcpuAfter: 12 });
    expect(row('h1').ramText).toBe('✗ N+1 FAILS: losing h3 — big-vm (60 GB, 8 vCPU) cannot restart here: needs 110 of 98 GB usable, short 52 GB');
    expect(row('h1').vcpuText).toBe('✗ N+1 FAILS (RAM): losing h3 — big-vm could not restart; with it 12 of 32 vCPU');
  });

  it("a host whose own loss strands a VM says so; one that only absorbs loads holds", () => {
    expect(row('h3').ramText).toBe('✗ N+1 FAILS: losing h1; losing h3 itself strands big-vm — worst case 70 of 98 GB usable');
    // h2 survives h3's loss without taking the stranded VM, and its own loss holds.
    expect(row('h2')).toMatchObject({ holds: true, ramAfterGB: 80, ramText: '✓ N+1 holds: losing h1 — worst case 80 of 98 GB usable' });
    const ok: ClusterAnalysis = { ...cluster, holds: true, hosts: [h1, h2], scenarios: [scenario('h1', [{ ...h2, vmRamGB: 80 }], []), scenario('h2', [{ ...h1, vmRamGB: 90 }], [])] };
    expect(hostRows([ok]).map((r) => r.ramText)).toEqual(['✓ N+1 holds: losing h2 — worst case 90 of 98 GB usable', '✓ N+1 holds: losing h1 — worst case 80 of 98 GB usable']);
  });
});
