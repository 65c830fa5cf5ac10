#!/usr/bin/env bash
# tests/mpi/test_mpi.sh — the MPI build (cmake -DCAPSIM_MPI=ON): under `mpiexec -n 2` (and -n 3)
# a sweep and an optimization print exactly, byte for byte, what one process prints — the same
# binary run without mpiexec, and the plain build's capsim when given. Rank 0 hands the points
# out and gathers the reports (cli/mpi.h); errors keep their exit codes.
# Usage: test_mpi.sh BUILD-MPI/capsim SRCDIR [PLAIN-BUILD/capsim]
source "$(dirname "$0")/../cli/lib.sh" "$1" "$2"
plain=${3:-}
command -v mpiexec >/dev/null || skip "mpiexec is not installed (Debian: mpich)"
# mpiexec_run N ARGS...: capsim on N ranks; stdout to $tmp/out, exit code in $code
mpiexec_run() { local n=$1; shift; mpiexec -n "$n" "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"; code=$?; }

s="$tmp/mpi.yaml"
cat >"$s" <<'YAML'
name: mpi-small
horizon: 10min
seed: 2
replications: 2
workload:
  arrivals: {process: poisson, rate: 4/s}
  work: {cpu: {dist: exponential, mean: 300ms}, io: 30ms}
lambda:
  memory: 1024MB
  keep_alive: 5s
glue:
  workers: 2
  trigger: {every: 2min}
YAML
sweep=(sweep "$s" --vary lambda.memory=512MB..2048MB:+512MB --vary lambda.concurrency.provisioned=0,2,4)
for fmt in json table csv; do
  "$capsim" "${sweep[@]}" --format "$fmt" >"$tmp/one.$fmt"
  check "sweep, one process ($fmt)" test -s "$tmp/one.$fmt"
  if [ -n "$plain" ]; then
    "$plain" "${sweep[@]}" --format "$fmt" >"$tmp/plain.$fmt"
    check "the MPI build alone == the plain build ($fmt)" cmp -s "$tmp/one.$fmt" "$tmp/plain.$fmt"
  fi
  for n in 2 3; do
    mpiexec_run "$n" "${sweep[@]}" --format "$fmt"
    check "sweep: mpiexec -n $n exits 0 ($fmt)" test "$code" -eq 0
    check "sweep: mpiexec -n $n == one process ($fmt)" cmp -s "$tmp/out" "$tmp/one.$fmt"
  done
done
# a shard of the sweep, on ranks, is the same shard file
"$capsim" "${sweep[@]}" --shard 2/3 >"$tmp/shard.json"
mpiexec_run 2 "${sweep[@]}" --shard 2/3
check "shard: mpiexec -n 2 == one process" cmp -s "$tmp/out" "$tmp/shard.json"

opt=(optimize "$s" --vary lambda.memory=512MB..2048MB:+256MB --vary lambda.concurrency.provisioned=0..8:+2
     --vary glue.workers=2..8:+2 --goal 'latency_s.p99<=3min' --format json)
"$capsim" "${opt[@]}" >"$tmp/opt.json"
mpiexec_run 2 "${opt[@]}"
check "optimize: mpiexec -n 2 == one process" cmp -s "$tmp/out" "$tmp/opt.json"

# errors: rank 0 reports them, once, with the usual exit codes
mpiexec_run 2 sweep "$s" --vary lambda.memory=512MB,20000MB
check "bad --vary: exit 3" test "$code" -eq 3
check "bad --vary: said once" test "$(grep -c 'error: lambda.memory: 20000MB' "$tmp/err")" -eq 1
mpiexec_run 2 sweep "$s" -j 0
check "usage error: exit 2" test "$code" -eq 2
finish
