// Policy checks over rendered manifests: plain functions, each returning the violations
// it finds (empty = pass), so tests can show every rule failing on a broken object.
import type { Flow, SiteView } from '../inventory/index.ts';
import { APP_LABEL, PLATFORM_HOST_LABEL, POD_ZONE_LABEL, ZONE_LABEL } from './plan.ts';

type Obj = Record<string, any>;
export interface PolicyContext {
  /** Platform hosts the nodes run on (inventory). */
  hosts: string[];
  flows: Flow[];
  zones: { name: string; cidr: string }[];
  /** Deployments that must run at least two replicas (web/API tiers). */
  haWorkloads: string[];
}
export type Policy = (objects: Obj[], ctx: PolicyContext) => string[];

/** The inventory's side of the checks: platform hosts, flows and zone CIDRs of one site/option. */
export function policyContext(view: SiteView, haWorkloads = ['girs-upload', 'girs-api', 'ioc-dashboard']): PolicyContext {
  const hosts = view.hosts.filter((h) => h.role === 'platform').map((h) => h.name);
  return { hosts, flows: view.flows, zones: view.zones.map((z) => ({ name: z.name, cidr: z.cidr })), haWorkloads };
}

const ofKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);
const id = (o: Obj) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;
const matches = (sel: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!sel && Object.entries(sel).every(([k, v]) => labels?.[k] === v);

export const namesExplicit: Policy = (objects) => objects.flatMap((o) => {
  const name = o.metadata?.name;
  // Under mocks nothing auto-names: a missing name here would be a random one in a real `up`.
  return typeof name === 'string' && name !== '' ? [] : [`${o.kind}: metadata.name is not set`];
});

export const requestsAndLimits: Policy = (objects) => ofKind(objects, 'Deployment').flatMap((d) =>
  (d.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => {
    const r = c.resources ?? {};
    const missing = ['requests', 'limits'].flatMap((k) => ['cpu', 'memory'].filter((res) => r[k]?.[res] === undefined).map((res) => `${k}.${res}`));
    return missing.length ? [`${id(d)} container ${c.name}: missing ${missing.join(', ')}`] : [];
  }));

export const haReplicas: Policy = (objects, ctx) => ofKind(objects, 'Deployment')
  .filter((d) => ctx.haWorkloads.includes(d.metadata?.name))
  .flatMap((d) => ((d.spec?.replicas ?? 1) >= 2 ? [] : [`${id(d)}: ${d.spec?.replicas ?? 1} replica(s); web/API tiers need ≥ 2 (§3.5.2 HA)`]));

export const pdbPerDeployment: Policy = (objects) => ofKind(objects, 'Deployment').flatMap((d) => {
  const labels = d.spec?.template?.metadata?.labels;
  const ok = ofKind(objects, 'PodDisruptionBudget').some((p) => p.metadata?.namespace === d.metadata?.namespace && matches(p.spec?.selector?.matchLabels, labels));
  return ok ? [] : [`${id(d)}: no PodDisruptionBudget selects its pods`];
});

export const hpaPerDeployment: Policy = (objects) => ofKind(objects, 'Deployment').flatMap((d) => {
  const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.metadata?.namespace === d.metadata?.namespace && h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === d.metadata?.name);
  if (!hpa) return [`${id(d)}: no HorizontalPodAutoscaler`];
  return hpa.spec.minReplicas === d.spec?.replicas ? [] : [`${id(d)}: HPA minReplicas ${hpa.spec.minReplicas} ≠ sized replicas ${d.spec?.replicas}`];
});

export const defaultDenyPerNamespace: Policy = (objects) => ofKind(objects, 'Namespace').flatMap((n) => {
  const ok = ofKind(objects, 'NetworkPolicy').some((p) => p.metadata?.namespace === n.metadata?.name
    && Object.keys(p.spec?.podSelector ?? { x: 1 }).length === 0
    && ['Ingress', 'Egress'].every((t) => (p.spec?.policyTypes ?? []).includes(t))
    && !(p.spec?.ingress?.length) && !(p.spec?.egress?.length));
  return ok ? [] : [`Namespace ${n.metadata?.name}: no default-deny NetworkPolicy (empty podSelector, Ingress+Egress, no rules)`];
});

export const tlsOnEveryIngress: Policy = (objects) => ofKind(objects, 'Ingress').flatMap((i) => {
  const tls: Obj[] = i.spec?.tls ?? [];
  const covered = new Set(tls.filter((t) => t.secretName).flatMap((t) => t.hosts ?? []));
  const hosts: string[] = (i.spec?.rules ?? []).map((r: Obj) => r.host);
  const bad = hosts.filter((h) => !h || !covered.has(h));
  if (!hosts.length) return [`${id(i)}: no host rules`];
  return bad.length ? [`${id(i)}: host(s) ${bad.join(', ')} without TLS (tls[].hosts + secretName)`] : [];
});

