#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Builds aarshjul and starts the daemon on the embedded default: a SQLite file
# under ./state, the shipped workflows and the sample municipality directory.
# Extra arguments go to `aarshjul serve` (e.g. --log-level debug).
# AARSHJUL_CONFIG picks another configuration, e.g. the sample region:
#   AARSHJUL_CONFIG=config/region/aarshjul.toml scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# build/ is shared with scripts/test.sh: leave AARSHJUL_TESTS as the cache has
# it (on by default) and build only the daemon and its plugins, so running the
# two commands in either order builds what each needs.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target aarshjul aarshjul_plugins
mkdir -p state
config="${AARSHJUL_CONFIG:-config/aarshjul.toml}"
./build/aarshjul --config "$config" check
exec ./build/aarshjul --config "$config" serve "$@"
