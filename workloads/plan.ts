// The application tier as plain data: which workloads an option runs, in which namespace
// and firewall zone, who may call whom, and how big each is. program.ts turns this into
// Pulumi resources; keeping it pure lets tests and docs reason about it without Pulumi.
import type { SiteView, VmView } from '../inventory/index.ts';
import { InputError } from '../cli/errors.ts';
import type { Settings } from './settings.ts';
import type { TierSize, WorkloadSizing } from './sizing-link.ts';

export const PLATFORM_HOST_LABEL = 'coc.gov.vn/platform-host';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Pod label carrying the firewall zone (inventory `zones`) the workload belongs to. */
export const POD_ZONE_LABEL = 'coc.gov.vn/zone';
export const APP_LABEL = 'app.kubernetes.io/name';

/** The virtual servers (Tables 36/39 rows) that are the Kubernetes nodes. Hadoop stays outside. */
export const NODE_ROLES = ['WEB', 'AP', 'ETL', 'OLAP/BI', 'Web (IOC)'] as const;
export const NAMESPACES = ['girs', 'vedh', 'ioc', 'ops'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export interface Workload {
  name: string;
  namespace: Namespace;
  zone: string;
  /** Inventory VM row the workload runs in place of (Tables 36/39). */
  vmRole: string;
  description: string;
  image: string;
  port: number;
  replicas: number;
  maxReplicas: number;
  cpuRequestMilli: number;
  cpuLimitMilli: number;
  memoryMiB: number;
  /** Scratch space for request bodies in flight. */
  scratchMiB: number;
  /** Workloads (by name) this one calls. */
  calls: string[];
  /** Out-of-cluster zones this one reaches, with ports (must be allowed by a flow). */
  egressZones: { zone: string; ports: number[] }[];
  /** Single machines outside the cluster this one reaches (checked against the flows of their zone). */
  egressHosts: { name: string; zone: string; ip: string; ports: number[] }[];
  ingress?: { host: string; bodyLimitMB: number };
  /** Where the size came from: `sizing` (model) or a fixed `assumption`. */
  sizedBy: 'sizing' | 'assumption';
}

export interface TierPlan {
  site: string;
  option: string;
  hosts: string[];
  namespaces: Namespace[];
  workloads: Workload[];
  targetUtilisation: number;
  /** What the node VMs offer and what the tier requests at its sized replicas. */
  fit: { nodeVcpu: number; nodeRamGiB: number; requestedCores: number; requestedGiB: number; fits: boolean };
}

/** Zones the cluster's pods live in: the zones of the node VMs. */
export function clusterZones(view: SiteView): Set<string> {
  return new Set(clusterVms(view).map((v) => v.zone));
}

function clusterVms(view: SiteView): VmView[] {
  return view.vms.filter((v) => (NODE_ROLES as readonly string[]).includes(v.role));
}

function vmOf(view: SiteView, role: string): VmView | undefined {
  return view.vms.find((v) => v.role === role);
}

/** Fixed sizes of the tiers the GIRS model does not drive: our assumptions, stated in docs/workloads.md. */
const FIXED = {
  notify: { cpu: 250, mem: 256, why: 'Table 16 notifications are a few messages per report' },
  etl: { cpu: 1000, mem: 2048, why: 'VEDH ETL batches of 100 × 1 MB transactions/day per system (§3.5.1 (3))' },
  olap: { cpu: 1000, mem: 4096, why: 'OLAP/BI cubes for a limited number of OOG staff' },
  iocWeb: { cpu: 500, mem: 512, why: 'IOC dashboard web for the IOC room and staff PCs' },
} as const;

export function planTier(settings: Settings, view: SiteView, sizing: WorkloadSizing): TierPlan {
  const site = view.site;
  const option = view.option ?? 'default';
  const vms = clusterVms(view);
  if (!vmOf(view, 'WEB') || !vmOf(view, 'AP')) {
    throw new InputError(`site ${site}${view.option ? ` ${view.option}` : ''} has no GIRS WEB/AP virtual servers in the inventory; expected an OOG option (oog --option 1 or 2)`);
  }
  const hosts = [...new Set(vms.map((v) => v.node))].sort();
  if (hosts.length < 2) throw new InputError(`the Kubernetes nodes of ${site}/${option} sit on ${hosts.length} platform host(s); §3.5.2 class 4 HA needs two`);
  const domain = settings.domain ?? view.settings.domain;
  const image = (n: string) => `${settings.registry}/${n}:${settings.imageTag}`;
  const mib = (mb: number) => Math.ceil((mb * 1e6) / 2 ** 20);
  const portOf = (role: string) => vmOf(view, role)!.ports[0]!;
  // LDAP (infra:636) backs the WEB user management and OOG staff sign-in (Table 16 #1).
  // dmz pods serve plain HTTP behind the Ingress (TLS ends there); app pods keep the inventory's port.
  const WEB_POD_PORT = 8080;
  const logZones = (zone: string) => view.flows.filter((f) => f.from === zone && f.ports.includes(6514)).map((f) => ({ zone: f.to, ports: [6514] }));

  const sized = (s: TierSize) => ({ replicas: s.replicas, maxReplicas: s.maxReplicas, cpuRequestMilli: s.cpuRequestMilli, cpuLimitMilli: s.cpuLimitMilli, memoryMiB: s.memoryMiB });
  const fixed = (f: { cpu: number; mem: number }) => ({ replicas: 2, maxReplicas: 4, cpuRequestMilli: f.cpu, cpuLimitMilli: 2 * f.cpu, memoryMiB: f.mem });
  const web = vmOf(view, 'WEB')!;
  const ap = vmOf(view, 'AP')!;
  const w: Workload[] = [
    {
      name: 'girs-upload', namespace: 'girs', zone: web.zone, vmRole: 'WEB', description: 'GIRS report web upload site (Table 16 #1)',
      image: image('girs-upload'), port: WEB_POD_PORT, ...sized(sizing.upload),
      scratchMiB: Math.ceil(sizing.upload.inFlightPerPod * mib(sizing.reportSizeMB) * 2),
      calls: ['girs-api'], egressZones: [{ zone: 'infra', ports: [636] }, ...logZones(web.zone)], egressHosts: [],
      ingress: { host: `upload.${domain}`, bodyLimitMB: Math.ceil(sizing.reportSizeMB * 2) }, sizedBy: 'sizing',
    },
    {
      name: 'girs-api', namespace: 'girs', zone: ap.zone, vmRole: 'AP', description: 'GIRS report management API (Table 16 #1)',
      image: image('girs-api'), port: portOf('AP'), ...sized(sizing.api),
      scratchMiB: Math.ceil(sizing.api.inFlightPerPod * mib(sizing.reportSizeMB)),
      calls: ['girs-notify'], egressZones: [{ zone: 'db', ports: [5432] }, { zone: 'infra', ports: [636] }, ...logZones(ap.zone)], egressHosts: [], sizedBy: 'sizing',
    },
    {
      name: 'girs-notify', namespace: 'girs', zone: ap.zone, vmRole: 'AP', description: 'Email/SMS notifications: assignment, deadline, approval/refusal (Table 16 #1)',
      image: image('girs-notify'), port: portOf('AP'), ...fixed(FIXED.notify), scratchMiB: 64,
      calls: [], egressZones: [{ zone: 'db', ports: [5432] }, ...logZones(ap.zone)],
      egressHosts: mailRelays(view), sizedBy: 'assumption',
    },
  ];
  const etl = vmOf(view, 'ETL');
  if (etl) {
    w.push({
      name: 'vedh-etl', namespace: 'vedh', zone: etl.zone, vmRole: 'ETL', description: 'VEDH ETL workers: reports and national data into the DWH (Table 16 #2)',
      image: image('vedh-etl'), port: etl.ports[0]!, ...fixed(FIXED.etl), scratchMiB: 1024,
      calls: ['girs-api'], egressZones: [{ zone: 'db', ports: [5432] }, ...logZones(etl.zone)], egressHosts: [], sizedBy: 'assumption',
    });
  }
  const olap = vmOf(view, 'OLAP/BI');
  if (olap) {
    w.push({
      name: 'vedb-olap-bi', namespace: 'vedh', zone: olap.zone, vmRole: 'OLAP/BI', description: 'VEDB OLAP/BI: aggregation and analysis (Table 16 #4)',
      image: image('vedb-olap-bi'), port: olap.ports[0]!, ...fixed(FIXED.olap), scratchMiB: 1024,
      calls: [], egressZones: [{ zone: 'db', ports: [5432] }, ...logZones(olap.zone)], egressHosts: [], sizedBy: 'assumption',
    });
  }
  const iocWeb = vmOf(view, 'Web (IOC)');
  if (iocWeb) {
    w.push({
      name: 'ioc-dashboard', namespace: 'ioc', zone: iocWeb.zone, vmRole: 'Web (IOC)', description: 'IOC dashboard web (Table 16 #5)',
      image: image('ioc-dashboard'), port: WEB_POD_PORT, ...fixed(FIXED.iocWeb), scratchMiB: 64,
      calls: olap ? ['vedb-olap-bi'] : [], egressZones: logZones(iocWeb.zone), egressHosts: [],
      ingress: { host: `ioc.${domain}`, bodyLimitMB: 1 }, sizedBy: 'assumption',
    });
  }
  checkAgainstFlows(view, w);
  const namespaces = NAMESPACES.filter((n) => n === 'ops' || w.some((x) => x.namespace === n));
  const nodeVcpu = vms.reduce((n, v) => n + v.vcpu, 0);
  const nodeRamGiB = vms.reduce((n, v) => n + v.ramGB, 0);
  const requestedCores = w.reduce((n, x) => n + (x.replicas * x.cpuRequestMilli) / 1000, 0);
  const requestedGiB = w.reduce((n, x) => n + (x.replicas * x.memoryMiB) / 1024, 0);
  const fit = { nodeVcpu, nodeRamGiB, requestedCores, requestedGiB, fits: requestedCores <= nodeVcpu && requestedGiB <= nodeRamGiB };
  return { site, option, hosts, namespaces, workloads: w, targetUtilisation: sizing.targetUtilisation, fit };
}

/** Message submission (RFC 6409): notifications hand mail to the site's gateway on this port. */
export const SMTP_SUBMISSION_PORT = 587;

/** The inventory's mail gateway VMs (`settings.mailRelay`), which the notifications tier sends through. */
function mailRelays(view: SiteView): Workload['egressHosts'] {
  const names = view.settings.mailRelay;
  if (!names.length) throw new InputError(`site ${view.site} has no settings.mailRelay in the inventory; the notifications tier (Table 16 e-mail/SMS) needs a mail gateway`);
  return names.map((n) => {
    const vm = view.vms.find((v) => v.name === n);
    if (!vm) throw new InputError(`settings.mailRelay names "${n}", which is not a VM of ${view.site}/${view.option}; expected one of ${view.vms.map((v) => v.name).join(', ')}`);
    return { name: vm.name, zone: vm.zone, ip: vm.ip, ports: [SMTP_SUBMISSION_PORT] };
  });
}

/** Every call and every egress must be a flow of the inventory (or stay inside one zone). */
export function checkAgainstFlows(view: SiteView, workloads: Workload[]): void {
  const byName = new Map(workloads.map((x) => [x.name, x]));
  const allowed = (from: string, to: string, port: number) => from === to || view.flows.some((f) => f.from === from && f.to === to && f.ports.includes(port));
  for (const x of workloads) {
    for (const c of x.calls) {
      const callee = byName.get(c);
      if (!callee) continue; // the callee is not deployed in this option
      if (!allowed(x.zone, callee.zone, callee.port)) throw new InputError(`${x.name} (${x.zone}) calls ${c} (${callee.zone}:${callee.port}) but no inventory flow allows it`);
    }
    for (const e of x.egressZones) {
      for (const p of e.ports) if (!allowed(x.zone, e.zone, p)) throw new InputError(`${x.name} (${x.zone}) needs ${e.zone}:${p} but no inventory flow allows it`);
    }
    for (const h of x.egressHosts) {
      for (const p of h.ports) if (!allowed(x.zone, h.zone, p)) throw new InputError(`${x.name} (${x.zone}) needs ${h.name} (${h.zone}):${p} but no inventory flow allows it`);
    }
  }
}
