// `coc workloads render`: the Pulumi program run under mocks, printed as multi-document
// YAML a reviewer can read or `kubectl apply` without the Pulumi CLI.
import { resolve } from 'node:path';
import { choiceFlag, parseFlags } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { checkOutputFile, GENERATED_BY, writeOutputFile } from '../cli/write.ts';
import { toYaml } from './render.ts';
import { parseSettings, readStackSettings, type Settings } from './settings.ts';
import { synthesize } from './synth.ts';

const CMD = 'workloads';
const USAGE = `usage: coc workloads render [--stack NAME] [--site oog] [--option 1|2] [--pattern 1|2|3] [--k6-dir DIR] [--out FILE]

Renders the COC application tier (namespaces girs, vedh, ioc, ops) as Kubernetes YAML:
the Pulumi program in workloads/ run under Pulumi mocks (no Pulumi CLI needed).
  --stack     read settings from workloads/Pulumi.<NAME>.yaml (flags override it)
  --site      inventory site (default oog)
  --option    deployment option (default 2)
  --pattern   Table 19 pattern the upload/API tiers are sized for (default 2)
  --k6-dir    where the k6 bundles are (default k6/dist; built there when missing)
  --out       write to FILE instead of standard output (a new file, or one coc wrote)
See docs/workloads.md.`;

function fitLine(f: { nodeVcpu: number; nodeRamGiB: number; requestedCores: number; requestedGiB: number; fits: boolean }): string {
  return `Requests at sized replicas: ${f.requestedCores} cores, ${f.requestedGiB.toFixed(1)} GiB; node VMs (WEB, AP, ETL, OLAP/BI, IOC web): ${f.nodeVcpu} vCPU, ${f.nodeRamGiB} GB${f.fits ? '' : ' — DOES NOT FIT'}.`;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  if (sub !== 'render') throw new InputError(`unknown subcommand "${sub}"; expected render`);
  const { values: v, positionals } = parseFlags(rest, {
    stack: { type: 'string' }, site: { type: 'string' }, option: { type: 'string' }, pattern: { type: 'string' },
    'k6-dir': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (v.help) { console.log(USAGE); return 0; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; options start with --`);
  const pattern = choiceFlag(CMD, 'pattern', v.pattern, ['1', '2', '3'] as const);
  if (v.option !== undefined && !/^(option)?\d+$/.test(v.option)) throw new InputError(`--option: expected a number such as 2, got "${v.option}"`);
  // A bad --out is refused before the program runs.
  if (v.out !== undefined) checkOutputFile(v.out);

  // Without a stack file, OOG option 2 (GIRS with the data platform and dashboard) is the default.
  const base: Settings = v.stack ? readStackSettings(v.stack) : parseSettings(v.site === undefined ? { option: '2' } : {}, 'defaults');
  const settings = parseSettings({
    ...base,
    ...(v.site !== undefined ? { site: v.site } : {}),
    ...(v.option !== undefined ? { option: v.option } : {}),
    ...(pattern !== undefined ? { pattern: Number(pattern) } : {}),
    ...(v['k6-dir'] !== undefined ? { k6: { ...base.k6, dir: resolve(v['k6-dir']) } } : {}),
  }, 'flags');
  const result = await synthesize(settings);
  const s = result.sizing;
  const header = [
    `COC application tier, stack ${result.stack}: rendered from workloads/ under Pulumi mocks (no preview, no cluster); ${GENERATED_BY} workloads render.`,
    `Pattern ${s.pattern}: ${s.reportsPerSecond.toFixed(4)} reports/s at peak, ${s.reportSizeMB} MB each, ${s.dataMBps.toFixed(2)} MB/s; ${s.perCoreReportsPerSecond} reports/s per core, target utilisation ${s.targetUtilisation}.`,
    `girs-upload ${s.upload.replicas} replicas (max ${s.upload.maxReplicas}), girs-api ${s.api.replicas} replicas; k6 parallelism ${s.loadTest.parallelism}.`,
    fitLine(result.plan.fit),
  ].join('\n');
  if (!result.plan.fit.fits) console.error(`warning: ${fitLine(result.plan.fit)}`);
  const text = toYaml(result.manifests, header);
  if (v.out !== undefined) {
    const out = writeOutputFile(v.out, text);
    console.error(`wrote ${result.manifests.length} objects to ${out}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
