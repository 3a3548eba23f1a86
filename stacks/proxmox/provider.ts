// The bpg/proxmox provider block. Proxmox VE is driven one cluster endpoint at a
// time, so each virtual platform cluster gets its own aliased provider instance.
import type { Construct } from 'constructs';
import { TerraformProvider } from '../cdktf.ts';
import { GENERATOR, HCL_UNSUPPORTED, PROVIDER_NAME, PROVIDER_SOURCE, snakeArgs } from './base.ts';

export interface ProxmoxProviderArgs {
  /** e.g. https://pve-a.example:8006/ — pass a sensitive TerraformVariable, never a literal. */
  endpoint: string;
  /** `user@realm!tokenid=secret`; replaces username/password. Sensitive variable only. */
  apiToken?: string;
  insecure?: boolean;
  minTls?: string;
  randomVmIds?: boolean;
  tmpDir?: string;
  ssh?: {
    agent?: boolean;
    username?: string;
    node?: Array<{ name: string; address: string; port?: number }>;
  };
  alias?: string;
}

export class ProxmoxProvider extends TerraformProvider {
  private readonly providerArgs: ProxmoxProviderArgs;
  private providerAlias: string | undefined;

  constructor(scope: Construct, id: string, args: ProxmoxProviderArgs) {
    super(scope, id, {
      terraformResourceType: PROVIDER_NAME,
      terraformGeneratorMetadata: GENERATOR,
      terraformProviderSource: PROVIDER_SOURCE,
    });
    this.providerArgs = args;
    this.providerAlias = args.alias;
  }

  override get alias(): string | undefined {
    return this.providerAlias;
  }

  override set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const { alias: _alias, ...rest } = this.providerArgs;
    return snakeArgs(rest) as Record<string, unknown>;
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error(HCL_UNSUPPORTED);
  }
}
