#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""The daemon's layers, checked at the level of #include.

daemon/CMakeLists.txt builds one static library per folder and links each
only to the layers it USES, so a call from a lower layer into a higher one
fails to link. A header-only use (a struct, an inline function) links either
way; this check catches those: every `#include "folder/..."` in daemon/ must
name the file's own folder or one below it (what it USES, and what those use).

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


def main() -> int:
    daemon = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                          pathlib.Path(__file__).resolve().parent.parent / "daemon")
    below = layers(daemon / "CMakeLists.txt")
    faults = []
    for path in sorted(daemon.rglob("*")):
        if path.suffix not in (".h", ".cpp") or path.parent == daemon:
            continue
        layer = path.relative_to(daemon).parts[0]
        if layer not in below:
            faults.append(f"{path}: folder '{layer}' has no aarshjul_layer() in daemon/CMakeLists.txt")
            continue
        allowed = below[layer] | {layer}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = INCLUDE.match(line)
            if not match or "/" not in match.group(1):
                continue
            target = match.group(1).split("/")[0]
            if target in below and target not in allowed:
                faults.append(f"{path}:{number}: '{layer}' may not include '{match.group(1)}' "
                              f"('{target}' is not below it)")
    for fault in faults:
        print(fault)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
