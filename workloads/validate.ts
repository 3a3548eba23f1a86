// Schema checks of every rendered object: kubernetes-models validates types and required
// fields, and our unknown-field check catches typos (`replica:`) that its schemas, which
// allow extra properties, let through. It watches which keys the kubernetes-models
// validator reads: every key the schema knows is read, so a key never read is unknown.
import { z } from 'zod';
import { Namespace, ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

type Obj = Record<string, unknown>;
interface ModelClass { new (data: any): { validate(): void } }

export const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace, 'v1/ConfigMap': ConfigMap, 'v1/Service': Service,
  'apps/v1/Deployment': Deployment, 'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress, 'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

// k6-operator's TestRun CRD (k6.io/v1alpha1), the fields we use and their siblings; strict
// objects make zod report unknown keys, which the CRD's structural schema would prune.
const envVar = z.strictObject({
  name: z.string(), value: z.string().optional(),
  valueFrom: z.strictObject({ secretKeyRef: z.strictObject({ name: z.string(), key: z.string(), optional: z.boolean().optional() }) }).optional(),
});
const quantities = z.record(z.string(), z.union([z.string(), z.number()]));
const pod = z.strictObject({
  image: z.string().optional(),
  env: z.array(envVar).optional(),
  resources: z.strictObject({ requests: quantities.optional(), limits: quantities.optional() }).optional(),
  metadata: z.strictObject({ labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  serviceAccountName: z.string().optional(),
});
export const TestRunSchema = z.strictObject({
  apiVersion: z.literal('k6.io/v1alpha1'),
  kind: z.literal('TestRun'),
  metadata: z.strictObject({ name: z.string().min(1), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }),
  spec: z.strictObject({
    parallelism: z.number().int().min(1),
    script: z.strictObject({
      configMap: z.strictObject({ name: z.string(), file: z.string().optional() }).optional(),
      volumeClaim: z.strictObject({ name: z.string(), file: z.string().optional() }).optional(),
      localFile: z.string().optional(),
    }),
    separate: z.boolean().optional(),
    arguments: z.string().optional(),
    cleanup: z.literal('post').optional(),
    quiet: z.string().optional(),
    paused: z.string().optional(),
    runner: pod.optional(),
    starter: pod.optional(),
    initializer: pod.optional(),
  }),
});

/** Wrap `value` so reads of each object's keys are recorded per path. */
function track(value: unknown, path: string, reads: Map<string, { obj: Obj; read: Set<string> }>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return new Proxy(value.map((v, i) => track(v, `${path}[${i}]`, reads)), {});
  const read = new Set<string>();
  reads.set(path, { obj: value as Obj, read });
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, track(v, path ? `${path}.${k}` : k, reads)]));
  return new Proxy(copy, { get(t, k, r) { if (typeof k === 'string') read.add(k); return Reflect.get(t, k, r); } });
}

/** Keys the kubernetes-models schema of `Model` does not know, as dotted paths. */
export function unknownFields(Model: ModelClass, obj: Obj): string[] {
  const reads = new Map<string, { obj: Obj; read: Set<string> }>();
  const proxy = track(obj, '', reads);
  try {
    (Model.prototype as { validate(this: unknown): void }).validate.call(proxy);
  } catch {
    // type errors are reported by validateObject; only unread keys matter here
  }
  const out: string[] = [];
  for (const [path, { obj: o, read }] of reads) {
    for (const k of Object.keys(o)) if (!read.has(k)) out.push(path ? `${path}.${k}` : k);
  }
  return out;
}

/** Problems with one manifest: schema errors and unknown fields; empty when valid. */
export function validateObject(obj: Obj): string[] {
  const where = `${String(obj.kind)} ${String((obj.metadata as Obj | undefined)?.name ?? '?')}`;
  if (obj.apiVersion === 'k6.io/v1alpha1' && obj.kind === 'TestRun') {
    const res = TestRunSchema.safeParse(obj);
    return res.success ? [] : res.error.issues.map((i) => `${where}: ${i.path.join('.')}: ${i.message}`);
  }
  const Model = MODELS[`${String(obj.apiVersion)}/${String(obj.kind)}`];
  if (!Model) return [`${where}: no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`];
  const out: string[] = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    out.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  out.push(...unknownFields(Model, obj).map((p) => `${where}: unknown field ${p}`));
  return out;
}

export function validateAll(objects: Obj[]): string[] {
  return objects.flatMap(validateObject);
}
