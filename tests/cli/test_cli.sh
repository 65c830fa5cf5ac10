#!/usr/bin/env bash
# tests/cli/test_cli.sh — the capsim program as a user runs it: commands, options, exit codes,
# output formats, atomic outputs and determinism across thread counts.
# Usage: test_cli.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
# expect_exit CODE ARGS...: runs capsim, keeps stdout/stderr in $tmp/out, $tmp/err
expect_exit() {
  local want=$1; shift
  "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: capsim $* exited $got, expected $want; stderr:" >&2; sed 's/^/  /' "$tmp/err" >&2
    fail=$((fail + 1)); return 1
  fi
  pass=$((pass + 1))
}
contains() { grep -q -- "$2" "$1"; }
empty() { [ ! -s "$1" ]; }

small="$tmp/small.yaml"
cat >"$small" <<'YAML'
name: cli-small
horizon: 300s
seed: 3
replications: 4
workload:
  arrivals: {process: poisson, rate: 20/s}
  work: {cpu: {dist: exponential, mean: 200ms}}
lambda:
  memory: 1769MB
  concurrency: {reserved: 5}
YAML

# --help, --version, usage errors
expect_exit 0 --help && check "help lists run" contains "$tmp/out" "run" \
  && check "help lists exit codes" contains "$tmp/out" "invalid scenario"
expect_exit 0 --version && check "version" contains "$tmp/out" "capsim 0.1.0 (pricing aws-us-east-1, 20" \
  && check "version names the random numbers" contains "$tmp/out" "^random numbers: xoshiro256\*\*-v1$"
# --version says so when the default pricing table is missing, and still succeeds
CAPSIM_PRICING_DIR="$tmp" expect_exit 0 --version &&
  check "version: table not found" contains "$tmp/out" "pricing table aws-us-east-1 not found in $tmp"
if [ -w /dev/full ]; then
  "$capsim" --version >/dev/full 2>/dev/null
  check "version to a full disk exits 4" test $? -eq 4
fi
expect_exit 0 run --help && check "run help lists --set" contains "$tmp/out" "--set KEY=VALUE"
expect_exit 0 validate --help
for c in "" run validate cost schema sweep merge; do "$capsim" $c --help; done >"$tmp/help" 2>&1
check "help fits 100 columns" bash -c "! awk 'length(\$0) > 100' '$tmp/help' | grep -q ."
expect_exit 2
expect_exit 2 frobnicate && check "unknown command named" contains "$tmp/err" "frobnicate"
expect_exit 2 run && check "missing file" contains "$tmp/err" "missing scenario FILE"
expect_exit 2 run "$small" --bogus && check "unknown option named" contains "$tmp/err" "bogus"
expect_exit 2 run "$small" --format xml
expect_exit 2 run "$small" -j 0
expect_exit 2 run "$small" -j0
expect_exit 2 run "$small" -qx && check "a flag takes no joined value" contains "$tmp/err" "'-qx' takes no value"
expect_exit 0 run "$small" -j2 -r2 -s7 --format json && cp "$tmp/out" "$tmp/joined.json"
expect_exit 0 run "$small" -j 2 -r 2 -s 7 --format json
check "-j2 -r2 -s7 read as -j 2 -r 2 -s 7" cmp -s "$tmp/out" "$tmp/joined.json"
expect_exit 2 run "$small" -s -4
expect_exit 2 run "$small" --set lambda.memory
expect_exit 2 cost

# I/O and scenario errors: nothing on stdout
expect_exit 4 run "$tmp/does-not-exist.yaml" && check "no stdout on I/O error" empty "$tmp/out"
expect_exit 3 run "$small" --set lambda.memory=20000MB && check "no stdout on bad scenario" empty "$tmp/out" \
  && check "error names key and position" contains "$tmp/err" "error: lambda.memory"
expect_exit 3 validate "$small" --set lambda.memory=20000MB
# errors in overrides point at the override
expect_exit 3 run "$small" --set lambda.trigger=kinesys && check "bad enum via --set" contains "$tmp/err" "^--set:1:.*lambda.trigger"

# several bad overrides: their errors in the order given (not the order of the format's keys)
expect_exit 3 run "$small" --set lambda.memory=1MB --set horizon=xx \
  && check "--set errors in the order given" bash -c "grep -o '^--set:[0-9]' '$tmp/err' | tr '\n' ' ' | grep -qx -- '--set:1 --set:2 '"
