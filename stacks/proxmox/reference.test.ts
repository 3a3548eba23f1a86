// The vendored argument trees must stay identical to the shared reference the project is
// checked against (bpg/proxmox v0.111.1), so the schema check never drifts from it.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const shared = new URL('../../../shared/reference/bpg-proxmox-schema.json', import.meta.url);
const vendored = new URL('./reference/bpg-proxmox-v0.111.1.json', import.meta.url);

describe('bpg/proxmox reference schema', () => {
  it.runIf(existsSync(shared))('vendored copy equals ../shared/reference/bpg-proxmox-schema.json', () => {
    expect(JSON.parse(readFileSync(vendored, 'utf8'))).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });
  it('vendored copy is the v0.111.1 tree with the resources the stacks use', () => {
    const ref = JSON.parse(readFileSync(vendored, 'utf8')) as { resources: Record<string, unknown> };
    for (const t of ['proxmox_virtual_environment_vm', 'proxmox_harule', 'proxmox_haresource', 'proxmox_sdn_zone_vlan', 'proxmox_backup_job']) {
      expect(ref.resources[t], t).toBeDefined();
    }
  });
});
