// Schema checks of every rendered object, as kubeconform --strict does them: the strict
// JSON Schema of the targeted Kubernetes release (k8s-schema.ts: unknown fields and types,
// from the OpenAPI-generated models of @kubernetes/client-node), and kubernetes-models'
// validator for required fields and formats (which the client's type maps do not carry).
// The apiVersion/kind pairs below are the kinds the tier renders, each bound to its
// kubernetes-models class; an object of any other kind is reported, not passed.
import { z } from 'zod';
import { modelName, strictErrors } from './k8s-schema.ts';
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

/** Problems with one manifest; empty when valid. */
export function validateObject(obj: Obj): string[] {
  const where = `${String(obj.kind)} ${String((obj.metadata as Obj | undefined)?.name ?? '?')}`;
  if (obj.apiVersion === 'k6.io/v1alpha1' && obj.kind === 'TestRun') {
    const res = TestRunSchema.safeParse(obj);
    return res.success ? [] : res.error.issues.map((i) => `${where}: ${i.path.join('.')}: ${i.message}`);
  }
  const Model = MODELS[`${String(obj.apiVersion)}/${String(obj.kind)}`];
  const strict = modelName(String(obj.apiVersion), String(obj.kind));
  if (!Model || !strict) return [`${where}: no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`];
  const out: string[] = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    out.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  out.push(...strictErrors(strict, obj).map((m) => `${where}: ${m}`));
  return out;
}

export function validateAll(objects: Obj[]): string[] {
  return objects.flatMap(validateObject);
}
