#!/usr/bin/env bash
# bench/account.sh — an account of 500 functions replaying the Azure Functions 2019 sample
# (scenarios/azure-per-function.yaml) against the same trace replayed on one function
# (scenarios/azure-trace-replay.yaml): simulated invocations per CPU-second of each, and their
# ratio (the issue's target: the account at no less than half the single function's rate).
#
# Each pass runs, one right after the other on one core, both scenarios (1 replication, the
# sample's 3,037,902 invocations each):
#   sim  build-release/capsim_bench SCENARIO --rounds 1: the simulation alone (CPU of the
#        replication loop; the account through lambda_account_simulate, as capsim run -j 1 does);
#        its ratio to the hold-loop floor (bench/floor.h) is the steadier figure on a busy machine;
#   run  /usr/bin/time build-release/capsim run SCENARIO --format json -j 1: the whole command,
#        user + system CPU, so loading the trace (and for the account its durations.csv and
#        memory.csv and 500 functions' set-up) and writing the results are included.
# The passes alternate which scenario goes first. Prints every pass, then per figure the median
# and the range over the passes, and the account / single ratio computed within each pass.
# Needs the trace: CAPSIM_AZURE_TRACE (scenarios/azure-trace-replay.yaml says where to get it).
# Usage: bench/account.sh [PASSES]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
passes=${1:-5}
: "${CAPSIM_AZURE_TRACE:?set CAPSIM_AZURE_TRACE to the folder holding the Azure sample (invocations.csv, durations.csv, memory.csv)}"
export CAPSIM_AZURE_TRACE
cmake --preset release >/dev/null
cmake --build --preset release -j 2 --target capsim capsim_bench >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

account=scenarios/azure-per-function.yaml
single=scenarios/azure-trace-replay.yaml

# field NAME FILE: the first number after NAME in capsim_bench's summary.
field() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }

bench_one() { # bench_one WHICH SCENARIO PASS: one capsim_bench round and one timed capsim run
  local which=$1 f=$2 k=$3
  build-release/capsim_bench "$f" --rounds 1 >"$tmp/bench.$which.$k"
  /usr/bin/time -f '%U %S %e' -o "$tmp/time.$which.$k" \
    build-release/capsim run "$f" --format json -j 1 >"$tmp/run.$which.$k.json"
}

printf '%4s %-7s %12s %9s %12s %6s %9s %12s\n' pass model invocations sim_cpu_s sim_inv/cpu \
  floor run_cpu_s run_inv/cpu
for k in $(seq 1 "$passes"); do
  if [ $((k % 2)) -eq 1 ]; then
    bench_one account "$account" "$k"; bench_one single "$single" "$k"
  else
    bench_one single "$single" "$k"; bench_one account "$account" "$k"
  fi
  for which in account single; do
    b="$tmp/bench.$which.$k"
    inv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["platforms"]["lambda"]["invocations"])' \
      "$tmp/run.$which.$k.json")
    read -r u s _ <"$tmp/time.$which.$k"
    run_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
    printf '%4d %-7s %12s %9s %12s %6s %9s %12.0f\n' "$k" "$which" "$inv" \
      "$(field cpu_seconds "$b")" "$(field invocations_per_cpu_second "$b")" \
      "$(field ratio_to_floor "$b")" "$run_cpu" "$(awk -v n="$inv" -v c="$run_cpu" 'BEGIN { print n / c }')"
    echo "$k $which $(field invocations_per_cpu_second "$b") $(field ratio_to_floor "$b") $(awk -v n="$inv" -v c="$run_cpu" 'BEGIN { print n / c }')" >>"$tmp/all"
  done
done

echo
python3 - "$tmp/all" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for k, which, sim, floor, run in rows:
    by.setdefault(which, {}).setdefault("sim", {})[k] = float(sim)
    by[which].setdefault("floor", {})[k] = float(floor)
    by[which].setdefault("run", {})[k] = float(run)
def span(v, fmt):
    v = sorted(v)
    return f"median {fmt(statistics.median(v))}, range {fmt(v[0])}-{fmt(v[-1])}"
mil = lambda x: f"{x / 1e6:.2f} M"
two = lambda x: f"{x:.2f}"
for which in ("account", "single"):
    print(f"{which:8} simulation: {span(by[which]['sim'].values(), mil)} invocations per CPU-second"
          f" (ratio to floor {span(by[which]['floor'].values(), two)})")
    print(f"{'':8} capsim run: {span(by[which]['run'].values(), mil)} invocations per CPU-second")
passes = sorted(by["account"]["sim"], key=int)
for fig, name in (("sim", "simulation"), ("run", "capsim run")):
    r = [by["account"][fig][k] / by["single"][fig][k] for k in passes]
    print(f"account / single, {name}, within each pass: {span(r, two)}")
r = [by["single"]["floor"][k] / by["account"]["floor"][k] for k in passes]
print(f"account / single, from the ratios to the floor (each against its own floor): {span(r, two)}")
EOF
