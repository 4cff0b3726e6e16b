#!/bin/bash
# Checks Porcupine's Jepsen etcd histories (test_data/jepsen/etcd_NNN.log in
# https://github.com/anishathalye/porcupine; not in this repository: third-
# party data) and compares consim's linearizability verdict with Porcupine's.
# The expected verdicts are those of Porcupine's own tests (porcupine_test.go,
# TestEtcdJepsenNNN); it has no test for 095 ("etcd cluster failed to start").
# Usage: tests/e2e/porcupine_etcd.sh CONSIM DIR   (exit 0 iff all agree)
consim=$1
dir=$2
valid=" 002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102 "
agree=0 differ=0 missing=0
for n in $(seq -w 0 102); do
  n=$(printf "%03d" "$((10#$n))")
  [ "$n" = 095 ] && continue
  f="$dir/etcd_$n.log"
  if [ ! -f "$f" ]; then missing=$((missing + 1)); continue; fi
  case "$valid" in *" $n "*) want=valid ;; *) want=invalid ;; esac
  got=$("$consim" check "$f" --consistency linearizable | sed -n 's/^verdict: //p')
  if [ "$got" = "$want" ]; then agree=$((agree + 1)); else
    differ=$((differ + 1)); echo "etcd_$n: consim says $got, Porcupine $want"; fi
done
echo "$agree agree, $differ differ, $missing not found in $dir"
[ "$differ" -eq 0 ]
