#!/usr/bin/env bash
# tests/cli/test_functions.sh — several functions in one account (issue 13), as a user runs them:
#   a. a single-function scenario gives byte for byte what it gave before the account feature
#      (tests/data/golden: outputs of commit fa2d932, JSON and table);
#   b. a per-function trace replay gives each function exactly its row's invocations, and the
#      companion files their run time and memory;
#   c. a pipeline's end-to-end latency is the sum of its stages' latencies (a deterministic
#      case), and per_item multiplies the items;
#   d. the account's rules: exit 3 with FILE:LINE:COL: error: key.path: ...;
#   e. --set functions.NAME.* changes that function only; -j 1 and -j 2 give the same bytes.
# Usage: test_functions.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
require python3
case $capsim in /*) ;; *) capsim=$PWD/$capsim ;; esac # part a runs it from another folder
run() { "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc_is() { [ "$(cat "$tmp/rc")" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$tmp/err"; }
empty() { [ ! -s "$1" ]; }

# ---- a. single-function scenarios: the bytes of commit fa2d932 (tests/data/golden/README.md)
golden="$src/tests/data/golden"
n_cases=0
while read -r name args; do
  case $name in '' | '#'*) continue ;; esac
  n_cases=$((n_cases + 1))
  # shellcheck disable=SC2086 # the arguments are words
  (cd "$golden" && "$capsim" run "$name.yaml" $args --format json) >"$tmp/$name.json" 2>"$tmp/$name.err"
  check "golden $name: JSON exit 0" test $? -eq 0
  check "golden $name: JSON byte-identical to fa2d932" cmp "$golden/$name.json" "$tmp/$name.json"
  check "golden $name: JSON: nothing on stderr" empty "$tmp/$name.err"
  # shellcheck disable=SC2086
  (cd "$golden" && "$capsim" run "$name.yaml" $args) >"$tmp/$name.txt" 2>"$tmp/$name.err"
  check "golden $name: table exit 0" test $? -eq 0
  check "golden $name: table byte-identical to fa2d932" cmp "$golden/$name.txt" "$tmp/$name.txt"
  check "golden $name: table: nothing on stderr" empty "$tmp/$name.err"
done <"$golden/cases.txt"
check "golden: the cases were read" test "$n_cases" -ge 5

# ---- b. one function per trace row: each function's exact counts, memory and run time
traces="$src/tests/data/traces"
cat >"$tmp/per-function.yaml" <<EOF
name: per-function
horizon: 10min
warmup: 0s
seed: 5
replications: 3
workload:
  arrivals:
    process: trace
    trace: {file: "$traces/functions-per-minute.csv", format: per_minute, per_function: true}
  work: {io: 100ms}
functions_from_trace:
  lambda: {memory: 512MB, timeout: 60s}
  durations: "$traces/functions-durations.csv"
  memory: "$traces/functions-memory.csv"
EOF
run run "$tmp/per-function.yaml" --format json
check "per-function trace: exit 0" rc_is 0
cp "$tmp/out" "$tmp/per-function.json"
# The rows' sums (functions-per-minute.csv: 10 minutes), and each function's memory: from
# functions-memory.csv (300.2 MB rounded up to 301; 90 MB raised to the least, 128), or the
# template's 512 MB where the file has no row. Memory is read back from the compute charge:
# invocations x mean billed duration x GB x the x86_64 rate of the first tier (the same in every
# replication: the trace gives each function the same invocations every time).
pycheck "per-function trace: each function's items, memory and run time" "$tmp/per-function.json" '
rows = {"f3f9a0c2e7d41": 129, "f7c2d4e6f8a0b": 20, "fb81e5a9c0d2f": 60, "fe5f6a7b8c9d0": 315}
assert sorted(fn) == sorted(rows), ("the zero row is left out, the others named f+12", list(fn))
assert l["function_count"] == 4, l["function_count"]
for name, total in rows.items():
    f = fn[name]
    assert f["items"] == total and f["invocations"] == total and f["completed"] == total, (name, f["items"])
    assert f["ci95"]["items"] == 0, (name, "the same count in every replication", f["ci95"]["items"])
assert l["items"] == sum(rows.values()) == 524, l["items"]
assert d["workload"]["items"] == 524, d["workload"]
memory = {"f3f9a0c2e7d41": 301, "f7c2d4e6f8a0b": 128, "fb81e5a9c0d2f": 512, "fe5f6a7b8c9d0": 1536}
for name, mb in memory.items():
    f = fn[name]
    got = f["cost_usd"]["compute"] / (f["invocations"] * f["duration_s"]["mean"] * 0.0000166667) * 1024
    assert abs(got - mb) < 0.01 * mb, (name, "memory", got, mb)
# durations: a flat 250 ms row, a row between 1 and 2 s, one between 10 and 90 ms; the function
# the file leaves out keeps workload.work (io 100ms).
dur = {n: fn[n]["duration_s"] for n in rows}
assert dur["f3f9a0c2e7d41"] == {"mean": 0.25, "p50": 0.25, "p99": 0.25}, dur["f3f9a0c2e7d41"]
assert dur["f7c2d4e6f8a0b"] == {"mean": 0.1, "p50": 0.1, "p99": 0.1}, dur["f7c2d4e6f8a0b"]
assert 1.2 < dur["fb81e5a9c0d2f"]["mean"] < 1.8 and dur["fb81e5a9c0d2f"]["p99"] <= 2.0, dur["fb81e5a9c0d2f"]
assert 0.030 < dur["fe5f6a7b8c9d0"]["mean"] < 0.060 and dur["fe5f6a7b8c9d0"]["p99"] <= 0.091, dur["fe5f6a7b8c9d0"]
'
# min_invocations leaves out the rows below it: 60 keeps three of the four.
run run "$tmp/per-function.yaml" --format json --set functions_from_trace.min_invocations=60
check "per-function trace, min_invocations 60: exit 0" rc_is 0
cp "$tmp/out" "$tmp/per-function-60.json"
pycheck "per-function trace, min_invocations 60: three functions, 504 items" "$tmp/per-function-60.json" '
assert sorted(fn) == ["f3f9a0c2e7d41", "fb81e5a9c0d2f", "fe5f6a7b8c9d0"], list(fn)
assert l["items"] == 504, l["items"]
'
# loop: true over two trace lengths doubles every row; a warmup of 5 minutes counts only the
# last five minutes' columns (items that arrive during the warmup are not counted).
run run "$tmp/per-function.yaml" --format json --set horizon=20min --set workload.arrivals.trace.loop=true
check "per-function trace, looped: exit 0" rc_is 0
cp "$tmp/out" "$tmp/per-function-loop.json"
pycheck "per-function trace, looped twice: twice each row" "$tmp/per-function-loop.json" '
want = {"f3f9a0c2e7d41": 258, "f7c2d4e6f8a0b": 40, "fb81e5a9c0d2f": 120, "fe5f6a7b8c9d0": 630}
assert {n: f["items"] for n, f in fn.items()} == want, {n: f["items"] for n, f in fn.items()}
assert l["items"] == 1048, l["items"]
'
run run "$tmp/per-function.yaml" --format json --set warmup=5min
check "per-function trace, warmup 5min: exit 0" rc_is 0
cp "$tmp/out" "$tmp/per-function-warmup.json"
pycheck "per-function trace, warmup 5min: the last five minutes of each row" "$tmp/per-function-warmup.json" '
want = {"f3f9a0c2e7d41": 62, "f7c2d4e6f8a0b": 5, "fb81e5a9c0d2f": 30, "fe5f6a7b8c9d0": 180}
assert {n: f["items"] for n, f in fn.items()} == want, {n: f["items"] for n, f in fn.items()}
assert l["items"] == 277, l["items"]
'
# A companion row of more than the 64 columns read is an error at its line, not cut short.
{ head -1 "$traces/functions-durations.csv"
  sed -n 2p "$traces/functions-durations.csv" | sed "s/\$/$(printf ',0%.0s' $(seq 60))/"; } >"$tmp/wide.csv"
sed "s|$traces/functions-durations.csv|$tmp/wide.csv|" "$tmp/per-function.yaml" >"$tmp/wide.yaml"
run validate "$tmp/wide.yaml"
check "companion row of 74 columns: exit 3" rc_is 3
check "companion row of 74 columns: says so at its line" err_has "wide.csv:2:.*74 columns: at most 64 are read"
# validate names the companion files and reads back to the same results.
run validate "$tmp/per-function.yaml"
check "per-function trace: validate exit 0" rc_is 0
cp "$tmp/out" "$tmp/per-function.rt.yaml"
run run "$tmp/per-function.rt.yaml" --format json
check "per-function trace: validate's output runs to the same bytes" cmp -s "$tmp/out" "$tmp/per-function.json"

# ---- c. a pipeline of deterministic stages: end-to-end latency = the sum of the stages'
# Constant arrivals (1/s), constant I/O work (200 ms, then 300 ms, then 100 ms), no cold start
# cost (init 0, or provisioned environments), triggers without batching (sync, async, s3).
cat >"$tmp/pipeline.yaml" <<'EOF'
name: pipeline
horizon: 10min
warmup: 0s
seed: 7
replications: 2
workload:
  arrivals: {process: constant, rate: 1/s}
  work: {io: 200ms}
functions:
  - name: first
    lambda: {trigger: sync, cold_start: {init: 0s}}
  - name: second
    from: {function: first, per_item: 3}
    workload:
      work: {io: 300ms}
    lambda: {trigger: async, cold_start: {init: 0s}}
EOF
run run "$tmp/pipeline.yaml" --format json
check "pipeline: exit 0" rc_is 0
cp "$tmp/out" "$tmp/pipeline.json"
pycheck "pipeline: end-to-end latency = 0.2 s + 0.3 s, 3 items per item" "$tmp/pipeline.json" '
a, b = fn["first"], fn["second"]
for k in ("mean", "p50", "max"):
    assert a["latency_s"][k] == 0.2 and b["latency_s"][k] == 0.3, (k, a["latency_s"], b["latency_s"])
    assert l["end_to_end_latency_s"][k] == a["latency_s"][k] + b["latency_s"][k] == 0.5, (k, l["end_to_end_latency_s"])
assert a["items"] == 600 and b["items"] == 3 * a["completed"] == 1800, (a["items"], b["items"])
assert l["items"] == 2400 and l["completed"] == 2400 and l["throttles"] == 0, l["items"]
'
cat "$tmp/pipeline.yaml" - >"$tmp/pipeline3.yaml" <<'EOF'
  - name: third
    from: {function: second, per_item: 2}
    workload:
      work: {io: 100ms}
    lambda: {trigger: s3, concurrency: {provisioned: 10}}
EOF
run run "$tmp/pipeline3.yaml" --format json
check "three-stage pipeline: exit 0" rc_is 0
cp "$tmp/out" "$tmp/pipeline3.json"
pycheck "three-stage pipeline: 0.2 + 0.3 + 0.1 s, 600 x 3 x 2 items" "$tmp/pipeline3.json" '
for k in ("mean", "p50", "p99", "max"):
    assert l["end_to_end_latency_s"][k] == 0.6, (k, l["end_to_end_latency_s"])
assert fn["third"]["latency_s"]["max"] == 0.1 and fn["third"]["cold_starts"] == 0, fn["third"]
assert fn["third"]["provisioned_ratio"] == 1.0, fn["third"]["provisioned_ratio"]
assert [fn[n]["items"] for n in ("first", "second", "third")] == [600, 1800, 3600]
'
# Without from:, there is no end-to-end latency.
sed 's/from: .*/workload: {arrivals: {process: constant, rate: 1\/s}}/; /^    workload:$/d; /work: {io: 300ms}/d' \
  "$tmp/pipeline.yaml" >"$tmp/nopipe.yaml"
