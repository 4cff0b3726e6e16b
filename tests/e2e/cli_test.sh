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

# The checker table: the CLI reads it; a bad name lists the valid ones.
grep -q "^checkers" "$work/l.txt" && grep -q "^  linearizable " "$work/l.txt" \
  && grep -q "^metrics" "$work/l.txt" && grep -q "^  ops_per_node " "$work/l.txt" \
  && pass "list shows the checker and metric tables" || fail "list tables: $(cat "$work/l.txt")"
"$consim" check "$work/stale.jsonl" --consistency lin >"$work/badchk.txt" 2>&1
rc=$?
[ "$rc" -eq 4 ] && grep -q 'unknown checker "lin"; checkers: linearizable, causal, session, .*all or none' "$work/badchk.txt" \
  && pass "check --consistency with a bad name: exit 4, the valid names listed" \
  || fail "bad checker name: rc $rc $(cat "$work/badchk.txt")"
"$consim" analyze "$out/causal/trace.jsonl" --out "$work/an/report.json" --checkers bogus >"$work/badan.txt" 2>&1
rc=$?
[ "$rc" -eq 4 ] && [ ! -e "$work/an/report.json" ] && grep -q 'unknown checker "bogus"' "$work/badan.txt" \
  && pass "analyze --checkers with a bad name: exit 4, nothing written" || fail "analyze bad checker: rc $rc $(cat "$work/badan.txt")"
mkdir -p "$work/an"
"$consim" analyze "$out/causal/trace.jsonl" --out "$work/an/report.json" --checkers session >/dev/null 2>&1 \
  && grep -q '"read-your-writes"' "$work/an/report.json" && ! grep -q '"linearizable": {' "$work/an/report.json" \
  && [ -s "$work/an/timeline.json" ] && ! grep -q '"timeline"' "$work/an/report.json" \
  && pass "analyze --checkers session: only the session checkers; timeline.json beside the report" \
  || fail "analyze --checkers session: $(head -c 300 "$work/an/report.json")"

# Numbers and flags: a number no double holds is bad input with its place;
# seeds and budgets out of range are usage errors, never wrapped.
cat >"$work/big.json" <<'JSON'
{"name": "t", "duration": "1s", "nodes": ["n1"], "model": "causal", "workload": {"rate": 1e400}}
JSON
for cmd in run validate; do
  "$consim" $cmd "$work/big.json" >"$work/big.txt" 2>&1
  rc=$?
  [ "$rc" -eq 3 ] && grep -qF "consim: $work/big.json: \$.workload.rate: the number 1e400 is too large" "$work/big.txt" \
    && pass "$cmd: 1e400 exits 3 naming file and path" || fail "$cmd 1e400: rc $rc $(cat "$work/big.txt")"
done
for seed in -1 18446744073709551616 12x ""; do
  "$consim" run "$src/scenarios/demo-partition.json" --seed "$seed" --out "$work/seed" >"$work/seed.txt" 2>&1
  rc=$?
  [ "$rc" -eq 4 ] && grep -q "seed" "$work/seed.txt" && [ ! -e "$work/seed" ] \
    && pass "run --seed '$seed' exits 4" || fail "--seed '$seed': rc $rc $(cat "$work/seed.txt")"
done
"$consim" validate "$src/scenarios/demo-partition.json" --seed 18446744073709551615 >"$work/maxseed.txt" 2>&1 \
  && grep -q "seed 18446744073709551615," "$work/maxseed.txt" && pass "validate --seed takes 2^64-1" \
  || fail "validate --seed 2^64-1: $(cat "$work/maxseed.txt")"
for budget in -5 0; do
  "$consim" check "$out/strong-2pc/trace.jsonl" --budget=$budget >"$work/budget.txt" 2>&1
  rc=$?
  [ "$rc" -eq 4 ] && grep -q "budget" "$work/budget.txt" && pass "check --budget $budget exits 4" \
    || fail "--budget $budget: rc $rc $(cat "$work/budget.txt")"
done

# validate --seed previews another seed's nemesis.
cat >"$work/nemesis.json" <<'JSON'
{"name": "t", "duration": "60s", "nodes": ["n1", "n2", "n3"], "model": "causal",
 "nemesis": {"start": "1s", "end": "50s", "interval": {"type": "exponential", "mean": "5s"},
             "length": "1s", "kinds": ["crash", "pause"]}}
JSON
"$consim" validate "$work/nemesis.json" --seed 1 >"$work/n1.txt" 2>&1
"$consim" validate "$work/nemesis.json" --seed 2 >"$work/n2.txt" 2>&1
grep -q "seed 2," "$work/n2.txt" && ! cmp -s "$work/n1.txt" "$work/n2.txt" \
  && pass "validate --seed shows that seed's faults" || fail "validate --seed: $(cat "$work/n2.txt")"

