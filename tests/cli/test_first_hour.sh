#!/usr/bin/env bash
# tests/cli/test_first_hour.sh — what a newcomer reads in the first hour: warnings for valid
# scenarios that probably do not mean what they say (each at its key's FILE:LINE:COL, on stderr,
# never an error), what per_month assumes, and figures that always show (tiny costs, "-" and
# null when nothing completed).
# Usage: test_first_hour.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
warn="$src/tests/data/warn"

# expect_warning FILE LINE:COL PATH TEXT: `run` and `validate` exit 0 and print the warning.
expect_warning() {
  local f="$warn/$1" pos=$2 path=$3 text=$4
  "$capsim" run "$f" >"$tmp/out" 2>"$tmp/err"
  check "$1: run exits 0" test $? -eq 0
  check "$1: results on stdout" grep -q '^comparison' "$tmp/out"
  check "$1: warning at $pos" grep -qF "$f:$pos: warning: $path: " "$tmp/err"
  check "$1: says $text" grep -qF "$text" "$tmp/err"
  "$capsim" run "$f" -q >/dev/null 2>"$tmp/err"
  check "$1: -q keeps it quiet" test ! -s "$tmp/err"
  "$capsim" run "$f" --format json 2>/dev/null >"$tmp/json"
  check "$1: JSON lists it" grep -qF "\"$f:$pos: warning: $path: " "$tmp/json"
}
expect_warning glue-period-too-long.yaml 9:5 glue.trigger.every "longer than the horizon (10min)"
expect_warning glue-batch-never-reached.yaml 9:5 glue.trigger.batch_items \
  "100000 items were never pending at once"
expect_warning item-larger-than-tmp.yaml 7:5 workload.item.size \
  "4.85 % of the items are larger than the function's ephemeral storage"
expect_warning provisioned-outside.yaml 9:5 lambda.concurrency.provisioned \
  "the window from 20h to 22h (times of day) never overlaps"
"$capsim" validate "$warn/glue-period-too-long.yaml" >/dev/null 2>"$tmp/err"
check "validate warns too" grep -qF "warning: glue.trigger.every:" "$tmp/err"
"$capsim" run "$warn/quiet.yaml" >/dev/null 2>"$tmp/err"
check "quiet.yaml: no warning" test ! -s "$tmp/err"

# per_month: a one-off burst scaled to a month is flagged beside the figure; with
# pricing.horizons_per_month the note goes and per_month is total x that number.
"$capsim" run "$src/scenarios/spike-10000.yaml" -r 1 >"$tmp/spike" 2>/dev/null
check "spike: per-month figure marked" grep -qE '^  lambda +\$[0-9.]+ +\$[0-9.]+\*' "$tmp/spike"
check "spike: the note says what it assumes" \
  grep -qF "note: * per month assumes the 30min horizon, its one-off burst included," "$tmp/spike"
"$capsim" run "$src/scenarios/spike-10000.yaml" -r 1 --set pricing.horizons_per_month=1 \
  --format json >"$tmp/spike.json" 2>/dev/null
check "spike once a month: per_month = total" python3 -c '
import json, sys
l = json.load(open(sys.argv[1]))["platforms"]["lambda"]["cost_usd"]
assert abs(l["per_month"] - l["total"]) <= 1e-9 * l["total"], l' "$tmp/spike.json"
check "spike once a month: no note" bash -c "! grep -q 'per month assumes' '$tmp/spike.json'"

# Tiny costs keep their digits; per 1k items switches to per 1M when every one is below a cent.
cat >"$tmp/tiny.yaml" <<'YAML'
name: tiny
horizon: 1h
workload: {arrivals: {process: poisson, rate: 1/min}, work: {cpu: 1ms}}
lambda: {memory: 128MB, cold_start: {init: 0s}}
YAML
"$capsim" run "$tmp/tiny.yaml" >"$tmp/tiny" 2>/dev/null
check "tiny: no \$0.0000" bash -c "! grep -q '\\\$0\\.0000 ' '$tmp/tiny'"
check "tiny: three significant digits" grep -qE '^  lambda +\$0\.0000[1-9][0-9]{2} ' "$tmp/tiny"
check "tiny: per 1M items" grep -qE '^  platform .* per 1M ' "$tmp/tiny"

# Nothing completed: "-" in the table, null in JSON (not 0).
cat >"$tmp/none.yaml" <<'YAML'
name: none
horizon: 10min
workload: {arrivals: {process: constant, rate: 1/min}, work: {cpu: 2s}}
lambda: {memory: 1769MB, timeout: 1s, cold_start: {init: 0s}}
YAML
"$capsim" run "$tmp/none.yaml" >"$tmp/none" 2>/dev/null
check "none: latency shown as -" grep -qE '^  lambda .* +- +- +0 +10$' "$tmp/none"
check "none: p50 is -" grep -qE '^    p50 +-$' "$tmp/none"
"$capsim" run "$tmp/none.yaml" --format json >"$tmp/none.json" 2>/dev/null
check "none: JSON latency null" python3 -c '
import json, sys
l = json.load(open(sys.argv[1]))["platforms"]["lambda"]
assert l["completed"] == 0 and l["latency_s"]["p50"] is None and l["latency_s"]["max"] is None, l
assert l["duration_s"]["mean"] is not None  # the runs that timed out were billed
c = json.load(open(sys.argv[1]))["comparison"]
assert c["cheapest"] is None and c["fastest"] is None, c' "$tmp/none.json"

finish
