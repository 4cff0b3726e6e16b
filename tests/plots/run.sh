#!/usr/bin/env bash
# The chart scripts' tests (test_plots.py, test_spacetime.py, test_more_charts.py, test_fit.py,
# test_spacetime_fit.py),
# run with a Python that has matplotlib (scripts/find-python.sh).
# Usage: run.sh CONSIM SOURCE_DIR
set -uo pipefail
consim="$1"
src="$2"
python=$(bash "$src/scripts/find-python.sh") || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
# matplotlib caches fonts under MPLCONFIGDIR; keep that out of $HOME.
for test in test_plots.py test_spacetime.py test_more_charts.py test_fit.py test_spacetime_fit.py; do
  [ -f "$src/tests/plots/$test" ] || continue
  mkdir -p "$work/$test"
  echo "== $test"
  MPLCONFIGDIR="$work/mpl" "$python" "$src/tests/plots/$test" "$consim" "$src" "$work/$test" || status=1
done
exit $status
