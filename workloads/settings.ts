// What one stack of the application tier is deployed with: the site/option/pattern that
// select the inventory and the sizing, plus our own assumptions (each with a reason).
// The Pulumi program reads these from stack config (`coc:*`); `coc workloads render`
// reads the same keys from a Pulumi.<stack>.yaml file or takes them from flags.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../cli/errors.ts';
import { positive } from '../inventory/index.ts';
import { overrideNumber, type Overrides } from '../sizing/index.ts';
import { formatIssue, SourceFile } from '../inventory/validate.ts';

export const WORKLOADS_DIR = dirname(fileURLToPath(import.meta.url));
/** Pulumi's config namespace: the project name in Pulumi.yaml. */
export const CONFIG_NAMESPACE = 'coc';

// Cores per pod: a fraction of a core up to a large node; the queueing arithmetic needs a bound.
const podCores = z.number({ error: 'a number of cores from 0.1 to 64' }).min(0.1, { error: 'a number of cores from 0.1 to 64' }).max(64, { error: 'a number of cores from 0.1 to 64' });
const reason = z.string().min(10, 'a one-line reason (at least 10 characters)');

export const SettingsSchema = z.strictObject({
  site: z.string().default('oog'),
  /** "2" or "option2"; may be left out for a site with a single option. */
  option: z.coerce.string().optional(),
  pattern: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2),
  /** Public DNS suffix of the Ingress hosts; defaults to the inventory's settings.domain. */
  domain: z.string().optional(),
  /** Name of an existing kubernetes.io/tls Secret in each namespace with an Ingress; keys never live here. */
  tlsSecretName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Secret name').default('coc-tls'),
  ingressClassName: z.string().default('nginx'),
  /** Namespace of the ingress controller: the only in-cluster source allowed to reach the web tier. */
  ingressNamespace: z.string().default('ingress-nginx'),
  registry: z.string().default('registry.coc.oog.gov.vn/coc'),
  imageTag: z.string().default('1.0.0'),
  /** Cores one upload / API pod requests; the per-core ingest rate of the sizing model scales with it. */
  uploadPodCores: podCores.default(1),
  apiPodCores: podCores.default(1),
  /** Upload bodies are buffered once on receipt and once while parsed/virus-scanned. */
  uploadBufferFactor: positive.default(2),
  /**
   * Uploads one upload pod holds at once. Uploads from ministries and provinces are slow
   * (client bandwidth, Little's law), so at peak the number in flight, not CPU, bounds the
   * tier: 16 × report size × buffer factor keeps a pod's memory under about 0.6 GiB at 10 MB.
   */
  uploadSlotsPerPod: positive.default(16),
  /** Overrides the sizing model's per-core ingest rate (reports/s per core; measured by bench:intake). Range: sizing/overrides.ts. */
  perCoreReportsPerSecond: overrideNumber('perCoreReportsPerSecond').optional(),
  /** Overrides the sizing model's target utilisation. Range: sizing/overrides.ts. */
  targetUtilisation: overrideNumber('targetUtilisation').optional(),
  /** HPA ceiling as a multiple of the sized replicas (deadline-day bursts beyond the model). */
  hpaHeadroom: positive.default(2),
  k6: z.strictObject({
    /** What one k6 runner pod can drive: a project assumption, not a measurement. */
    perPodReportsPerSecond: positive.default(10),
    perPodMBps: positive.default(25),
    reason: reason.default('One k6 pod with 1 vCPU/2 GiB: 10 MB multipart bodies are bound by the pod NIC share and memory (about 200 Mbps), not by k6 iterations'),
    /** Bundle file to run; defaults to girs-p<pattern>.js written by `npm run k6:build`. */
    script: z.string().optional(),
    /** Directory of the bundles; defaults to k6/dist. */
    dir: z.string().optional(),
    scenario: z.string().default('peak'),
  }).prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;

export function parseSettings(raw: unknown, where: string): Settings {
  const res = SettingsSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!res.success) {
    // Name the key and what the stack gave for it, as the CLI names the flag and its value.
    const given = (i: (typeof res.error.issues)[number]) => (i.path.length && i.input !== undefined ? `, got ${JSON.stringify(i.input)}` : '');
    const msgs = res.error.issues.map((i) => `${where}: ${CONFIG_NAMESPACE}:${i.path.join('.')}: ${i.message}${given(i)}`);
    throw new InputError(msgs.join('\n'));
  }
  return res.data;
}

/** The sizing what-ifs a stack sets, under the same keys the model takes. */
export function sizingOverrides(s: Settings): Overrides {
  return {
    ...(s.targetUtilisation === undefined ? {} : { targetUtilisation: s.targetUtilisation }),
    ...(s.perCoreReportsPerSecond === undefined ? {} : { perCoreReportsPerSecond: s.perCoreReportsPerSecond }),
  };
}

/** Strip the `coc:` namespace from a Pulumi config map. */
export function fromConfigMap(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const [ns, key] = k.includes(':') ? k.split(':', 2) as [string, string] : [CONFIG_NAMESPACE, k];
    if (ns === CONFIG_NAMESPACE) out[key] = v;
  }
  return out;
}

export function stackFile(stack: string, dir = WORKLOADS_DIR): string {
  return join(dir, `Pulumi.${stack}.yaml`);
}

/** Read a Pulumi.<stack>.yaml the way `pulumi` would, without the CLI. */
export function readStackSettings(stack: string, dir = WORKLOADS_DIR): Settings {
  // A stack name, not a path: "--stack ../x" must not reach another folder.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack)) throw new InputError(`--stack: expected a stack name such as oog-option2-p2 (letters, digits, . _ -), got "${stack}"`);
  const file = stackFile(stack, dir);
  if (!existsSync(file)) throw new InputError(`no stack file ${file}; expected one of the Pulumi.<stack>.yaml files in ${dir}`);
  // The one YAML reading path: regular files only, located syntax errors, alias guard.
  const src = SourceFile.read(file);
  const syntax = src.syntaxIssues();
  if (syntax.length) throw new InputError(syntax.map(formatIssue).join('\n'));
  const { data, issue } = src.toJS();
  if (issue) throw new InputError(formatIssue(issue));
  const doc = data as { config?: Record<string, unknown> } | null;
  return parseSettings(fromConfigMap(doc?.config ?? {}), file);
}
