#!/usr/bin/env bash
# End-to-end tests of `consim sweep` (docs/sweep.md): the tables do not
# depend on -j, a rerun reuses every finished run, a sweep killed mid-way
# resumes to the same tables without redoing finished runs, progress, bad
# sweep files (every file of tests/malformed-sweeps/ fails with exactly its
# .expected message, exit 3 and nothing written), a metric the report lacks,
# and --collect with runs missing.
# Usage: sweep_test.sh CONSIM SOURCE_DIR
# CONSIM_REGENERATE_EXPECTED=1 rewrites the .expected files.
set -uo pipefail
consim=$(realpath "$1")  # absolute: the tests run from the source folder
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
cd "$src" || exit 1
small=tests/sweeps/small.json
tables="runs.csv aggregate.csv sweep.json"
same_tables() {
  local t
  for t in $tables; do cmp -s "$1/$t" "$2/$t" || return 1; done
}

# -j 1 and -j 2: the same bytes.
"$consim" sweep "$small" --out "$work/j1" -j 1 >"$work/j1.txt" 2>&1 || fail "sweep -j 1: $(cat "$work/j1.txt")"
"$consim" sweep "$small" --out "$work/j2" -j 2 >"$work/j2.txt" 2>&1 || fail "sweep -j 2: $(cat "$work/j2.txt")"
same_tables "$work/j1" "$work/j2" && pass "-j 1 and -j 2 give byte-identical tables" \
  || fail "the tables differ between -j 1 and -j 2"
[ "$(wc -l <"$work/j1/runs.csv")" -eq 13 ] && [ "$(wc -l <"$work/j1/aggregate.csv")" -eq 5 ] \
  && pass "a row per run (12) and per grid point (4), with headings" \
  || fail "rows: $(wc -l <"$work/j1/runs.csv") runs, $(wc -l <"$work/j1/aggregate.csv") points"
head -1 "$work/j1/runs.csv" | grep -qx "point,heal,model,seed,run,stale_rate,stale_during,lin_invalid" \
  && pass "runs.csv names the axes, seed, run and metrics" || fail "runs.csv heading: $(head -1 "$work/j1/runs.csv")"
grep -q "^1,7s,causal,3,3," "$work/j1/aggregate.csv" && pass "aggregate rows carry the grid values and counts" \
  || fail "aggregate: $(sed -n 3p "$work/j1/aggregate.csv")"
grep -q "12 runs: 12 done now, 0 reused" "$work/j1.txt" && pass "the first sweep does every run" \
  || fail "first sweep said: $(tail -1 "$work/j1.txt")"

# The aggregate is the runs' mean and Student-t interval (recomputed here).
python3 - "$work/j1" <<'PY' && pass "aggregate mean and 95% CI agree with the runs (t(0.975, 2) = 4.302653)" || fail "aggregate math"
import csv, math, sys
d = sys.argv[1]
runs = list(csv.DictReader(open(d + "/runs.csv")))
agg = list(csv.DictReader(open(d + "/aggregate.csv")))
for a in agg:
    xs = [float(r["stale_rate"]) for r in runs if r["point"] == a["point"]]
    m = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    half = 4.302652729749464 * sd / math.sqrt(len(xs))
    assert abs(float(a["stale_rate_mean"]) - m) < 1e-12, a
    assert abs(float(a["stale_rate_ci95_high"]) - (m + half)) < 1e-12, a
    assert abs(float(a["stale_rate_ci95_low"]) - (m - half)) < 1e-12, a
PY

# A rerun reuses every run: nothing redone, same tables.
ls -i "$work/j1/runs" >"$work/inodes-before.txt"
"$consim" sweep "$small" --out "$work/j1" -j 2 >"$work/again.txt" 2>&1
grep -q "12 runs: 0 done now, 12 reused" "$work/again.txt" && pass "a rerun reuses every finished run" \
  || fail "rerun said: $(tail -1 "$work/again.txt")"
ls -i "$work/j1/runs" | cmp -s - "$work/inodes-before.txt" && pass "a rerun rewrites no result file" \
  || fail "result files were rewritten"
same_tables "$work/j1" "$work/j2" && pass "the rerun's tables are the same" || fail "rerun tables differ"