run run "$tmp/nopipe.yaml" --format json
check "no pipeline: exit 0" rc_is 0
cp "$tmp/out" "$tmp/nopipe.json"
pycheck "no pipeline: no end_to_end_latency_s" "$tmp/nopipe.json" '
assert "end_to_end_latency_s" not in l, l.get("end_to_end_latency_s")
assert fn["second"]["items"] == 600, fn["second"]["items"]
'

# ---- d. the account's rules: exit 3, FILE:LINE:COL: error: key.path: ...
bad() { # bad NAME EXPECTED-ERROR-REGEX: writes $tmp/NAME.yaml from stdin, validates and runs it
  local name=$1 want=$2
  {
    printf 'name: bad\nhorizon: 5min\nworkload:\n'
    printf '  arrivals: {process: poisson, rate: 1/s}\n  work: {io: 100ms}\n'
    cat
  } >"$tmp/$name.yaml"
  local cmd
  for cmd in validate run; do
    run "$cmd" "$tmp/$name.yaml"
    check "$name: $cmd exits 3" rc_is 3
    check "$name: $cmd prints nothing on stdout" empty "$tmp/out"
    check "$name: $cmd says FILE:LINE:COL: error: key: ..." \
      err_has "^$tmp/$name.yaml:[0-9]*:[0-9]*: error: $want"
  done
}
bad duplicate-name "functions\[1\]\.name: 'a' names function 0 too" <<'EOF'
functions:
  - name: a
  - name: a
