#!/bin/bash
# The scaling table of docs/benchmarks.md: `consim run` on each scenario here
# (simulation + analysis), then `consim analyze` on its trace (analysis
# alone), each under /usr/bin/time -v: CPU time (user + system, which a
# loaded machine does not inflate the way it does wall time), wall time,
# peak RSS. Usage: bench/scale/run.sh BUILD_DIR [OUT_DIR]
# (a release build: meson setup build-rel --buildtype=release).
set -u
build=${1:?usage: run.sh BUILD_DIR [OUT_DIR]}
out=${2:-/tmp/consim-scale}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
printf '| scenario | nodes | clients | events | run CPU (wall) | run peak RSS | analyze CPU (wall) | analyze peak RSS | exit |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
cpu() { awk '/User time/ {u=$NF} /System time/ {s=$NF} /Elapsed \(wall/ {w=$NF} END {printf "%.2f s (%s)", u+s, w}' "$1"; }
for f in "$here"/nodes-*.json "$here"/clients-*.json; do
  name=$(basename "$f" .json)
  dir="$out/$name"
  rm -rf "$dir"
  /usr/bin/time -v "$build/cli/consim" run "$f" --out "$dir" --quiet >"$out/$name.run.txt" 2>&1
  rc=$?
  wall=$(cpu "$out/$name.run.txt")
  rss=$(grep 'Maximum resident' "$out/$name.run.txt" | awk '{printf "%.0f MiB", $NF/1024}')
  events=$(tail -1 "$dir/trace.jsonl" 2>/dev/null | sed -n 's/.*"events":\([0-9]*\).*/\1/p')
  awall=-; arss=-
  if [ -f "$dir/trace.jsonl" ]; then
    /usr/bin/time -v "$build/cli/consim" analyze "$dir/trace.jsonl" --out "$dir/re.json" \
      >"$out/$name.analyze.txt" 2>&1
    awall=$(cpu "$out/$name.analyze.txt")
    arss=$(grep 'Maximum resident' "$out/$name.analyze.txt" | awk '{printf "%.0f MiB", $NF/1024}')
  fi
  nodes=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['nodes']), d['clients']['count'])" "$f")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" ${nodes% *} ${nodes#* } \
    "${events:--}" "$wall" "$rss" "$awall" "$arss" "$rc"
  rm -f "$dir/trace.jsonl"
done
