#!/usr/bin/env bash
# plot_sweep.py's tests (test_sweep_plot.py), run with a Python that has
# matplotlib (scripts/find-python.sh). Usage: sweep_plot_test.sh CONSIM SOURCE_DIR
set -uo pipefail
python=$(bash "$2/scripts/find-python.sh") || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
MPLCONFIGDIR="$work/mpl" "$python" "$2/tests/plots/test_sweep_plot.py" "$1" "$2" "$work"
