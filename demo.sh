#!/usr/bin/env bash
# The demo: installs what is needed, builds, and runs the 5-node
# majority/minority partition scenario under every store model on one seed,
# printing the side-by-side table and leaving per model trace.jsonl and
# report.json in out/demo/, and the slide charts (docs/charts.md) in
# out/demo/charts/ and out/demo/eventual-async/charts/, and space-time
# diagrams (out/demo/eventual-async, out/2pc-coordinator-crash,
# out/causal-buffering: charts/spacetime.png and .svg), and the comparison
# charts of example-crash under eventual-async and causal, where their
# verdicts differ (out/example-crash/charts/verdicts.png). Then the
# primary-backup split brain, without and with fencing (out/pb-split-brain/
# and out/pb-split-brain-fenced/). The whole comparison, as one
# self-contained HTML page: out/demo/report.html (docs/report-html.md).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh
scripts/build.sh build
./build/cli/consim compare scenarios/demo-partition.json --out out/demo
if [ -f analysis/plots/plot_comparison.py ]; then
  python=$(scripts/find-python.sh)
  "$python" analysis/plots/plot_comparison.py out/demo
  "$python" analysis/plots/plot_run.py out/demo/eventual-async
  # Space-time diagrams: the demo's partition start; 2PC's coordinator crash;
  # a causal store buffering a write until its dependency arrives.
  "$python" analysis/plots/plot_spacetime.py out/demo/eventual-async
  ./build/cli/consim run scenarios/2pc-coordinator-crash.json --trace-level full \
    --out out/2pc-coordinator-crash --quiet
  "$python" analysis/plots/plot_spacetime.py out/2pc-coordinator-crash --from 1.95s --to 2.4s
  ./build/cli/consim run scenarios/causal-buffering.json --out out/causal-buffering --quiet
  "$python" analysis/plots/plot_spacetime.py out/causal-buffering --from 25ms --to 80ms
  # On the demo every client keeps its node, so causal and eventual-async get
  # the same checker verdicts; with a crash clients fall back to another node
  # and eventual-async breaks causality and read-your-writes (verdicts.png).
  ./build/cli/consim compare scenarios/example-crash.json --models eventual-async,causal \
    --out out/example-crash --quiet
  "$python" analysis/plots/plot_comparison.py out/example-crash
  ./build/cli/consim report out/demo --out out/demo/report.html
fi
for scenario in pb-split-brain pb-split-brain-fenced; do
  echo
  ./build/cli/consim run "scenarios/$scenario.json" --out "out/$scenario"
done
