// Platform host-loss drill. --lab: the N+1 model of sizing/nplus1.ts says, for every single
// platform host loss, which VMs restart where and whether capacity holds — a model, no
// Proxmox runs here. --target: a real Proxmox VE cluster (PROXMOX_VE_ENDPOINT,
// PROXMOX_VE_API_TOKEN): the HA resources on --node are migrated off it as
// `ha-manager crm-command node-maintenance enable` would, and the drill times each
// relocation. --dry-run prints the plan only. Evidence: evidence.json + evidence.md.
import proxmoxApi from 'proxmox-api';
import { parseFlags, numberFlag } from '../cli/args.ts';
import { InputError } from '../cli/errors.ts';
import { checkOutputFolder } from '../cli/write.ts';
import { loadInventory, siteView, type SiteView } from '../inventory/index.ts';
import { analysePlatforms, type ClusterAnalysis, type LossScenario } from '../sizing/index.ts';
import { defaultOutDir, mdTable, writeEvidence } from './lib/evidence.ts';
import { stepLogger } from './lib/steps.ts';

const DRILL = 'drill:host-loss';
const USAGE = `usage: npm run drill:host-loss -- (--lab | --target) --site oog [--option 1|2] [--node NAME] [--dry-run] [--json] [--out DIR] [--timeout SECONDS]

  --lab       model every single platform-host loss from the inventory (no Proxmox needed)
  --target    put --node in maintenance on a real Proxmox VE cluster and time HA relocation;
              needs PROXMOX_VE_ENDPOINT (https://host:8006) and PROXMOX_VE_API_TOKEN (user@realm!id=secret)
  --dry-run   print the plan, change nothing, write no evidence
Exit code: 0 capacity holds (lab) / every VM relocated (target), 1 it does not, 2 bad input.`;

export interface LabEvidence {
  drill: 'host-loss';
  mode: 'lab';
  model: true;
  note: string;
  site: string;
  option: string | null;
  clusters: ClusterAnalysis[];
  shortfalls: { cluster: string; failed: string; ramShortfallGB: number; vmsWithoutRoom: string[]; vcpuOverCeiling: string[] }[];
  holds: boolean;
}

export function labEvidence(view: SiteView): LabEvidence {
  const clusters = analysePlatforms(view);
  const shortfalls = clusters.flatMap((c) => c.scenarios.filter((s) => !s.holds).map((s) => ({
    cluster: c.cluster, failed: s.failed, ramShortfallGB: s.ramShortfallGB, vmsWithoutRoom: s.restarts.filter((m) => m.to === null).map((m) => m.vm), vcpuOverCeiling: s.vcpuOverCeiling,
  })));
  return {
    drill: 'host-loss', mode: 'lab', model: true,
    note: 'Model from the inventory (sizing/nplus1.ts): no Proxmox VE runs here. Proxmox HA is expected to restart the VMs as listed; verify with --target on the real cluster.',
    site: view.site, option: view.option, clusters, shortfalls, holds: clusters.every((c) => c.holds),
  };
}

function scenarioRows(s: LossScenario): (string | number)[][] {
  return [
    ...s.restarts.map((m) => [m.vm, `${m.ramGB} GB / ${m.vcpu} vCPU`, m.to ? `restarts on ${m.to}` : 'NO ROOM: stays down']),
    ...s.coveredByTwin.map((v) => [v, '', 'down; its twin on the survivor keeps the service']),
    ...s.staysDown.map((v) => [v, '', 'waits for its host (ha.required false)']),
  ];
}

