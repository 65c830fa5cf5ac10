#!/usr/bin/env bash
# bench/compare.sh — before/after: the benchmarks of this checkout against an earlier revision,
# run interleaved in the same session, with the same harness (this checkout's capsim_bench
# source and hold-loop floor, built against the old revision's simulator).
# Usage: bench/compare.sh REV [CASE...]
#   REV   a git revision of this repository (e.g. the branch point, or main before a merge)
#   CASE  steady-1000 | steady-100k | month-1d | setup-small | callgrind (default: all but
#         callgrind). callgrind prints instruction counts (valgrind) of steady-1000 at 300 s,
#         month-1b at 1 h and setup-small, which do not depend on the machine's load.
# Prints, per case and build, the median over rounds of invocations per CPU-second and the
# ratio to the floor (or CPU microseconds per replication, or instructions). Not a test: the
# times depend on the machine and on what else runs on it; the ratios much less so.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/compare.sh REV [CASE...]}
shift
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(steady-1000 steady-100k month-1d setup-small)

old=$(mktemp -d)
trap 'rm -rf "$old"' EXIT
git archive "$rev" | tar -x -C "$old"
cp bench/bench_main.c bench/floor.c bench/floor.h "$old/bench/"
sed -i 's|add_executable(capsim_bench bench/bench_main.c)|add_executable(capsim_bench bench/bench_main.c bench/floor.c)|' \
  "$old/CMakeLists.txt"
cmake -S "$old" -B "$old/build" -DCMAKE_BUILD_TYPE=Release -DCAPSIM_TESTS=OFF \
  -DCMAKE_C_FLAGS_RELEASE="-O3 -DNDEBUG" >/dev/null
cmake --build "$old/build" -j 2 --target capsim_bench >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release -j 2 --target capsim_bench >/dev/null
before=$old/build/capsim_bench after=build-release/capsim_bench

# field NAME: the first number after NAME in capsim_bench's summary.
field() { awk -v k="$1" '$1 == k { print $2; exit }'; }

run_case() { # run_case LABEL ARGS...: both builds, twice, interleaved
  local label=$1; shift
  for pass in 1 2; do
    for b in before after; do
      local bin=${!b} out
      out=$("$bin" "$@")
      printf '%-12s %-6s pass %d: %12s inv/cpu-s  ratio %6s  %10s us/replication\n' "$label" "$b" \
        "$pass" "$(field invocations_per_cpu_second <<<"$out")" "$(field ratio_to_floor <<<"$out")" \
        "$(field cpu_us_per_replication <<<"$out")"
    done
  done
}

for c in "${cases[@]}"; do
  case $c in
    steady-1000) run_case "$c" bench/steady-1000.yaml --rounds 3 ;;
    steady-100k) run_case "$c" bench/steady-100k.yaml --rounds 3 --set horizon=40s ;;
    month-1d) run_case "$c" bench/month-1b.yaml --rounds 3 --set horizon=1d ;;
    setup-small) run_case "$c" bench/setup-small.yaml --rounds 3 --no-floor ;;
    callgrind)
      for args in "bench/steady-1000.yaml --set horizon=300s" "bench/month-1b.yaml --set horizon=1h" \
                  "bench/setup-small.yaml"; do
        for b in before after; do
          # shellcheck disable=SC2086
          n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "${!b}" $args --rounds 1 \
                --no-floor 2>&1 | awk '/I *refs:/ { gsub(",", "", $NF); print $NF }')
          printf '%-40s %-6s %15s instructions\n' "$args" "$b" "$n"
        done
      done ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
done
