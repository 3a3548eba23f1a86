// Typed bindings for the bpg/proxmox provider (~> 0.111), exactly the types the stacks use.
export * from './base.ts';
export * from './provider.ts';
export * from './vm.ts';
export * from './cluster.ts';
export * from './sdn.ts';
export * from './firewall.ts';