expect_exit 3 run "$small" --set horizon=xx --set lambda.memory=1MB \
  && check "--set errors in the order given, reversed" bash -c "head -1 '$tmp/err' | grep -q '^--set:1:9: error: horizon'"

# a rate's period may be a word: 50000/day is 50000/d
expect_exit 0 validate "$small" --set workload.arrivals.rate=50000/day \
  && check "rate per day accepted" contains "$tmp/out" "rate: 50000/d$"

# validate prints the effective scenario, which validates to itself
expect_exit 0 validate "$small" && cp "$tmp/out" "$tmp/eff.yaml" \
  && check "defaults filled in" contains "$tmp/eff.yaml" "keep_alive"
expect_exit 0 validate "$tmp/eff.yaml" && check "effective scenario is a fixed point" cmp -s "$tmp/out" "$tmp/eff.yaml"

# run: table, JSON, CSV
expect_exit 0 run "$small" && check "table shows lambda" contains "$tmp/out" "cold_start_ratio"
expect_exit 0 run "$small" --format json -j 1 && cp "$tmp/out" "$tmp/j1.json"
for key in '"capsim": "0.1.0"' '"rng": "xoshiro256\*\*-v1"' '"scenario": "cli-small"' '"replications": 4' '"horizon_s": 300' \
           '"workload"' '"platforms"' '"lambda"' '"throttle_ratio"' '"latency_s"' '"p999"' \
           '"concurrency"' '"environments"' '"cost_usd"' '"per_month"' '"ci95"' '"latency_s.p99"'; do
  check "json has $key" contains "$tmp/j1.json" "$key"
done
# determinism: byte-identical output for any thread count
expect_exit 0 run "$small" --format json -j 2 && check "same JSON for -j 1 and -j 2" cmp -s "$tmp/out" "$tmp/j1.json"
expect_exit 0 run "$small" --format json -j 3 && check "same JSON for -j 1 and -j 3" cmp -s "$tmp/out" "$tmp/j1.json"
expect_exit 0 run "$small" --format json -s 4 && check "another seed differs" bash -c "! cmp -s '$tmp/out' '$tmp/j1.json'"
# -s/-r override the file
expect_exit 0 run "$small" --format json -r 2 && check "-r overrides" contains "$tmp/out" '"replications": 2'
expect_exit 0 run "$small" --format csv && check "csv header" contains "$tmp/out" "^platform,metric,value,ci95$" \
  && check "csv row" contains "$tmp/out" "^lambda,throttle_ratio,"

# -o DIR: the file appears whole, nothing on stdout; an unwritable DIR is an I/O error
mkdir "$tmp/outdir"
expect_exit 0 run "$small" --format json -o "$tmp/outdir" -q && check "results.json written" cmp -s "$tmp/outdir/results.json" "$tmp/j1.json" \
  && check "nothing on stdout with -o" empty "$tmp/out" \
  && check "no temporary left" bash -c "[ \$(ls -A '$tmp/outdir' | wc -l) -eq 1 ]"
# a missing DIR is made, with its parents (mkdir -p); one that cannot be made: exit 4, before running
expect_exit 0 run "$small" --format json -o "$tmp/new/nested/dir/" -q \
  && check "-o makes missing folders" cmp -s "$tmp/new/nested/dir/results.json" "$tmp/j1.json"
expect_exit 0 run "$small" --format json -o "$tmp/new/nested/dir" -q \
  && check "-o into an existing folder" cmp -s "$tmp/new/nested/dir/results.json" "$tmp/j1.json"
touch "$tmp/plainfile"
expect_exit 4 run "$small" -o "$tmp/plainfile/sub" && check "-o under a file: clear message" \
  contains "$tmp/err" "cannot create output folder '$tmp/plainfile/sub': $tmp/plainfile: Not a directory" \
  && check "nothing on stdout when -o fails" empty "$tmp/out"
expect_exit 4 run "$small" -o "$tmp/plainfile" && check "-o naming a file" \
  contains "$tmp/err" "cannot create output folder '$tmp/plainfile': Not a directory"
expect_exit 3 run "$small" --set lambda.memory=1MB -o "$tmp/not-made" \
  && check "no folder made for a bad scenario" bash -c "[ ! -e '$tmp/not-made' ]"

