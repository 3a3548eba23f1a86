# -*- coding: utf-8 -*-
# The COC inventory for Ansible, read from the file `coc ansible export --out FILE.json`
# writes: every site and option, each exactly what ansible-inventory --list printed from the
# former Node.js script. The control node needs no Node, only this file and the export.
from __future__ import annotations

DOCUMENTATION = r"""
name: inventory
short_description: COC/GIRS and ODB inventory from the exported coc-infra inventory
description:
  - Reads the JSON that C(coc ansible export --out FILE.json) writes and serves one site and
    option of it, with the groups, group vars and host vars the coc-infra model builds.
  - The inventory source is a YAML file whose name ends in C(.coc.yml) or C(.coc.yaml).
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: ['coc.infra.inventory']
  export:
    description: The exported inventory (JSON), relative to the source file unless absolute.
    type: str
    required: true
    env:
      - name: COC_INVENTORY_EXPORT
  site:
    description: Site to serve (oog, ccop).
    type: str
    default: oog
    env:
      - name: COC_SITE
  option:
    description:
      - Deployment option (1, 2, option1, ...); empty means the site's default (option2 at OOG).
    type: str
    default: ''
    env:
      - name: COC_OPTION
"""

EXAMPLES = r"""
# ansible-bridge/inventory.coc.yml
plugin: coc.infra.inventory
export: ../out/ansible/coc-inventory.json
"""

import json
import os

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin

FORMAT = 'coc-ansible-inventory/1'


class InventoryModule(BaseInventoryPlugin):
    NAME = 'coc.infra.inventory'

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(('.coc.yml', '.coc.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        # A str, not a path option: Ansible would resolve a path against the working directory.
        export = os.path.expanduser(self.get_option('export'))
        if not os.path.isabs(export):
            export = os.path.join(os.path.dirname(path), export)
        listing = self._select(self._load(export), self.get_option('site'), self.get_option('option'), export)
        self._populate(listing)

    @staticmethod
    def _load(export):
        if not os.path.exists(export):
            raise AnsibleParserError(
                f'{export}: no exported inventory; expected the file written by '
                f'`npm run ansible -- export --out {export}` on a machine with the repository')
        try:
            with open(export, encoding='utf-8') as f:
                data = json.load(f)
        except ValueError as e:
            raise AnsibleParserError(f'{export}: not valid JSON ({e}); expected the output of coc ansible export')
        if not isinstance(data, dict) or data.get('format') != FORMAT:
            raise AnsibleParserError(f'{export}: format {data.get("format") if isinstance(data, dict) else None!r}; expected {FORMAT!r}')
        return data

    @staticmethod
    def _select(data, site, option, export):
        sites = data['sites']
        if site not in sites:
            raise AnsibleParserError(f'{export}: site "{site}" is not in the export; expected one of {", ".join(sorted(sites))}')
        s = sites[site]
        want = option or s['default_option'] or ''
        if want and not want.startswith('option'):
            want = 'option' + want
        key = want if s['options'].get(want) is not None else ('' if not want and '' in s['options'] else None)
        if key is None:
            have = ', '.join(k for k in sorted(s['options']) if k) or 'none'
            raise AnsibleParserError(f'site "{site}" has no option "{option}"; expected one of {have}')
        return s['options'][key]

    def _populate(self, listing):
        inv = self.inventory
        groups = {k: v for k, v in listing.items() if k != '_meta'}
        for name in groups:
            if name != 'all':
                inv.add_group(name)
        for name, g in groups.items():
            for child in g.get('children') or []:
                inv.add_group(child)
                inv.add_child(name, child)
            for host in g.get('hosts') or []:
                inv.add_host(host, group=name)
            for k, v in (g.get('vars') or {}).items():
                inv.set_variable(name, k, v)
        for host, hv in listing['_meta']['hostvars'].items():
            inv.add_host(host)
            for k, v in hv.items():
                inv.set_variable(host, k, v)
