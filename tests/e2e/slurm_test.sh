#!/usr/bin/env bash
# `consim sweep --slurm` through a real single-node Slurm brought up in a
# temporary directory (slurm_up.sh): the tables equal the local -j run's,
# with --wait and with the dependent collect job, and a resubmission after
# losing some results runs only those. Skipped (exit 77) only where Slurm
# and munge are not installed. Usage: slurm_test.sh CONSIM SOURCE_DIR
set -uo pipefail
consim=$(realpath "$1")  # absolute: the tests run from the source folder
src="$2"
work=$(mktemp -d)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
. "$(dirname "$0")/slurm_up.sh" "$work/slurm"
status=$?
if [ "$status" -ne 0 ]; then rm -rf "$work"; exit "$status"; fi
trap 'slurm_down; rm -rf "$work"' EXIT
pass "single-node Slurm is up ($(sinfo -h -o '%P %D %T'))"
cd "$src" || exit 1
small=tests/sweeps/small.json
same_tables() {
  local t
  for t in runs.csv aggregate.csv sweep.json; do cmp -s "$1/$t" "$2/$t" || return 1; done
}

"$consim" sweep "$small" --out "$work/local" -j 2 --quiet || fail "local sweep failed"

# --wait: the array runs, then this process makes the tables.
"$consim" sweep "$small" --out "$work/w" --slurm --slurm-chunk 4 --wait >"$work/w.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q "submitted job array [0-9]*: 3 tasks of up to 4 runs (12 runs)" "$work/w.txt" \
  && pass "--slurm --wait submits a 3-task array" || fail "slurm --wait: rc $rc $(cat "$work/w.txt")"
same_tables "$work/w" "$work/local" && pass "the Slurm tables equal the local -j 2 run's" \
  || fail "Slurm tables differ from the local ones"
[ -s "$work/w/slurm/task-2.log" ] && grep -q "^task 2: 4 runs done" "$work/w/slurm/task-2.log" \
  && pass "each array task logs its share" || fail "task log: $(cat "$work/w/slurm/task-2.log" 2>&1)"

# Without --wait: a collect job starts when the array ends.
"$consim" sweep "$small" --out "$work/c" --slurm --slurm-chunk 5 >"$work/c.txt" 2>&1
grep -q "submitted collect job" "$work/c.txt" && pass "--slurm submits the array and a collect job" \
  || fail "slurm: $(cat "$work/c.txt")"
for _ in $(seq 600); do  # until the tables appear or no job is left
  [ -e "$work/c/sweep.json" ] || [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 0.2
done
same_tables "$work/c" "$work/local" && pass "the collect job's tables equal the local run's" \
  || fail "collect job tables: $(cat "$work/c/slurm/collect.log" 2>&1)"

# Resume: lose 5 results, resubmit: only those 5 run, same tables.
ls "$work/w/runs" | head -5 | while read -r f; do rm "$work/w/runs/$f"; done
rm "$work/w/runs.csv" "$work/w/aggregate.csv" "$work/w/sweep.json"
"$consim" sweep "$small" --out "$work/w" --slurm --slurm-chunk 4 --wait >"$work/r.txt" 2>&1
grep -q "2 tasks of up to 4 runs (5 runs)" "$work/r.txt" && grep -q "12 runs: 5 done now, 7 reused" "$work/r.txt" \
  && pass "a resubmission runs only the missing runs" || fail "resubmit: $(cat "$work/r.txt")"
same_tables "$work/w" "$work/local" && pass "the resumed Slurm tables equal the local ones" \
  || fail "resumed Slurm tables differ"

echo "$failures failures"
[ "$failures" -eq 0 ]
