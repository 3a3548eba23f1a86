// Shared plumbing for the hand-written bpg/proxmox bindings. `cdktf get` cannot run
// here (no cdktf-cli, no registry access), so each resource type the stacks use is
// bound by hand and checked against the provider's argument tree (schema-check.ts).
import type { Construct } from 'constructs';
import { Lazy, TerraformResource } from '../cdktf.ts';
import type { IResolvable, TerraformMetaArguments, TerraformProviderGeneratorMetadata } from '../cdktf.ts';

export const PROVIDER_NAME = 'proxmox';
export const PROVIDER_SOURCE = 'bpg/proxmox';
// Patch releases only: bpg renames resources between 0.x minors.
export const PROVIDER_VERSION = '~> 0.111.1';

export const GENERATOR: TerraformProviderGeneratorMetadata = {
  providerName: PROVIDER_NAME,
  providerVersionConstraint: PROVIDER_VERSION,
};

/**
 * A map argument whose keys must reach Terraform exactly as written. cdktf
 * snake-cases every object key it walks, which would turn node "pve-a-01" into
 * "pve_a_01" and "keep-daily" into "keep_daily"; a resolvable is left alone.
 */
export function verbatim<T extends object>(value: T): IResolvable {
  return Lazy.anyValue({ produce: () => value });
}

function isResolvable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { resolve?: unknown }).resolve === 'function';
}

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

/** camelCase argument objects → Terraform's snake_case, dropping unset values. */
export function snakeArgs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeArgs);
  if (value === null || typeof value !== 'object' || isResolvable(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[snakeCase(k)] = snakeArgs(v);
  }
  return out;
}

export const HCL_UNSUPPORTED =
  'coc-infra stacks synthesize Terraform JSON only (cdk.tf.json); the bpg/proxmox bindings refuse HCL rather than emit empty blocks (docs/stacks.md)';

/** Base for every bpg/proxmox resource binding: typed camelCase args in, snake_case out. */
export abstract class ProxmoxResource<A extends object> extends TerraformResource {
  readonly args: A;

  protected constructor(scope: Construct, id: string, type: string, args: A, meta: TerraformMetaArguments = {}) {
    super(scope, id, { ...meta, terraformResourceType: type, terraformGeneratorMetadata: GENERATOR });
    this.args = args;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return snakeArgs(this.args) as Record<string, unknown>;
  }

  // An empty HCL block would be silently wrong; refuse instead.
  protected override synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error(HCL_UNSUPPORTED);
  }
}
