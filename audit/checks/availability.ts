// Availability: N+1 per virtual platform and for the DB tier, vCPU:pCPU, cluster quorum,
// and backup/integrity per the class-4 text quoted in §3.5.2 (1); at CCOP §4.5.2.
import { analysePlatforms, hostCapacity, reserveOf, type ClusterAnalysis } from '../../sizing/index.ts';
import type { CheckResult, Status } from '../types.ts';
import { configured } from './config.ts';
import { check, worst, type AuditContext } from './context.ts';
import { fx } from './performance.ts';

export function availabilityChecks(ctx: AuditContext): CheckResult[] {
  if (ctx.view.site === 'ccop') return odbChecks(ctx);
  const clusters = analysePlatforms(ctx.view);
  return [
    ...['A', 'B'].map((p) => platformCheck(ctx, p, clusters.find((c) => c.cluster === `Platform ${p}`))),
    haCheck(ctx), dbCheck(ctx), vcpuCheck(ctx, clusters), quorumCheck(ctx, clusters),
    drCheck(ctx), integrityCheck(ctx), backupCheck(ctx), offsiteCheck(ctx),
  ];
}

function platformCheck(ctx: AuditContext, p: string, c: ClusterAnalysis | undefined): CheckResult {
  const id = `availability.n+1.platform-${p.toLowerCase()}`;
  if (!c || c.hosts.length === 0) return check(id, 'AVAIL-HA-SERVERS', `N+1 on Virtual Platform ${p}`, 'fail', [`no Virtual Platform ${p} hosts in the bill`]);
  const r = reserveOf(ctx.view);
  const evidence = [
    `${c.hosts.length} host(s): ${c.hosts.map((h) => `${h.host} ${h.cores} cores, ${h.ramGB} GB − ${fx(h.reserveGB, 2)} GB reserve (${r.hostReserveGB} GB host + ${r.reservePerStorageTBGB} GB × ${fx(h.localStorageTB, 2)} TB local ZFS; VM disks on the FC SAN are not counted) = ${fx(h.usableRamGB, 2)} GB usable, runs ${fx(h.vmRamGB)} GB/${h.vcpu} vCPU`).join('; ')}`,
  ];
  if (!c.baselineHolds) evidence.push('FAIL even with every host up the VMs do not fit');
  if (c.hosts.length < 2) evidence.push('FAIL a single host has no survivor to fail over to');
  for (const s of c.scenarios) {
    const moved = s.restarts.map((m) => `${m.vm} (${m.ramGB} GB) → ${m.to ?? 'NO ROOM'}`).join(', ') || 'nothing to restart';
    const after = s.after.map((a) => `${a.host} ${fx(a.vmRamGB)}/${fx(a.usableRamGB, 2)} GB, ${a.vcpu}/${a.vcpuCeiling} vCPU`).join('; ');
    evidence.push(`${s.holds ? 'HOLDS' : 'SHORT'} lose ${s.failed}: ${moved}${s.coveredByTwin.length ? `; twin keeps ${s.coveredByTwin.join(', ')}` : ''}${s.staysDown.length ? `; waits: ${s.staysDown.join(', ')}` : ''}; after: ${after}${s.ramShortfallGB > 0 ? `; short by ${fx(s.ramShortfallGB, 2)} GB RAM` : ''}`);
  }
  const shortfall = Math.max(0, ...c.scenarios.map((s) => s.ramShortfallGB));
  const holds = c.holds && c.hosts.length >= 2;
  return check(id, 'AVAIL-HA-SERVERS', `N+1 on Virtual Platform ${p}: any one host down, the survivors run every VM that must keep running`, holds ? 'pass' : 'fail', evidence,
    [...new Set(c.hosts.map((h) => h.source)), ...ctx.view.vms.filter((v) => v.platform === p).map((v) => v.source)], { hosts: c.hosts.length, ramShortfallGB: shortfall });
}

function dbCheck({ view }: AuditContext): CheckResult {
  const db = view.hosts.filter((h) => h.role === 'db');
  const id = 'availability.n+1.db';
  if (db.length < 2) return check(id, 'AVAIL-HA-SERVERS', 'N+1 on the DB tier', 'fail', [`${db.length} DB server(s): a streaming replica needs at least 2`], db.map((h) => h.source), { dbServers: db.length });
  // Each Patroni member holds the whole database, so a survivor carries the primary's load
  // only if it is as large as the largest member.
  const r = reserveOf(view);
  const caps = db.map((h) => hostCapacity(h, { ...r, reservePerStorageTBGB: r.reservePerStorageTBGB }));
  const largest = Math.max(...db.map((h) => h.ramGB));
  const smallest = Math.min(...db.map((h) => h.ramGB));
  const coresMin = Math.min(...db.map((h) => h.cpuCores));
  const coresMax = Math.max(...db.map((h) => h.cpuCores));
  const even = largest === smallest && coresMin === coresMax;
  return check(id, 'AVAIL-HA-SERVERS', 'N+1 on the DB tier: any one DB server down, a replica takes over at full size', even ? 'pass' : 'warn', [
    `${db.length} DB servers (${db.map((h) => `${h.name} ${h.cpuCores} cores/${h.ramGB} GB`).join(', ')}); Patroni promotes a replica when the primary is lost, ${db.length - 1} remain`,
    even ? 'members are identical, so any survivor carries the primary load' : `members differ (${coresMin}–${coresMax} cores, ${smallest}–${largest} GB): a smaller survivor runs the primary with less`,
    `bare metal, no hypervisor reserve; usable RAM per member ${caps.map((c) => fx(c.ramGB)).join('/')} GB`,
  ], db.map((h) => h.source), { dbServers: db.length, survivors: db.length - 1 });
}