# the shipped scenarios all validate (those naming data that is not here are skipped)
for f in "$src"/scenarios/*.yaml; do
  missing=$(unset_vars "$f")
  if [ -n "$missing" ]; then echo "skipped: validate $(basename "$f"): $missing not set"; continue; fi
  expect_exit 0 validate "$f" || echo "  ($f)" >&2
done

# The Azure replay names its trace through $CAPSIM_AZURE_TRACE. Unset, it fails like a scenario
# error, saying what to do; set, it reads the folder's invocations.csv (here a small one written
# now, in the dataset's format: header, then HashOwner,HashApp,HashFunction,Trigger,counts...).
azure="$src/scenarios/azure-trace-replay.yaml"
saved_trace=${CAPSIM_AZURE_TRACE-}
unset CAPSIM_AZURE_TRACE
expect_exit 3 validate "$azure"
check "azure replay without the trace: where and what to do" grep -qE \
  "azure-trace-replay.yaml:[0-9]+:[0-9]+: error: workload.arrivals.trace.file: environment variable CAPSIM_AZURE_TRACE is not set: download the Azure Functions 2019 trace .* set CAPSIM_AZURE_TRACE to the folder holding its invocations.csv" \
  "$tmp/err"
check "azure replay without the trace: nothing on stdout" empty "$tmp/out"
per_function="$src/scenarios/azure-per-function.yaml"
expect_exit 3 validate "$per_function"
check "per-function replay without the trace: where and what to do" grep -qE \
  "azure-per-function.yaml:[0-9]+:[0-9]+: error: workload.arrivals.trace.file: environment variable CAPSIM_AZURE_TRACE is not set: download the Azure Functions 2019 trace .* set CAPSIM_AZURE_TRACE to the folder holding its invocations.csv" \
  "$tmp/err"
check "per-function replay without the trace: nothing on stdout" empty "$tmp/out"
[ -n "$saved_trace" ] && export CAPSIM_AZURE_TRACE=$saved_trace
mkdir -p "$tmp/azure"
{ printf 'HashOwner,HashApp,HashFunction,Trigger'; for m in $(seq 480 959); do printf ',%d' "$m"; done; echo
  for r in 1 2 3; do
    printf 'o%d,a%d,f%d,http' "$r" "$r" "$r"
    for m in $(seq 480 959); do printf ',%d' $(( (m % 7 == 0) * r )); done; echo
  done; } >"$tmp/azure/invocations.csv"
# minutes divisible by 7 in 480..959: 69 of them; rows give 1, 2 and 3 each: 414 arrivals
CAPSIM_AZURE_TRACE="$tmp/azure" expect_exit 0 run "$azure" &&
  check "azure replay of a small trace: its 414 items" grep -qE '^  items +414$' "$tmp/out"
# The same rows one function each, with the companion files (durations in ms at percentiles
# 0, 1, 25, 50, 75, 99, 100; memory per function): three functions, 69, 138 and 207 items.
{ echo 'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100'
  for r in 1 2 3; do echo "o$r,a$r,f$r,100,10,50,200,50,55,80,100,120,190,200"; done; } >"$tmp/azure/durations.csv"
{ echo 'HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100'
  for r in 1 2 3; do echo "f$r,o$r,a$r,10,$((r * 100)).5,1,1,1,1,1,1,1,1"; done; } >"$tmp/azure/memory.csv"
if CAPSIM_AZURE_TRACE="$tmp/azure" expect_exit 0 run "$per_function" --format json; then
  check "per-function replay of a small trace: three functions, 69/138/207 items" python3 -c '
import json, sys
L = json.load(open(sys.argv[1]))["platforms"]["lambda"]
f = L["functions"]
assert L["function_count"] == 3 and L["items"] == 414, (L["function_count"], L["items"])
assert [f[n]["items"] for n in ("ff1", "ff2", "ff3")] == [69, 138, 207], sorted(f)
assert all(0 < f[n]["cold_start_ratio"] <= 1 for n in f)
' "$tmp/out"
  python3 "$src/scripts/coldstart_cdf.py" "$tmp/out" >"$tmp/cdf" 2>&1
  check "scripts/coldstart_cdf.py reads the run" grep -q '^  functions 3, invocations 414,' "$tmp/cdf"
fi

finish
