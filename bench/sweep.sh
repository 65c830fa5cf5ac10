#!/usr/bin/env bash
# bench/sweep.sh — parallel efficiency of a 64-point sweep (8 memory sizes x 8 arrival rates of
# bench/sweep/small.yaml, four replications each): wall time with -j 1 and with -j N (default 2),
# efficiency = T1 / (N x TN), best of R runs each (default 3), and a check that both outputs are
# byte-identical. Builds the release preset first. Not a test: the figures depend on the machine
# and on what else runs on it ("cores busy", CPU time over wall time, shows whether the runs had
# the cores to themselves: run it again when it is below N at -j N).
# Usage: bench/sweep.sh [N [R]]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2} runs=${2:-3}
cmake --preset release >/dev/null
cmake --build --preset release -j 2 --target capsim >/dev/null
capsim=build-release/capsim
args=(sweep bench/sweep/small.yaml --vary lambda.memory=256MB..2048MB:+256MB
      --vary workload.arrivals.rate=5/s..40/s:+5/s --format csv)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# best_of J: runs the sweep R times on J threads; prints the best wall time and its CPU time
# (user + system), in seconds.
best_of() {
  local j=$1 i TIMEFORMAT='%R %U %S'
  for i in $(seq 1 "$runs"); do
    { time "$capsim" "${args[@]}" -j "$j" >"$out/j$j.csv" 2>/dev/null; } 2>&1
  done | awk 'NR == 1 || $1 < best { best = $1; cpu = $2 + $3 } END { print best, cpu }'
}

read -r t1 c1 < <(best_of 1)
read -r tn cn < <(best_of "$threads")
cmp -s "$out/j1.csv" "$out/j$threads.csv" || { echo "outputs differ between -j 1 and -j $threads" >&2; exit 1; }
printf '64-point sweep, %s replications per point, best of %s runs (%s cores here)\n' 4 "$runs" "$(nproc)"
# CPU / wall: how many cores the run kept busy (below N at -j N: another program had a core).
awk -v t="$t1" -v c="$c1" 'BEGIN { printf "  -j 1   wall %6.2f s   CPU %6.2f s   (%.2f cores busy)\n", t, c, c / t }'
awk -v t="$tn" -v c="$cn" -v n="$threads" \
  'BEGIN { printf "  -j %-3d wall %6.2f s   CPU %6.2f s   (%.2f cores busy)\n", n, t, c, c / t }'
awk -v t1="$t1" -v tn="$tn" -v n="$threads" 'BEGIN {
  printf "  speed-up %.2f, parallel efficiency %.0f %% (T1 / (%d x T%d)); outputs byte-identical\n",
         t1 / tn, 100 * t1 / (n * tn), n, n }'
