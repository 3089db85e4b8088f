#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Installs the Debian 12 packages aarshjul builds, runs and tests with.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3
  liblua5.4-dev
  libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev
  libical-dev
  libhowardhinnant-date-dev tzdata
  libcurl4-openssl-dev libssl-dev
  libtomlplusplus-dev
  libkainjow-mustache-dev
  libcli11-dev
  libsystemd-dev
  libseccomp-dev   # the Lua worker's system-call filter
  libxlsxwriter-dev   # the year as a spreadsheet: aarshjul export --format xlsx, GET /api/v1/export
  libcairo2-dev libpango1.0-dev   # the committee report's PDF: cairo's PDF surface, Pango's layout
  librsvg2-dev   # ... and the wheel drawn into it from its SVG
  fonts-dejavu-core   # the PDF's typeface (æøå and the en dash)
  poppler-utils   # pdfinfo and pdftotext: the report PDF's tests
  systemd dpkg-dev   # systemd-analyze verify/security and dpkg-deb: the package test
  python3 python3-aiosmtpd openssl
  chromium   # headless: the status-page screenshot test (tests/http)
  python3-selenium chromium-driver apache2 apache2-utils   # browser journeys (tests/browser)
  python3-openpyxl   # the exported xlsx read back row for row (tests/sheet/readback_xlsx.py)
  clang libclang-rt-14-dev   # libFuzzer: scripts/fuzz.sh, run by scripts/test.sh
  apache2 libapache2-mod-auth-openidc   # the documented single sign-on set-up is checked
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
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Node.js and npm for tests/node (Microsoft's adaptivecards library checks the
# Teams payloads). A machine whose node comes from elsewhere keeps it; its npm
# then comes with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends nodejs npm
fi

# The packages of tests/node, exactly as locked; again only when the lock changed.
node_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/node"
stamp="$node_dir/node_modules/.aarshjul-lock.sha256"
lock_sum="$(sha256sum "$node_dir/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  npm ci --prefix "$node_dir" --no-audit --no-fund
  echo "$lock_sum" >"$stamp"
fi
