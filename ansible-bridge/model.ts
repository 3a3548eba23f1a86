// One Ansible inventory model built from the site view: the dynamic script (--list) and the
// static YAML export both render this, so the two can never disagree with each other or
// with what the stacks and the audit read.
import type { DeviceView, HostView, SiteView } from '../inventory/index.ts';
import { inCidr } from '../inventory/crossref.ts';
import type { StackFacts } from './stack-outputs.ts';

export type Vars = Record<string, unknown>;
export interface AnsibleGroup { hosts: string[]; children: string[]; vars: Vars }
export interface AnsibleModel {
  site: string;
  option: string | null;
  /** Group vars of `all`: site-wide settings. */
  allVars: Vars;
  groups: Record<string, AnsibleGroup>;
  hostvars: Record<string, Vars>;
}

/** Ansible group names allow letters, digits and "_" only. */
export function groupName(...parts: string[]): string {
  return parts.map((p) => p.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')).filter(Boolean).join('_');
}

/** Drop nulls so host vars say only what the inventory knows. */
function compact(v: Vars): Vars {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined));
}

/** The host a free-text setting such as hypervisor.quorumDevice names, if any. */
export function namedHost(text: string, names: Iterable<string>): string | null {
  for (const n of [...names].sort((a, b) => b.length - a.length)) {
    if (new RegExp(`(^|[^a-z0-9-])${n.replace(/[-]/g, '\\-')}($|[^a-z0-9-])`).test(text)) return n;
  }
  return null;
}

/** The site's database server outside the Patroni tier: CCOP's "Database" row (Table 40 #4). */
function isStandaloneDb(h: HostView): boolean {
  return h.role === 'server' && /database/i.test(h.rowName);
}

