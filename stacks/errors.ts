// Inventory content the stacks cannot turn into Proxmox resources (a VM on a node of the
// other platform, overlapping rack units, …): reported to the user as bad input, exit 2.
export class StackInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackInputError';
  }
}
