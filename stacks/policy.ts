// Policies over the synthesized Terraform JSON (what would be applied), as plain
// functions returning human-readable violations; an empty list means compliant.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TfJson } from './synth.ts';

type Res = Record<string, any>;

const resources = (tf: TfJson, type: string): Array<[string, Res]> => Object.entries<Res>(tf.resource?.[type] ?? {});
const outputValue = <T>(tf: TfJson, name: string): T | undefined => tf.output?.[name]?.value as T | undefined;
const providerOf = (r: Res): string => String(r.provider ?? 'proxmox');

interface VmFacts {
  id: string;
  name: string;
  provider: string;
  node: string;
  vmId: number;
  cores: number;
  memoryMB: number;
  bridges: string[];
  ip: string | null;
}

function vmFacts(tf: TfJson): VmFacts[] {
  return resources(tf, 'proxmox_virtual_environment_vm').map(([id, r]) => {
    const cpu = (Array.isArray(r.cpu) ? r.cpu[0] : r.cpu) ?? {};
    const mem = (Array.isArray(r.memory) ? r.memory[0] : r.memory) ?? {};
    const init = (Array.isArray(r.initialization) ? r.initialization[0] : r.initialization) ?? {};
    const addr: string | undefined = init.ip_config?.[0]?.ipv4?.address;
    return {
      id, name: String(r.name ?? id), provider: providerOf(r), node: String(r.node_name), vmId: Number(r.vm_id),
      cores: Number(cpu.cores ?? 1) * Number(cpu.sockets ?? 1), memoryMB: Number(mem.dedicated ?? 512),
      bridges: (r.network_device ?? []).map((n: Res) => String(n.bridge)), ip: addr ? addr.split('/')[0]! : null,
    };
  });
}

// ------------------------------------------------------------------ capacity
interface NodeCapacity { name: string; vcpuCapacity: number; ramCapacityMB: number }

/** Per node: the VMs placed on it fit its vCPU ceiling and its RAM after the host reserve. */
export function checkCapacity(tf: TfJson): string[] {
  const nodes = new Map((outputValue<NodeCapacity[]>(tf, 'platform_nodes') ?? []).map((n) => [n.name, n]));
  const use = new Map<string, { cores: number; mem: number; vms: string[] }>();
  for (const vm of vmFacts(tf)) {
    const u = use.get(vm.node) ?? { cores: 0, mem: 0, vms: [] };
    u.cores += vm.cores; u.mem += vm.memoryMB; u.vms.push(vm.name);
    use.set(vm.node, u);
  }
  const out: string[] = [];
  for (const [node, u] of use) {
    const cap = nodes.get(node);
    if (!cap) { out.push(`node ${node} (VMs ${u.vms.join(', ')}) is not a platform host of this stack`); continue; }
    if (u.cores > cap.vcpuCapacity) out.push(`node ${node}: ${u.cores} vCPU placed (${u.vms.join(', ')}) > capacity ${cap.vcpuCapacity}`);
    if (u.mem > cap.ramCapacityMB) out.push(`node ${node}: ${u.mem} MB RAM placed (${u.vms.join(', ')}) > capacity ${cap.ramCapacityMB} MB`);
  }
  return out;
}

// ------------------------------------------------------------------ pairs
/** Redundant pairs run on different nodes and carry a negative resource-affinity rule. */
export function checkPairs(tf: TfJson): string[] {
  const pairs = outputValue<Record<string, string[]>>(tf, 'redundant_pairs') ?? {};
  const vms = new Map(vmFacts(tf).map((v) => [v.name, v]));
  const rules = resources(tf, 'proxmox_harule').map(([, r]) => r);
  const out: string[] = [];
  for (const [pair, names] of Object.entries(pairs)) {
    const members = names.map((n) => vms.get(n));
    const missing = names.filter((_, i) => !members[i]);
    if (missing.length) { out.push(`pair ${pair}: VM(s) ${missing.join(', ')} not in the stack`); continue; }
    const placed = members as VmFacts[];
    const byNode = new Map<string, string[]>();
    for (const m of placed) byNode.set(m.node, [...(byNode.get(m.node) ?? []), m.name]);
    for (const [node, on] of byNode) if (on.length > 1) out.push(`pair ${pair}: ${on.join(' and ')} are both on ${node}`);
    for (const provider of new Set(placed.map((m) => m.provider))) {
      const ids = placed.filter((m) => m.provider === provider).map((m) => `vm:${m.vmId}`);
      if (ids.length < 2) continue;
      const ok = rules.some((r) => providerOf(r) === provider && r.type === 'resource-affinity' && r.affinity === 'negative' && ids.every((id) => (r.resources ?? []).includes(id)));
      if (!ok) out.push(`pair ${pair}: no negative resource-affinity rule covers ${ids.join(', ')}`);
    }
  }
  return out;
}

