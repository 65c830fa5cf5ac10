#!/usr/bin/env bash
# tests/cli/test_sweep.sh — `capsim sweep` and `capsim merge` as a user runs them: usage and
# range errors (exit codes, positions, nothing written), byte-identical output for -j 1 and -j 2,
# shards merged into exactly the unsharded output (table, JSON, CSV), merge's refusals, common
# random numbers across points, the power-tuning and crossing tables.
# Usage: test_sweep.sh BUILD/capsim SRCDIR
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
fits80() { ! sed 's/·/./g' "$1" | awk 'length($0) > 80' | grep -q .; }

s="$tmp/three.yaml"
cat >"$s" <<'YAML'
name: sweep-three
horizon: 10min
seed: 4
replications: 3
workload:
  arrivals: {process: poisson, rate: 2/s}
  item: {size: {dist: lognormal, median: 4MB, sigma: 0.5}}
  work: {cpu: {dist: exponential, mean: 1s}, io: 100ms}
lambda:
  memory: 1769MB
glue:
  version: "4.0"
  worker_type: G.1X
  workers: 2
  trigger: {every: 5min}
  efficiency: 0.6
emr:
  deployment: ec2
  mode: persistent
  instance_type: m5.xlarge
  core_nodes: 4
  trigger: {every: 5min}
  efficiency: 0.7
YAML
mem="lambda.memory=512MB..4GB:x2"
rate="workload.arrivals.rate=1/s..16/s:x2"

# help and usage errors (exit 2)
expect_exit 0 sweep --help && check "sweep help lists --vary" contains "$tmp/out" "--vary KEY=V1,V2" \
  && check "sweep help lists --zip" contains "$tmp/out" "--zip" \
  && check "sweep help lists --shard" contains "$tmp/out" "--shard I/N"
expect_exit 0 merge --help && check "merge help lists --format" contains "$tmp/out" "--format"
expect_exit 2 sweep "$s" && check "--vary required" contains "$tmp/err" "needs at least one --vary"
expect_exit 2 sweep "$s" --vary lambda.memory && check "--vary needs =" contains "$tmp/err" "KEY=V1,V2"
for bad in 0/3 4/3 1/0 3 1/ /3 a/b 01/3 1/100001; do
  expect_exit 2 sweep "$s" --vary "$mem" --shard "$bad" || echo "  (--shard $bad)" >&2
done
expect_exit 2 merge && check "merge needs files" contains "$tmp/err" "missing FILE"

# bad ranges and values: exit 3, the --vary argument's position, nothing on stdout or in -o DIR
mkdir "$tmp/o"
expect_exit 3 sweep "$s" --vary lambda.memory=128MB..3008MB:x1 -o "$tmp/o" \
  && check "x1: position" contains "$tmp/err" "^--vary:1:29: error: lambda.memory: x1 never moves" \
  && check "x1: nothing on stdout" empty "$tmp/out" \
  && check "x1: nothing written" bash -c "[ -z \"\$(ls -A '$tmp/o')\" ]"
expect_exit 3 sweep "$s" --vary "$mem" --vary workload.arrivals.rate=10/s..1/s:+1/s \
  && check "empty range: second --vary" contains "$tmp/err" "^--vary:2:34: error: workload.arrivals.rate: empty range"
expect_exit 3 sweep "$s" --vary lambda.memory=128MB..3008MB \
  && check "no step" contains "$tmp/err" "^--vary:1:15: error: lambda.memory: range '128MB..3008MB' has no step"
expect_exit 3 sweep "$s" --vary lambda.memory=128MB..3s:x2 \
  && check "mixed kinds" contains "$tmp/err" "^--vary:1:22: error: lambda.memory: the range mixes kinds"
expect_exit 3 sweep "$s" --vary x=1..1000000:+1 && check "too many values" contains "$tmp/err" "more than 100000 values"
expect_exit 3 sweep "$s" --vary a=1..1000:+1 --vary b=1..1000:+1 \
  && check "grid cap" contains "$tmp/err" "^--vary:2:1: error: b: the grid would have more than 100000 points"
