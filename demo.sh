#!/usr/bin/env bash
# The demo: installs what is needed, builds, and runs the 5-node
# majority/minority partition scenario under every store model on one seed,
# printing the side-by-side table and leaving per model trace.jsonl and
# report.json (and the charts) in out/demo/.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
scripts/build.sh build
./build/cli/consim compare scenarios/demo-partition.json --out out/demo
if [ -f analysis/plots/plot_comparison.py ]; then
  "$(scripts/find-python.sh)" analysis/plots/plot_comparison.py out/demo
fi