function vcpuCheck({ view }: AuditContext, clusters: ClusterAnalysis[]): CheckResult {
  const ceiling = reserveOf(view).vcpuPerCoreCeiling;
  const rows: string[] = [];
  const statuses: Status[] = [];
  let worstBase = 0;
  let worstAfter = 0;
  for (const c of clusters) {
    for (const h of c.hosts) {
      const ratio = h.vcpu / h.cores;
      worstBase = Math.max(worstBase, ratio);
      statuses.push(ratio > ceiling ? 'fail' : 'pass');
      rows.push(`${h.host}: ${h.vcpu} vCPU on ${h.cores} cores = ${fx(ratio, 2)}:1`);
    }
    for (const s of c.scenarios) for (const a of s.after) {
      const ratio = a.vcpu / a.cores;
      if (ratio > worstAfter) worstAfter = ratio;
      if (ratio > ceiling) { statuses.push('fail'); rows.push(`after losing ${s.failed}, ${a.host}: ${a.vcpu} vCPU on ${a.cores} cores = ${fx(ratio, 2)}:1 exceeds ${ceiling}:1`); }
    }
  }
  rows.unshift(`ceiling ${ceiling}:1 (hypervisor.vcpuPerCoreCeiling); worst ${fx(worstBase, 2)}:1 with every host up, ${fx(worstAfter, 2)}:1 after any single host loss`);
  return check('availability.vcpu-ratio', 'AVAIL-HA-SERVERS', 'vCPU:pCPU ratio stays under the ceiling, also after a host loss', worst(statuses), rows,
    view.hosts.filter((h) => h.role === 'platform').map((h) => h.source), { ceiling, worstRatio: Math.round(worstBase * 100) / 100, worstRatioAfterLoss: Math.round(worstAfter * 100) / 100 });
}

function quorumCheck({ view }: AuditContext, clusters: ClusterAnalysis[]): CheckResult {
  const qdev = view.hypervisor?.quorumDevice ?? '';
  const qHost = view.hosts.find((h) => new RegExp(`\\b${h.name}\\b`).test(qdev)) ?? view.devices.find((d) => new RegExp(`\\b${d.name}\\b`).test(qdev));
  const evidence: string[] = [];
  const statuses: Status[] = [];
  const lines: string[] = [];
  for (const c of clusters) {
    const n = c.hosts.length;
    if (n >= 3) { evidence.push(`${c.cluster}: ${n} nodes, ${Math.floor(n / 2) + 1} votes make quorum, one loss leaves ${n - 1}`); statuses.push(n % 2 ? 'pass' : 'warn'); continue; }
    if (n < 2) { evidence.push(`${c.cluster}: ${n} node, nothing to fail over to`); statuses.push('fail'); continue; }
    if (!qdev) { evidence.push(`${c.cluster}: 2 nodes and no QDevice (hypervisor.quorumDevice unset): losing one node loses quorum and HA stops`); statuses.push('fail'); continue; }
    if (!qHost) { evidence.push(`${c.cluster}: QDevice "${qdev}" names no host in the bill`); statuses.push('fail'); continue; }
    if (c.hosts.some((h) => h.host === qHost.name)) { evidence.push(`${c.cluster}: the QDevice runs on ${qHost.name}, a member of the same cluster; it adds no independent vote`); statuses.push('fail'); continue; }
    evidence.push(`${c.cluster}: 2 nodes + QDevice on ${qHost.name} (${qHost.rowName}, ${qHost.source}) = 3 votes; one loss leaves 2, quorum holds`);
    statuses.push('pass');
    lines.push(qHost.source);
  }
  if (qHost && clusters.length > 1) evidence.push(`one QNetd serves ${clusters.length} clusters; losing ${qHost.name} alone costs each cluster one vote of three and no quorum`);
  const db = view.hosts.filter((h) => h.role === 'db');
  if (db.length >= 3) { evidence.push(`DB tier: etcd on the ${db.length} DB servers, quorum ${Math.floor(db.length / 2) + 1}, survives one loss`); statuses.push('pass'); }
  else if (db.length === 2) { evidence.push('DB tier: 2 DB servers; an etcd of 2 members loses quorum on one loss and Patroni demotes the primary. A third etcd member (e.g. on Virtualization Management) is not in the inventory'); statuses.push('warn'); }
  return check('availability.quorum', 'AVAIL-HA-SERVERS', 'Each cluster keeps quorum with one member down', worst(statuses), evidence,
    [...lines, ...db.map((h) => h.source)], { quorumDevice: qHost?.name ?? null, clusters: clusters.length, dbMembers: db.length });
}

