#!/usr/bin/env python3
"""Test stand-in for proxmox-backup-manager: the subset the pbs_server role calls
(`<kind> list --output-format json`, `datastore create NAME PATH`, `<kind> create|update ID
--key value ...`), with the configuration kept in state.json next to this file and every
changing call appended to calls.log. Values are typed as PBS lists them (numbers, booleans)."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(sys.argv[0]))
STATE = os.path.join(HERE, 'state.json')
KINDS = {'datastore': 'name', 'prune-job': 'id', 'verify-job': 'id', 'remote': 'name', 'sync-job': 'id'}
OPTIONS = {
    'datastore': set(),
    'prune-job': {'store', 'schedule', 'keep-daily', 'keep-weekly', 'keep-monthly'},
    'verify-job': {'store', 'schedule', 'ignore-verified', 'outdated-after'},
    'remote': {'host', 'auth-id', 'fingerprint', 'password'},
    'sync-job': {'store', 'remote', 'remote-store', 'schedule', 'sync-direction', 'encrypted-only'},
}


def fail(msg):
    print(f'Error: {msg}', file=sys.stderr)
    sys.exit(255)


def typed(v):
    if v in ('true', 'false'):
        return v == 'true'
    return int(v) if v.isdigit() else v


def main(argv):
    state = json.load(open(STATE)) if os.path.exists(STATE) else {k: [] for k in KINDS}
    if len(argv) < 2 or argv[0] not in KINDS:
        fail(f'unknown command {" ".join(argv)}')
    kind, verb, rest = argv[0], argv[1], argv[2:]
    key = KINDS[kind]
    if verb == 'list':
        if rest != ['--output-format', 'json']:
            fail('list expects --output-format json')
        # PBS never lists passwords back.
        print(json.dumps([{k: v for k, v in o.items() if k != 'password'} for o in state[kind]]))
        return
    if verb not in ('create', 'update') or not rest:
        fail(f'unknown command {kind} {verb}')
    ident, opts = rest[0], rest[1:]
    obj = {key: ident}
    if kind == 'datastore':
        if verb != 'create' or len(opts) != 1:
            fail('datastore create NAME PATH')
        obj['path'] = opts[0]
        opts = []
    if len(opts) % 2:
        fail('options come in --key value pairs')
    for k, v in zip(opts[::2], opts[1::2]):
        if not k.startswith('--') or k[2:] not in OPTIONS[kind]:
            fail(f'{kind}: unknown option {k}')
        obj[k[2:]] = typed(v)
    existing = [o for o in state[kind] if o[key] == ident]
    if verb == 'create':
        if existing:
            fail(f'{kind} {ident} already exists')
        state[kind].append(obj)
    else:
        if not existing:
            fail(f'{kind} {ident} does not exist')
        existing[0].update(obj)
    with open(os.path.join(HERE, 'calls.log'), 'a') as log:
        log.write(' '.join(argv) + '\n')
    json.dump(state, open(STATE, 'w'), indent=1)


main(sys.argv[1:])