expect_exit 3 sweep "$s" --vary lambda.memory=512MB,20000MB -o "$tmp/o" \
  && check "bad value at its column" contains "$tmp/err" "^--vary:1:21: error: lambda.memory: 20000MB is outside 128MB..10240MB" \
  && check "invalid points counted" contains "$tmp/err" "1 of 2 points are invalid" \
  && check "bad value: nothing written" bash -c "[ -z \"\$(ls -A '$tmp/o')\" ]"
expect_exit 3 sweep "$s" --vary lambda.memroy=1 && check "unknown key at --vary" contains "$tmp/err" "^--vary:1:8: error: lambda.memroy"
expect_exit 3 sweep "$s" --vary seed=1,2 && check "seed cannot vary" contains "$tmp/err" "seed: cannot be varied"
expect_exit 3 sweep "$s" --vary "$mem" --set lambda.timeout=2h && check "--set keeps its position" contains "$tmp/err" "^--set:1:16: error: lambda.timeout"
expect_exit 3 sweep "$s" --zip --vary lambda.memory=512MB,1GB --vary workload.arrivals.rate=1/s \
  && check "zip lengths" contains "$tmp/err" "^--vary:2:1: error: workload.arrivals.rate: --zip pairs"
expect_exit 4 sweep "$tmp/nope.yaml" --vary "$mem"

# determinism: byte-identical for -j 1 and -j 2, in every format
for fmt in table json csv; do
  expect_exit 0 sweep "$s" --vary "$mem" --vary "$rate" --format "$fmt" -j 1 && cp "$tmp/out" "$tmp/j1.$fmt"
  expect_exit 0 sweep "$s" --vary "$mem" --vary "$rate" --format "$fmt" -j 2 \
    && check "same $fmt for -j 1 and -j 2" cmp -s "$tmp/out" "$tmp/j1.$fmt"
done
check "grid: 20 CSV rows" bash -c "[ \$(wc -l < '$tmp/j1.csv') -eq 21 ]"
check "csv header" contains "$tmp/j1.csv" "^lambda.memory,workload.arrivals.rate,workload.items,"
for col in lambda.cost_usd.total lambda.latency_s.p99 lambda.ci95.cost_usd.total glue.cost_usd.total emr.cost_usd.per_month; do
  check "csv has $col" bash -c "head -1 '$tmp/j1.csv' | tr , '\n' | grep -qx '$col'"
done
check "csv row order" bash -c "sed -n '2p;7p' '$tmp/j1.csv' | cut -d, -f1,2 | tr '\n' ' ' | grep -q '^512MB,1/s 1024MB,1/s '"
for key in '"capsim": "0.1.0"' '"rng": "xoshiro256\*\*-v1"' '"scenario": "sweep-three"' '"vary"' '"points"' '"values"' \
           '"lambda.memory": "512MB"' '"platforms"' '"cost_usd"' '"ci95"'; do
  check "json has $key" contains "$tmp/j1.json" "$key"
done

# shards 1/3 + 2/3 + 3/3, merged, are exactly the unsharded output (given in any order)
mkdir "$tmp/shards"
for i in 1 2 3; do
  expect_exit 0 sweep "$s" --vary "$mem" --vary "$rate" --shard "$i/3" -o "$tmp/shards" -q -j 2
done
check "shard files named" bash -c "ls '$tmp/shards' | tr '\n' ' ' | grep -qx 'sweep.shard-1-of-3.json sweep.shard-2-of-3.json sweep.shard-3-of-3.json '"
for fmt in table json csv; do
  expect_exit 0 merge "$tmp/shards/sweep.shard-3-of-3.json" "$tmp/shards/sweep.shard-1-of-3.json" \
    "$tmp/shards/sweep.shard-2-of-3.json" --format "$fmt" \
    && check "merged $fmt == unsharded" cmp -s "$tmp/out" "$tmp/j1.$fmt"
