#!/usr/bin/env python3
"""Tests of scripts/check_layers.py: the real tree keeps its layers, and a
small fixture tree with includes in the wrong direction fails, naming the
file, the line and the broken rule.

Usage: check_layers_test.py SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile

src = sys.argv[1]
script = os.path.join(src, 'scripts', 'check_layers.py')
table = os.path.join(src, 'scripts', 'layers.txt')
failures = 0


def run(root, stamp=None):
    args = [sys.executable, script, '--root', root, '--table', table]
    if stamp:
        args += ['--stamp', stamp]
    return subprocess.run(args, capture_output=True, text=True)


def expect(cond, what):
    global failures
    print(('ok: ' if cond else 'FAIL: ') + what)
    failures += 0 if cond else 1


with open(table) as f:
    FORBID_LINE = 1 + [line.startswith('forbid <boost/graph/') for line in f].index(True)

# A fixture tree: each file holds the given lines.
FIXTURE = {
    'base/clock.h': ['#pragma once', '#include "sim/world.h"'],
    'models/model.h': ['#include "base/clock.h"'],
    'models/raft.cc': ['#include "models/model.h"', '#include "base/clock.h"'],
    'sim/world.h': ['#include "models/model.h"', '', '#include "models/raft.h"'],
    'sim/route.cc': ['#include <boost/graph/adjacency_list.hpp>'],
    'sim/topology.cc': ['#include <boost/graph/adjacency_list.hpp>'],
    'analysis/lag.cc': ['#include "base/clock.h"', '#include "sim/world.h"'],
    'cli/main.cc': ['#include "sim/world.h"', '#include "models/raft.h"', '#include "tests/x.h"'],
}
EXPECTED = [
    'analysis/lag.cc:2: #include "sim/world.h": layer analysis may include only base, itself, '
    'not engine (the layer of sim/world.h)',
    'base/clock.h:2: #include "sim/world.h": layer base may include only itself, '
    'not engine (the layer of sim/world.h)',
    'cli/main.cc:3: #include "tests/x.h": tests/x.h is in no layer; layer cli includes only '
    'headers of its layers',
    'sim/route.cc:1: #include <boost/graph/adjacency_list.hpp>: <boost/graph/... is kept out of '
    'sim/* (only sim/topology.cc; ' + table + ':' + str(FORBID_LINE) + ')',
    'sim/world.h:3: #include "models/raft.h": layer engine may include only base, model_api, '
    'itself, not models (the layer of models/raft.h)',
]

with tempfile.TemporaryDirectory() as tmp:
    for path, lines in FIXTURE.items():
        os.makedirs(os.path.dirname(os.path.join(tmp, path)), exist_ok=True)
        with open(os.path.join(tmp, path), 'w') as f:
            f.write('\n'.join(lines) + '\n')
    stamp = os.path.join(tmp, 'stamp.h')
    bad = run(tmp, stamp)
    expect(bad.returncode == 1, 'wrong includes exit 1')
    got = bad.stderr.splitlines()
    expect(got[:-1] == EXPECTED, 'each broken rule named with file and line:\n' +
           '\n'.join(got))
    expect(got[-1].startswith('check_layers: 5 include(s) break the layers'), 'count given')
    expect(not os.path.exists(stamp), 'no stamp written on failure')

    good = run(src, stamp)
    expect(good.returncode == 0, 'the source tree keeps its layers: ' + good.stderr)
    expect(os.path.exists(stamp), 'stamp written on success')

sys.exit(1 if failures else 0)
