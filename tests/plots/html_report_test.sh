#!/usr/bin/env bash
# `consim report` in headless Chromium (test_html_report.py), with a Python
# that has matplotlib (scripts/find-python.sh). Skipped (exit 77) only when
# Chromium is not installed: scripts/ensure-deps.sh installs it (Debian's
# `chromium`).
# Usage: html_report_test.sh CONSIM SOURCE_DIR
set -uo pipefail
consim="$1"
src="$2"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: no chromium (apt-get install chromium, or run scripts/ensure-deps.sh)"
  exit 77
fi
python=$(bash "$src/scripts/find-python.sh") || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
MPLCONFIGDIR="$work/mpl" "$python" "$src/tests/plots/test_html_report.py" \
  "$consim" "$src" "$work" "$chromium"
