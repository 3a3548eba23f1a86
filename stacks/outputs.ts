// Stack outputs carrying plain JSON values for the audit and the Ansible bridge.
import type { Construct } from 'constructs';
import { Lazy, TerraformOutput } from './cdktf.ts';

/**
 * A Terraform output whose value is passed through untouched: wrapped in a lazy token
 * so cdktf neither walks it (it chokes on nulls) nor rewrites its keys.
 */
export function jsonOutput(scope: Construct, name: string, description: string, value: unknown): TerraformOutput {
  return new TerraformOutput(scope, name, {
    staticId: true,
    description,
    value: Lazy.anyValue({ produce: () => value }),
  });
}
