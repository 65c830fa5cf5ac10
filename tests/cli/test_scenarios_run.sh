#!/usr/bin/env bash
# tests/cli/test_scenarios_run.sh — every shipped scenario runs with `capsim run` and ends with the
# comparison table; the Glue/EMR lessons show what they are about. A scenario whose data is not
# here (an environment variable of its paths is not set, see lib.sh) is skipped with a line;
# its own test (test_azure_replay.sh) is then reported as skipped by CTest.
# Usage: test_scenarios_run.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"

for f in "$src"/scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  missing=$(unset_vars "$f")
  if [ -n "$missing" ]; then echo "skipped: $name: $missing not set"; continue; fi
  if "$capsim" run "$f" -r 2 -j 2 >"$tmp/$name.txt" 2>"$tmp/err"; then
    pass=$((pass + 1))
    check "$name: comparison table" grep -q '^comparison' "$tmp/$name.txt"
    check "$name: fits 80 columns" bash -c "! LC_ALL=C.UTF-8 awk 'length > 80' '$tmp/$name.txt' | grep -q ."
  else
    fail=$((fail + 1)); echo "FAIL: capsim run $f" >&2; sed 's/^/  /' "$tmp/err" >&2
  fi
done

# The lessons' points, in the numbers.
check "timeout-20min: lambda fails the item" bash -c "grep -E '^  lambda .* 0 +1\$' '$tmp/timeout-20min.txt' >/dev/null"
check "timeout-20min: the note says why" grep -q "note: lambda: .*15-minute" "$tmp/timeout-20min.txt"
check "emr-wins: emr is cheapest" grep -q '^  cheapest: emr ·' "$tmp/emr-wins.txt"
check "lambda-vs-glue-2min: lambda is cheapest" grep -q '^  cheapest: lambda ·' "$tmp/lambda-vs-glue-2min.txt"
check "log-split: lambda is fastest" grep -q '· fastest: lambda' "$tmp/log-split.txt"

finish
