// Running the program without the Pulumi CLI or engine: Pulumi's mocks hand every
// registered resource to `newResource`, which records its (fully resolved) inputs.
// Mocks run with isDryRun = false, like an `up`: every Output resolves, so the recorded
// objects are complete manifests rather than previews with unknowns.
import type * as pulumi from '@pulumi/pulumi';

export interface Recorded {
  /** Pulumi type token, e.g. kubernetes:apps/v1:Deployment. */
  type: string;
  /** Pulumi logical name. */
  name: string;
  inputs: Record<string, unknown>;
  /** Provider reference (URN::id) the resource was registered with, if any. */
  provider?: string;
}

export const MOCK_PROJECT = 'coc';

export function recordingMocks(into: Recorded[]): pulumi.runtime.Mocks {
  return {
    newResource: (args) => {
      into.push({ type: args.type, name: args.name, inputs: structuredClone(args.inputs) as Record<string, unknown>, ...(args.provider ? { provider: args.provider } : {}) });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  };
}

/** Wait until every resource has been registered (its URN resolves once newResource ran). */
export async function settled(resources: pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map((r) => new Promise<void>((resolve) => { r.urn.apply(() => resolve()); })));
}

/** Kubernetes objects only: the provider and other Pulumi-internal resources dropped. */
export function kubernetesObjects(records: Recorded[]): Record<string, unknown>[] {
  return records.filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.inputs);
}