done
expect_exit 0 sweep "$s" --vary "$mem" --vary "$rate" --shard 2/3 && check "shard to stdout" cmp -s "$tmp/out" "$tmp/shards/sweep.shard-2-of-3.json"
# more shards than points: empty shards still merge
for i in 1 2 3 4 5 6; do expect_exit 0 sweep "$s" --vary lambda.memory=512MB,1GB --shard "$i/6" -o "$tmp/shards" -q; done
expect_exit 0 sweep "$s" --vary lambda.memory=512MB,1GB --format csv && cp "$tmp/out" "$tmp/two.csv"
expect_exit 0 merge "$tmp"/shards/sweep.shard-?-of-6.json --format csv && check "6 shards of 2 points" cmp -s "$tmp/out" "$tmp/two.csv"
# an overloaded platform (Glue with too few workers for its schedule) keeps its verdict through
# a shard file: the merged JSON says "overloaded" with its hint, as the unsharded sweep does
over="glue.workers=2,8"
expect_exit 0 sweep "$s" --vary "$over" --set workload.arrivals.rate=8/s --set horizon=1h -r 2 --format json \
  && cp "$tmp/out" "$tmp/over.json" && check "the sweep has an overloaded point" contains "$tmp/over.json" '"overloaded": {'
for i in 1 2; do expect_exit 0 sweep "$s" --vary "$over" --set workload.arrivals.rate=8/s --set horizon=1h -r 2 --shard "$i/2" -o "$tmp/shards" -q; done
expect_exit 0 merge "$tmp"/shards/sweep.shard-?-of-2.json --format json \
  && check "merged overload verdict == unsharded" cmp -s "$tmp/out" "$tmp/over.json"
mkdir "$tmp/m"
expect_exit 0 merge "$tmp"/shards/sweep.shard-?-of-3.json -o "$tmp/m" --format json \
  && check "merge -o writes sweep.json" cmp -s "$tmp/m/sweep.json" "$tmp/j1.json" \
  && check "merge -o: nothing on stdout" empty "$tmp/out"

# merge refuses shards that do not fit together
sh1="$tmp/shards/sweep.shard-1-of-3.json"; sh2="$tmp/shards/sweep.shard-2-of-3.json"; sh3="$tmp/shards/sweep.shard-3-of-3.json"
expect_exit 2 merge "$sh1" "$sh3" && check "missing shard named" contains "$tmp/err" "1 of the 3 shards is missing: 2/3" \
  && check "missing: nothing on stdout" empty "$tmp/out"
expect_exit 2 merge "$sh1" "$sh2" "$sh3" "$sh2" && check "duplicate shard" contains "$tmp/err" "shard 2/3 again"
expect_exit 0 sweep "$s" --vary "$mem" --vary "$rate" --shard 2/3 -s 5 && cp "$tmp/out" "$tmp/other-seed.json"
expect_exit 2 merge "$sh1" "$tmp/other-seed.json" "$sh3" && check "another sweep" contains "$tmp/err" "another sweep.*'seed' differs"
sed 's/efficiency: 0.7/efficiency: 0.8/' "$s" >"$tmp/changed.yaml"
expect_exit 0 sweep "$tmp/changed.yaml" --vary "$mem" --vary "$rate" --shard 2/3 && cp "$tmp/out" "$tmp/other-file.json"
expect_exit 2 merge "$sh1" "$tmp/other-file.json" "$sh3" && check "another scenario file" contains "$tmp/err" "another sweep.*the scenario file differs"
expect_exit 2 merge "$sh1" "$sh2" "$tmp/shards/sweep.shard-3-of-6.json" && check "other split" contains "$tmp/err" "split two ways\|another sweep"
echo '{"capsim": "0.1.0",' >"$tmp/broken.json"
expect_exit 3 merge "$sh1" "$tmp/broken.json" && check "broken JSON positioned" contains "$tmp/err" "broken.json:[0-9]*:[0-9]*: error"
expect_exit 0 run "$s" --format json && cp "$tmp/out" "$tmp/run.json"
expect_exit 3 merge "$tmp/run.json" && check "not a shard" contains "$tmp/err" "not a capsim sweep shard"
expect_exit 4 merge "$sh1" "$tmp/absent.json"
# a damaged shard (edited by hand, cut short) is refused with exit 3
if command -v python3 >/dev/null; then
  python3 - "$sh2" "$tmp" <<'PY'
