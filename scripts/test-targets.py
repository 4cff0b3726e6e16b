#!/usr/bin/env python3
"""Prints the ninja targets that the tests of a configured build folder need
(the executables they run and the targets they depend on), one a line, for
`ninja -C DIR $(scripts/test-targets.py DIR)`: what `meson test` itself
would rebuild, so test.sh compiles no benchmark (bench/ builds with a plain
`ninja -C DIR` or `meson test --benchmark`). Usage: test-targets.py DIR
"""
import json
import os
import subprocess
import sys


def introspect(build_dir, what):
    out = subprocess.run(["meson", "introspect", build_dir, "--" + what],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    build_dir = os.path.abspath(sys.argv[1])
    files = {}
    for target in introspect(build_dir, "targets"):
        files[target["id"]] = target["filename"]
    needed = set()
    for test in introspect(build_dir, "tests"):
        for target_id in test.get("depends", []):
            for f in files.get(target_id, []):
                needed.add(os.path.relpath(f, build_dir))
    if not needed:
        sys.exit("test-targets.py: no test in " + build_dir + " depends on a target")
    print("\n".join(sorted(needed)))


if __name__ == "__main__":
    main()
