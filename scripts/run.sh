#!/usr/bin/env bash
# Builds aarshjul and starts the daemon on the embedded default: a SQLite file
# under ./state, the shipped workflows and the sample municipality directory.
# Extra arguments go to `aarshjul serve` (e.g. --log-level debug).
# AARSHJUL_CONFIG picks another configuration, e.g. the sample region:
#   AARSHJUL_CONFIG=config/region/aarshjul.toml scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAARSHJUL_TESTS=OFF >/dev/null
cmake --build build -j2 --target aarshjul aarshjul_plugins
mkdir -p state
config="${AARSHJUL_CONFIG:-config/aarshjul.toml}"
./build/aarshjul --config "$config" check
exec ./build/aarshjul --config "$config" serve "$@"
