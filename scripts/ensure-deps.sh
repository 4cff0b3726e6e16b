#!/usr/bin/env bash
# Installs consim's build and run dependencies from Debian's archive when any
# is missing. Safe to run repeatedly: it does nothing when all are present.
# With --tests it also installs what only the test suite uses (Slurm for the
# sweep's Slurm test, Chromium for the HTML report's browser test), so the
# demo does not pull in a browser.
set -euo pipefail
packages=(g++ meson ninja-build pkg-config cmake libboost-graph-dev nlohmann-json3-dev
          doctest-dev libcli11-dev python3 python3-matplotlib)
if [ "${1:-}" = --tests ]; then
  packages+=(slurmctld slurmd slurm-client munge  # slurm-wlm without its extra plugins: the sweep's Slurm test
             chromium)  # consim report's browser test (tests/plots/html_report_test.sh)
elif [ $# -gt 0 ]; then
  echo "usage: scripts/ensure-deps.sh [--tests]" >&2
  exit 4
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
