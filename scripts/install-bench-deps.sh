#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Installs the Debian 12 packages only `make bench`, `make reliability` and
# scripts/fuzz.sh use (load generators and reference servers). Idempotent.
# postfix is preseeded to "No configuration" so no system mail daemon starts:
# the benchmark runs its own smtp-sink on a loopback port.
set -euo pipefail

packages=(
  wrk nginx postfix             # wrk, nginx (reference server), smtp-sink/smtp-source
  linux-perf valgrind           # profiles when a target is missed
  python3 sqlite3 procps
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  # Neither reference server may keep running as a system service.
  if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    $SUDO systemctl disable --now nginx postfix >/dev/null 2>&1 || true
  fi
  if [[ -s /run/nginx.pid ]]; then $SUDO nginx -s stop 2>/dev/null || true; fi
fi
