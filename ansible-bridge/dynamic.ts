// Ansible dynamic inventory (script protocol): `--list` prints every group with its hosts,
// children and vars plus `_meta.hostvars`; `--host NAME` prints one host's vars.
// Site and option come from COC_SITE / COC_OPTION (default oog, option2); COC_INVENTORY_DIR
// and COC_CDKTF_OUT point at another inventory directory or synth output.
import { InputError } from '../cli/errors.ts';
import { toListJson } from './model.ts';
import { DEFAULT_SITE, loadModel } from './source.ts';

const USAGE = 'usage: inventory.mjs --list | --host NAME   (env COC_SITE, COC_OPTION, COC_INVENTORY_DIR, COC_CDKTF_OUT)';

export function dynamicInventory(argv: string[], env: NodeJS.ProcessEnv): { code: number; out?: string; err?: string } {
  const list = argv.length === 1 && argv[0] === '--list';
  const host = argv.length === 2 && argv[0] === '--host' ? argv[1] : undefined;
  if (!list && !host) return { code: 2, err: `coc dynamic inventory: expected --list or --host NAME, got "${argv.join(' ')}"\n${USAGE}` };
  try {
    const model = loadModel({
      site: env.COC_SITE || DEFAULT_SITE,
      option: env.COC_OPTION || undefined,
      defaultOption: true,
      ...(env.COC_INVENTORY_DIR ? { inventoryDir: env.COC_INVENTORY_DIR } : {}),
      ...(env.COC_CDKTF_OUT ? { cdktfOut: env.COC_CDKTF_OUT } : {}),
    });
    if (list) return { code: 0, out: JSON.stringify(toListJson(model)) };
    const vars = Object.hasOwn(model.hostvars, host!) ? model.hostvars[host!] : undefined;
    if (!vars) return { code: 2, err: `coc dynamic inventory: unknown host "${host}" in ${model.site}/${model.option ?? '-'}` };
    return { code: 0, out: JSON.stringify(vars) };
  } catch (e) {
    // The loader's own positioned messages, unchanged, so they match `coc inventory validate`.
    if (e instanceof InputError) return { code: 2, err: e.message };
    return { code: 1, err: e instanceof Error ? e.message : String(e) };
  }
}

const res = dynamicInventory(process.argv.slice(2), process.env);
if (res.out !== undefined) process.stdout.write(res.out + '\n');
if (res.err !== undefined) process.stderr.write(res.err + '\n');
process.exitCode = res.code;
