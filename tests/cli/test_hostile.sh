#!/usr/bin/env bash
# tests/cli/test_hostile.sh — hostile input ends fast with a clear error (issue 12).
#
# Each check feeds capsim what an attacker (or an accident) would: times near the int64 limit,
# alias bombs, deep nesting, endless or huge data files, NUL bytes, full disks, signals. It
# checks the exit code and the message; how fast is bounded by this test's CTest TIMEOUT, not
# asserted. Broken scenarios with a fixed message live in tests/data/bad/ (test_bad_corpus.sh);
# this script holds what needs a run, generated input or a special file.
# Usage: test_hostile.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
data="$src/tests/data/hostile"

# expect CODE SUBSTRING ARGS...: runs capsim (stdin from /dev/null); stdout, stderr in $tmp
expect() {
  local want=$1 sub=$2; shift 2
  "$capsim" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ] || { [ -n "$sub" ] && ! grep -qF -- "$sub" "$tmp/err"; }; then
    local args="$*"
    echo "FAIL: capsim ${args:0:200} exited $got (expected $want${sub:+, stderr with '$sub'}); stderr:" >&2
    head -c 2000 "$tmp/err" | sed 's/^/  /' >&2
    fail=$((fail + 1)); return 1
  fi
  pass=$((pass + 1))
}

# ---- times: every duration within 100 years, chained sums checked (see also tests/data/bad/time-*)
expect 0 "" run "$data/time-extremes.yaml" -q -r 2
expect 1 "simulated time would pass 100,000 years" run "$data/time-emr-queue.yaml" -q
expect 1 "simulated time would pass 100,000 years" run "$data/time-kinesis-buckets.yaml" -q
expect 3 "horizon: 106751990d is beyond capsim's time limit of 36525d (100 years)" \
  run "$src/tests/data/bad/time-horizon-beyond-limit.yaml"

# ---- YAML: alias fan-out, deep nesting, NUL (see also tests/data/bad/yaml-*)
good="$src/tests/data/good/minimal-lambda.yaml"
# 350 bytes that stand for 10^9 nodes: the override copy used 2.7 GB and 22 s before giving up.
bomb='{a0: &a0 [x,x,x,x,x,x,x,x,x,x]'
for i in 1 2 3 4 5 6 7 8; do
  p=$((i - 1)); bomb+=", a$i: &a$i [*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p,*a$p]"
done
bomb+='}'
expect 3 "lambda.memory: this value stands for more than 100000 nodes once its aliases" \
  validate "$good" --set "lambda.memory=$bomb"
expect 3 "this value contains an alias to itself" validate "$good" --set 'lambda.memory=&a [*a]'
# 200 KB of nested flow lists took libyaml 70 s to build; refused while streaming, at depth 64.
deep="$tmp/deep.yaml"
{ printf 'name: deep\nhorizon: 1h\nlambda: {}\nworkload: '
  head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } >"$deep"
expect 3 "deep.yaml:4:74: error: lists and maps nested more than 64 deep" validate "$deep"
expect 3 "--set:1:72: error: lambda: lists and maps nested more than 64 deep" \
  validate "$good" --set "lambda=$(head -c 100000 /dev/zero | tr '\0' '[')"
expect 3 "a key path of more than 64 parts" validate "$good" --set "$(printf 'a.%.0s' $(seq 70))b=1"
# A YAML error in a one-line --set value is on line 1, at a column of "KEY=VALUE".
expect 3 "--set:1:9: error: lambda: YAML syntax: did not find expected node content (while parsing a flow node at column 9)" \
  validate "$good" --set 'lambda=['
check "--set YAML error names no line 2" bash -c "! grep -q 'line 2' '$tmp/err'"

