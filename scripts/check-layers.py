#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""The daemon's layers, checked at the level of #include.

daemon/CMakeLists.txt builds one static library per folder and links each
only to the layers it USES, so a call from a lower layer into a higher one
fails to link. A header-only use (a struct, an inline function) links either
way; this check catches those: every `#include "folder/..."` in daemon/ must
name the file's own folder or one below it (what it USES, and what those use).

It also keeps the store engine-neutral: only daemon/store/ itself may include
an engine's files (`store/sqlite/...`); the rest of the daemon, and the
plugins next to it, use the interfaces of store/*.h and open a store with
store/open_store.h. Tests, benchmarks and fuzzers are not checked: they may
test the SQLite pieces directly.

Usage: check-layers.py [daemon-dir]   (exit 1 naming every file:line at fault)
"""
import pathlib
import re
import sys

LAYER = re.compile(r"aarshjul_layer\(\s*(\w+)((?:\s+USES(?:\s+\w+)+)?)")


def layers(cmake: pathlib.Path) -> dict:
    """Each folder and every folder below it, from the aarshjul_layer(NAME USES ...)
    calls of daemon/CMakeLists.txt: the one place the layers are written."""
    uses = {}
    for match in LAYER.finditer(cmake.read_text(encoding="utf-8")):
        words = match.group(2).split()
        uses[match.group(1)] = words[1:] if words else []
    below = {}

    def closure(layer, seen=()):
        if layer in below:
            return below[layer]
        if layer in seen:
            raise SystemExit(f"{cmake}: the layers form a cycle through '{layer}'")
        result = set()
        for used in uses.get(layer, []):
            result |= {used} | closure(used, seen + (layer,))
        below[layer] = result
        return result

    for layer in uses:
        closure(layer)
    return below


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

# The folders of store/ that hold an engine's implementation.
ENGINE = re.compile(r"^store/[^/]+/")


def engine_faults(path: pathlib.Path, lines: list) -> list:
    """An include of an engine's file (store/sqlite/...) from outside daemon/store/."""
    faults = []
    for number, line in enumerate(lines, 1):
        match = INCLUDE.match(line)
        if match and ENGINE.match(match.group(1)):
            faults.append(f"{path}:{number}: includes '{match.group(1)}', a store engine's file; "
                          "outside daemon/store/ use the interfaces of store/*.h "
                          "(and store/open_store.h to open one)")
    return faults


def main() -> int:
    daemon = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                          pathlib.Path(__file__).resolve().parent.parent / "daemon")
    below = layers(daemon / "CMakeLists.txt")
    faults = []
    for path in sorted(daemon.rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        if path.relative_to(daemon).parts[0] != "store":
            faults += engine_faults(path, lines)
        if path.parent == daemon:
            continue
        layer = path.relative_to(daemon).parts[0]
        if layer not in below:
            faults.append(f"{path}: folder '{layer}' has no aarshjul_layer() in daemon/CMakeLists.txt")
            continue
        allowed = below[layer] | {layer}
        for number, line in enumerate(lines, 1):
            match = INCLUDE.match(line)
            if not match or "/" not in match.group(1):
                continue
            target = match.group(1).split("/")[0]
            if target in below and target not in allowed:
                faults.append(f"{path}:{number}: '{layer}' may not include '{match.group(1)}' "
                              f"('{target}' is not below it)")
    plugins = daemon.parent / "plugins"
    if plugins.is_dir():
        for path in sorted(plugins.rglob("*")):
            if path.suffix in (".h", ".c", ".cpp"):
                faults += engine_faults(path, path.read_text(encoding="utf-8").splitlines())
    for fault in faults:
        print(fault)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
