// The COC application tier as Pulumi components, in the style of Pulumi's Kubernetes
// guestbook example: one ComponentResource per namespace, per application tier and for the
// load test; each creates its Kubernetes objects with `{ parent: this }` and ends with
// registerOutputs. The objects themselves (names, labels, specs) are exactly those the
// program registered before it was split, so rendered manifests did not change.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { K6Bundle } from './k6-bundle.ts';
import { APP_LABEL, PLATFORM_HOST_LABEL, POD_ZONE_LABEL, ZONE_LABEL, type Namespace, type TierPlan, type Workload } from './plan.ts';
import type { Settings } from './settings.ts';
import type { WorkloadSizing } from './sizing-link.ts';

/** Who applies the objects: Pulumi here; `coc workloads render` rewrites it for kubectl (render.ts). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
/** Pulumi type tokens of the components (the `coc` package, `workloads` module). */
export const TIER_NAMESPACE_TYPE = 'coc:workloads:TierNamespace';
export const APPLICATION_TIER_TYPE = 'coc:workloads:ApplicationTier';
export const LOAD_TEST_TYPE = 'coc:workloads:LoadTest';
const DNS_PORTS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
const K6_RUNNER_LABEL = 'k6-runner';

export type Labeller = (name: string, component: string) => Record<string, string>;

/**
 * The six recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels).
 * instance: the application in this stack; version: the release deployed (the image tag).
 */
export function recommendedLabels(settings: Settings): Labeller {
  return (name, component) => ({
    [APP_LABEL]: name,
    'app.kubernetes.io/instance': `${name}-${pulumi.getStack()}`,
    'app.kubernetes.io/version': settings.imageTag,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'coc',
    [MANAGED_BY]: 'pulumi',
  });
}

/** What every component needs: the one explicit provider and the label maker. */
export interface TierContext {
  provider: k8s.Provider;
  labels: Labeller;
}

/**
 * Children were registered at the stack root before the split: the alias keeps their old URNs
 * so an existing stack adopts them instead of replacing them.
 */
function childOpts(parent: pulumi.Resource, ctx: TierContext, deps: pulumi.Resource[]): pulumi.CustomResourceOptions {
  return { parent, provider: ctx.provider, dependsOn: deps, aliases: [{ parent: pulumi.rootStackResource }] };
}

/** A namespace with default-deny both ways and name resolution allowed. */
export class TierNamespace extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly resources: pulumi.CustomResource[];

  constructor(name: Namespace, ctx: TierContext, opts?: pulumi.ComponentResourceOptions) {
    super(TIER_NAMESPACE_TYPE, name, {}, opts);
    const { labels } = ctx;
    this.namespace = new k8s.core.v1.Namespace(`ns-${name}`, {
      metadata: {
        name,
        // k6-operator's initializer/starter pods set no security context, so ops enforces baseline only.
        labels: { ...labels(name, 'namespace'), 'coc.gov.vn/subsystem': name, 'pod-security.kubernetes.io/enforce': name === 'ops' ? 'baseline' : 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
    }, childOpts(this, ctx, []));
    const deps = [this.namespace];
    // Default deny, both directions: every allowed path is a flow of the inventory.
    const deny = new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, {
      metadata: { name: 'default-deny', namespace: name, labels: labels(name, 'network-policy') },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }, childOpts(this, ctx, deps));
    // Name resolution (flows <zone> → infra:53) through the cluster DNS.
    const dns = new k8s.networking.v1.NetworkPolicy(`${name}-allow-dns`, {
      metadata: { name: 'allow-dns', namespace: name, labels: labels(name, 'network-policy') },
      spec: {
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: DNS_PORTS }],
      },
    }, childOpts(this, ctx, deps));
    this.resources = [this.namespace, deny, dns];
    this.registerOutputs({ namespace: this.namespace.metadata.name });
  }
}

export interface ApplicationTierArgs {
  workload: Workload;
  plan: TierPlan;
  settings: Settings;
  namespace: k8s.core.v1.Namespace;
  /** Zone name → CIDR, and the zones served inside the cluster (egress to them is by pod, not CIDR). */
  zoneCidr: Map<string, string>;
  inCluster: Set<string>;
}