# ---- data files: regular files only, 512 MB at most (see also tests/data/bad/data-file-*)
# trace_scenario FILE: a scenario replaying FILE, also as an empirical table
trace_scenario() {
  printf 'name: data\nhorizon: 1h\nlambda: {}\nworkload:\n  arrivals: {process: trace, trace: {file: %s}}\n  work: {cpu: {dist: empirical, file: %s}}\n' "$1" "$1" >"$tmp/data.yaml"
}
# /dev/zero was read until memory ran out (2.1 GB, then "has no arrival times").
trace_scenario /dev/zero
expect 3 "'/dev/zero' is not a regular file" validate "$tmp/data.yaml"
# A FIFO without a writer, or /dev/stdin on a pipe that never ends, blocked forever.
mkfifo "$tmp/fifo"
trace_scenario "$tmp/fifo"
expect 3 "fifo' is not a regular file" validate "$tmp/data.yaml"
trace_scenario /dev/stdin
exec 3< <(sleep 600)
writer=$!
"$capsim" validate "$tmp/data.yaml" <&3 >"$tmp/out" 2>"$tmp/err"
rc=$?
exec 3<&-
kill "$writer" 2>/dev/null
check "/dev/stdin on an endless pipe: exit 3, not a regular file" \
  bash -c "[ $rc = 3 ] && grep -qF \"'/dev/stdin' is not a regular file\" '$tmp/err'"
# A data file past the limit: refused by its size, before reading (a sparse file: no disk used).
truncate -s 600M "$tmp/big.txt"
trace_scenario "$tmp/big.txt"
expect 3 "big.txt' is 600 MB, more than capsim's limit of 512 MB for a data file" validate "$tmp/data.yaml"
rm -f "$tmp/big.txt"

# ---- a scenario past 16 MB: exit 3 naming the limit (was exit 4 "File too large")
truncate -s 100M "$tmp/huge.yaml"
expect 3 "huge.yaml: error: larger than 16 MB, capsim's limit for a scenario file" validate "$tmp/huge.yaml"
rm -f "$tmp/huge.yaml"
head -c 20000000 /dev/zero | tr '\0' '#' | "$capsim" validate /dev/stdin >"$tmp/out" 2>"$tmp/err"
check "a 20 MB scenario through a pipe: exit 3 naming the limit" \
  bash -c "[ $? = 3 ] && grep -qF 'larger than 16 MB' '$tmp/err'"
expect 4 "cannot read: Is a directory" validate "$tmp"

# ---- every write is checked, help and version included
for args in --help --version "run --help" "help validate"; do
  "$capsim" $args >/dev/full 2>"$tmp/err"
  check "capsim $args >/dev/full: exit 4" bash -c "[ $? = 4 ] && grep -qF 'cannot write to standard output' '$tmp/err'"
done

# ---- Ctrl-C: "capsim: interrupted", exit 130 (143 for SIGTERM), nothing left in -o DIR
cat >"$tmp/long.yaml" <<'YAML'
name: long
horizon: 3650d
workload:
  arrivals: {process: poisson, rate: 500/s}
  work: {cpu: {dist: exponential, mean: 100ms}}
lambda: {}
emr: {}
YAML
set -m # job control: a background job gets SIGINT as from a terminal (not ignored)
for sig in INT TERM; do
  want=130; [ $sig = TERM ] && want=143
  mkdir -p "$tmp/out-$sig"
  "$capsim" run "$tmp/long.yaml" -o "$tmp/out-$sig" -j 2 -r 4 >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  sleep 1 # any time works: the signal may come during loading or the run
  kill -$sig $pid
  wait $pid
  rc=$?
  check "SIG$sig: exit $want (got $rc)" [ $rc = $want ]
  check "SIG$sig: says interrupted" grep -qx "capsim: interrupted" "$tmp/err"
  check "SIG$sig: -o DIR holds no file" bash -c "[ -z \"\$(ls -A '$tmp/out-$sig')\" ]"
  check "SIG$sig: nothing on stdout" bash -c "[ ! -s '$tmp/out' ]"
done
set +m

finish
