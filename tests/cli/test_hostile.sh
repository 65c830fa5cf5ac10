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
    echo "FAIL: capsim $* exited $got (expected $want${sub:+, stderr with '$sub'}); stderr:" >&2
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

finish
