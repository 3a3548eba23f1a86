#!/usr/bin/env node
// Ansible dynamic inventory entry point: `ansible-inventory -i ansible-bridge/inventory.mjs --list`.
// Plain JavaScript so Ansible can execute it from any directory; tsx's loader (resolved from
// this repository's node_modules) then runs the TypeScript that builds the inventory.
import { register } from 'tsx/esm/api';

register();
await import('./dynamic.ts');
