// The Pulumi program of the COC application tier. `defineWorkloads` creates one explicit
// Kubernetes provider and the components of tier.ts (a namespace component per namespace,
// an ApplicationTier per workload, the LoadTest), and returns every resource so callers
// (index.ts, tests, the renderer) can wait for them.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { SiteView } from '../inventory/index.ts';
import type { K6Bundle } from './k6-bundle.ts';
import { clusterZones, planTier, type Namespace, type TierPlan } from './plan.ts';
import type { Settings } from './settings.ts';
import type { WorkloadSizing } from './sizing-link.ts';
import { ApplicationTier, LoadTest, TierNamespace, recommendedLabels, type TierContext } from './tier.ts';

export interface ProgramInputs {
  settings: Settings;
  view: SiteView;
  sizing: WorkloadSizing;
  k6: K6Bundle;
}

export interface Program {
  plan: TierPlan;
  /** The provider and every Kubernetes object, in registration order. */
  resources: pulumi.CustomResource[];
  namespaces: Map<Namespace, TierNamespace>;
  tiers: ApplicationTier[];
  loadTest: LoadTest;
}

export function defineWorkloads(inputs: ProgramInputs): Program {
  const { settings, view, sizing, k6: bundle } = inputs;
  const plan = planTier(settings, view, sizing);
  const provider = new k8s.Provider('coc-k8s', { enableServerSideApply: true });
  const ctx: TierContext = { provider, labels: recommendedLabels(settings) };

  const namespaces = new Map(plan.namespaces.map((n) => [n, new TierNamespace(n, ctx)] as const));
  const nsOf = (n: Namespace) => namespaces.get(n)!.namespace;
  const zoneCidr = new Map(view.zones.map((z) => [z.name, z.cidr]));
  const inCluster = clusterZones(view);
  const tiers = plan.workloads.map((workload) =>
    new ApplicationTier({ workload, plan, settings, namespace: nsOf(workload.namespace), zoneCidr, inCluster }, ctx));
  const upload = plan.workloads.find((w) => w.name === 'girs-upload')!;
  const loadTest = new LoadTest({ settings, sizing, bundle, ops: nsOf('ops'), upload }, ctx);

  const resources = [provider, ...[...namespaces.values()].flatMap((n) => n.resources), ...tiers.flatMap((t) => t.resources), ...loadTest.resources];
  return { plan, resources, namespaces, tiers, loadTest };
}
