#!/usr/bin/env bash
# End-to-end tests of the built `consim` binary, as a user runs it:
# the demo comparison, determinism of the bytes, bad input handling, exit
# codes. Usage: cli_test.sh CONSIM SOURCE_DIR
set -uo pipefail
consim="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# The demo: every model, one seed, a table, a trace and a report per model.
out="$work/demo"
if "$consim" compare "$src/scenarios/demo-partition.json" --out "$out" >"$work/table.txt" 2>&1; then
  pass "compare runs the demo"
else
  fail "compare exited non-zero: $(cat "$work/table.txt")"
fi
for m in strong-2pc eventual-async causal; do
  [ -s "$out/$m/trace.jsonl" ] && [ -s "$out/$m/report.json" ] && pass "$m wrote trace and report" \
    || fail "$m: missing trace.jsonl or report.json"
  grep -q "$m" "$work/table.txt" && pass "table has a row for $m" || fail "table lacks $m"
done
grep -q "during" "$work/table.txt" && pass "table shows the partition phase" || fail "no 'during' phase in table"
ls "$out"/*/*.tmp >/dev/null 2>&1 && fail "temporary files left behind" || pass "no temporary files left"

# Same seed, same bytes; another seed, other bytes.
"$consim" run "$src/scenarios/demo-partition.json" --out "$work/a" --quiet
"$consim" run "$src/scenarios/demo-partition.json" --out "$work/b" --quiet
cmp -s "$work/a/trace.jsonl" "$work/b/trace.jsonl" && pass "same seed gives identical trace bytes" \
  || fail "two runs with the same seed differ"
cmp -s "$work/a/report.json" "$work/b/report.json" && pass "same seed gives identical report bytes" \
  || fail "two reports with the same seed differ"
"$consim" run "$src/scenarios/demo-partition.json" --seed 999 --out "$work/c" --quiet
cmp -s "$work/a/trace.jsonl" "$work/c/trace.jsonl" && fail "another seed gave the same trace" \
  || pass "another seed changes the trace"

# --random-seed prints the seed and the replay command.
"$consim" run "$src/scenarios/demo-partition.json" --random-seed --out "$work/r" >"$work/r.txt"
grep -q "replay with: consim run .* --seed [0-9]" "$work/r.txt" && pass "random seed is printed with its replay command" \
  || fail "random seed output: $(head -2 "$work/r.txt")"

# Bad input: a clear message naming file and JSON path, exit 3, nothing written.
cat >"$work/bad.json" <<'JSON'
{"name": "bad", "seed": 1, "duration": "10s", "nodes": ["n1", "n2", "n3"],
 "model": {"name": "eventual-async"}, "clients": {"count": 2, "nodes": ["n1"]},
 "workload": {"think_time": {"type": "constant", "value": "10ms"}, "timeout": "100ms"},
 "faults": [{"type": "crash", "node": "n9", "at": "1s", "restart": "2s"}]}
JSON
"$consim" run "$work/bad.json" --out "$work/bad-out" >"$work/bad.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] && pass "bad scenario exits 3" || fail "bad scenario exit code $rc"
grep -q "bad.json: \$.faults\[0\].node" "$work/bad.txt" && pass "message names the file and JSON path" \
  || fail "message was: $(cat "$work/bad.txt")"
[ -e "$work/bad-out" ] && fail "bad input left an output folder" || pass "bad input writes nothing"

"$consim" run "$work/missing.json" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] && pass "missing scenario exits 3" || fail "missing scenario exit code $rc"
"$consim" run >/dev/null 2>&1
rc=$?
[ "$rc" -eq 4 ] && pass "missing argument exits 4" || fail "missing argument exit code $rc"
"$consim" frob >/dev/null 2>"$work/frob.txt"
rc=$?
[ "$rc" -eq 4 ] && grep -q 'consim: unknown command "frob"; commands: run, compare' "$work/frob.txt" \
  && pass "unknown command exits 4 and lists the commands" \
  || fail "unknown command: rc $rc, $(cat "$work/frob.txt")"
"$consim" run --bogus x >/dev/null 2>"$work/bogus.txt"
rc=$?
[ "$rc" -eq 4 ] && grep -q "consim run --help" "$work/bogus.txt" \
  && pass "unknown option exits 4 and points at the command's help" \
  || fail "unknown option: rc $rc, $(cat "$work/bogus.txt")"
"$consim" run "$src/scenarios/demo-partition.json" --model no-such-model --out "$work/nm" >"$work/nm.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] && grep -q "strong-2pc" "$work/nm.txt" && pass "unknown model lists the valid ones" \
  || fail "unknown model: rc $rc, $(cat "$work/nm.txt")"

# validate and list.
"$consim" validate "$src/scenarios/demo-partition.json" >"$work/v.txt" && grep -q "ok" "$work/v.txt" \
  && pass "validate accepts the demo" || fail "validate: $(cat "$work/v.txt")"
grep -q "client link normal(mean=500us, sd=100us); cut messages are dropped" "$work/v.txt" \
  && grep -q "^1 fault:" "$work/v.txt" \
  && pass "validate describes the network and the faults" || fail "validate: $(cat "$work/v.txt")"
"$consim" list >"$work/l.txt" && grep -q "majority-minority" "$work/l.txt" && grep -q "pareto" "$work/l.txt" \
  && grep -q "causal" "$work/l.txt" && pass "list shows models, shapes and distributions" \
  || fail "list: $(cat "$work/l.txt")"

# check: the strong model's trace is linearizable; exit codes follow the verdict.
"$consim" check "$out/strong-2pc/trace.jsonl" --consistency linearizable >"$work/chk.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "strong-2pc trace checks linearizable (exit 0)" || fail "check strong-2pc: rc $rc $(head -5 "$work/chk.txt")"
cat >"$work/stale.jsonl" <<'JSON'
{"type":"invoke","time":0,"process":0,"f":"write","key":1,"value":1}
{"type":"ok","time":10,"process":0,"f":"write","key":1,"value":1}
{"type":"invoke","time":20,"process":1,"f":"read","key":1,"value":null}
{"type":"ok","time":30,"process":1,"f":"read","key":1,"value":null}
JSON
"$consim" check "$work/stale.jsonl" --consistency linearizable >"$work/stale.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "line 3" "$work/stale.txt" && pass "a stale read is not linearizable (exit 1, names line 3)" \
  || fail "stale history: rc $rc $(cat "$work/stale.txt")"
echo '{"type":"invoke","time":0,"process":0,"f":"write"' >"$work/broken.jsonl"
"$consim" check "$work/broken.jsonl" >"$work/broken.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] && grep -q "broken.jsonl" "$work/broken.txt" && pass "a malformed history exits 3 naming the file" \
  || fail "broken history: rc $rc $(cat "$work/broken.txt")"

# A history with no operations is bad input (exit 3), never "valid".
printf '{"type":"start","time":0}\n{"type":"info","time":1,"process":"nemesis","f":"start"}\n' >"$work/empty.jsonl"
"$consim" check "$work/empty.jsonl" >"$work/empty.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] && grep -q "empty.jsonl.*no operations to check" "$work/empty.txt" && grep -q "1 nemesis line skipped" "$work/empty.txt" \
  && pass "a history with no operations exits 3 and says so" || fail "empty history: rc $rc $(cat "$work/empty.txt")"
# Jepsen's keyword spellings are read: this stale read is found, not "0 operations, valid".
sed -e 's/"type":"\([a-z]*\)"/"type":":\1"/' -e 's/"f":"\([a-z]*\)"/"f":":\1"/' "$work/stale.jsonl" >"$work/stale-kw.jsonl"
"$consim" check "$work/stale-kw.jsonl" --consistency linearizable >"$work/stale-kw.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "2 operations" "$work/stale-kw.txt" && pass "Jepsen's :invoke/:ok spellings are read" \
  || fail "keyword history: rc $rc $(cat "$work/stale-kw.txt")"

echo "$failures failures"
[ "$failures" -eq 0 ]
