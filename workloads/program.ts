// The Pulumi program of the COC application tier. `defineWorkloads` registers every
// resource through one explicit Kubernetes provider, names each object explicitly and
// returns the resources so callers (index.ts, tests, the renderer) can wait for them.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { SiteView } from '../inventory/index.ts';
import type { K6Bundle } from './k6-bundle.ts';
import { APP_LABEL, PLATFORM_HOST_LABEL, POD_ZONE_LABEL, ZONE_LABEL, clusterZones, planTier, type Namespace, type TierPlan, type Workload } from './plan.ts';
import type { Settings } from './settings.ts';
import type { WorkloadSizing } from './sizing-link.ts';

export interface ProgramInputs {
  settings: Settings;
  view: SiteView;
  sizing: WorkloadSizing;
  k6: K6Bundle;
}

export interface Program {
  plan: TierPlan;
  resources: pulumi.CustomResource[];
}

/** Who applies the objects: Pulumi here; `coc workloads render` rewrites it for kubectl (render.ts). */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
const DNS_PORTS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
const K6_RUNNER_LABEL = 'k6-runner';

export function defineWorkloads(inputs: ProgramInputs): Program {
  const { settings, view, sizing, k6: bundle } = inputs;
  const plan = planTier(settings, view, sizing);
  const resources: pulumi.CustomResource[] = [];
  const add = <R extends pulumi.CustomResource>(r: R): R => { resources.push(r); return r; };
  const provider = add(new k8s.Provider('coc-k8s', { enableServerSideApply: true }));
  const opts = (deps: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({ provider, dependsOn: deps });
  const zoneCidr = new Map(view.zones.map((z) => [z.name, z.cidr]));
  const inCluster = clusterZones(view);
  // The six recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels).
  // instance: the application in this stack; version: the release deployed (the image tag).
  const recommended = (name: string, component: string): Record<string, string> => ({
    [APP_LABEL]: name,
    'app.kubernetes.io/instance': `${name}-${pulumi.getStack()}`,
    'app.kubernetes.io/version': settings.imageTag,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'coc',
    [MANAGED_BY]: 'pulumi',
  });

  const ns = new Map<Namespace, k8s.core.v1.Namespace>();
  for (const n of plan.namespaces) {
    ns.set(n, add(new k8s.core.v1.Namespace(`ns-${n}`, {
      metadata: {
        name: n,
        // k6-operator's initializer/starter pods set no security context, so ops enforces baseline only.
        labels: { ...recommended(n, 'namespace'), 'coc.gov.vn/subsystem': n, 'pod-security.kubernetes.io/enforce': n === 'ops' ? 'baseline' : 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
    }, opts())));
    // Default deny, both directions: every allowed path below is a flow of the inventory.
    add(new k8s.networking.v1.NetworkPolicy(`${n}-default-deny`, {
      metadata: { name: 'default-deny', namespace: n, labels: recommended(n, 'network-policy') },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }, opts([ns.get(n)!])));
    // Name resolution (flows <zone> → infra:53) through the cluster DNS.
    add(new k8s.networking.v1.NetworkPolicy(`${n}-allow-dns`, {
      metadata: { name: 'allow-dns', namespace: n, labels: recommended(n, 'network-policy') },
      spec: {
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: DNS_PORTS }],
      },
    }, opts([ns.get(n)!])));
  }

  const byName = new Map(plan.workloads.map((w) => [w.name, w]));
  for (const w of plan.workloads) {
    const deps = [ns.get(w.namespace)!];
    // component: the inventory VM row the workload replaces (WEB, AP, ETL, OLAP/BI, Web (IOC)).
    const labels = { ...recommended(w.name, componentOf(w.vmRole)), [POD_ZONE_LABEL]: w.zone, 'coc.gov.vn/subsystem': w.namespace };
    const selector = { [APP_LABEL]: w.name };
    add(new k8s.apps.v1.Deployment(`${w.name}-deployment`, {
      metadata: { name: w.name, namespace: w.namespace, labels, annotations: { 'coc.gov.vn/description': w.description, 'coc.gov.vn/sized-by': w.sizedBy } },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: { metadata: { labels }, spec: podSpec(w, plan) },
      },
    }, opts(deps)));
    add(new k8s.core.v1.Service(`${w.name}-service`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: w.port, targetPort: 'http', protocol: 'TCP' }] },
    }, opts(deps)));
    add(new k8s.policy.v1.PodDisruptionBudget(`${w.name}-pdb`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    }, opts(deps)));
    add(new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${w.name}-hpa`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name },
        minReplicas: w.replicas, maxReplicas: w.maxReplicas,
        // Scale out before the sizing model's target utilisation is exceeded.
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: Math.round(plan.targetUtilisation * 100) } } }],
      },
    }, opts(deps)));
    if (w.ingress) {
      add(new k8s.networking.v1.Ingress(`${w.name}-ingress`, {
        metadata: {
          name: w.name, namespace: w.namespace, labels,
          annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': `${w.ingress.bodyLimitMB}m`, 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
        },
        spec: {
          ingressClassName: settings.ingressClassName,
          tls: [{ hosts: [w.ingress.host], secretName: settings.tlsSecretName }],
          rules: [{ host: w.ingress.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: w.name, port: { name: 'http' } } } }] } }],
        },
      }, opts(deps)));
    }
    add(new k8s.networking.v1.NetworkPolicy(`${w.name}-netpol`, {
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: networkPolicySpec(w, plan, settings, byName, zoneCidr, inCluster),
    }, opts(deps)));
  }

  // Load test beyond one machine: k6-operator runs the pattern's bundle in N runner pods.
  const ops = ns.get('ops')!;
  const upload = byName.get('girs-upload')!;
  const cm = add(new k8s.core.v1.ConfigMap('k6-scripts-configmap', {
    metadata: { name: 'k6-girs-scripts', namespace: 'ops', labels: recommended(K6_RUNNER_LABEL, 'load-test') },
    data: bundle.files,
  }, opts([ops])));
  add(new k8s.networking.v1.NetworkPolicy('k6-runner-netpol', {
    metadata: { name: K6_RUNNER_LABEL, namespace: 'ops', labels: recommended(K6_RUNNER_LABEL, 'load-test') },
    spec: {
      podSelector: { matchLabels: { [APP_LABEL]: K6_RUNNER_LABEL } }, policyTypes: ['Egress'],
      // Runners stand in for ministries and provinces: they reach the upload site through the Ingress only.
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': settings.ingressNamespace } } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    },
  }, opts([ops])));
  add(new k8s.apiextensions.CustomResource('girs-load-testrun', {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name: `girs-load-p${sizing.pattern}`, namespace: 'ops', labels: recommended(K6_RUNNER_LABEL, 'load-test'),
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
  }, opts([ops, cm])));
  return { plan, resources };
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

function networkPolicySpec(
  w: Workload, plan: TierPlan, settings: Settings, byName: Map<string, Workload>, zoneCidr: Map<string, string>, inCluster: Set<string>,
): k8s.types.input.networking.v1.NetworkPolicySpec {
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
