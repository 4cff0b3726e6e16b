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
  # Configure (an existing folder takes this script's options too), then
  # build what the tests run (not the benchmarks: scripts/build.sh or a
  # plain `ninja -C DIR` builds everything).
  if [ -f "$dir/build.ninja" ]; then
    [ $# -eq 0 ] || meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
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
# -O1, as AddressSanitizer's documentation advises for speed: the tests run
# about six times faster than at -O0 (docs/testing.md). GCC 12 reports false
# -Wmaybe-uninitialized inside std::variant and std::vector when sanitizers
# and -O1 meet; the warning stays an error in build/ (-O2, no sanitizers).
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  run_suite build-asan "--no-suite plots" -Db_sanitize=address,undefined -Dbuildtype=debug \
    -Doptimization=1 "-Dcpp_args=-fno-sanitize-recover=all -Wno-maybe-uninitialized" \
    -Dcpp_link_args=-fno-sanitize-recover=all || status=1
echo "$passed passed, $failed failed"
exit "$status"