function drCheck({ view }: AuditContext): CheckResult {
  return check('availability.dr-site', 'AVAIL-DR-1P1', 'DR site (class 4 "mode 1+1")', 'warn', [
    'no DR-site hardware in the bill: the survey assumed a 1+1 DR site is not needed (§3.5.2 (1)) and excluded it (Table 33); an external backup stands in (see availability.offsite)',
    `offsite: ${view.backup.offsite || 'none'}`,
  ]);
}

function linesWith(ctx: AuditContext, re: RegExp) {
  return ctx.lines.filter((l) => re.test(`${l.item} ${l.specs ?? ''}`));
}

/** What the inventory's Proxmox Backup Server block configures (ansible-bridge role pbs_server). */
function pbsJobs(view: AuditContext['view']): { store: string; verify: string; replica: string | null; push: string } | null {
  const p = view.backup.pbs;
  if (!p) return null;
  const [primary, ...replicas] = p.servers;
  return {
    store: `Proxmox Backup Server ${primary} datastore ${p.datastore} (${p.path}), prune at "${p.prune.schedule}"`,
    verify: `PBS verify job verify-${p.datastore} at "${p.verify.schedule}" on ${p.servers.join(', ')}, re-verifying snapshots older than ${p.verify.outdatedAfterDays} days (SHA-256 chunk digests)`,
    replica: replicas.length ? `${replicas.join(', ')} pull${replicas.length > 1 ? '' : 's'} a second copy from ${primary} at "${p.replicaSync.schedule}"` : null,
    push: `push sync job push-${p.offsite.remote} from ${primary} to ${p.offsite.remote}:${p.offsite.store} at "${p.offsite.schedule}"`,
  };
}

function integrityCheck(ctx: AuditContext): CheckResult {
  const ic = ctx.view.backup.integrityCheck.trim();
  const pbs = pbsJobs(ctx.view);
  const sec = linesWith(ctx, /server security management/i);
  // The inventory's words (backup.integrityCheck) are a claim; the PBS verify job is the control.
  const verify = configured(ctx, 'backup-verification', 'backup verification (PBS verify job)');
  const status: Status = verify.ok && sec.length ? 'pass' : ic || verify.ok || sec.length ? 'warn' : 'fail';
  return check('availability.integrity', 'SEC-CLASS4-INTEGRITY', 'Data integrity is checked and changes are detected and warned', status, [
    ic ? `inventory says: ${ic}` : 'the inventory names no integrity check (backup.integrityCheck)',
    ...(pbs ? [pbs.verify] : []),
    ...verify.evidence,
    sec.length ? `change detection and warnings: ${sec.map((l) => `${l.source} ${l.item} (${l.product})`).join('; ')}` : 'no server security management middleware line to detect changes',
  ], sec.map((l) => l.source));
}

