#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Builds the libFuzzer targets (fuzz/) with clang in build-fuzz/ and runs each
# for a fixed time (default 20 s; `scripts/fuzz.sh 600` for a longer session).
#   fuzz_http    the HTTP request handler (http::handle over a Request)
#   fuzz_config  the configuration parser
#   fuzz_lua     workflow loading in the sandbox with the real DSL
#   fuzz_rrule   RRULE validation and expansion
# Seeds are fuzz/corpus/<target>, plus the shipped workflows (lua) and
# configurations (config) themselves; the growing corpus and any crash file stay in
# build-fuzz/. A crash fails the script: turn the input into a regular test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}

bash scripts/install-deps.sh

dir=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAARSHJUL_FUZZ=ON -DAARSHJUL_TESTS=OFF -DAARSHJUL_WERROR=ON >/dev/null
cmake --build "$dir" -j"${JOBS:-2}" --target fuzz_http fuzz_config fuzz_lua fuzz_rrule

status=0
for target in http config lua rrule; do
    corpus="$dir/corpus/$target"
    mkdir -p "$corpus" "$dir/artifacts/$target"
    cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
    case $target in
    lua) for f in workflows/*/*.lua examples/workflows/*.lua; do
             cp -n "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"; done ;;
    config) cp -n config/aarshjul.toml "$corpus/municipality.toml"
            cp -n config/region/aarshjul.toml "$corpus/region.toml" ;;
    esac
    echo "== fuzz_$target for ${seconds} s =="
    if ! ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
        "$dir/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=4096 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target/" \
        "$corpus" >"$dir/fuzz_$target.log" 2>&1; then
        echo "fuzz_$target FOUND A CRASH; input in $dir/artifacts/$target/:"
        tail -40 "$dir/fuzz_$target.log"
        status=1
    else
        grep -E "stat::number_of_executed_runs|cov:" "$dir/fuzz_$target.log" | tail -2
    fi
done
exit $status
