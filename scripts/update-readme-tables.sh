#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Regenerates the "shipped cycle" tables in README.md from the workflow files
# (`aarshjul workflows --format md`), so the README never drifts from them.
# tests/cli checks that README.md matches; run this after changing a workflow.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${AARSHJUL_BIN:-build/aarshjul}"
python3 - "$bin" <<'PY'
import pathlib, re, subprocess, sys
binary = sys.argv[1]
readme = pathlib.Path("README.md")
text = readme.read_text(encoding="utf-8")
for name, config in [("municipality", "config/aarshjul.toml"), ("region", "config/region/aarshjul.toml")]:
    table = subprocess.run([binary, "--config", config, "--log-level", "warn", "workflows", "--format", "md"],
                           check=True, capture_output=True, text=True).stdout
    begin, end = f"<!-- cycle:{name} -->\n", f"<!-- /cycle:{name} -->"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        sys.exit(f"README.md has no {begin.strip()} ... {end} block")
    text = pattern.sub(lambda _: begin + table + end, text)
readme.write_text(text, encoding="utf-8")
PY
