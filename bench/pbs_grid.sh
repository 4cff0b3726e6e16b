#!/bin/sh
# The PBS grid (issue 9; docs/benchmarks.md, "PBS grid"): the quorum model on
# bench/pbs-grid.json (about 200,000 operations a run) for every (N, R, W)
# with N = 3 and N = 5 and 1 <= R, W <= N, SEEDS seeds each, then
# eventual-async on the same workload and seeds; JOBS runs at a time (one
# process each: the loop is single-threaded). Prints the wall time, the
# stale-read rate per configuration (mean, and the largest distance of a
# seed's rate from the mean, in percentage points), the stale rate right
# after the acknowledgement (t < 0.1 ms), k-staleness, and events per second
# of each model.
#
#   bench/pbs_grid.sh BUILD_DIR [SEEDS=20] [JOBS=2]
set -eu
build=${1:?usage: bench/pbs_grid.sh BUILD_DIR [SEEDS] [JOBS]}
seeds=${2:-20}
jobs=${3:-2}
here=$(dirname "$0")
out=${PBS_GRID_OUT:-/tmp/pbs-grid-$$.jsonl}
args() {
  for n in 3 5; do
    for r in $(seq 1 $n); do
      for w in $(seq 1 $n); do
        for s in $(seq 1 "$seeds"); do echo "--n $n --r $r --w $w --seed $s"; done
      done
    done
  done
  for s in $(seq 1 "$seeds"); do echo "--model eventual-async --seed $s"; done
}
start=$(date +%s)
args | xargs -P "$jobs" -L 1 "$build/bench/pbs_bench" "$here/pbs-grid.json" > "$out"
end=$(date +%s)
python3 - "$out" $((end - start)) "$jobs" <<'PY'
import json, sys
from collections import defaultdict
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"{len(rows)} runs, {sys.argv[2]} s wall with {sys.argv[3]} processes")
groups = defaultdict(list)
for r in rows:
    p = r["params"]
    key = (p["n"], p["r"], p["w"]) if r["model"] == "quorum" else (r["model"],)
    groups[key].append(r)
print("config      seeds  ops/run  stale%  max|dev|pp  stale@t0%  P(k<=1) P(k<=2) P(k<=3)  run s  Mevents/s")
for key in sorted(groups, key=str):
    g = groups[key]
    name = "N%d R%d W%d" % key if len(key) == 3 else key[0]
    rates = [r["stale_rate"] for r in g]
    mean = sum(rates) / len(rates)
    dev = max(abs(x - mean) for x in rates) * 100
    t0 = [r["stale_t0"] for r in g if r["stale_t0"] is not None]
    t0m = sum(t0) / len(t0) * 100 if t0 else float("nan")
    within = [sum(r["within_last_1_3"][i] if i < len(r["within_last_1_3"]) else 1.0 for r in g) / len(g) for i in range(3)]
    ops = sum(r["ops"] for r in g) / len(g)
    secs = sum(r["run_s"] for r in g) / len(g)
    eps = sum(r["events_per_s"] for r in g) / len(g) / 1e6
    print(f"{name:11} {len(g):5} {ops:8.0f}  {mean*100:6.2f}  {dev:10.2f}  {t0m:9.2f}  {within[0]:.4f}  {within[1]:.4f}  {within[2]:.4f}  {secs:5.2f}  {eps:9.2f}")
for model in ("quorum", "eventual-async"):
    g = [r for r in rows if r["model"] == model]
    if g:
        ev = sum(r["events"] for r in g); s = sum(r["run_s"] for r in g)
        print(f"{model}: {len(g)} runs, {ev/len(g)/1e6:.2f} M events a run, {ev/s/1e6:.2f} M events/s (simulation only), analysis {sum(r['analyze_s'] for r in g)/len(g):.2f} s a run")
PY
echo "rows: $out"
