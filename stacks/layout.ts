// Where `coc synth` puts each stack and what the stacks are called: one convention, read by
// the synth command and by the Ansible bridge (which takes VM IDs from the synthesized JSON).
// No cdktf import here, so readers of the output do not pay for cdktf.
import { join } from 'node:path';

export const DEFAULT_OUTDIR = 'cdktf.out';

/** The stack of a site and deployment option: `oog-option2`, or the site alone (`ccop`). */
export function stackName(site: string, option?: string | null): string {
  return option ? `${site}-${option}` : site;
}

/** The Terraform JSON of one stack inside a synth output folder. */
export function stackFile(outdir: string, stack: string): string {
  return join(outdir, 'stacks', stack, 'cdk.tf.json');
}
