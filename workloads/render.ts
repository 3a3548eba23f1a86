// Manifests a reviewer can read or `kubectl apply`: Pulumi's recorded inputs cleaned of
// empty values and put in apply order (namespaces first, then what depends on them).
import { stringify } from 'yaml';

const KIND_ORDER = ['Namespace', 'NetworkPolicy', 'ConfigMap', 'Service', 'Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Ingress', 'TestRun'];
const TOP_ORDER = ['apiVersion', 'kind', 'metadata', 'spec', 'data'];
const META_ORDER = ['name', 'namespace', 'labels', 'annotations'];

type Obj = Record<string, unknown>;

/** Drop undefined/null, empty objects are kept (podSelector: {} means "all pods"). */
export function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      // Pulumi-internal fields never belong in a manifest.
      if (k.startsWith('__') || k === 'urn' || k === 'id') continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

function meta(o: Obj): { namespace: string; name: string } {
  const m = (o.metadata ?? {}) as Obj;
  return { namespace: String(m.namespace ?? ''), name: String(m.name ?? '') };
}

export function sortObjects(objects: Obj[]): Obj[] {
  const rank = (k: unknown) => { const i = KIND_ORDER.indexOf(String(k)); return i < 0 ? KIND_ORDER.length : i; };
  return [...objects].sort((a, b) => {
    const ma = meta(a); const mb = meta(b);
    return rank(a.kind) - rank(b.kind) || String(a.kind).localeCompare(String(b.kind)) || ma.namespace.localeCompare(mb.namespace) || ma.name.localeCompare(mb.name);
  });
}

function byOrder(o: Obj, order: string[]): Obj {
  const rank = (k: string) => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
  return Object.fromEntries(Object.keys(o).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((k) => [k, o[k]]));
}

/** apiVersion, kind, metadata (name first), spec; the rest after, in a fixed order. */
function ordered(o: Obj): Obj {
  const out = byOrder(o, TOP_ORDER);
  if (out.metadata && typeof out.metadata === 'object') out.metadata = byOrder(out.metadata as Obj, META_ORDER);
  return out;
}

const MANAGED_BY = 'app.kubernetes.io/managed-by';
/** What applies rendered YAML: `kubectl apply`, not Pulumi (which labels what it deploys itself). */
export const RENDERED_MANAGED_BY = 'kubectl';

/** Every labels map (object, pod template, TestRun runner) that says who manages it now says kubectl. */
function relabel(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => relabel(v));
  if (!value || typeof value !== 'object') return value;
  const o = value as Obj;
  if (key === 'labels' && MANAGED_BY in o) return { ...o, [MANAGED_BY]: RENDERED_MANAGED_BY };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, relabel(v, k)]));
}

export function toManifests(objects: Obj[]): Obj[] {
  return sortObjects(objects.map((o) => ordered(relabel(clean(o)) as Obj)));
}

export function toYaml(manifests: Obj[], header?: string): string {
  const docs = manifests.map((m) => stringify(m, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return (header ? `${header.split('\n').map((l) => `# ${l}`).join('\n')}\n` : '') + docs.map((d) => `---\n${d}`).join('\n') + '\n';
}
