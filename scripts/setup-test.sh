#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian 12 machine (run as root):
# npm packages from the lock file, and the real components the tests drive:
#   ansible-core (ansible-inventory, ansible-playbook), ansible-lint (lint test), patroni + etcd (DB failover drill),
#   PostgreSQL 15 server (lab intake PG mode, drills), chromium (HTML report check).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(ansible-core ansible-lint patroni etcd-server etcd-client postgresql-15 chromium)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian packages start their own services where an init system runs; the tests
  # start their own instances on free loopback ports, so stop the packaged ones.
  for svc in etcd patroni postgresql; do
    (command -v systemctl >/dev/null && systemctl disable --now "$svc" >/dev/null 2>&1) || true
    (command -v service >/dev/null && service "$svc" stop >/dev/null 2>&1) || true
  done
else
  echo "setup: Debian packages present (${APT_PACKAGES[*]})"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: done"
