#!/usr/bin/env bash
# Prints the path of a Python 3 that can import matplotlib: the python3 on
# PATH may be a separate installation that does not see Debian's
# python3-matplotlib, while /usr/bin/python3 does. Exits 1 if none can.
for py in "${CONSIM_PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$py" ] || continue
  if command -v "$py" >/dev/null 2>&1 && "$py" -c "import matplotlib" >/dev/null 2>&1; then
    command -v "$py"
    exit 0
  fi
done
echo "no Python 3 with matplotlib found (apt-get install python3-matplotlib)" >&2
exit 1
