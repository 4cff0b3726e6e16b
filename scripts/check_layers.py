#!/usr/bin/env python3
"""Checks every #include of the source tree against the layer table.

Usage: check_layers.py --root DIR --table FILE [--stamp FILE]

Reads the table (scripts/layers.txt documents its format), then every .h and
.cc file under the top-level folders the table names, and prints one line
per broken rule, "file:line: #include ...: why", exiting 1 if there is any.
With no broken rule it exits 0 and, with --stamp, writes FILE (a header no
source includes: the build orders every compilation after it, so a wrong
include fails the build before anything compiles). The stamp is rewritten
only when its content changes.
"""
import argparse
import fnmatch
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"][^>"]+[>"])')
SOURCE_SUFFIXES = ('.h', '.hpp', '.cc', '.cpp')


class Table:
    def __init__(self):
        self.layers = []  # (name, [globs]) in order
        self.allowed = {}  # name -> set of layer names
        self.forbids = []  # (include prefix, [globs], [except globs], line)


def parse_table(path):
    table = Table()
    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            words = raw.split('#', 1)[0].split() if not raw.lstrip().startswith('forbid') \
                else raw.split()
            if not words:
                continue
            where = f'{path}:{number}'
            kind = words[0]
            if kind == 'layer' and len(words) >= 3:
                table.layers.append((words[1], words[2:]))
            elif kind == 'allow' and len(words) >= 2:
                table.allowed[words[1]] = set(words[2:])
            elif kind == 'forbid' and len(words) >= 3:
                rest = words[2:]
                cut = rest.index('except') if 'except' in rest else len(rest)
                table.forbids.append((words[1], rest[:cut], rest[cut + 1:], where))
            else:
                sys.exit(f'{where}: cannot read this line of the layer table')
    names = {name for name, _ in table.layers}
    for name, allowed in table.allowed.items():
        for other in allowed | {name}:
            if other not in names:
                sys.exit(f'{path}: "allow {name}" names no layer "{other}"')
    return table


def matches(path, globs):
    return any(fnmatch.fnmatchcase(path, g) for g in globs)


def layer_of(table, path):
    for name, globs in table.layers:
        if matches(path, globs):
            return name
    return None


def source_files(root, table):
    tops = sorted({g.split('/', 1)[0] for _, globs in table.layers for g in globs})
    for top in tops:
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    full = os.path.join(folder, name)
                    yield os.path.relpath(full, root).replace(os.sep, '/')


def check_include(table, path, layer, spelled):
    """The broken rule for one include, or None."""
    for prefix, globs, exceptions, where in table.forbids:
        if spelled.startswith(prefix) and matches(path, globs) and not matches(path, exceptions):
            allowed = ', '.join(exceptions) if exceptions else 'no file there'
            return f'{prefix}... is kept out of {" ".join(globs)} (only {allowed}; {where})'
    if layer is None or not spelled.startswith('"'):
        return None
    target = spelled.strip('"')
    target_layer = layer_of(table, target)
    allowed = table.allowed.get(layer, set())
    if target_layer is None:
        return f'{target} is in no layer; layer {layer} includes only headers of its layers'
    if target_layer != layer and target_layer not in allowed:
        may = ''.join(f'{name}, ' for name in sorted(allowed))
        return (f'layer {layer} may include only {may}itself, '
                f'not {target_layer} (the layer of {target})')
    return None


def check(root, table):
    problems = []
    for path in source_files(root, table):
        layer = layer_of(table, path)
        with open(os.path.join(root, path), encoding='utf-8', errors='replace') as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                why = check_include(table, path, layer, m.group(1))
                if why:
                    problems.append(f'{path}:{number}: #include {m.group(1)}: {why}')
    return problems


def write_stamp(path):
    text = '// Written by scripts/check_layers.py when every include keeps the layers.\n'
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--root', required=True)
    parser.add_argument('--table', required=True)
    parser.add_argument('--stamp')
    args = parser.parse_args()
    problems = check(args.root, parse_table(args.table))
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f'check_layers: {len(problems)} include(s) break the layers in {args.table}',
              file=sys.stderr)
        return 1
    if args.stamp:
        write_stamp(args.stamp)
    return 0


if __name__ == '__main__':
    sys.exit(main())