export const spreadOverInventoryHosts: Policy = (objects, ctx) => ofKind(objects, 'Deployment').flatMap((d) => {
  const spec = d.spec?.template?.spec ?? {};
  const out: string[] = [];
  const spread: Obj[] = spec.topologySpreadConstraints ?? [];
  if (!spread.some((t) => [ZONE_LABEL, PLATFORM_HOST_LABEL].includes(t.topologyKey) && t.whenUnsatisfiable === 'DoNotSchedule' && t.maxSkew === 1)) {
    out.push(`${id(d)}: no hard topology spread over ${ZONE_LABEL} / ${PLATFORM_HOST_LABEL}`);
  }
  const terms: Obj[] = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const exprs = terms.flatMap((t) => t.matchExpressions ?? []).filter((e: Obj) => e.key === PLATFORM_HOST_LABEL);
  const values: string[] = exprs.flatMap((e: Obj) => e.values ?? []);
  if (!exprs.length) out.push(`${id(d)}: no node affinity on ${PLATFORM_HOST_LABEL}`);
  const unknown = values.filter((v) => !ctx.hosts.includes(v));
  if (unknown.length) out.push(`${id(d)}: platform host(s) ${unknown.join(', ')} are not in the inventory (${ctx.hosts.join(', ')})`);
  if (exprs.length && new Set(values).size < 2) out.push(`${id(d)}: pods may land on one platform host only`);
  return out;
});

// ---------------------------------------------------------------- firewall zones
function ipv4(s: string): number {
  return s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
export function cidrsOverlap(a: string, b: string): boolean {
  const [ia, la] = a.split('/') as [string, string];
  const [ib, lb] = b.split('/') as [string, string];
  const len = Math.min(Number(la), Number(lb));
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((ipv4(ia) & mask) >>> 0) === ((ipv4(ib) & mask) >>> 0);
}

/** Zone of the pods a policy's podSelector selects, from the Deployments' pod labels. */
function selectedZones(p: Obj, objects: Obj[]): string[] {
  return ofKind(objects, 'Deployment')
    .filter((d) => d.metadata?.namespace === p.metadata?.namespace && matches(p.spec?.podSelector?.matchLabels ?? {}, d.spec?.template?.metadata?.labels))
    .map((d) => d.spec.template.metadata.labels[POD_ZONE_LABEL]).filter(Boolean);
}

function zoneOfPeer(peer: Obj, objects: Obj[]): string | null {
  const app = peer.podSelector?.matchLabels?.[APP_LABEL];
  if (!app) return null;
  const nsName = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  const d = ofKind(objects, 'Deployment').find((x) => x.metadata?.name === app && (!nsName || x.metadata?.namespace === nsName));
  return d?.spec?.template?.metadata?.labels?.[POD_ZONE_LABEL] ?? null;
}

const portsOf = (rule: Obj): number[] => (rule.ports ?? []).map((p: Obj) => p.port);

/** Nothing in the web zone (dmz) may reach the DB zone: no egress to its CIDR or to 5432. */
export const noWebToDb: Policy = (objects, ctx) => {
  const db = ctx.zones.find((z) => z.name === 'db')?.cidr;
  return ofKind(objects, 'NetworkPolicy').filter((p) => selectedZones(p, objects).includes('dmz')).flatMap((p) =>
    (p.spec?.egress ?? []).flatMap((rule: Obj) => {
      const toDb = (rule.to ?? []).some((t: Obj) => t.ipBlock && db && cidrsOverlap(t.ipBlock.cidr, db)) || !(rule.to?.length);
      const dbPort = portsOf(rule).includes(5432) || !(rule.ports?.length);
      return toDb && dbPort ? [`${id(p)}: lets web-zone pods reach the DB zone (${db}:5432)`] : [];
    }));
};

/** Every allowance across zones is a flow of the inventory, on its ports only: pod-to-pod
 * ingress, pod-to-pod egress and egress to addresses (ipBlock) inside an inventory zone. */
export const flowsMirrored: Policy = (objects, ctx) => ofKind(objects, 'NetworkPolicy').flatMap((p) => {
  const zonesOf = selectedZones(p, objects);
  const unflowed = (from: string, to: string, ports: number[]) => ports.filter((port) => from !== to && !ctx.flows.some((f) => f.from === from && f.to === to && f.ports.includes(port)));
  const rules = (direction: 'ingress' | 'egress'): string[] => (p.spec?.[direction] ?? []).flatMap((rule: Obj) => {
    const ports = portsOf(rule);
    const peers: Obj[] = rule[direction === 'ingress' ? 'from' : 'to'] ?? [];
    if (!peers.length) return [`${id(p)}: ${direction} rule without ${direction === 'ingress' ? 'from' : 'to'} (any ${direction === 'ingress' ? 'source' : 'destination'})`];
    if (!ports.length) return [`${id(p)}: ${direction} rule without ports (any port)`];
    return peers.flatMap((peer) => {
      const peerZones = peer.ipBlock ? ctx.zones.filter((z) => cidrsOverlap(z.cidr, peer.ipBlock.cidr)).map((z) => z.name) : [zoneOfPeer(peer, objects)].filter((z): z is string => !!z);
      if (peer.ipBlock && !peerZones.length) return [`${id(p)}: ${direction} to ${peer.ipBlock.cidr}, which is in no inventory zone`];
      return zonesOf.flatMap((own) => peerZones.flatMap((other) => {
        const [from, to] = direction === 'ingress' ? [other, own] : [own, other];
        return unflowed(from, to, ports).map((port) => `${id(p)}: allows ${from} → ${to}:${port}, which no inventory flow permits`);
      }));
    });
  });
  return [...rules('ingress'), ...rules('egress')];
});

export const POLICIES: Record<string, Policy> = {
  namesExplicit, requestsAndLimits, haReplicas, pdbPerDeployment, hpaPerDeployment, defaultDenyPerNamespace,
  tlsOnEveryIngress, spreadOverInventoryHosts, noWebToDb, flowsMirrored,
};

export function checkPolicies(objects: Obj[], ctx: PolicyContext): string[] {
  return Object.entries(POLICIES).flatMap(([name, p]) => p(objects, ctx).map((v) => `${name}: ${v}`));
}