# Kill a sweep mid-way, rerun: only the missing runs are done, same tables.
"$consim" sweep "$small" --out "$work/k" -j 1 --quiet >/dev/null 2>&1 &
pid=$!
for _ in $(seq 6000); do  # up to 2 minutes: under ASan at load a run takes seconds
  [ "$(ls "$work/k/runs" 2>/dev/null | grep -c '\.json$')" -ge 3 ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
done_before=$(ls "$work/k/runs" | grep -c '\.json$')
if [ "$done_before" -ge 3 ] && [ "$done_before" -lt 12 ]; then
  pass "killed after $done_before of 12 runs"
  [ -e "$work/k/runs.csv" ] && fail "a killed sweep wrote tables" || pass "a killed sweep writes no table"
  ls -i "$work/k/runs" | grep '\.json$' >"$work/k-before.txt"
  "$consim" sweep "$small" --out "$work/k" -j 2 >"$work/k.txt" 2>&1
  grep -q "12 runs: $((12 - done_before)) done now, $done_before reused" "$work/k.txt" \
    && pass "the resumed sweep does only the runs that were missing" || fail "resume said: $(tail -1 "$work/k.txt")"
  while read -r inode name; do
    [ "$(ls -i "$work/k/runs/$name" | cut -d' ' -f1)" = "$inode" ] || fail "$name was redone"
  done <"$work/k-before.txt"
  same_tables "$work/k" "$work/j1" && pass "the resumed sweep's tables equal an uninterrupted one's" \
    || fail "resumed tables differ"
  ls "$work/k/runs" | grep -q '\.tmp$' && fail "temporary files left in runs/" || pass "no temporary file left"
else
  fail "could not kill the sweep mid-way ($done_before runs done)"
fi

# Progress on stderr with --progress.
rm -f "$work/j2/runs"/*.json
"$consim" sweep "$small" --out "$work/j2" --progress >/dev/null 2>"$work/progress.txt"
grep -q "^sweep: 12/12 runs done (0 resumed), [0-9.]* s elapsed, about 0 s left" "$work/progress.txt" \
  && pass "--progress prints runs done, elapsed and remaining" || fail "progress: $(tail -1 "$work/progress.txt")"

# --collect with runs missing: exit 1, says how many, writes no table.
rm -f "$work/j2/runs"/*.json "$work/j2"/{runs.csv,aggregate.csv,sweep.json}
"$consim" sweep "$small" --out "$work/j2" --collect >"$work/collect.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "12 of 12 runs of $small have no result" "$work/collect.txt" && [ ! -e "$work/j2/runs.csv" ] \
  && pass "--collect with runs missing exits 1 and writes nothing" || fail "collect: rc $rc $(cat "$work/collect.txt")"

# A metric the report does not have: exit 3, the run and the member named.
sed 's/staleness.overall.stale_rate/staleness.overall.stale_rat/' "$small" >"$work/badmetric.json"
sed -i "s#../../scenarios#$src/scenarios#" "$work/badmetric.json"
"$consim" sweep "$work/badmetric.json" --out "$work/bm" >"$work/bm.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] && grep -q "badmetric.json: \$.metrics\[0\].path: the report of run heal=7s model=eventual-async seed 1 has no member \"stale_rat\" at \$.staleness.overall" "$work/bm.txt" \
  && [ ! -e "$work/bm/runs.csv" ] && pass "a metric the report lacks: exit 3 naming the run, no tables" \
  || fail "bad metric: rc $rc $(cat "$work/bm.txt")"

# Bad sweep files: exactly the expected message, exit 3, nothing written.
for f in tests/malformed-sweeps/*.json; do
  expected="${f%.json}.expected"
  "$consim" sweep "$f" --out "$work/bad-out" >"$work/bad.txt" 2>&1
  rc=$?
  # Lists that grow (models, checkers) are not pinned.
  actual=$(sed -E 's/^consim: //; s/; (valid models|checkers): .*/; \1: .../' "$work/bad.txt")
  if [ -n "${CONSIM_REGENERATE_EXPECTED:-}" ]; then printf '%s\n' "$actual" >"$expected"; continue; fi
  if [ "$rc" -eq 3 ] && [ "$actual" = "$(cat "$expected" 2>/dev/null)" ] && [ ! -e "$work/bad-out" ]; then
    pass "$f: exit 3 with its expected message"
  else
    fail "$f: rc $rc, got: $actual"
  fi
done

echo "$failures failures"
[ "$failures" -eq 0 ]
