#!/usr/bin/env python3
"""Test stand-in for proxmox-backup-client: the `key` subcommands the pbs_server role calls.
`key create PATH --kdf none` writes a key file as the real client does (JSON: kdf, created,
modified, data, fingerprint) and refuses to overwrite an existing one; `key show PATH
--output-format json` prints its metadata without the key material."""
import base64, datetime, hashlib, json, os, sys


def fail(msg):
    print(f'Error: {msg}', file=sys.stderr)
    sys.exit(255)


def main(argv):
    if len(argv) < 3 or argv[0] != 'key':
        fail(f'unknown command {" ".join(argv)}')
    verb, path, opts = argv[1], argv[2], argv[3:]
    if verb == 'create':
        if opts != ['--kdf', 'none']:
            fail('key create PATH --kdf none (the stand-in knows no passphrase)')
        if os.path.exists(path):
            fail(f'File already exists: {path}')
        data = os.urandom(32)
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')
        fp = ':'.join(f'{b:02x}' for b in hashlib.sha256(data).digest())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w') as f:
            json.dump({'kdf': None, 'created': now, 'modified': now, 'data': base64.b64encode(data).decode(), 'fingerprint': fp}, f, indent=2)
        return
    if verb == 'show':
        if opts != ['--output-format', 'json']:
            fail('key show PATH --output-format json')
        if not os.path.exists(path):
            fail(f'unable to read {path}: No such file or directory')
        k = json.load(open(path))
        print(json.dumps({'path': path, 'kdf': 'none' if k['kdf'] is None else k['kdf'], 'created': k['created'], 'modified': k['modified'], 'fingerprint': k['fingerprint']}))
        return
    fail(f'unknown command key {verb}')


main(sys.argv[1:])
