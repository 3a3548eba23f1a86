// Pulumi entry point (Pulumi.yaml `main`): reads the stack's `coc:*` config, sizes the
// tiers from the model for the configured pattern and registers the application tier.
// `pulumi up` needs the Pulumi CLI and the kubernetes plugin; without them use
// `npm run workloads -- render`, which runs this same program under mocks.
import * as pulumi from '@pulumi/pulumi';
import { loadInventory, resolveOption, siteView } from '../inventory/index.ts';
import { k6Options, loadK6Bundle } from './k6-bundle.ts';
import { defineWorkloads } from './program.ts';
import { fromConfigMap, parseSettings } from './settings.ts';
import { sizeWorkloads } from './sizing-link.ts';

/** Stack config as Pulumi hands it over: every value a string, structured values as JSON. */
export function settingsFromConfig(all: Record<string, string>) {
  const decoded = Object.fromEntries(Object.entries(all).map(([k, v]) => {
    try { return [k, JSON.parse(v)]; } catch { return [k, v]; }
  }));
  return parseSettings(fromConfigMap(decoded), `stack ${pulumi.getStack()}`);
}

export default async function main() {
  const settings = settingsFromConfig(pulumi.runtime.allConfig());
  const inv = loadInventory();
  const option = resolveOption(inv, settings.site, settings.option);
  const sizing = sizeWorkloads(settings, settings.site, option);
  const k6 = await loadK6Bundle(settings.pattern, k6Options(settings));
  const { plan, resources } = defineWorkloads({ settings, view: siteView(inv, settings.site, option), sizing, k6 });
  return {
    namespaces: plan.namespaces,
    platformHosts: plan.hosts,
    uploadReplicas: sizing.upload.replicas,
    apiReplicas: sizing.api.replicas,
    k6Parallelism: sizing.loadTest.parallelism,
    resourceCount: resources.length,
  };
}
