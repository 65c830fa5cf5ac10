#!/usr/bin/env bash
# bench/run.sh — build the release preset and run every benchmark scenario (bench/*.yaml) on one
# core. Prints simulated invocations per CPU-second and peak memory for each. Not a test: the
# figures depend on the machine and its load; instruction counts are stable under
#   valgrind --tool=callgrind build-release/capsim_bench bench/steady-1000.yaml --set horizon=300s
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target capsim_bench >/dev/null
for f in bench/*.yaml; do
  build-release/capsim_bench "$f"
  echo
done
