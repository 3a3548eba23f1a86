// Facts only the synthesized stacks know (Proxmox VM IDs), read from
// cdktf.out/stacks/<stack>/cdk.tf.json when `npm run synth` has run. Optional: without
// them the inventory is complete, only `coc_vmid` is missing.
import { existsSync, readFileSync } from 'node:fs';
import { stackFile, stackName } from '../stacks/layout.ts';

export interface StackFacts {
  vmIds?: Record<string, number>;
}

/** The stack name and file `coc synth` uses (one convention: stacks/layout.ts). */
export { stackName } from '../stacks/layout.ts';

export function readStackFacts(cdktfOut: string, site: string, option: string | null): StackFacts {
  const file = stackFile(cdktfOut, stackName(site, option));
  if (!existsSync(file)) return {};
  let doc: { output?: { vm_placement?: { value?: unknown } } };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message}); expected the output of npm run synth`);
  }
  const placement = doc.output?.vm_placement?.value;
  if (!Array.isArray(placement)) return {};
  const vmIds: Record<string, number> = {};
  for (const p of placement as { name?: unknown; vmId?: unknown }[]) {
    if (typeof p.name === 'string' && typeof p.vmId === 'number') vmIds[p.name] = p.vmId;
  }
  return { vmIds };
}
