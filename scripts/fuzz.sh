#!/usr/bin/env bash
# Fuzzes one target with libFuzzer for a while (docs/testing.md, "Fuzzing").
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   scripts/fuzz.sh checkers 600 -max_len=8192
#
# TARGET is one of fuzz/meson.build's targets: scenario_loader, trace_reader,
# history_reader, checkers. Builds with clang (-fsanitize=fuzzer,address,
# undefined) in build-fuzz/, its own build folder, then runs the target on
# its seed corpus (fuzz/corpus/TARGET, read only) with new inputs kept in
# build-fuzz/corpus/TARGET. A crash writes crash-* (or leak-*, timeout-*)
# into build-fuzz/findings/TARGET and exits non-zero: fix it, then copy the
# input into fuzz/corpus/TARGET/ so the test suite keeps running it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]" >&2
  exit 4
fi
target="$1"
seconds="$2"
shift 2
if [ ! -d "fuzz/corpus/$target" ]; then
  echo "scripts/fuzz.sh: no target \"$target\"; targets: $(ls fuzz/corpus | tr '\n' ' ')" >&2
  exit 4
fi
dir=build-fuzz
if [ ! -f "$dir/build.ninja" ]; then
  # Coverage instrumentation everywhere, libFuzzer's main only in the targets.
  flags=-fsanitize=fuzzer-no-link,address,undefined
  CC=clang CXX=clang++ meson setup "$dir" -Dfuzzing=true -Dbuildtype=plain \
    -Dwerror=false -Db_lundef=false \
    -Dcpp_args="-O1 -gline-tables-only $flags -fno-sanitize-recover=all" \
    -Dcpp_link_args="-fsanitize=address,undefined" >/dev/null
fi
ninja -C "$dir" "fuzz/${target}_fuzz"
mkdir -p "$dir/corpus/$target" "$dir/findings/$target"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
exec "$dir/fuzz/${target}_fuzz" "$dir/corpus/$target" "fuzz/corpus/$target" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$dir/findings/$target/" -print_final_stats=1 "$@"
