// One place that runs the Pulumi program under mocks and returns clean manifests: used
// by `coc workloads render` and by the tests. Mocks are installed before the program
// module is imported, as Pulumi requires.
import * as pulumi from '@pulumi/pulumi';
import { loadInventory, resolveOption, siteView } from '../inventory/index.ts';
import { k6Options, loadK6Bundle, type K6Bundle } from './k6-bundle.ts';
import { MOCK_PROJECT, kubernetesObjects, recordingMocks, settled, type Recorded } from './mocks.ts';
import { toManifests } from './render.ts';
import type { Settings } from './settings.ts';
import { sizeWorkloads, type WorkloadSizing } from './sizing-link.ts';
import type { TierPlan } from './plan.ts';

export interface Synthesis {
  stack: string;
  records: Recorded[];
  manifests: Record<string, unknown>[];
  sizing: WorkloadSizing;
  plan: TierPlan;
}

export function stackName(s: Settings): string {
  return `${s.site}-${s.option === undefined ? 'default' : `option${s.option.replace(/^option/, '')}`}-p${s.pattern}`;
}

export async function synthesize(settings: Settings, deps: { k6?: K6Bundle } = {}): Promise<Synthesis> {
  const inv = loadInventory();
  const option = resolveOption(inv, settings.site, settings.option);
  const view = siteView(inv, settings.site, option);
  const sizing = sizeWorkloads(settings, settings.site, option);
  const k6 = deps.k6 ?? (await loadK6Bundle(settings.pattern, k6Options(settings)));
  const records: Recorded[] = [];
  const stack = stackName({ ...settings, option });
  await pulumi.runtime.setMocks(recordingMocks(records), MOCK_PROJECT, stack, false);
  const { defineWorkloads } = await import('./program.ts');
  const program = defineWorkloads({ settings, view, sizing, k6 });
  await settled(program.resources);
  // Components register their outputs after their children; wait for those calls before the
  // next synthesis installs other mocks, which would not know these components.
  await pulumi.runtime.disconnect();
  return { stack, records, manifests: toManifests(kubernetesObjects(records)), sizing, plan: program.plan };
}