EOF
bad from-later "functions\[0\]\.from\.function: 'b' is not a function listed before this one" <<'EOF'
functions:
  - name: a
    from: {function: b}
  - name: b
EOF
bad from-itself "functions\[0\]\.from\.function: 'a' is not a function listed before" <<'EOF'
functions:
  - name: a
    from: {function: a}
EOF
bad from-unknown "functions\[1\]\.from\.function: 'zz' is not a function listed before" <<'EOF'
functions:
  - name: a
  - name: b
    from: {function: zz}
EOF
bad per-item-0 "functions\[1\]\.from\.per_item: 0 is outside 1\.\.10000" <<'EOF'
functions:
  - name: a
  - name: b
    from: {function: a, per_item: 0}
EOF
bad per-item-10001 "functions\[1\]\.from\.per_item: 10001 is outside 1\.\.10000" <<'EOF'
functions:
  - name: a
  - name: b
    from: {function: a, per_item: 10001}
EOF
bad reservations "functions: the functions reserve 401 of the account's 500" <<'EOF'
account: {concurrency_limit: 500}
functions:
  - name: a
    lambda: {concurrency: {reserved: 300}}
  - name: b
    lambda: {concurrency: {reserved: 101}}
EOF
bad account-limit-in-function "functions\[0\]\.lambda\.concurrency\.account_limit: a function has no limit of its own" <<'EOF'
functions:
  - name: a
    lambda: {concurrency: {account_limit: 500}}
