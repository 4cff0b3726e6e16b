#!/usr/bin/env python3
"""Checks that the unit-test shards (tests/meson.build) together run every
test case exactly once, and that each named shard's patterns still match a
test file (a renamed file would leave its shard empty and unbalance them).

Usage: check_shards.py UNIT_TESTS [--source-file=...] -- [...] -- ...
Each group between `--` is one shard's doctest arguments, the last group the
last shard's. Lists test cases only (doctest --list-test-cases): seconds.
"""
import collections
import subprocess
import sys


def listed(binary, args):
    out = subprocess.run([binary, "--list-test-cases", "--no-version"] + args,
                         check=True, capture_output=True, text=True).stdout
    names = []
    inside = False
    for line in out.splitlines():
        if line.startswith("====="):
            continue
        if line.startswith("[doctest] listing all test case names"):
            inside = True
            continue
        if line.startswith("[doctest]"):
            inside = False
            continue
        if inside and line:
            names.append(line)
    return names


def main():
    binary, rest = sys.argv[1], sys.argv[2:]
    shards = [[]]
    for arg in rest:
        if arg == "--":
            shards.append([])
        else:
            shards[-1].append(arg)
    everything = collections.Counter(listed(binary, []))
    together = collections.Counter()
    failures = 0
    for i, args in enumerate(shards):
        names = listed(binary, args)
        last = i == len(shards) - 1
        print(f"shard {i + 1}{' (the rest)' if last else ''}: {len(names)} test cases")
        if not names and not last:
            print(f"FAIL: shard {i + 1} ({' '.join(args)}) matches no test case")
            failures += 1
        together.update(names)
    if not everything:
        print("FAIL: the unit test binary lists no test case")
        failures += 1
    for name in sorted(set(everything) | set(together)):
        if together[name] != everything[name]:
            print(f"FAIL: {name!r} runs {together[name]} times in the shards, "
                  f"{everything[name]} in the whole binary")
            failures += 1
    print(f"{sum(everything.values())} test cases, {len(shards)} shards")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
