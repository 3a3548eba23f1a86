// Each policy passes on the rendered tier and fails on a deliberately broken copy.
import { describe, expect, test } from 'vitest';
import { parseSettings } from './settings.ts';
import { synthesize } from './synth.ts';
import { fakeBundle, oogView } from './fixtures.ts';
import { POLICIES, checkPolicies, cidrsOverlap, policyContext } from './policy.ts';

const good = (await synthesize(parseSettings({ option: '2', pattern: 2 }, 'test'), { k6: fakeBundle(2) })).manifests as Record<string, any>[];
const ctx = policyContext(oogView('2'));
const copy = () => structuredClone(good);
const find = (objs: Record<string, any>[], kind: string, name: string, ns?: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name && (!ns || o.metadata.namespace === ns))!;

/** A broken variant per policy: the policy must name it, the others may stay silent. */
const BREAKS: Record<keyof typeof POLICIES, (o: Record<string, any>[]) => void> = {
  namesExplicit: (o) => { delete find(o, 'Service', 'girs-api').metadata.name; },
  requestsAndLimits: (o) => { delete find(o, 'Deployment', 'girs-upload').spec.template.spec.containers[0].resources.limits; },
  haReplicas: (o) => { find(o, 'Deployment', 'girs-api').spec.replicas = 1; },
  pdbPerDeployment: (o) => { o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'vedh-etl')), 1); },
  hpaPerDeployment: (o) => { find(o, 'HorizontalPodAutoscaler', 'girs-upload').spec.scaleTargetRef.name = 'girs-uplaod'; },
  defaultDenyPerNamespace: (o) => { find(o, 'NetworkPolicy', 'default-deny', 'ioc').spec.policyTypes = ['Ingress']; },
  tlsOnEveryIngress: (o) => { delete find(o, 'Ingress', 'girs-upload').spec.tls; },
  spreadOverInventoryHosts: (o) => {
    const spec = find(o, 'Deployment', 'ioc-dashboard').spec.template.spec;
    spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values = ['oog-vpa-01', 'oog-vpz-09'];
  },
  noWebToDb: (o) => { find(o, 'NetworkPolicy', 'girs-upload').spec.egress.push({ to: [{ ipBlock: { cidr: '10.20.130.0/24' } }], ports: [{ protocol: 'TCP', port: 5432 }] }); },
  flowsMirrored: (o) => { find(o, 'NetworkPolicy', 'girs-api').spec.ingress[0].ports.push({ protocol: 'TCP', port: 5432 }); },
};

describe('policies', () => {
  test('all pass on the rendered tier', () => {
    expect(good.length).toBeGreaterThan(0);
    expect(checkPolicies(good, ctx)).toEqual([]);
  });

  for (const [name, breakIt] of Object.entries(BREAKS)) {
    test(`${name} fails on a broken object`, () => {
      const objs = copy();
      breakIt(objs);
      const violations = POLICIES[name]!(objs, ctx);
      expect(violations.length, name).toBeGreaterThan(0);
      expect(checkPolicies(objs, ctx).some((v) => v.startsWith(`${name}:`))).toBe(true);
    });
  }

  test('web → API only on the API port: a web peer on another port is flagged', () => {
    const objs = copy();
    const api = find(objs, 'NetworkPolicy', 'girs-api');
    const fromWeb = api.spec.ingress.find((r: any) => r.from[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'girs-upload');
    expect(fromWeb.ports.map((p: any) => p.port)).toEqual([8443]);
    fromWeb.ports = [{ protocol: 'TCP', port: 22 }];
    expect(POLICIES.flowsMirrored!(objs, ctx).join('\n')).toMatch(/dmz → app:22/);
  });

  test('egress is checked too: an address in a zone with no flow, or outside every zone, is flagged', () => {
    const objs = copy();
    const notify = find(objs, 'NetworkPolicy', 'girs-notify');
    // The mail gateway VMs from the inventory's settings.mailRelay, on the submission port only.
    const mail = notify.spec.egress.filter((r: any) => r.ports.some((p: any) => p.port === 587));
    expect(mail.map((r: any) => r.to[0].ipBlock.cidr).sort()).toEqual(['10.20.160.11/32', '10.20.160.12/32']);
    expect(POLICIES.flowsMirrored!(objs, ctx)).toEqual([]);
    mail[0].ports = [{ protocol: 'TCP', port: 25 }];
    notify.spec.egress.push({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    const v = POLICIES.flowsMirrored!(objs, ctx).join('\n');
    expect(v).toMatch(/girs-notify: allows app → sec:25, which no inventory flow permits/);
    expect(v).toMatch(/egress to 203\.0\.113\.0\/24, which is in no inventory zone/);
    notify.spec.egress.push({});
    expect(POLICIES.flowsMirrored!(objs, ctx).join('\n')).toMatch(/girs-notify: egress rule without to \(any destination\)/);
  });

  test('a default-deny namespace policy with an allow-all rule does not count', () => {
    const objs = copy();
    find(objs, 'NetworkPolicy', 'default-deny', 'girs').spec.ingress = [{}];
    expect(POLICIES.defaultDenyPerNamespace!(objs, ctx)).toEqual([expect.stringMatching(/girs/)]);
  });

  test('CIDR overlap', () => {
    expect(cidrsOverlap('10.20.130.0/24', '10.20.130.11/32')).toBe(true);
    expect(cidrsOverlap('10.20.0.0/16', '10.20.130.0/24')).toBe(true);
    expect(cidrsOverlap('10.20.120.0/24', '10.20.130.0/24')).toBe(false);
    expect(cidrsOverlap('0.0.0.0/0', '10.20.130.0/24')).toBe(true);
  });
});
