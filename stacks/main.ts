// `npm run synth`: writes cdktf.out/stacks/<stack>/cdk.tf.json for every stack, offline.
// Usage: tsx stacks/main.ts [--out DIR] [--stack NAME ...]
import { parseFlags } from '../cli/args.ts';
import { CliError } from '../cli/errors.ts';
import { InventoryError } from '../inventory/index.ts';
import { StackInputError } from './errors.ts';
import { checkTerraformJson, formatViolations } from './proxmox/schema-check.ts';
import { STACKS } from './site-stack.ts';
import { DEFAULT_OUTDIR, stackFile, stackViews, synthAtomically } from './synth.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    out: { type: 'string' },
    stack: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  }, 'synth');
  if (values.help) {
    console.log(`usage: npm run synth -- [--out DIR] [--stack NAME ...]\nstacks: ${STACKS.map((s) => s.stack).join(', ')}`);
    return 0;
  }
  if (/^(true|1)$/.test(process.env.SYNTH_HCL_OUTPUT ?? '')) {
    throw new CliError('coc synth: SYNTH_HCL_OUTPUT is set, but these stacks synthesize Terraform JSON only (cdk.tf.json); unset it (see docs/stacks.md)');
  }
  const names = values.stack ?? STACKS.map((s) => s.stack);
  const unknown = names.filter((n) => !STACKS.some((s) => s.stack === n));
  if (unknown.length) throw new CliError(`coc synth: --stack: unknown stack "${unknown.join('", "')}"; expected one of ${STACKS.map((s) => s.stack).join(', ')}`);
  const outdir = values.out ?? DEFAULT_OUTDIR;
  if (outdir.trim() === '') throw new CliError('coc synth: --out: expected a directory path, got ""');

  const t0 = performance.now();
  let out;
  try {
    out = synthAtomically(stackViews(STACKS.filter((s) => names.includes(s.stack))), outdir);
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(`coc synth: the inventory is not valid:\n${e.message}`);
    if (e instanceof StackInputError) throw new CliError(`coc synth: ${e.message}`);
    throw e;
  }
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

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('stacks/main.ts');
if (isMain) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof CliError) {
        console.error(e.message);
        process.exit(e.exitCode);
      }
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