/** One application tier (upload site, API, notifications, ETL, OLAP/BI, IOC dashboard). */
export class ApplicationTier extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;
  readonly ingress?: k8s.networking.v1.Ingress;
  readonly resources: pulumi.CustomResource[];

  constructor(args: ApplicationTierArgs, ctx: TierContext, opts?: pulumi.ComponentResourceOptions) {
    const { workload: w, plan, settings } = args;
    super(APPLICATION_TIER_TYPE, w.name, {}, opts);
    const child = childOpts(this, ctx, [args.namespace]);
    // component: the inventory VM row the workload replaces (WEB, AP, ETL, OLAP/BI, Web (IOC)).
    const labels = { ...ctx.labels(w.name, componentOf(w.vmRole)), [POD_ZONE_LABEL]: w.zone, 'coc.gov.vn/subsystem': w.namespace };
    const selector = { [APP_LABEL]: w.name };
    this.deployment = new k8s.apps.v1.Deployment(`${w.name}-deployment`, {
      metadata: { name: w.name, namespace: w.namespace, labels, annotations: { 'coc.gov.vn/description': w.description, 'coc.gov.vn/sized-by': w.sizedBy } },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: { metadata: { labels }, spec: podSpec(w, plan) },
      },
    }, child);
    this.service = new k8s.core.v1.Service(`${w.name}-service`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: w.port, targetPort: 'http', protocol: 'TCP' }] },
    }, child);
    const pdb = new k8s.policy.v1.PodDisruptionBudget(`${w.name}-pdb`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    }, child);
    const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${w.name}-hpa`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name },
        minReplicas: w.replicas, maxReplicas: w.maxReplicas,
        // Scale out before the sizing model's target utilisation is exceeded.
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Math.round(plan.targetUtilisation * 100) } } }],
      },
    }, child);
    this.resources = [this.deployment, this.service, pdb, hpa];
    if (w.ingress) {
      this.ingress = new k8s.networking.v1.Ingress(`${w.name}-ingress`, {
        metadata: {
          name: w.name, namespace: w.namespace, labels,
          annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': `${w.ingress.bodyLimitMB}m`, 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
        },
        spec: {
          ingressClassName: settings.ingressClassName,
          tls: [{ hosts: [w.ingress.host], secretName: settings.tlsSecretName }],
          rules: [{ host: w.ingress.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: w.name, port: { name: 'http' } } } }] } }],
        },
      }, child);
      this.resources.push(this.ingress);
    }
    this.resources.push(new k8s.networking.v1.NetworkPolicy(`${w.name}-netpol`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: networkPolicySpec(w, args),
    }, child));
    this.registerOutputs({
      deployment: this.deployment.metadata.name,
      service: this.service.metadata.name,
      ...(this.ingress ? { host: w.ingress!.host } : {}),
    });
  }
}

export interface LoadTestArgs {
  settings: Settings;
  sizing: WorkloadSizing;
  bundle: K6Bundle;
  /** The ops namespace the runners live in, and the upload tier they drive through its Ingress. */
  ops: k8s.core.v1.Namespace;
  upload: Workload;
}

/** Load test beyond one machine: k6-operator runs the pattern's bundle in N runner pods. */
export class LoadTest extends pulumi.ComponentResource {
  readonly testRun: k8s.apiextensions.CustomResource;
  readonly resources: pulumi.CustomResource[];

  constructor(args: LoadTestArgs, ctx: TierContext, opts?: pulumi.ComponentResourceOptions) {
    const { settings, sizing, bundle, ops, upload } = args;
    super(LOAD_TEST_TYPE, 'girs-load-test', {}, opts);
    const labels = ctx.labels(K6_RUNNER_LABEL, 'load-test');
    const cm = new k8s.core.v1.ConfigMap('k6-scripts-configmap', {
      metadata: { name: 'k6-girs-scripts', namespace: 'ops', labels },
      data: bundle.files,
    }, childOpts(this, ctx, [ops]));
    const netpol = new k8s.networking.v1.NetworkPolicy('k6-runner-netpol', {
      metadata: { name: K6_RUNNER_LABEL, namespace: 'ops', labels },
      spec: {
        podSelector: { matchLabels: { [APP_LABEL]: K6_RUNNER_LABEL } }, policyTypes: ['Egress'],
        // Runners stand in for ministries and provinces: they reach the upload site through the Ingress only.
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': settings.ingressNamespace } } }], ports: [{ protocol: 'TCP', port: 443 }] }],
      },
    }, childOpts(this, ctx, [ops]));
    this.testRun = new k8s.apiextensions.CustomResource('girs-load-testrun', {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: {
        name: `girs-load-p${sizing.pattern}`, namespace: 'ops', labels,
        annotations: {
          'coc.gov.vn/parallelism-basis': `max(ceil(${round(sizing.reportsPerSecond)} reports/s ÷ ${settings.k6.perPodReportsPerSecond}), ceil(${round(sizing.dataMBps)} MB/s ÷ ${settings.k6.perPodMBps})) = ${sizing.loadTest.parallelism}`,
          'coc.gov.vn/per-pod-capacity-reason': settings.k6.reason,
        },
      },
      spec: {
        parallelism: sizing.loadTest.parallelism,
        script: { configMap: { name: 'k6-girs-scripts', file: bundle.script } },
        arguments: `--tag pattern=${sizing.pattern}`,
        cleanup: 'post',
        runner: {
          metadata: { labels: { [APP_LABEL]: K6_RUNNER_LABEL } },
          env: [
            { name: 'GIRS_URL', value: `https://${upload.ingress!.host}` },
            { name: 'SCENARIO', value: settings.k6.scenario },
            // Each runner owes 1/parallelism of the whole test's floors (accepted reports, browse
            // looks). GIRS_RUN_ID stays unset: every runner draws its own, and iterationInTest keeps
            // idempotency keys unique across segments either way.
            { name: 'GIRS_SHARE', value: `1/${sizing.loadTest.parallelism}` },
            // The script requires agency tokens; they live in a Secret created out of band, never here.
            { name: 'GIRS_TOKEN', valueFrom: { secretKeyRef: { name: 'k6-girs-tokens', key: 'tokens' } } },
          ],
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
        },
      },
    }, childOpts(this, ctx, [ops, cm]));
    this.resources = [cm, netpol, this.testRun];
    this.registerOutputs({ testRun: this.testRun.metadata.name, parallelism: sizing.loadTest.parallelism });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
