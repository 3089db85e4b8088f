#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Builds aarshjul twice and runs every test in both builds:
#   build/       warnings as errors (-Wall -Wextra -Werror)
#   build-asan/  AddressSanitizer + UndefinedBehaviorSanitizer
# then runs each libFuzzer target for a short fixed time (scripts/fuzz.sh).
# Installs its own dependencies first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs=${JOBS:-2}
run_suite() {
    local dir=$1
    shift
    # Tests on whatever the cache says (an older run.sh turned them off), and
    # a build without tests fails rather than passing with nothing run.
    cmake -S . -B "$dir" -G Ninja -DAARSHJUL_WERROR=ON -DAARSHJUL_TESTS=ON "$@" >/dev/null
    cmake --build "$dir" -j"$jobs"
    (cd "$dir" && ctest --output-on-failure --no-tests=error -j"$jobs" --timeout 600)
}

echo "== build and test: -Werror =="
run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== build and test: ASan + UBSan =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt" \
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DAARSHJUL_SANITIZE=ON
echo "== fuzz: each target for ${FUZZ_SECONDS:-20} s =="
scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
