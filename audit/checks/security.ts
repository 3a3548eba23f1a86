// Security controls of §3.5.2 (2) (OOG) and §4.5.3 (CCOP): which bill lines satisfy each,
// or "missing". Middleware is matched by name: Tables 36/39 and 41 number it differently.
import type { BillLine, CheckResult, Status } from '../types.ts';
import { secId } from '../requirements.ts';
import { configured } from './config.ts';
import { check, type AuditContext } from './context.ts';

const mw = (ctx: AuditContext, re: RegExp) => ctx.lines.filter((l) => l.kind === 'middleware' && re.test(l.item));
const hw = (ctx: AuditContext, pred: (l: BillLine) => boolean) => ctx.lines.filter((l) => l.kind === 'hardware' && pred(l));
const show = (ls: BillLine[]) => ls.map((l) => `${l.source} ${l.item}${l.qty > 1 ? ` ×${l.qty}` : ''}${l.specs ? ` ("${l.specs}")` : ''}${l.product ? ` [${l.product}]` : ''}`).join('; ');

export function securityChecks(ctx: AuditContext): CheckResult[] {
  const site = ctx.view.site;
  const access = mw(ctx, /access control system|entry and exit/i);
  const gates = hw(ctx, (l) => l.role === 'entrance-control');
  const out: CheckResult[] = [];

  const racks = hw(ctx, (l) => /lock/i.test(`${l.item} ${l.specs ?? ''}`));
  const rackRows = hw(ctx, (l) => ['platform', 'db', 'server', 'virt-mgmt'].includes(l.role));
  out.push(check('security.rack-locks', secId(site, 'RACK-LOCKS'), 'Individual locks on each rack', racks.length ? 'pass' : 'warn',
    racks.length ? [show(racks)] : [`missing: no line states rack locks; the racks come with the "Servers w/Racks" rows (${[...new Set(rackRows.map((l) => l.source.split(' #')[0]))].join(', ')}) without a lock specification, so procurement must add it`],
    racks.map((l) => l.source)));

  const entryStatus: Status = access.length && gates.some((g) => /server/i.test(g.item)) ? 'pass' : access.length || gates.length ? 'warn' : 'fail';
  out.push(check('security.room-entry', secId(site, 'ROOM-ENTRY'), 'Machine room entry control (e.g. biometric)', entryStatus, [
    access.length ? `entry control software: ${show(access)}` : 'missing: no access-control (entry and exit) middleware line',
    gates.length ? `entry hardware: ${show(gates)}${gates.every((g) => !/server/i.test(g.item)) ? ' — this is the IOC room entrance; no reader/gate line for the server room' : ''}` : 'no entrance-control hardware line: readers and gates for the machine room are not in the bill',
  ], [...access, ...gates].map((l) => l.source)));

  const cams = hw(ctx, (l) => /camera|cctv|video surveillance/i.test(`${l.item} ${l.specs ?? ''}`));
  out.push(check('security.video', secId(site, 'VIDEO'), 'Constant video surveillance', cams.length ? 'pass' : access.length ? 'warn' : 'fail', cams.length ? [show(cams)] : [
    `missing: no camera line in the bill${site === 'oog' ? ' (Table 33 notes the server room entrance and servers should be monitored with cameras)' : ''}`,
    ...(access.length ? [`only the access-control middleware could record video: ${show(access)}`] : []),
  ], [...cams, ...access].map((l) => l.source)));

  const pcs = hw(ctx, (l) => l.role === 'pc');
  const noBio = pcs.filter((l) => !/biometric/i.test(l.specs ?? ''));
  const bioMw = mw(ctx, /biometric/i);
  out.push(check('security.pc-2fa', secId(site, 'PC-2FA'), 'Two-factor PC login', !pcs.length ? 'warn' : noBio.length || !bioMw.length ? 'fail' : 'pass', [
    pcs.length ? `PC rows with biometric authentication: ${pcs.length - noBio.length} of ${pcs.length} (${pcs.reduce((a, l) => a + l.qty, 0)} PCs)` : 'no PC rows',
    ...(noBio.length ? [`missing biometric on: ${show(noBio)}`] : []),
    bioMw.length ? `management: ${show(bioMw)}` : 'missing: no biometric authentication management middleware',
    'partly checkable: the second factor (token or passphrase) is configuration, not a bill line',
  ], [...pcs.filter((l) => !noBio.includes(l)), ...bioMw].map((l) => l.source), { pcRows: pcs.length, withoutBiometric: noBio.length }));

  const client = mw(ctx, /client security/i);
  const pcMgmt = mw(ctx, /client pc resource/i);
  out.push(check('security.pc-dlp', secId(site, 'PC-DLP'), 'PC data-leak protection: interface limits and PC operation logs', client.length && pcMgmt.length ? 'pass' : client.length || pcMgmt.length ? 'warn' : 'fail', [
    client.length ? `interface limitation and operation logs: ${show(client)}` : 'missing: client security management middleware',
    pcMgmt.length ? `PC resource management: ${show(pcMgmt)}` : 'missing: client PC resource management middleware',
  ], [...client, ...pcMgmt].map((l) => l.source)));

  const sensors = hw(ctx, (l) => l.role === 'security-sensor');
  const ips = hw(ctx, (l) => l.role === 'firewall' && /ips|intrusion/i.test(`${l.item} ${l.specs ?? ''}`));
  out.push(check('security.lan', secId(site, 'LAN-NAC'), 'LAN: detect/reject unauthorised PCs and data communications', sensors.length && ips.length ? 'pass' : sensors.length || ips.length ? 'warn' : 'fail', [
    sensors.length ? `unauthorised-device detection: ${show(sensors)}` : 'missing: no security sensor line',
    ips.length ? `unauthorised communications (IPS): ${show(ips)}` : 'missing: no firewall/IPS line',
  ], [...sensors, ...ips].map((l) => l.source)));

  const dbEnc = mw(ctx, /database encryption/i);
  const ssl = hw(ctx, (l) => /ssl/i.test(l.item));
  // A middleware line is procurement, not configuration: nothing in the stacks, roles or
  // manifests enables transparent encryption of the database, so at best it is not configured.
  // No evidence function reports it: no stack, role or manifest configures it.
  const dbAtRest = { ok: false, evidence: ['warn: not configured: transparent database encryption: no synthesized resource, Ansible variable or template enables it (pg_standalone/patroni set TLS only)'] };
  out.push(check('security.encryption', secId(site, 'ENCRYPTION'), 'Transparent encryption of the database (data communication: security.tls, backups: security.backup-encryption)',
    !dbEnc.length ? 'fail' : dbAtRest.ok ? 'pass' : 'warn', [
      dbEnc.length ? `bill: ${show(dbEnc)}` : 'missing: no database encryption middleware line',
      ...dbAtRest.evidence,
      ssl.length ? `communication: ${show(ssl)}` : 'communication: no dedicated line; TLS is configuration (security.tls)',
    ], [...dbEnc, ...ssl].map((l) => l.source)));

  const tls = configured(ctx, 'tls', 'TLS on data communication (database, etcd, log shipping)');
  out.push(check('security.tls', secId(site, 'ENCRYPTION'), 'Data communication is encrypted (TLS)', tls.ok ? 'pass' : 'warn', tls.evidence));

  const bk = configured(ctx, 'backup-encryption', 'client-side backup encryption (proxmox_storage_pbs encryption_key)');
  const key = configured(ctx, 'backup-key', 'the backup encryption key kept and escrowed (pbs_server role)');
  out.push(check('security.backup-encryption', secId(site, 'ENCRYPTION'), 'Backups are encrypted before they leave the Proxmox VE nodes, and the key is kept', bk.ok && key.ok ? 'pass' : 'warn',
    [...bk.evidence, ...key.evidence, ...(bk.ok ? ['key escrow: runbooks/backup-key.md'] : [])]));

  const iso = configured(ctx, 'db-isolation', 'firewall isolation of the DB zone');
  out.push(check('security.db-isolation', secId(site, 'LAN-NAC'), 'The DB zone is isolated: firewalls drop by default and nothing in the DMZ reaches it', iso.ok ? 'pass' : 'warn', [
    ...iso.evidence,
    ...(site === 'ccop' ? ['CCOP is bare metal: its firewall/IPS is placed in racks but configured by no stack or role here'] : ['the physical firewall/IPS in front of the bare-metal DB servers is placed in racks, not configured by these stacks']),
  ]));

  const logs = configured(ctx, 'log-shipping', 'log shipping to Security Management (rsyslog over TLS)');
  out.push(check('security.log-shipping', site === 'oog' ? 'T16-SECMGMT' : secId(site, 'LAN-NAC'), 'Every Linux host ships its logs to Security Management', logs.ok ? 'pass' : 'warn',
    [`inventory: log servers ${ctx.view.settings.logShipping.join(', ') || '-'}`, ...logs.evidence]));
  return out;
}
