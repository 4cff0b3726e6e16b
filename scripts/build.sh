#!/usr/bin/env bash
# Configures (once) and builds consim in build/ (or the folder given):
# everything, or only the ninja targets named after `--` (the demo builds
# cli/consim alone: the tests and benchmarks are test.sh's).
#   scripts/build.sh [DIR] [MESON_SETUP_ARGS...] [-- TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
setup_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  setup_args+=("$1")
  shift
done
[ $# -gt 0 ] && shift  # the "--"
[ -f "$dir/build.ninja" ] || meson setup "$dir" "${setup_args[@]}" >/dev/null
ninja -C "$dir" "$@"