// ------------------------------------------------------------------ HA
/** Every VM is HA-managed or has a recorded reason in the `ha_exemptions` output. */
export function checkHa(tf: TfJson): string[] {
  const exempt = outputValue<Record<string, string>>(tf, 'ha_exemptions') ?? {};
  const ha = new Set(resources(tf, 'proxmox_haresource').map(([, r]) => `${providerOf(r)} ${r.resource_id}`));
  return vmFacts(tf)
    .filter((vm) => !ha.has(`${vm.provider} vm:${vm.vmId}`) && !(typeof exempt[vm.name] === 'string' && exempt[vm.name]!.trim().length >= 10))
    .map((vm) => `VM ${vm.name} (vm:${vm.vmId}) has neither an HA resource nor a recorded reason`);
}

// ------------------------------------------------------------------ backup
/** Every backup job writes to a storage this stack creates on the same cluster, and waits for it. */
export function checkBackupStorage(tf: TfJson): string[] {
  const storages = resources(tf, 'proxmox_storage_pbs');
  return resources(tf, 'proxmox_backup_job').flatMap(([name, job]) => {
    const target = storages.find(([, s]) => s.id === job.storage && providerOf(s) === providerOf(job));
    if (!target) return [`backup job ${job.id} writes to storage "${job.storage}", which no proxmox_storage_pbs of ${providerOf(job)} creates`];
    const dep = `proxmox_storage_pbs.${target[0]}`;
    return (job.depends_on as string[] | undefined)?.includes(dep) ? [] : [`backup job ${name} does not depend on ${dep}`];
  });
}

// ------------------------------------------------------------------ firewall
type Range = [number, number];

function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`not an IPv4 address: "${ip}"`);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function cidrRange(cidr: string): Range {
  const [ip, bits = '32'] = cidr.trim().split('/');
  const n = ipToInt(ip!);
  const b = Number(bits);
  const size = 2 ** (32 - b);
  const lo = Math.floor(n / size) * size;
  return [lo, lo + size - 1];
}

const overlaps = (a: Range[], b: Range[]) => a.some(([l1, h1]) => b.some(([l2, h2]) => l1 <= h2 && l2 <= h1));
const intersect = (a: Range[], b: Range[]): Range[] =>
  a.flatMap(([l1, h1]) => b.flatMap(([l2, h2]): Range[] => (Math.max(l1, l2) <= Math.min(h1, h2) ? [[Math.max(l1, l2), Math.min(h1, h2)]] : [])));
const ANY: Range[] = [[0, 2 ** 32 - 1]];

/**
 * No ACCEPT rule lets traffic from the DMZ zone reach the DB zone, whatever the rule
 * order (a conservative reading). Addresses are resolved through aliases and IP sets;
 * a rule without source/dest stands for any address (in) or the guests it applies to.
 */
