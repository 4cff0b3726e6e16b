#!/usr/bin/env bash
# The whole test suite: installs what is needed, builds with warnings as
# errors, runs every test, then builds again with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs every test there too. Builds only what
# the tests need; the unit tests run as shards on both cores
# (docs/testing.md).
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-deps.sh --tests
passed=0
failed=0
run_suite() {
  local dir="$1" skip="$2"
  shift 2
  # Configure once, then build what the tests run (not the benchmarks:
  # scripts/build.sh or a plain `ninja -C DIR` builds everything).
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null
  ninja -C "$dir" build.ninja >/dev/null  # regenerate first if meson.build changed
  # shellcheck disable=SC2046  # one target a word
  ninja -C "$dir" $(scripts/test-targets.py "$dir")
  local log
  log=$(mktemp)
  set +e
  # shellcheck disable=SC2086  # $skip is empty or "--no-suite NAME"
  meson test -C "$dir" --print-errorlogs --num-processes 2 $skip 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  local ok fail
  ok=$(awk '/^Ok:/ {print $2}' "$log")
  fail=$(awk '/^(Fail|Timeout):/ {n += $2} END {print n + 0}' "$log")
  passed=$((passed + ${ok:-0}))
  failed=$((failed + ${fail:-0}))
  rm -f "$log"
  return "$rc"
}
status=0
run_suite build "" || status=1
# The chart scripts' test (Python) only in the normal build: `cli` runs
# `consim compare` under the sanitizers (docs/testing.md).
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  run_suite build-asan "--no-suite plots" -Db_sanitize=address,undefined -Dbuildtype=debug \
    -Dcpp_args=-fno-sanitize-recover=all -Dcpp_link_args=-fno-sanitize-recover=all || status=1
echo "$passed passed, $failed failed"
exit "$status"
