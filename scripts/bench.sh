#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# `make bench`: builds build-bench/ (RelWithDebInfo, -Werror) and runs every
# measurement of bench/run.py, which writes bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-bench-deps.sh
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAARSHJUL_WERROR=ON >/dev/null
cmake --build build-bench -j"${JOBS:-2}" --target aarshjul aarshjul_plugins bench_engine
python3 bench/run.py build-bench "$@"
