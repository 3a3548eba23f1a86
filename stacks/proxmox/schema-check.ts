// Checks synthesized Terraform JSON against the bpg/proxmox argument tree read from
// the provider docs at v0.111.1 (reference/bpg-proxmox-v0.111.1.json). No provider
// binary can be fetched here, so this is what stands in for `terraform validate`.
import { readFileSync } from 'node:fs';

export interface ArgNode {
  required: boolean;
  children: Record<string, ArgNode>;
}
export interface ReferenceSchema {
  provider: string;
  revision: string;
  provider_arguments: Record<string, ArgNode>;
  resources: Record<string, { deprecated: boolean; arguments: Record<string, ArgNode> }>;
}

export type ViolationKind = 'unknown-type' | 'deprecated-type' | 'unknown-argument' | 'missing-required';
export interface Violation {
  kind: ViolationKind;
  /** e.g. `resource.proxmox_virtual_environment_vm.web.cpu.cores` */
  path: string;
  message: string;
}

const REFERENCE_URL = new URL('./reference/bpg-proxmox-v0.111.1.json', import.meta.url);

let cached: ReferenceSchema | undefined;
export function loadReferenceSchema(): ReferenceSchema {
  cached ??= JSON.parse(readFileSync(REFERENCE_URL, 'utf8')) as ReferenceSchema;
  return cached;
}

/** Terraform meta-arguments: valid on every resource / provider block, not in provider schemas. */
const RESOURCE_META = new Set(['//', 'depends_on', 'provider', 'count', 'for_each', 'lifecycle', 'provisioner', 'connection']);
const PROVIDER_META = new Set(['//', 'alias']);

/**
 * Blocks whose doc lists arguments as "required" for alternative shapes. A block is
 * complete when one alternative is fully present; the listed names are then not
 * reported individually.
 * - provider: an API token replaces username/password (or a ticket pair).
 * - firewall_rules.rule: either a rule (action + type) or a security-group insertion.
 */
const ALTERNATIVES: Record<string, string[][]> = {
  'provider': [['api_token'], ['username', 'password'], ['auth_ticket', 'csrf_prevention_token']],
  'proxmox_virtual_environment_firewall_rules.rule': [['security_group'], ['action', 'type']],
};

function walk(value: Record<string, unknown>, args: Record<string, ArgNode>, key: string, path: string, meta: Set<string>, out: Violation[]): void {
  for (const [name, v] of Object.entries(value)) {
    if (meta.has(name)) continue;
    const node = args[name];
    if (!node) {
      out.push({ kind: 'unknown-argument', path: `${path}.${name}`, message: `"${name}" is not an argument of ${key.replace(/\./g, ' → ')}` });
      continue;
    }
    if (Object.keys(node.children).length === 0 || v === null || typeof v !== 'object') continue;
    const blocks = Array.isArray(v) ? v : [v];
    blocks.forEach((b, i) => {
      if (b && typeof b === 'object' && !Array.isArray(b)) {
        walk(b as Record<string, unknown>, node.children, `${key}.${name}`, Array.isArray(v) ? `${path}.${name}[${i}]` : `${path}.${name}`, new Set(), out);
      }
    });
  }
  const alternatives = ALTERNATIVES[key];
  const covered = new Set(alternatives?.flat() ?? []);
  if (alternatives && !alternatives.some((alt) => alt.every((a) => value[a] !== undefined))) {
    out.push({ kind: 'missing-required', path, message: `${key} needs one of: ${alternatives.map((a) => a.join(' + ')).join(' | ')}` });
  }
  for (const [name, node] of Object.entries(args)) {
    if (node.required && !covered.has(name) && value[name] === undefined) {
      out.push({ kind: 'missing-required', path: `${path}.${name}`, message: `required argument "${name}" of ${key} is missing` });
    }
  }
}

/** Every provider block and resource of a cdk.tf.json object, checked against the reference. */
export function checkTerraformJson(tf: unknown, schema: ReferenceSchema = loadReferenceSchema()): Violation[] {
  const out: Violation[] = [];
  const doc = (tf ?? {}) as { provider?: Record<string, unknown>; resource?: Record<string, Record<string, unknown>> };
  const local = schema.provider.split('/').pop() ?? 'proxmox';
  for (const [name, blocks] of Object.entries(doc.provider ?? {})) {
    if (name !== local) continue; // other providers are not ours to check
    (Array.isArray(blocks) ? blocks : [blocks]).forEach((b, i) => {
      walk(b as Record<string, unknown>, schema.provider_arguments, 'provider', `provider.${name}[${i}]`, PROVIDER_META, out);
    });
  }
  for (const [type, instances] of Object.entries(doc.resource ?? {})) {
    if (!type.startsWith(`${local}_`)) continue;
    const res = schema.resources[type];
    if (!res) {
      out.push({ kind: 'unknown-type', path: `resource.${type}`, message: `${type} is not a ${schema.provider} resource type` });
      continue;
    }
    if (res.deprecated) {
      out.push({ kind: 'deprecated-type', path: `resource.${type}`, message: `${type} is deprecated in ${schema.provider} ${schema.revision}; use its current name` });
    }
    for (const [id, body] of Object.entries(instances)) {
      walk(body as Record<string, unknown>, res.arguments, type, `resource.${type}.${id}`, RESOURCE_META, out);
    }
  }
  return out;
}

export function formatViolations(vs: Violation[]): string {
  return vs.map((v) => `${v.kind}: ${v.path}: ${v.message}`).join('\n');
}
