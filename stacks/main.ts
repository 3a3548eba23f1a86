// `coc synth`: writes cdktf.out/stacks/<stack>/cdk.tf.json for every stack, offline.
import { InputError } from '../cli/errors.ts';
import { parseFlags } from '../cli/args.ts';
import { checkOutputFolder } from '../cli/write.ts';
import { checkTerraformJson, formatViolations } from './proxmox/schema-check.ts';
import { STACKS } from './site-stack.ts';
import { DEFAULT_OUTDIR, isLegacySynthOutput, stackFile, stackViews, synthAtomically } from './synth.ts';

export const USAGE = `usage: coc synth [--out DIR] [--stack NAME ...]

Synthesizes the Proxmox VE Terraform stacks (cdktf, Terraform JSON) from the inventory into
DIR/stacks/<stack>/cdk.tf.json (default ${DEFAULT_OUTDIR}). DIR is replaced as a whole, and only
when it is new, empty or written by coc (it carries a .coc-output file).
  --out DIR      output folder (default ${DEFAULT_OUTDIR})
  --stack NAME   only this stack (repeatable): ${STACKS.map((s) => s.stack).join(', ')}
See docs/stacks.md.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    out: { type: 'string' },
    stack: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; options start with -- (see --help)`);
  if (/^(true|1)$/.test(process.env.SYNTH_HCL_OUTPUT ?? '')) {
    throw new InputError('SYNTH_HCL_OUTPUT is set, but these stacks synthesize Terraform JSON only (cdk.tf.json); unset it (see docs/stacks.md)');
  }
  const names = values.stack ?? STACKS.map((s) => s.stack);
  const unknown = names.filter((n) => !STACKS.some((s) => s.stack === n));
  if (unknown.length) throw new InputError(`--stack: unknown stack "${unknown.join('", "')}"; expected one of ${STACKS.map((s) => s.stack).join(', ')}`);
  const outdir = values.out ?? DEFAULT_OUTDIR;
  // Refuse a bad --out before spending time on synthesis.
  checkOutputFolder(outdir, { legacyOwn: isLegacySynthOutput });

  const t0 = performance.now();
  const out = synthAtomically(stackViews(STACKS.filter((s) => names.includes(s.stack))), outdir);
  const ms = performance.now() - t0;
  let bad = 0;
  for (const [name, tf] of out) {
    const vms = Object.keys(tf.resource?.proxmox_virtual_environment_vm ?? {}).length;
    const resources = Object.values<Record<string, unknown>>(tf.resource ?? {}).reduce((n, r) => n + Object.keys(r).length, 0);
    const violations = checkTerraformJson(tf);
    bad += violations.length;
    console.log(`${name}: ${stackFile(outdir, name)} (${resources} resources, ${vms} VMs, ${Object.keys(tf.output ?? {}).length} outputs)`);
    if (violations.length) console.error(formatViolations(violations));
  }
  console.log(`synthesized ${out.size} stack(s) in ${ms.toFixed(0)} ms`);
  if (bad) {
    console.error(`${bad} argument(s) not valid for bpg/proxmox v0.111 (see above)`);
    return 1;
  }
  return 0;
}
