import { describe, expect, it } from 'vitest';
import type { Flow } from '../inventory/index.ts';
import { hostGroupRules, zoneGroupRules } from './firewall-plan.ts';

const flow = (from: string, to: string, ports: number[]): Flow => ({ from, to, ports, purpose: `${from} to ${to}`, kind: 'assumption', reason: 'test flow for the firewall plan' });
const flows = [flow('dmz', 'app', [8443]), flow('app', 'db', [5432]), flow('dmz', 'infra', [53, 123, 636]), flow('ops', 'mgmt', [22, 8006]), flow('sec', 'sec', [9300])];

describe('firewall plan from zone flows', () => {
  it('opens the application zone to the DMZ only on the flow ports', () => {
    expect(zoneGroupRules('app', flows).filter((r) => r.type === 'in')).toEqual([
      expect.objectContaining({ action: 'ACCEPT', source: 'net-dmz', dest: 'net-app', proto: 'tcp', dport: '8443' }),
    ]);
  });

  it('lets the DMZ out only along its flows; DNS also over UDP, NTP over UDP only', () => {
    const out = zoneGroupRules('dmz', flows).filter((r) => r.type === 'out').map((r) => `${r.dest} ${r.proto} ${r.dport}`);
    expect(out).toEqual(['net-app tcp 8443', 'net-infra tcp 53,636', 'net-infra udp 53,123']);
    expect(out.some((r) => r.startsWith('net-db'))).toBe(false);
  });

  it('a flow from a zone to itself opens traffic inside the zone both ways', () => {
    expect(zoneGroupRules('sec', flows).map((r) => `${r.type} ${r.source}→${r.dest} ${r.dport}`)).toEqual(['in net-sec→net-sec 9300', 'out net-sec→net-sec 9300']);
  });

  it('host management is admitted only from the management IP set', () => {
    expect(hostGroupRules('mgmt', flows)).toEqual([expect.objectContaining({ type: 'in', source: '+management', dest: 'net-mgmt', dport: '22,8006' })]);
  });
});
