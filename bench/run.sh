#!/usr/bin/env bash
# bench/run.sh — build the release preset and run benchmark scenarios on one core: simulated
# invocations per CPU-second, the ratio to the hold-loop floor measured in the same process
# (bench/floor.h), CPU per replication and peak memory for each.
# Usage: bench/run.sh [NAME...]   NAME is a bench/NAME.yaml; default: all but month-1b, which
#                                 takes minutes (bench/run.sh month-1b runs it alone).
# Not a test: the figures depend on the machine and its load; the ratios much less so, and
# instruction counts not at all:
#   valgrind --tool=callgrind build-release/capsim_bench bench/steady-1000.yaml --set horizon=300s \
#     --rounds 1 --no-floor
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target capsim_bench >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in bench/*.yaml; do
    n=$(basename "$f" .yaml)
    [ "$n" = month-1b ] || names+=("$n")
  done
fi
for n in "${names[@]}"; do
  args=()
  case $n in
    month-1b) args=(--rounds 1 --no-floor) ;;
    kinesis|async-steady) args=(--rounds 1) ;;
  esac
  build-release/capsim_bench "bench/$n.yaml" "${args[@]}"
  echo
done
