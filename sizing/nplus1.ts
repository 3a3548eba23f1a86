// N+1 model of a Proxmox cluster (pure over a SiteView): with any one host down, can the survivors run every VM
// that must keep running? Redundant pairs (same pairId) only need one surviving member;
// singletons with ha.required restart elsewhere; others wait for their host. Each host keeps
// hypervisor overhead free: hostReserveGB plus reservePerStorageTBGB per TB of local
// ZFS/Ceph storage. VM disks live on the FC SAN (shared LVM, no ZFS ARC), so the local
// storage counted is the host's own disks (diskGB), 0 when its row states none.
import type { HostView, SiteView, VmView } from '../inventory/index.ts';

export interface HostCapacity {
  host: string;
  source: string;
  cores: number;
  ramGB: number;
  localStorageTB: number;
  reserveGB: number;
  usableRamGB: number;
  vcpuCeiling: number;
}

export interface HostLoad extends HostCapacity {
  vms: string[];
  vcpu: number;
  vmRamGB: number;
}

export interface Move { vm: string; from: string; to: string | null; ramGB: number; vcpu: number; reason: string }

export interface LossScenario {
  cluster: string;
  failed: string;
  survivors: string[];
  /** VMs that restart on a survivor (to = null: no survivor has room). */
  restarts: Move[];
  /** Pair members whose twin on a survivor keeps the service. */
  coveredByTwin: string[];
  /** VMs allowed to wait for their host (ha.required false, no twin). */
  staysDown: string[];
  /** Survivors' load after the restarts. */
  after: HostLoad[];
  holds: boolean;
  ramShortfallGB: number;
  vcpuOverCeiling: string[];
}

export interface ClusterAnalysis {
  cluster: string;
  hosts: HostLoad[];
  baselineHolds: boolean;
  scenarios: LossScenario[];
  holds: boolean;
}

/** What the N+1 model reads of a site view (the planner page embeds only this). */
export type HostLossView = Pick<SiteView, 'hosts' | 'vms' | 'hypervisor'>;

export interface Reserve { hostReserveGB: number; reservePerStorageTBGB: number; vcpuPerCoreCeiling: number }

export function reserveOf(view: HostLossView): Reserve {
  const h = view.hypervisor;
  // Without a hypervisor block the site runs bare metal; Proxmox's documented minimums apply.
  return { hostReserveGB: h?.hostReserveGB ?? 2, reservePerStorageTBGB: h?.reservePerStorageTBGB ?? 1, vcpuPerCoreCeiling: h?.vcpuPerCoreCeiling ?? 4 };
}

export function hostCapacity(h: HostView, r: Reserve): HostCapacity {
  const localStorageTB = (h.diskGB ?? 0) / 1000;
  const reserveGB = r.hostReserveGB + r.reservePerStorageTBGB * localStorageTB;
  return { host: h.name, source: h.source, cores: h.cpuCores, ramGB: h.ramGB, localStorageTB, reserveGB, usableRamGB: h.ramGB - reserveGB, vcpuCeiling: h.cpuCores * r.vcpuPerCoreCeiling };
}

function load(cap: HostCapacity, vms: VmView[]): HostLoad {
  return { ...cap, vms: vms.map((v) => v.name), vcpu: sum(vms.map((v) => v.vcpu)), vmRamGB: sum(vms.map((v) => v.ramGB)) };
}

/** The Proxmox clusters of a view: one per virtual platform (A, B). */
export function platformClusters(view: HostLossView): { cluster: string; hosts: HostView[] }[] {
  const names = [...new Set(view.hosts.filter((h) => h.role === 'platform').map((h) => h.platform ?? '?'))].sort();
  return names.map((p) => ({ cluster: `Platform ${p}`, hosts: view.hosts.filter((h) => h.role === 'platform' && (h.platform ?? '?') === p) }));
}

export function analyseCluster(view: HostLossView, cluster: string, hosts: HostView[]): ClusterAnalysis {
  const r = reserveOf(view);
  const caps = new Map(hosts.map((h) => [h.name, hostCapacity(h, r)]));
  const vmsOn = (host: string) => view.vms.filter((v) => v.node === host);
  const baseline = hosts.map((h) => load(caps.get(h.name)!, vmsOn(h.name)));
  const baselineHolds = baseline.every((b) => b.vmRamGB <= b.usableRamGB && b.vcpu <= b.vcpuCeiling);
  const scenarios = hosts.map((failed) => lose(view, cluster, failed.name, baseline));
  return { cluster, hosts: baseline, baselineHolds, scenarios, holds: baselineHolds && scenarios.every((s) => s.holds) };
}

function lose(view: HostLossView, cluster: string, failed: string, baseline: HostLoad[]): LossScenario {
  const survivors = baseline.filter((b) => b.host !== failed).map((b) => ({ ...b, vms: [...b.vms] }));
  const survivorNames = new Set(survivors.map((s) => s.host));
  const lost = view.vms.filter((v) => v.node === failed);
  const restarts: VmView[] = [];
  const coveredByTwin: string[] = [];
  const staysDown: string[] = [];
  const pairsRestarted = new Set<string>();
  for (const vm of lost) {
    if (vm.pairId) {
      const twinAlive = view.vms.some((t) => t.pairId === vm.pairId && t.name !== vm.name && survivorNames.has(t.node));
      if (twinAlive) { coveredByTwin.push(vm.name); continue; }
      // Both members were on the failed host: one must come back.
      if (pairsRestarted.has(vm.pairId)) { staysDown.push(vm.name); continue; }
      pairsRestarted.add(vm.pairId);
      restarts.push(vm);
    } else if (vm.ha.required) restarts.push(vm);
    else staysDown.push(vm.name);
  }
  // Largest first onto the survivor with the most free RAM, as Proxmox HA's static-load
  // scheduler would; a VM no survivor has room for stays down.
  const moves: Move[] = [];
  for (const vm of [...restarts].sort((a, b) => b.ramGB - a.ramGB || a.name.localeCompare(b.name))) {
    const fits = survivors.filter((s) => s.usableRamGB - s.vmRamGB >= vm.ramGB).sort((a, b) => (b.usableRamGB - b.vmRamGB) - (a.usableRamGB - a.vmRamGB));
    const to = fits[0] ?? null;
    if (to) { to.vms.push(vm.name); to.vmRamGB += vm.ramGB; to.vcpu += vm.vcpu; }
    moves.push({ vm: vm.name, from: failed, to: to?.host ?? null, ramGB: vm.ramGB, vcpu: vm.vcpu, reason: vm.pairId ? 'whole pair was on the failed host' : vm.ha.reason });
  }
  const unplaced = moves.filter((m) => m.to === null);
  const best = Math.max(0, ...survivors.map((s) => s.usableRamGB - s.vmRamGB));
  const ramShortfallGB = unplaced.length ? sum(unplaced.map((m) => m.ramGB)) - best : 0;
  const vcpuOverCeiling = survivors.filter((s) => s.vcpu > s.vcpuCeiling).map((s) => s.host);
  return {
    cluster, failed, survivors: survivors.map((s) => s.host), restarts: moves, coveredByTwin, staysDown, after: survivors,
    holds: unplaced.length === 0 && vcpuOverCeiling.length === 0 && survivors.length > 0, ramShortfallGB: round(ramShortfallGB), vcpuOverCeiling,
  };
}

export function analysePlatforms(view: HostLossView): ClusterAnalysis[] {
  return platformClusters(view).map((c) => analyseCluster(view, c.cluster, c.hosts));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function round(n: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}
