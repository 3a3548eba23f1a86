// The stacks' public face for the audit: which synthesized resource and argument implements
// each security/availability control, read from the Terraform JSON (never from the inventory's
// words). The audit cites `where` as evidence; `ok: false` is a resource that should implement
// the control and does not (docs/adr/0012-audit-reads-configuration.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SiteView } from '../inventory/index.ts';
import { App } from './cdktf.ts';
import { checkDmzToDb } from './policy.ts';
import { SiteStack } from './site-stack.ts';
import { readStacks, type TfJson } from './synth.ts';
import { pgSchemaName } from './backend.ts';

export type StackControl = 'backup-encryption' | 'backup-schedule' | 'backup-retention' | 'ha' | 'db-isolation';

export interface ControlEvidence {
  control: StackControl;
  /** Implemented by this resource (false: the resource exists but lacks the argument). */
  ok: boolean;
  /** `<stack>/<resource type>.<name>/<argument>` */
  where: string;
  detail: string;
}

export const stackNameOf = (view: SiteView) => (view.option ? `${view.site}-${view.option}` : view.site);

/** Synthesize the stack of one inventory view into a throw-away directory and return its JSON. */
export function synthesizeView(view: SiteView): { stack: string; tf: TfJson } {
  const stack = stackNameOf(view);
  const dir = mkdtempSync(join(tmpdir(), 'coc-evidence-'));
  try {
    const app = new App({ outdir: dir, stackTraces: false });
    // The backend does not matter for evidence; fixed so the environment cannot change it.
    new SiteStack(app, stack, view, { kind: 'pg', schemaName: pgSchemaName(stack) });
    app.synth();
    return { stack, tf: readStacks(dir, [stack]).get(stack)! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Res = Record<string, any>;
const resources = (tf: TfJson, type: string): [string, Res][] => Object.entries<Res>(tf.resource?.[type] ?? {});

export function stackControls(stack: string, tf: TfJson): ControlEvidence[] {
  const out: ControlEvidence[] = [];
  const at = (type: string, name: string, arg: string) => `${stack}/${type}.${name}/${arg}`;

  for (const [n, s] of resources(tf, 'proxmox_storage_pbs')) {
    out.push({
      control: 'backup-encryption', ok: typeof s.encryption_key === 'string' && s.encryption_key !== '', where: at('proxmox_storage_pbs', n, 'encryption_key'),
      detail: s.encryption_key ? `${s.encryption_key}: Proxmox VE encrypts every backup to ${s.server}:${s.datastore} before it leaves the node` : `not set: backups to ${s.server}:${s.datastore} leave the node unencrypted`,
    });
  }
  for (const [n, j] of resources(tf, 'proxmox_backup_job')) {
    const scope = j.all === true ? 'every guest' : Array.isArray(j.vmid) && j.vmid.length ? `VMs ${j.vmid.join(', ')}` : null;
    out.push({
      control: 'backup-schedule', ok: !!j.schedule && !!scope && j.enabled !== false, where: at('proxmox_backup_job', n, 'schedule'),
      detail: j.schedule ? `"${j.schedule}", ${scope ?? 'no guests selected'}, mode ${j.mode ?? '?'}, to storage ${j.storage}${j.enabled === false ? ', DISABLED' : ''}` : 'no schedule',
    });
    const keep = Object.entries<string>(j.prune_backups ?? {}).filter(([k, v]) => k.startsWith('keep-') && Number(v) > 0);
    out.push({
      control: 'backup-retention', ok: keep.length > 0, where: at('proxmox_backup_job', n, 'prune_backups'),
      detail: keep.length ? keep.map(([k, v]) => `${k} ${v}`).join(', ') : 'no retention: backups are never pruned or the storage default applies',
    });
  }

  // HA: every VM the inventory marks HA-required is a Proxmox HA resource; pairs are kept apart.
  const ha = new Map(resources(tf, 'proxmox_haresource').map(([n, r]) => [String(r.resource_id), n]));
  const placement = (tf.output?.vm_placement?.value ?? []) as { name: string; vmId: number; ha?: { required?: boolean } }[];
  for (const v of placement.filter((p) => p.ha?.required)) {
    const name = ha.get(`vm:${v.vmId}`);
    out.push({
      control: 'ha', ok: !!name, where: name ? at('proxmox_haresource', name, 'resource_id') : `${stack}/output.vm_placement/${v.name}`,
      detail: name ? `vm:${v.vmId} (${v.name}) is managed by Proxmox HA` : `${v.name} (vm:${v.vmId}) must keep running but is no HA resource`,
    });
  }
  const rules = resources(tf, 'proxmox_harule').filter(([, r]) => r.type === 'resource-affinity' && r.affinity === 'negative');
  const ids = new Map(placement.map((p) => [p.name, `vm:${p.vmId}`]));
  for (const [pair, members] of Object.entries<string[]>(tf.output?.redundant_pairs?.value ?? {})) {
    if (members.length < 2) continue;
    const want = members.map((m) => ids.get(m));
    const rule = rules.find(([, r]) => want.every((id) => (r.resources ?? []).includes(id)));
    out.push({
      control: 'ha', ok: !!rule, where: rule ? at('proxmox_harule', rule[0], 'resources') : `${stack}/output.redundant_pairs/${pair}`,
      detail: rule ? `negative resource affinity keeps ${members.join(' and ')} on different nodes` : `no anti-affinity rule for the pair ${members.join(', ')}`,
    });
  }

  // Isolation of the DB zone: firewalls on, input dropped, and no ACCEPT rule from the DMZ to the DB zone.
  for (const [n, f] of resources(tf, 'proxmox_virtual_environment_cluster_firewall')) {
    out.push({
      control: 'db-isolation', ok: f.enabled === true && f.input_policy === 'DROP', where: at('proxmox_virtual_environment_cluster_firewall', n, 'input_policy'),
      detail: `cluster firewall ${f.enabled === true ? 'enabled' : 'NOT enabled'}, input policy ${f.input_policy}`,
    });
  }
  const vmFw = resources(tf, 'proxmox_virtual_environment_firewall_options');
  if (vmFw.length) {
    const open = vmFw.filter(([, f]) => !(f.enabled === true && f.input_policy === 'DROP'));
    out.push({
      control: 'db-isolation', ok: open.length === 0, where: `${stack}/proxmox_virtual_environment_firewall_options.*/input_policy`,
      detail: open.length ? `VM firewall off or not dropping input: ${open.map(([n]) => n).join(', ')}` : `all ${vmFw.length} VM firewalls enabled with input policy DROP`,
    });
  }
  const groups = resources(tf, 'proxmox_virtual_environment_cluster_firewall_security_group');
  if (groups.length) {
    const leaks = checkDmzToDb(tf);
    out.push({
      control: 'db-isolation', ok: leaks.length === 0, where: `${stack}/proxmox_virtual_environment_cluster_firewall_security_group.*/rule`,
      detail: leaks.length ? leaks.join('; ') : `no ACCEPT rule of the ${groups.length} security groups lets the DMZ reach the DB zone (aliases and IP sets resolved)`,
    });
  }
  return out;
}
