// Inventory content the stacks cannot turn into Proxmox resources (a VM on a node of the
// other platform, overlapping rack units, …): reported to the user as bad input, exit 2.
import { InputError } from '../cli/errors.ts';

export class StackInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'StackInputError';
  }
}