EOF
bad lambda-and-functions "lambda: a scenario has either lambda (one function) or functions" <<'EOF'
lambda: {memory: 512MB}
functions:
  - name: a
EOF
bad name-with-dot "functions\[0\]\.name: 'a\.b' must use only" <<'EOF'
functions:
  - name: a.b
EOF
bad from-workload-arrivals "functions\[1\]\.workload\.arrivals: unknown key 'arrivals'" <<'EOF'
functions:
  - name: a
  - name: b
    from: {function: a}
    workload: {arrivals: {process: poisson, rate: 1/s}}
EOF
# A function's name has at most 64 characters (AWS's limit): 65 is an error at load, and a
# 64-character name's metric paths are whole (they were once cut short: "per_1k_item").
long64=$(printf 'a%.0s' $(seq 64))
printf 'name: long\nhorizon: 5min\nreplications: 2\nworkload: {arrivals: {process: poisson, rate: 1/s}, work: {io: 100ms}}\nfunctions:\n  - name: %s\n  - name: b\n' \
  "${long64}a" >"$tmp/long65.yaml"
run run "$tmp/long65.yaml"
check "a 65-character function name: exit 3" rc_is 3
check "a 65-character function name: says the limit" \
  grep -q "long65.yaml:6:11: error: functions\[0\].name: 65 characters: a function's name has at most 64" "$tmp/err"