function backupCheck(ctx: AuditContext): CheckResult {
  const { view } = ctx;
  const st = view.storage;
  const d2d = st.filter((s) => s.diskToDiskCopy);
  const rows = [...view.backup.target.matchAll(/#(\d+)/g)].map((m) => m[1]!);
  const sources = new Set(ctx.lines.map((l) => l.source));
  const tables = view.tables;
  const missingRows = rows.filter((r) => !tables.some((t) => sources.has(`${t} #${r}`)));
  const evidence = [
    ...st.map((s) => `${s.source} ${s.name}: ${s.dataTB} TB data${s.osTB ? ` + ${s.osTB} TB OS` : ''}, RAID ${s.raid}, hot spare ${s.hotSpare ? 'yes' : 'no'}, disk-to-disk copy ${s.diskToDiskCopy ? 'equipped' : 'NOT equipped'}`),
    `inventory says: backup target ${view.backup.target || 'none'}; schedule ${view.backup.schedule}; retention ${view.backup.retention.daily} daily/${view.backup.retention.weekly} weekly/${view.backup.retention.monthly} monthly`,
  ];
  const pbs = pbsJobs(view);
  if (pbs) evidence.push(pbs.store, pbs.replica ?? 'a single backup server: no second copy on site');
  if (missingRows.length) evidence.push(`the backup target names row(s) ${missingRows.map((r) => `#${r}`).join(', ')} which are not in this option's bill`);
  const singleServer = !!pbs && !pbs.replica;
  // Schedule and retention count only as configured: the stacks' backup jobs and their prune settings.
  const schedule = configured(ctx, 'backup-schedule', 'backup schedule (proxmox_backup_job)');
  const retention = configured(ctx, 'backup-retention', 'backup retention (proxmox_backup_job prune_backups)');
  evidence.push(...schedule.evidence, ...retention.evidence);
  const status: Status = !st.length || d2d.length < st.length || !view.backup.target.trim() || missingRows.length ? 'fail'
    : st.every((s) => s.hotSpare) && !singleServer && schedule.ok && retention.ok ? 'pass' : 'warn';
  return check('availability.backup', 'SEC-CLASS4-BACKUP', 'A fault-tolerant backup system ensures recovery', status, evidence,
    [...st.map((s) => s.source), ...rows.flatMap((r) => tables.map((t) => `${t} #${r}`)).filter((s) => sources.has(s))], { storageDevices: st.length, diskToDiskCopy: d2d.length });
}

function offsiteCheck(ctx: AuditContext): CheckResult {
  const { view } = ctx;
  const off = view.backup.offsite.trim();
  const pbs = pbsJobs(view);
  if (!off) return check('availability.offsite', 'AVAIL-OFFSITE-BACKUP', 'Data is backed up at an external site', 'fail', ['no offsite copy in the inventory (backup.offsite) although Table 33 requires one']);
  // Class-4 data leaves the site only as ciphertext: the push job, encrypted-only, and client-side encryption.
  const push = configured(ctx, 'offsite-copy', 'off-site copy (PBS push sync job)');
  const encOnly = configured(ctx, 'offsite-encrypted-only', 'encrypted-only off-site copy (sync job option encrypted-only)');
  const enc = configured(ctx, 'backup-encryption', 'client-side backup encryption (proxmox_storage_pbs encryption_key)');
  const ok = push.ok && encOnly.ok && enc.ok;
  return check('availability.offsite', 'AVAIL-OFFSITE-BACKUP', 'Data is backed up at an external site, encrypted', ok ? 'pass' : 'warn', [
    `inventory says: ${off}`, ...(pbs ? [pbs.push] : []), ...push.evidence, ...encOnly.evidence, ...enc.evidence,
    'the external site (private cloud) is outside the bill: its PBS (pbs_offsite_host), capacity and contract are site inputs',
  ]);
}

/** Proxmox HA: every VM that must keep running is an HA resource, and twins are kept apart. */
function haCheck(ctx: AuditContext): CheckResult {
  const ha = configured(ctx, 'ha', 'Proxmox HA (proxmox_haresource, anti-affinity proxmox_harule)');
  const required = ctx.view.vms.filter((v) => v.ha.required);
  return check('availability.ha', 'AVAIL-HA-SERVERS', 'HA mode servers: Proxmox HA manages every VM that must keep running; redundant pairs never share a node', ha.ok ? 'pass' : 'warn', [
    `inventory: ${required.length} VM(s) with ha.required, ${new Set(ctx.view.vms.filter((v) => v.pairId).map((v) => v.pairId)).size} redundant pair(s)`,
    ...ha.evidence,
  ], required.map((v) => v.source));
}

function odbChecks(ctx: AuditContext): CheckResult[] {
  const { view } = ctx;
  const tape = linesWith(ctx, /tape/i);
  return [
    check('availability.backup-site', 'ODB-BACKUP-SITE', 'Backup site (§4.5.2)', 'warn', [
      '§4.5.2 assumes a backup site is required, but §6.2.1 leaves it out of the bill because its location is undecided: no line provides it',
      `inventory note: ${view.backup.offsite}`,
    ]),
    check('availability.raid', 'ODB-RAID', 'Storage is redundant by RAID', view.storage.length && view.storage.every((s) => /\d/.test(s.raid)) ? 'pass' : 'fail',
      view.storage.length ? view.storage.map((s) => `${s.source} ${s.name}: RAID ${s.raid}, ${s.dataTB} TB ${s.diskType}, hot spare ${s.hotSpare ? 'yes' : 'no'}, disk-to-disk copy ${s.diskToDiskCopy ? 'yes' : 'no'}`) : ['no storage device in the bill'],
      view.storage.map((s) => s.source)),
    check('availability.tape', 'ODB-TAPE', 'Media backup with a tape device', tape.length ? 'pass' : 'fail',
      tape.length ? tape.map((l) => `${l.source} ${l.item}`) : [`missing: §4.5.2 asks for media backup on a tape device, but no line of ${view.tables.join('/')} is a tape device (the backup plan assumes "${view.backup.target}")`],
      tape.map((l) => l.source)),
  ];
}