/** A label value from an inventory VM row: `OLAP/BI` → `olap-bi`, `Web (IOC)` → `web-ioc`. */
const componentOf = (vmRole: string) => vmRole.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function podSpec(w: Workload, plan: TierPlan): k8s.types.input.core.v1.PodSpec {
  const selector = { matchLabels: { [APP_LABEL]: w.name } };
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    // Nodes are the WEB/AP/ETL/OLAP/IOC VMs; each carries the platform host it runs on (inventory hosts).
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: PLATFORM_HOST_LABEL, operator: 'In', values: plan.hosts }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: selector } }] },
    },
    // Losing one platform host must leave half the pods running.
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }],
    containers: [{
      name: w.name,
      image: w.image,
      ports: [{ name: 'http', containerPort: w.port, protocol: 'TCP' }],
      resources: {
        requests: { cpu: `${w.cpuRequestMilli}m`, memory: `${w.memoryMiB}Mi` },
        limits: { cpu: `${w.cpuLimitMilli}m`, memory: `${w.memoryMiB}Mi` },
      },
      readinessProbe: { httpGet: { path: '/healthz/ready', port: 'http' }, periodSeconds: 5 },
      livenessProbe: { httpGet: { path: '/healthz/live', port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
    }],
    volumes: [{ name: 'scratch', emptyDir: { sizeLimit: `${Math.max(64, w.scratchMiB)}Mi` } }],
  };
}

function networkPolicySpec(w: Workload, args: ApplicationTierArgs): k8s.types.input.networking.v1.NetworkPolicySpec {
  const { plan, settings, zoneCidr, inCluster } = args;
  const byName = new Map(plan.workloads.map((x) => [x.name, x]));
  const tcp = (port: number | string) => ({ protocol: 'TCP', port });
  const peer = (x: Workload) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': x.namespace } }, podSelector: { matchLabels: { [APP_LABEL]: x.name } } });
  const callers = plan.workloads.filter((x) => x.calls.includes(w.name));
  const ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = callers.map((c) => ({ from: [peer(c)], ports: [tcp(w.port)] }));
  if (w.ingress) ingress.push({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': settings.ingressNamespace } } }], ports: [tcp(w.port)] });
  const egress: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [];
  for (const c of w.calls) {
    const callee = byName.get(c);
    if (callee) egress.push({ to: [peer(callee)], ports: [tcp(callee.port)] });
  }
  for (const e of w.egressZones) {
    if (inCluster.has(e.zone)) continue;
    egress.push({ to: [{ ipBlock: { cidr: zoneCidr.get(e.zone)! } }], ports: e.ports.map(tcp) });
  }
  for (const h of w.egressHosts) egress.push({ to: [{ ipBlock: { cidr: `${h.ip}/32` } }], ports: h.ports.map(tcp) });
  return { podSelector: { matchLabels: { [APP_LABEL]: w.name } }, policyTypes: ['Ingress', 'Egress'], ingress, egress };
}