import json, sys
src, tmp = sys.argv[1], sys.argv[2]
def edit(name, f):
    d = json.load(open(src)); f(d); json.dump(d, open(f"{tmp}/{name}.json", "w"))
edit("cut", lambda d: d.__setitem__("points", d["points"][:-1]))
edit("metric", lambda d: d["points"][0]["sections"][1]["metrics"][2].__setitem__(2, "x"))
edit("index", lambda d: d["points"][1].__setitem__("index", d["points"][0]["index"] + 1))
edit("values", lambda d: d["points"][0].__setitem__("values", []))
edit("rng", lambda d: d.__setitem__("rng", "mt19937"))
PY
  expect_exit 3 merge "$sh1" "$tmp/rng.json" "$sh3" && check "shard of other random numbers refused" contains "$tmp/err" "drawn with random numbers mt19937"
  for bad in cut metric index values; do
    expect_exit 3 merge "$sh1" "$tmp/$bad.json" "$sh3" && check "damaged shard ($bad) named" contains "$tmp/err" "^$tmp/$bad.json: error:"
  done
fi

# common random numbers: only memory varies, so every point sees the same items (same workload
# columns, confidence intervals included), and glue and emr give the same results everywhere
expect_exit 0 sweep "$s" --vary "$mem" --format csv && cp "$tmp/out" "$tmp/mem.csv"
wl_cols=$(head -1 "$tmp/mem.csv" | tr , '\n' | grep -n '^workload\.\|^glue\.\|^emr\.' | cut -d: -f1 | paste -sd,)
check "CRN: identical workload, glue, emr columns" bash -c "[ \$(tail -n +2 '$tmp/mem.csv' | cut -d, -f$wl_cols | sort -u | wc -l) -eq 1 ]"
check "CRN: lambda differs" bash -c "[ \$(tail -n +2 '$tmp/mem.csv' | cut -d, -f1 --complement | sort -u | wc -l) -eq 4 ]"

# the power-tuning table (memory only) and where cost lines cross (rate only)
expect_exit 0 sweep "$s" --vary "$mem" && cp "$tmp/out" "$tmp/power.txt"
check "power tuning table" contains "$tmp/power.txt" "^power tuning: lambda.memory"
check "cheapest marked" contains "$tmp/power.txt" "^  512MB .*cheapest$"
check "fastest marked" contains "$tmp/power.txt" "^  2048MB .*fastest$"
check "cheapest and fastest named" contains "$tmp/power.txt" "cheapest: 512MB (.*); fastest: 2048MB"
check "unchanged platform in one line" contains "$tmp/power.txt" "^glue: the same at every point"
check "power tuning fits 80 columns" fits80 "$tmp/power.txt"
expect_exit 0 sweep "$s" --vary "$rate" && cp "$tmp/out" "$tmp/rate.txt"
check "crossing section" contains "$tmp/rate.txt" "^where the cost lines cross"
check "lambda/emr cross" contains "$tmp/rate.txt" "lambda and emr: equal at about [0-9.]*/s (between 8/s and 16/s): lambda is"
check "glue/emr cross" contains "$tmp/rate.txt" "glue and emr: equal at about [0-9.]*/s (between 4/s and 8/s)"
check "never crossing said" contains "$tmp/rate.txt" "lambda and glue: lambda is cheaper at every tested value (1/s to 16/s)"
check "rate table fits 80 columns" fits80 "$tmp/rate.txt"
check "grid table fits 80 columns" fits80 "$tmp/j1.table"

# --zip pairs values; -o writes sweep.csv whole
mkdir "$tmp/z"
expect_exit 0 sweep "$s" --zip --vary lambda.memory=512MB,1GB,2GB --vary workload.arrivals.rate=1/s,2/s,4/s \
  --format csv -o "$tmp/z" -q && check "zip: 3 rows" bash -c "[ \$(wc -l < '$tmp/z/sweep.csv') -eq 4 ]" \
  && check "zip: paired" bash -c "sed -n 4p '$tmp/z/sweep.csv' | grep -q '^2GB,4/s,'" \
  && check "-o: no temporary left" bash -c "[ \$(ls -A '$tmp/z' | wc -l) -eq 1 ]"

finish
