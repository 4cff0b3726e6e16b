#!/usr/bin/env bash
# The chart scripts' tests (test_plots.py), run with a Python that has
# matplotlib (scripts/find-python.sh). Usage: run.sh CONSIM SOURCE_DIR
set -uo pipefail
consim="$1"
src="$2"
python=$(bash "$src/scripts/find-python.sh") || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# matplotlib caches fonts under MPLCONFIGDIR; keep that out of $HOME.
MPLCONFIGDIR="$work/mpl" "$python" "$src/tests/plots/test_plots.py" "$consim" "$src" "$work"