sed "s/${long64}a/${long64}/" "$tmp/long65.yaml" >"$tmp/long64.yaml"
run run "$tmp/long64.yaml" --format json
check "a 64-character function name: exit 0" rc_is 0
cp "$tmp/out" "$tmp/long64.json"
pycheck "a 64-character function name: whole metric paths" "$tmp/long64.json" "
f = fn['$long64']
assert 'per_1k_items' in f['cost_usd'] and 'p999' in f['latency_s'], f.keys()
assert 'cost_usd.per_1k_items' in f['ci95'], f['ci95'].keys()"
# ... and what is allowed at the edges: per_item 10000, reservations leaving exactly 100.
cat >"$tmp/edges.yaml" <<'EOF'
name: edges
horizon: 5min
workload:
  arrivals: {process: poisson, rate: 1/s}
  work: {io: 100ms}
account: {concurrency_limit: 500}
functions:
  - name: a
    lambda: {concurrency: {reserved: 300}}
  - name: b
    from: {function: a, per_item: 10000}
    lambda: {concurrency: {reserved: 100}}
EOF
run validate "$tmp/edges.yaml"
check "per_item 10000 and 100 left unreserved are valid" rc_is 0
# An error in an override of a function points at the override.
run run "$tmp/edges.yaml" --set functions.a.lambda.memory=20000MB
check "bad --set of a function: exit 3" rc_is 3
check "bad --set of a function: names the override and the key" \
  err_has "^--set:1:[0-9]*: error: functions.*memory"
run run "$tmp/edges.yaml" --set functions.nosuch.lambda.memory=2048MB
check "--set of an unknown function: exit 3" rc_is 3
check "--set of an unknown function: names it" err_has "nosuch"

# ---- e. --set functions.NAME.* changes that function only; -j 1 = -j 2
cat >"$tmp/account.yaml" <<'EOF'
name: account
horizon: 10min
seed: 11
replications: 3
account: {concurrency_limit: 300}
workload:
  arrivals: {process: poisson, rate: 20/s}
  work: {io: 200ms, cpu: {dist: exponential, mean: 100ms}}
functions:
  - name: api
    lambda: {memory: 1024MB}
  - name: batch
    workload:
      arrivals: {process: poisson, rate: 10/s}
      work: {cpu: {dist: exponential, mean: 2s}}
    lambda: {trigger: async, memory: 1024MB, concurrency: {reserved: 50}}
  - name: sink
    from: {function: api, per_item: 2}
    lambda: {trigger: sqs, sqs: {batch_size: 10}}
EOF
run run "$tmp/account.yaml" --format json -j 1
check "account -j 1: exit 0" rc_is 0
cp "$tmp/out" "$tmp/account-j1.json"
run run "$tmp/account.yaml" --format json -j 2
check "account: -j 1 and -j 2 give the same bytes" cmp -s "$tmp/out" "$tmp/account-j1.json"
for f in per-function pipeline3; do
  run run "$tmp/$f.yaml" --format json -j 1
  cp "$tmp/out" "$tmp/$f-j1.json"
  run run "$tmp/$f.yaml" --format json -j 2
  check "$f: -j 1 and -j 2 give the same bytes" cmp -s "$tmp/out" "$tmp/$f-j1.json"