export function buildModel(view: SiteView, facts: StackFacts = {}): AnsibleModel {
  const groups: Record<string, AnsibleGroup> = {};
  const hostvars: Record<string, Vars> = {};
  const group = (name: string, vars: Vars = {}): AnsibleGroup => {
    const g = (groups[name] ??= { hosts: [], children: [], vars: {} });
    Object.assign(g.vars, vars);
    return g;
  };
  const add = (name: string, host: string) => { const g = group(name); if (!g.hosts.includes(host)) g.hosts.push(host); };
  const child = (parent: string, name: string) => { const g = group(parent); group(name); if (!g.children.includes(name)) g.children.push(name); };
  const siteGroup = groupName('site', view.site);
  const zones = new Map(view.zones.map((z) => [z.name, z]));
  const zoneOf = (name: string) => groupName('zone', name);

  const placement = (u: HostView | DeviceView): Vars => ({
    coc_role: u.role, coc_row: u.rowName, coc_source: u.source, coc_device_class: u.deviceClass,
    coc_rack: u.rack, coc_ru: u.ru, coc_ru_size: u.ruSize, coc_location: u.location,
    coc_zone: u.zone, coc_vlan: u.vlan,
  });

  // Physical servers (Proxmox nodes, DB servers, virtualization management, CCOP servers, display controllers).
  for (const h of view.hosts) {
    if (!h.ip) continue;
    hostvars[h.name] = compact({
      ansible_host: h.ip, coc_kind: 'server', ...placement(h),
      coc_platform: h.platform, coc_cpu_cores: h.cpuCores, coc_ram_gb: h.ramGB, coc_disk_gb: h.diskGB,
    });
    add(siteGroup, h.name);
    add(groupName('role', h.role), h.name);
    if (h.zone) add(zoneOf(h.zone), h.name);
    add('linux', h.name);
    if (h.role === 'platform' && h.platform) {
      const nodes = groupName('platform', h.platform, 'nodes');
      add(nodes, h.name);
      child(groupName('platform', h.platform), nodes);
      child('proxmox_nodes', nodes);
      // One Proxmox cluster per platform: the first node listed creates it, the others join.
      group(nodes, { pve_cluster_name: `${view.site}-platform-${h.platform.toLowerCase()}` });
    }
    if (h.role === 'db') { add('db_servers', h.name); add('patroni', h.name); add('etcd', h.name); }
    if (isStandaloneDb(h)) { add('db_servers', h.name); add('pg_standalone', h.name); }
    if (h.role === 'display-control') add('display_controllers', h.name);
  }

  // Devices with an address (firewalls, switches, SAN, sensors, PCs). Units without one
  // (displays, video multiplexers) cannot be reached, so they stay out of the inventory.
  for (const d of view.devices) {
    if (!d.ip) continue;
    hostvars[d.name] = compact({ ansible_host: d.ip, coc_kind: 'device', ...placement(d), coc_ram_gb: d.ramGB });
    add(siteGroup, d.name);
    add(groupName('role', d.role), d.name);
    if (d.zone) add(zoneOf(d.zone), d.name);
    if (['firewall', 'l2-switch', 'l3-switch', 'fc-switch', 'security-sensor'].includes(d.role)) child('network_devices', groupName('role', d.role));
  }

  // VMs on the Proxmox platforms.
  for (const v of view.vms) {
    hostvars[v.name] = compact({
      ansible_host: v.ip, coc_kind: 'vm', coc_role: v.role, coc_source: v.source, coc_subsystem: v.subsystem,
      coc_platform: v.platform, coc_proxmox_node: v.node, coc_vmid: facts.vmIds?.[v.name] ?? null,
      coc_vcpu: v.vcpu, coc_ram_gb: v.ramGB, coc_disk_gb: v.diskGB,
      coc_zone: v.zone, coc_vlan: v.vlan, coc_cidr: v.cidr, coc_gateway: v.gateway,
      coc_ports: v.ports, coc_pair: v.pairId, coc_ha_required: v.ha.required,
    });
    add(siteGroup, v.name);
    const role = groupName('vm', v.role);
    add(role, v.name);
    child('vms', role);
    add(groupName('subsystem', v.subsystem), v.name);
    add(zoneOf(v.zone), v.name);
    add('linux', v.name);
    const onPlatform = groupName('platform', v.platform, 'vms');
    add(onPlatform, v.name);
    child(groupName('platform', v.platform), onPlatform);
  }

  for (const [name, g] of Object.entries(groups)) {
    if (!name.startsWith('zone_')) continue;
    const z = [...zones.values()].find((z) => zoneOf(z.name) === name)!;
    Object.assign(g.vars, { coc_zone_vlan: z.vlan, coc_zone_cidr: z.cidr, coc_zone_gateway: z.gateway });
  }

  const ips = new Map(Object.entries(hostvars).map(([n, v]) => [n, v.ansible_host as string]));
  const resolve = (what: string, names: readonly string[]) => names.map((n) => {
    const ip = ips.get(n);
    if (!ip) throw new Error(`settings.${what} names "${n}", which has no address in ${view.site}/${view.option ?? '-'}; expected a VM or server with an ip`);
    return ip;
  });
  for (const n of view.settings.logShipping) if (hostvars[n]) add('log_servers', n);
  for (const n of view.backup.pbs?.servers ?? []) if (hostvars[n]) add('backup_servers', n);
  for (const n of view.settings.ntp) if (hostvars[n]) add('ntp_servers', n);

  // The QDevice host breaks ties for the 2-node platform clusters.
  const qdevice = view.hypervisor?.quorumDevice ? namedHost(view.hypervisor.quorumDevice, Object.keys(hostvars)) : null;
  if (qdevice && groups.proxmox_nodes) add('qdevice', qdevice);

  // Networks whose flows reach the DB servers on 5432 (app tier, operators): pg_hba entries.
  const appNetworks = (dbHosts: string[]) => {
    const dbZones = new Set(dbHosts.map((h) => hostvars[h]!.coc_zone as string));
    return [...new Set(view.flows.filter((f) => dbZones.has(f.to) && f.ports.includes(5432) && !dbZones.has(f.from)).map((f) => zones.get(f.from)!.cidr))];
  };
  const patroni = groups.patroni?.hosts ?? [];
  if (patroni.length) {
    // etcd needs three voters to survive a host loss; with two DB servers (Option 1) the
    // QDevice host is the third, as an etcd witness without PostgreSQL.
    if (patroni.length < 3 && qdevice) add('etcd', qdevice);
    const memberNets = [...new Set(patroni.map((h) => view.zones.find((z) => inCidr(ips.get(h)!, z.cidr))?.cidr).filter((c): c is string => !!c))];
    group('patroni', {
      patroni_scope: view.site === 'oog' ? 'girs' : view.site,
      patroni_pg_hba_cluster_networks: memberNets,
      patroni_pg_hba_app_networks: appNetworks(patroni),
    });
    group('etcd', { etcd_site: view.site });
  }
  const standalone = groups.pg_standalone?.hosts ?? [];
  if (standalone.length) group('pg_standalone', { pg_cluster_name: view.site === 'ccop' ? 'odb' : view.site, pg_app_networks: appNetworks(standalone) });

  // Proxmox Backup Server jobs for the pbs_server role, servers resolved to addresses.
  const p = view.backup.pbs;
  const pbs = p && {
    servers: p.servers.map((n, i) => ({ name: n, ip: resolve(`backup.pbs.servers[${i}]`, [n])[0] })),
    datastore: p.datastore, path: p.path, user: p.user,
    prune_schedule: p.prune.schedule, verify_schedule: p.verify.schedule, verify_outdated_after_days: p.verify.outdatedAfterDays,
    replica_sync_schedule: p.replicaSync.schedule,
    offsite: { remote: p.offsite.remote, store: p.offsite.store, schedule: p.offsite.schedule },
  };
  const allVars: Vars = {
    coc_site: view.site, coc_option: view.option, coc_title: view.title,
    coc_domain: view.settings.domain,
    coc_networks: view.zones.map((z) => z.cidr),
    coc_ntp_servers: resolve('ntp', view.settings.ntp),
    coc_dns_servers: resolve('dns', view.settings.dns),
    coc_ldap_servers: resolve('ldap', view.settings.ldap),
    coc_log_servers: resolve('logShipping', view.settings.logShipping),
    coc_backup: {
      schedule: view.backup.schedule, retention: view.backup.retention, target: view.backup.target,
      offsite: view.backup.offsite, integrity_check: view.backup.integrityCheck,
      ...(pbs ? { pbs } : {}),
    },
    ...(view.hypervisor ? { coc_hypervisor: view.hypervisor.product, coc_quorum_device: qdevice } : {}),
  };
  // Sorted, so exports diff cleanly between runs.
  for (const g of Object.values(groups)) { g.hosts.sort(); g.children.sort(); }
  return { site: view.site, option: view.option, allVars: compact(allVars), groups: sortKeys(groups), hostvars: sortKeys(hostvars) };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Groups no other group lists as a child: the children of `all`. */
export function topGroups(m: AnsibleModel): string[] {
  const nested = new Set(Object.values(m.groups).flatMap((g) => g.children));
  return Object.keys(m.groups).filter((g) => !nested.has(g));
}

/** Ansible's script protocol: `--list` output. */
export function toListJson(m: AnsibleModel): Record<string, unknown> {
  const out: Record<string, unknown> = {
    _meta: { hostvars: m.hostvars },
    all: { children: topGroups(m), vars: m.allVars },
  };
  for (const [name, g] of Object.entries(m.groups)) out[name] = { hosts: g.hosts, children: g.children, vars: g.vars };
  return out;
}

/** Static YAML inventory: every host's vars once, under its site group; other groups list it by name. */
export function toStaticTree(m: AnsibleModel): Record<string, unknown> {
  const siteGroup = groupName('site', m.site);
  const render = (name: string): Record<string, unknown> => {
    const g = m.groups[name]!;
    const node: Record<string, unknown> = {};
    if (Object.keys(g.vars).length) node.vars = g.vars;
    if (g.hosts.length) node.hosts = Object.fromEntries(g.hosts.map((h) => [h, name === siteGroup ? m.hostvars[h] : null]));
    if (g.children.length) node.children = Object.fromEntries(g.children.map((c) => [c, render(c)]));
    return node;
  };
  return { all: { vars: m.allVars, children: Object.fromEntries(topGroups(m).map((g) => [g, render(g)])) } };
}