export function labMarkdown(e: LabEvidence, view: SiteView): string {
  const out = [`# Host-loss drill (lab model): ${view.title}`, '', `${view.optionTitle}.`, '', `> ${e.note}`, '',
    `Result: **${e.holds ? 'capacity holds for every single host loss' : 'capacity does NOT hold for every single host loss'}**.`, ''];
  for (const c of e.clusters) {
    out.push(`## ${c.cluster}`, '', mdTable(['Host', 'Cores', 'RAM GB', 'Reserve GB', 'Usable GB', 'VMs', 'VM RAM GB', 'vCPU'],
      c.hosts.map((h) => [h.host, h.cores, h.ramGB, h.reserveGB, h.usableRamGB, h.vms.join(', '), h.vmRamGB, h.vcpu])), '');
    for (const s of c.scenarios) {
      out.push(`### Lose ${s.failed}: ${s.holds ? 'holds' : `SHORT${s.ramShortfallGB > 0 ? ` by ${s.ramShortfallGB} GB RAM` : ''}`}`, '');
      const rows = scenarioRows(s);
      out.push(rows.length ? mdTable(['VM', 'Size', 'Outcome'], rows) : 'No VMs on this host.', '');
      out.push(`After: ${s.after.map((a) => `${a.host} ${a.vmRamGB}/${a.usableRamGB} GB, ${a.vcpu}/${a.vcpuCeiling} vCPU`).join('; ')}`, '');
    }
  }
  return out.join('\n');
}

function plan(view: SiteView, node: string | undefined): string {
  const lines = [`Plan (${view.site} ${view.option ?? ''}):`];
  for (const c of analysePlatforms(view)) for (const s of c.scenarios) {
    if (node && s.failed !== node) continue;
    lines.push(`  ${c.cluster}: maintenance on ${s.failed} → ${s.restarts.map((m) => `${m.vm} to ${m.to ?? 'NO ROOM'}`).join(', ') || 'nothing to move'}${s.coveredByTwin.length ? `; twins keep ${s.coveredByTwin.join(', ')}` : ''}${s.staysDown.length ? `; waits: ${s.staysDown.join(', ')}` : ''}`);
  }
  lines.push('  then: watch each VM reach "running" on its new node, disable maintenance, let HA rebalance.');
  return lines.join('\n');
}

function parseToken(raw: string | undefined): { tokenID: string; tokenSecret: string } {
  const m = /^([^!=\s]+![^=\s]+)=(\S+)$/.exec(raw ?? '');
  if (!m) throw new InputError(`PROXMOX_VE_API_TOKEN: expected "user@realm!tokenid=secret"${raw ? '' : ' (unset)'}`);
  return { tokenID: m[1]!, tokenSecret: m[2]! };
}

function parseEndpoint(raw: string | undefined): { host: string; port: number; schema: 'https' | 'http' } {
  let u: URL;
  try { u = new URL(raw ?? ''); } catch { throw new InputError(`PROXMOX_VE_ENDPOINT: expected a URL such as https://pve1.example:8006${raw ? `, got "${raw}"` : ' (unset)'}`); }
  if (!['https:', 'http:'].includes(u.protocol)) throw new InputError(`PROXMOX_VE_ENDPOINT: expected http(s), got "${u.protocol}"`);
  return { host: u.hostname, port: Number(u.port || 8006), schema: u.protocol === 'http:' ? 'http' : 'https' };
}

interface Relocation { vmid: number; sid: string; from: string; to: string | null; startedMs: number; runningMs: number | null; node: string | null }