done
run run "$tmp/account.yaml" --format json --set functions.batch.lambda.memory=2048MB
check "--set functions.batch.lambda.memory: exit 0" rc_is 0
cp "$tmp/out" "$tmp/account-batch2g.json"
python3 - "$tmp/account-j1.json" "$tmp/account-batch2g.json" >"$tmp/py" 2>&1 <<'EOF'
import json, sys
a, b = (json.load(open(p))["platforms"]["lambda"]["functions"] for p in sys.argv[1:])
# batch runs single-threaded CPU work: 1024 MB gives it 1024/1769 of a vCPU, 2048 MB a whole one
ra = b["batch"]["duration_s"]["mean"] / a["batch"]["duration_s"]["mean"]
assert abs(ra - 1024 / 1769) < 0.005, ("batch's run time", ra, 1024 / 1769)
assert b["batch"]["cost_usd"] != a["batch"]["cost_usd"]
# the others are untouched, to the last digit and confidence interval
for name in ("api", "sink"):
    assert a[name] == b[name], (name, "changed")
EOF
check "--set functions.batch.lambda.memory changes batch only" test $? -eq 0 || sed 's/^/  /' "$tmp/py" >&2
run validate "$tmp/account.yaml" --set functions.batch.lambda.memory=2048MB
check "validate with --set functions.batch: exit 0" rc_is 0
# validate writes each function's lambda section: batch's memory is 2GB, the others' 1GB.
awk '/^  - name: /{name=$3} /^      memory: /{print name, $2}' "$tmp/out" >"$tmp/memories"
check "validate shows batch's memory 2GB and the others' 1GB" \
  test "$(tr '\n' ' ' <"$tmp/memories")" = "api 1GB batch 2GB sink 1GB "
# Functions made from a trace are overridden through their template, and a --set naming one
# says so (it once gave three unrelated errors about functions and functions_from_trace).
run run "$tmp/per-function.yaml" --set functions.f0123.lambda.memory=2048MB
check "--set functions.NAME on trace-made functions: exit 3" rc_is 3
check "--set functions.NAME on trace-made functions: one error, naming the template" sh -c "
  [ \$(grep -c error: '$tmp/err') -eq 1 ] && grep -q 'set functions_from_trace.lambda.KEY' '$tmp/err'"

# The dataset's own memory file is per app (HashApp, no HashFunction): every function of an app
# gets the app's memory. With io-only work the billed duration does not depend on memory, so
# each function's compute charge scales with its memory: the same where both files agree (and
# for the function of an unlisted app: the template's), 301/128 for the 90 MB function now in
# its app's 301 MB. (The all-zero row, whose app is listed, is no function.)
sed "s|functions-memory.csv|functions-app-memory.csv|" "$tmp/per-function.yaml" >"$tmp/per-app.yaml"
run run "$tmp/per-app.yaml" --format json
check "per-app memory file: exit 0" rc_is 0
cp "$tmp/out" "$tmp/per-app.json"
python3 - "$tmp/per-function.json" "$tmp/per-app.json" >"$tmp/py" 2>&1 <<'EOF'
import json, sys
f = [json.load(open(p))["platforms"]["lambda"]["functions"] for p in sys.argv[1:]]
want = {"f3f9a0c2e7d41": 1.0, "f7c2d4e6f8a0b": 301 / 128, "fe5f6a7b8c9d0": 1.0,
        "fb81e5a9c0d2f": 1.0}
assert sorted(f[1]) == sorted(want), sorted(f[1])
for name, ratio in want.items():
    a, b = (x[name]["cost_usd"]["compute"] for x in f)
    assert a > 0 and abs(b / a - ratio) <= 1e-9 * ratio, (name, a, b, ratio)
EOF
check "per-app memory file: each function gets its app's memory" test $? -eq 0

finish