export function checkDmzToDb(tf: TfJson, dmzZone = 'dmz', dbZone = 'db'): string[] {
  const out: string[] = [];
  const aliases = new Map<string, Range[]>();
  for (const [, r] of resources(tf, 'proxmox_virtual_environment_firewall_alias')) aliases.set(`${providerOf(r)} ${r.name}`, [cidrRange(r.cidr)]);
  const ipsets = new Map<string, Range[]>();
  for (const [, r] of resources(tf, 'proxmox_virtual_environment_firewall_ipset')) {
    ipsets.set(`${providerOf(r)} ${r.name}`, (r.cidr ?? []).filter((c: Res) => !c.nomatch).map((c: Res) => cidrRange(c.name)));
  }
  const zoneRange = (zone: string): Range[] => {
    const hit = [...aliases.entries()].find(([k]) => k.endsWith(` net-${zone}`));
    return hit ? hit[1] : [];
  };
  const dmz = zoneRange(dmzZone);
  const db = zoneRange(dbZone);
  if (!dmz.length || !db.length) return out; // no such zones in this stack: nothing to check

  const resolve = (provider: string, spec: unknown): Range[] => {
    if (spec === undefined || spec === null || String(spec).trim() === '') return ANY;
    return String(spec).split(',').flatMap((raw): Range[] => {
      const item = raw.trim().replace(/^(\+)?(dc|guest)\//, '$1');
      if (item.startsWith('+')) return ipsets.get(`${provider} ${item.slice(1)}`) ?? ANY;
      const alias = aliases.get(`${provider} ${item}`);
      if (alias) return alias;
      const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(item);
      if (range) return [[ipToInt(range[1]!), ipToInt(range[2]!)]];
      return /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(item) ? [cidrRange(item)] : ANY;
    });
  };

  // Which addresses each rule list protects: a VM's address, a node's, or every host (cluster level).
  const vms = vmFacts(tf);
  const hosts = outputValue<Array<{ name: string; ip: string | null }>>(tf, 'platform_nodes') ?? [];
  const membersOf = (r: Res, provider: string): Range[] => {
    if (r.vm_id !== undefined) {
      const vm = vms.find((v) => v.provider === provider && v.vmId === Number(r.vm_id));
      return vm?.ip ? [cidrRange(vm.ip)] : ANY;
    }
    if (r.node_name !== undefined) {
      const h = hosts.find((x) => x.name === r.node_name);
      return h?.ip ? [cidrRange(h.ip)] : ANY;
    }
    return hosts.flatMap((h) => (h.ip ? [cidrRange(h.ip)] : []));
  };
  const groups = new Map<string, Res[]>();
  for (const [, g] of resources(tf, 'proxmox_virtual_environment_cluster_firewall_security_group')) groups.set(`${providerOf(g)} ${g.name}`, g.rule ?? []);

  const judge = (where: string, provider: string, rule: Res, members: Range[]) => {
    if (rule.action !== 'ACCEPT' || rule.enabled === false) return;
    const src = rule.type === 'out' ? (rule.source ? intersect(resolve(provider, rule.source), members) : members) : resolve(provider, rule.source);
    const dst = rule.type === 'out' ? resolve(provider, rule.dest) : (rule.dest ? intersect(resolve(provider, rule.dest), members) : members);
    if (overlaps(src, dmz) && overlaps(dst, db)) {
      out.push(`${where}: ${rule.type} ACCEPT ${rule.source ?? 'any'} → ${rule.dest ?? 'any'} ${rule.proto ?? ''} ${rule.dport ?? ''} lets the ${dmzZone} zone reach the ${dbZone} zone`.replace(/\s+/g, ' '));
    }
  };
  for (const [id, r] of resources(tf, 'proxmox_virtual_environment_firewall_rules')) {
    const provider = providerOf(r);
    const members = membersOf(r, provider);
    for (const rule of r.rule ?? []) {
      if (rule.security_group) {
        for (const gr of groups.get(`${provider} ${rule.security_group}`) ?? []) judge(`${id} → group ${rule.security_group}`, provider, gr, members);
      } else {
        judge(id, provider, rule, members);
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ secrets
const SECRET_TEXT: Array<[RegExp, string]> = [
  [/PVEAPIToken=/i, 'a Proxmox API token header'],
  [/[\w.-]+@[\w.-]+![\w.-]+[=:]\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, 'a Proxmox API token (user@realm!id=secret)'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\$[1256]y?\$[^$\s"]{1,16}\$[./0-9A-Za-z]{20,}/, 'a crypt(3) password hash'],
];
const SECRET_KEYS = /^(password|passwd|api_token|token|secret|private_key|auth_ticket|csrf_prevention_token|otp|socks5_password)$/i;
const VAR_REF = /^\$\{var\.[A-Za-z0-9_-]+\}$/;

function secretKeys(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) { value.forEach((v, i) => secretKeys(v, `${path}[${i}]`, out)); return; }
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(k) && typeof v === 'string' && v !== '' && !VAR_REF.test(v)) out.push(`${path}.${k} holds a literal value; expected a sensitive variable reference`);
    secretKeys(v, `${path}.${k}`, out);
  }
}

/** No token, password, key or hash anywhere under `dir` (every file, JSON checked structurally too). */
export function scanSecrets(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      const text = readFileSync(p, 'utf8');
      for (const [re, what] of SECRET_TEXT) if (re.test(text)) out.push(`${p}: contains ${what}`);
      if (name.endsWith('.json')) {
        try { secretKeys(JSON.parse(text), p, out); } catch { /* not JSON after all: the text scan covered it */ }
      }
    }
  };
  walk(dir);
  return out;
}

/** All stack policies of one synthesized stack. */
export function checkStack(tf: TfJson): string[] {
  return [...checkCapacity(tf), ...checkPairs(tf), ...checkHa(tf), ...checkBackupStorage(tf), ...checkDmzToDb(tf)];
}