# A trace header of another version or format, or a second header, is bad input.
trace="$out/strong-2pc/trace.jsonl"
sed '1s/"version":1/"version":2/' "$trace" >"$work/v2.jsonl"
sed '1s/"format":"consim-trace"/"format":"other"/' "$trace" >"$work/fmt.jsonl"
{ head -1 "$trace"; cat "$trace"; } >"$work/twice.jsonl"
for bad in v2:1 fmt:1 twice:2; do
  name=${bad%%:*} line=${bad##*:}
  "$consim" analyze "$work/$name.jsonl" --out "$work/$name-report.json" >"$work/ha.txt" 2>&1
  ra=$?
  "$consim" check "$work/$name.jsonl" >"$work/hc.txt" 2>&1
  rc=$?
  for cmd in analyze check; do
    [ $cmd = analyze ] && r=$ra h="$work/ha.txt" || r=$rc h="$work/hc.txt"
    [ "$r" -eq 3 ] && grep -qF "$work/$name.jsonl: line $line:" "$h" \
      && pass "$cmd rejects the $name header (exit 3, line $line)" \
      || fail "$cmd $name header: rc $r $(cat "$h")"
  done
done

# validate makes every check run makes: zipf over too many keys fails both, alike.
cat >"$work/zipf.json" <<'JSON'
{"name": "t", "duration": "1s", "nodes": ["n1"], "model": "causal",
 "workload": {"keys": 1000000000, "key_distribution": {"zipf": 1.0}}}
JSON
expect="consim: $work/zipf.json: \$.workload.keys: zipf supports at most 10000000 keys, got 1000000000"
"$consim" validate "$work/zipf.json" >"$work/zv.txt" 2>&1; rv=$?
"$consim" run "$work/zipf.json" --out "$work/zipf" >"$work/zr.txt" 2>&1; rr=$?
[ "$rv" -eq 3 ] && [ "$rr" -eq 3 ] && [ "$(cat "$work/zv.txt")" = "$expect" ] && [ "$(cat "$work/zr.txt")" = "$expect" ] \
  && pass "validate and run reject zipf over 10^7 keys alike" \
  || fail "zipf limit: validate rc $rv $(cat "$work/zv.txt"); run rc $rr $(cat "$work/zr.txt")"

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

# consim swarm: many seeds of random faults, the checkers as the oracle.
small="$src/scenarios/swarm-small.json"
mkdir -p "$work/tmp"
TMPDIR="$work/tmp" "$consim" swarm "$small" --model strong-2pc --seeds 200 -j 2 >"$work/sw-strong.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q "^swarm: 200 seeds (1 to 200) of .* under strong-2pc: 0 failed" "$work/sw-strong.txt" \
  && grep -q "^  linearizable: 0 failed, 0 unknown" "$work/sw-strong.txt" \
  && pass "swarm: strong-2pc over 200 seeds of random faults has no linearizability violation (exit 0)" \
  || fail "swarm strong-2pc: rc $rc $(tail -5 "$work/sw-strong.txt")"
[ -z "$(ls -A "$work/tmp")" ] && pass "swarm: no trace or temporary directory left behind" \
  || fail "swarm left files: $(ls -A "$work/tmp")"
"$consim" swarm "$small" --model eventual-async --seeds 20 -j 1 >"$work/sw-j1.txt" 2>&1
rc=$?
"$consim" swarm "$small" --model eventual-async --seeds 20 -j 2 >"$work/sw-j2.txt" 2>&1
[ "$rc" -eq 1 ] && grep -q "^  linearizable: [1-9][0-9]* failed" "$work/sw-j1.txt" \
  && pass "swarm: eventual-async is found to violate linearizability (exit 1)" \
  || fail "swarm eventual-async: rc $rc $(tail -5 "$work/sw-j1.txt")"
tail -1 "$work/sw-j1.txt" | grep -q "^wall time [0-9.]* s (-j 1)$" && tail -1 "$work/sw-j2.txt" | grep -q "(-j 2)$" \
  && cmp -s <(head -n -1 "$work/sw-j1.txt") <(head -n -1 "$work/sw-j2.txt") \
  && pass "swarm: the same seeds give the same output with -j 1 and -j 2 but for the time line" \
  || fail "swarm -j 1 and -j 2 differ: $(diff "$work/sw-j1.txt" "$work/sw-j2.txt" | head -5)"
line=$(grep -m1 "^seed [0-9]*: fails linearizable; reproduce: consim run " "$work/sw-j1.txt")
seed=$(echo "$line" | sed 's/^seed \([0-9]*\):.*/\1/')
repro=$(echo "$line" | sed 's/.*; reproduce: consim //')
eval "\"$consim\" $repro --out \"$work/repro\"" >"$work/repro.txt" 2>&1
rc=$?
[ -n "$seed" ] && [ "$rc" -eq 1 ] && grep -q "^swarm seed $seed: fails linearizable$" "$work/repro.txt" \
  && grep -q "^checkers: linearizable invalid" "$work/repro.txt" \
  && pass "swarm: the printed reproduce command, run on its own, fails linearizable again (exit 1)" \
  || fail "reproduce '$line': rc $rc $(tail -3 "$work/repro.txt")"
swarm_usage() {  # expected exit, text the message must hold, arguments...
  local want="$1" text="$2"
  shift 2
  "$consim" swarm "$@" >"$work/sw-bad.txt" 2>&1
  local rc=$?
  [ "$rc" -eq "$want" ] && grep -qF -- "$text" "$work/sw-bad.txt" \
    && pass "swarm $*: exit $want, says '$text'" || fail "swarm $*: rc $rc $(cat "$work/sw-bad.txt")"
}
swarm_usage 4 "--seeds is required" "$small"
swarm_usage 4 "must be at least 1, got 0" "$small" --seeds 0
swarm_usage 4 'unknown checker "lin"; checkers: linearizable' "$small" --seeds 3 --check lin
swarm_usage 4 "swarm needs at least one checker" "$small" --seeds 3 --check none
swarm_usage 4 "at most 1000000 seeds, got 1000001" "$small" --seeds 1000001
swarm_usage 4 "seeds past 18446744073709551615" "$small" --seeds 2 --first-seed 18446744073709551615
swarm_usage 4 "consim swarm --help" "$small" --seeds 3 -j 0
swarm_usage 3 "missing.json" "$work/missing.json" --seeds 3
swarm_usage 3 'unknown model "nope" given as override' "$small" --seeds 3 --model nope
"$consim" run "$small" --seed 3 --swarm-seed 3 --out "$work/both" >"$work/both.txt" 2>&1
rc=$?
[ "$rc" -eq 4 ] && [ ! -e "$work/both" ] && pass "run --seed with --swarm-seed exits 4, nothing written" \
  || fail "run --seed --swarm-seed: rc $rc $(cat "$work/both.txt")"
# Client groups: writers at the master, readers at the slaves; the summary
# has a line per group, and the readers' stale reads are there.
"$consim" run "$src/scenarios/master-slave-reads.json" --out "$work/groups" >"$work/groups.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q "^group writers (clients 0-1 at n1): .*stale reads 0 of 0" "$work/groups.txt" \
  && grep -Eq "^group readers \(clients 2-5 at n2 n3\): .*stale reads [1-9][0-9]* of" "$work/groups.txt" \
  && pass "client groups: the summary shows the readers' stale reads per group" \
  || fail "client groups: rc $rc $(cat "$work/groups.txt")"
# The bank: a compensated saga conserves money; without coordination the
# same scenario loses some, and `check` exits 1 naming the accounts.
"$consim" run "$src/scenarios/bank-saga-compensation.json" --out "$work/bank" --checkers bank >"$work/bank.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q "^bank: money conserved; transfers left half-done: 0" "$work/bank.txt" \
  && "$consim" check "$work/bank/trace.jsonl" --consistency bank >/dev/null 2>&1 \
  && pass "bank: the saga scenario's summary says money conserved; check exits 0" \
  || fail "bank saga: rc $rc $(cat "$work/bank.txt")"
sed 's/"method": "saga"/"method": "none"/' "$src/scenarios/bank-saga-compensation.json" >"$work/bank-none.json"
"$consim" run "$work/bank-none.json" --out "$work/bank-none" --checkers bank --quiet
"$consim" check "$work/bank-none/trace.jsonl" --consistency bank >"$work/bank-none.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "^  - key [0-9]*, ops at line .*: account [0-9]*: final balance" "$work/bank-none.txt" \
  && pass "bank: without coordination check exits 1 and names an account" \
  || fail "bank none: rc $rc $(cat "$work/bank-none.txt")"

# --set [MODEL:]PATH=VALUE: run and compare set scenario fields by JSON path
# (one code path); MODEL: applies to that model's run only.
demo="$src/scenarios/demo-partition.json"
short=(--set '$.duration="2s"' --set '$.workload.stop="1.5s"' --set '$.faults[0].start="0.5s"'
       --set '$.faults[0].heal="1s"')
"$consim" compare "$demo" --models quorum,causal "${short[@]}" --set '$.workload.read_fraction=0.9' \
  --set 'quorum:$.model.params.r=1' --out "$work/set" --quiet >"$work/set.txt" 2>&1
rc=$?
qh=$(head -1 "$work/set/quorum/trace.jsonl" 2>/dev/null); ch=$(head -1 "$work/set/causal/trace.jsonl" 2>/dev/null)
[ "$rc" -eq 0 ] && [[ "$qh" == *'"r":1,"read_repair"'* ]] && [[ "$qh" == *'"read_fraction":0.9'* ]] \
  && [[ "$ch" == *'"read_fraction":0.9'* ]] && [[ "$ch" == *'"duration":2000000000'* ]] \
  && [[ "$ch" != *'"r":1'* ]] \
  && pass "compare --set: every model gets the plain sets, only quorum gets quorum:\$.model.params.r=1" \
  || fail "compare --set: rc $rc $(cat "$work/set.txt") ${qh:0:300}"
"$consim" run "$demo" "${short[@]}" --set '$.network.default_link.loss=0.25' --out "$work/setrun" --quiet \
  >"$work/setrun.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && head -1 "$work/setrun/trace.jsonl" | grep -q '"loss":0.25' \
  && pass "run --set: the same option, the value in the trace header's source" \
  || fail "run --set: rc $rc $(cat "$work/setrun.txt")"
set_error() {  # expected exit, exact message (first line), arguments...
  local want_rc="$1" want="$2"; shift 2
  rm -rf "$work/seterr"
  "$consim" "$@" --out "$work/seterr" >"$work/seterr.txt" 2>&1
  local rc=$?
  [ "$rc" -eq "$want_rc" ] && [ "$(head -1 "$work/seterr.txt")" = "$want" ] && [ ! -e "$work/seterr" ] \
    && pass "$1 ${*:3}: exit $want_rc, the message, nothing written" \
    || fail "$*: rc $rc (want $want_rc) $(cat "$work/seterr.txt")"
}
set_error 4 'consim compare: --set: "$.network.default_link.loss=high": the value high is not JSON (a string needs quotes: $.network.default_link.loss='"'\"high\"'"')' \
  compare "$demo" --set '$.network.default_link.loss=high'
set_error 4 'consim compare: --set: expected [MODEL:]PATH=VALUE, e.g. $.network.loss=0.1, got "$.seed"' \
  compare "$demo" --set '$.seed'
set_error 4 'consim compare: --set raft:$.model.params.r=1: model "raft" is not compared (compared: quorum, causal)' \
  compare "$demo" --models quorum,causal --set 'raft:$.model.params.r=1'
set_error 4 'consim run: --set quorum:$.model.params.r=1: model "quorum" is not run (run: eventual-async)' \
  run "$demo" --set 'quorum:$.model.params.r=1'
set_error 3 "consim: $demo with --set quorum:\$.model.params.r=9: \$.model.params.r: must be from 1 to 5 (at most n = 5), got 9" \
  compare "$demo" --models causal,quorum --set 'quorum:$.model.params.r=9'
set_error 3 "consim: $demo with --set \$.faults[3].heal=\"1s\": \$.faults[3].heal: cannot set: no element 3 at \$.faults (it has 1)" \
  compare "$demo" --set '$.faults[3].heal="1s"'
set_error 3 "consim: $demo with --set \$.network.default_link.loss=2: \$.network.default_link.loss: 2 is out of range: must be between 0 and 1" \
  run "$demo" --set '$.network.default_link.loss=2'
# validate takes the same --set through the same path as run: it shows the
# scenario run would run, and rejects what run rejects with run's message.
out=$("$consim" validate "$demo" --set '$.model.name="quorum"' --set 'quorum:$.model.params.r=2' 2>&1)
rc=$?
[ "$rc" -eq 0 ] && grep -q '^5 nodes, model quorum {.*"r":2,' <<<"$out" \
  && pass "validate --set: shows the model and parameters run would use" \
  || fail "validate --set: rc $rc $out"
out=$("$consim" validate "$demo" --set '$.network.default_link.loss=2' 2>&1)
rc=$?
[ "$rc" -eq 3 ] && [ "$(head -1 <<<"$out")" = "consim: $demo with --set \$.network.default_link.loss=2: \$.network.default_link.loss: 2 is out of range: must be between 0 and 1" ] \
  && pass "validate --set: a value run rejects, exit 3 with run's message" \
  || fail "validate --set loss=2: rc $rc $out"
out=$("$consim" validate "$demo" --set 'raft:$.model.params.r=1' 2>&1)
rc=$?
[ "$rc" -eq 4 ] && [ "$(head -1 <<<"$out")" = 'consim validate: --set raft:$.model.params.r=1: model "raft" is not run (run: eventual-async)' ] \
  && pass "validate --set: a model the scenario does not run, exit 4" \
  || fail "validate --set raft: rc $rc $out"

echo "$failures failures"
[ "$failures" -eq 0 ]