/** Migrate the HA resources off `node` (what node maintenance does) and time each to "running" elsewhere. */
async function target(view: SiteView, node: string, timeoutS: number, log: (s: string) => void): Promise<{ relocations: Relocation[]; holds: boolean }> {
  const pve = proxmoxApi({ ...parseEndpoint(process.env.PROXMOX_VE_ENDPOINT), ...parseToken(process.env.PROXMOX_VE_API_TOKEN) });
  const modeled = analysePlatforms(view).flatMap((c) => c.scenarios).find((s) => s.failed === node);
  const vms = (await pve.cluster.resources.$get({ type: 'vm' })) as { vmid?: number; node?: string; name?: string; status?: string }[];
  const ha = (await pve.cluster.ha.resources.$get()) as { sid: string }[];
  const mine = vms.filter((v) => v.node === node && ha.some((h) => h.sid === `vm:${v.vmid}`));
  log(`${mine.length} HA VM(s) on ${node}: ${mine.map((v) => v.name).join(', ') || 'none'}`);
  const t0 = Date.now();
  const rel: Relocation[] = [];
  for (const v of mine) {
    const to = modeled?.restarts.find((m) => m.vm === v.name)?.to ?? modeled?.survivors[0] ?? null;
    if (!to) { rel.push({ vmid: v.vmid!, sid: `vm:${v.vmid}`, from: node, to: null, startedMs: 0, runningMs: null, node: null }); continue; }
    await pve.cluster.ha.resources.$(`vm:${v.vmid}`).migrate.$post({ node: to });
    rel.push({ vmid: v.vmid!, sid: `vm:${v.vmid}`, from: node, to, startedMs: Date.now() - t0, runningMs: null, node: null });
    log(`migrate ${v.name} (vm:${v.vmid}) → ${to}`);
  }
  // Bounded watch: poll every 2 s until each VM runs elsewhere or the timeout passes.
  for (let i = 0; i < Math.ceil(timeoutS / 2) && rel.some((r) => r.to && r.runningMs === null); i++) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = (await pve.cluster.resources.$get({ type: 'vm' })) as { vmid?: number; node?: string; status?: string }[];
    for (const r of rel) {
      const cur = now.find((v) => v.vmid === r.vmid);
      if (r.runningMs === null && cur && cur.node !== node && cur.status === 'running') { r.runningMs = Date.now() - t0; r.node = cur.node ?? null; log(`vm:${r.vmid} running on ${r.node} after ${(r.runningMs / 1000).toFixed(1)} s`); }
    }
  }
  return { relocations: rel, holds: rel.every((r) => r.runningMs !== null) };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    lab: { type: 'boolean' }, target: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
    out: { type: 'string' }, site: { type: 'string' }, option: { type: 'string' }, node: { type: 'string' }, timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, DRILL);
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; all options are flags (see --help)`);
  if (values.lab && values.target) throw new InputError(`--lab and --target exclude each other; choose one`);
  if (!values.lab && !values.target) throw new InputError(`expected --lab (model) or --target (a real Proxmox VE cluster)`);
  if (values.out !== undefined) checkOutputFolder(values.out);
  const timeoutS = numberFlag(DRILL, 'timeout', values.timeout, (n) => n > 0 && n <= 3600, 'seconds between 1 and 3600') ?? 600;
  const inv = loadInventory();
  const site = values.site ?? 'oog';
  const view: SiteView = siteView(inv, site, values.option);
  const clusters = analysePlatforms(view);
  if (!clusters.length) throw new InputError(`site "${site}" has no virtual platform hosts (bare metal); nothing to drill`);
  const hosts = clusters.flatMap((c) => c.hosts.map((h) => h.host));
  if (values.node !== undefined && !hosts.includes(values.node)) throw new InputError(`--node: expected a platform host (${hosts.join(', ')}), got "${values.node}"`);
  if (values.target && !values.node) throw new InputError(`--target needs --node NAME, the host to put in maintenance (${hosts.join(', ')})`);
  if (values['dry-run']) { console.log(plan(view, values.node)); return 0; }
  const log = stepLogger('host-loss', Boolean(values.json));
  const out = values.out ?? defaultOutDir('host-loss');

  if (values.lab) {
    const e = labEvidence(view);
    const md = labMarkdown(e, view);
    const b = writeEvidence(out, e, md);
    log(`model: ${e.clusters.reduce((a, c) => a + c.scenarios.length, 0)} single-host losses, ${e.shortfalls.length} short`);
    if (values.json) console.log(JSON.stringify(e, null, 2));
    else console.log(`${md}\nEvidence: ${b.json}, ${b.markdown}`);
    return e.holds ? 0 : 1;
  }
  const res = await target(view, values.node!, timeoutS, log);
  const evidence = { drill: 'host-loss', mode: 'target', model: false, site: view.site, option: view.option, node: values.node, endpoint: process.env.PROXMOX_VE_ENDPOINT, ...res };
  const md = [`# Host-loss drill (target): ${values.node}`, '', mdTable(['VM', 'From', 'Planned', 'Now on', 'Running after'],
    res.relocations.map((r) => [r.sid, r.from, r.to ?? 'NO ROOM', r.node ?? '-', r.runningMs === null ? 'not within timeout' : `${(r.runningMs / 1000).toFixed(1)} s`])), '',
    'Rollback: migrate the VMs back (or `ha-manager crm-command node-maintenance disable NODE`) once the node is healthy.', ''].join('\n');
  const b = writeEvidence(out, evidence, md);
  console.log(values.json ? JSON.stringify(evidence, null, 2) : `${md}\nEvidence: ${b.json}, ${b.markdown}`);
  return res.holds ? 0 : 1;
}
