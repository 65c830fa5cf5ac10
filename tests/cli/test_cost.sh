#!/usr/bin/env bash
# tests/cli/test_cost.sh — `capsim cost` as a user runs it (RESULTS-FORMAT.md, `capsim cost`):
# AWS's worked examples to the cent in table, JSON (compared exactly) and CSV; Glue and EMR
# minimums; usage errors (exit 2) and unusable pricing tables (exit 3), with nothing on stdout;
# --pricing by path and $CAPSIM_PRICING_DIR.
# Usage: bash test_cost.sh BUILD/capsim SRCDIR   (prints "N passed, M failed")
set -u
capsim=${1:?usage: test_cost.sh CAPSIM SRCDIR}
src=${2:?usage: test_cost.sh CAPSIM SRCDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1" >&2; [ -s "$tmp/err" ] && sed 's/^/    stderr: /' "$tmp/err" >&2; }

# expect_exit CODE ARGS...: runs `capsim cost ARGS`, keeps stdout/stderr in $tmp/out, $tmp/err;
# on failure (CODE != 0) stdout must be empty.
expect_exit() {
  local want=$1; shift
  "$capsim" cost "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then bad "capsim cost $* exited $got, expected $want"; return 1; fi
  if [ "$want" -ne 0 ] && [ -s "$tmp/out" ]; then bad "capsim cost $* wrote to stdout on failure"; return 1; fi
  ok
}
# expect_json JSON ARGS...: exit 0 and stdout is exactly JSON (plus a newline)
expect_json() {
  local want=$1; shift
  expect_exit 0 "$@" --format json || return 1
  if [ "$(cat "$tmp/out")" = "$want" ]; then ok; else
    bad "capsim cost $* --format json printed: $(cat "$tmp/out")  expected: $want"; fi
}
# has FILE REGEX NAME
has() { if grep -Eq -- "$2" "$1"; then ok; else bad "$3: no line matching '$2' in: $(cat "$1")"; fi; }

example1=(--requests 3000000 --duration 120ms --memory 1536MB --free-tier)
example2=(--provisioned 100 --provisioned-hours 8 --provisioned-requests 500000
          --provisioned-duration 100ms --requests 2500000 --duration 120ms --memory 1536MB --free-tier)

# AWS example 1 ("mobile application backend"): $2.33 + $0.40 = $2.73
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 2.33}], "total_usd": 2.73}' \
  "${example1[@]}"
expect_exit 0 "${example1[@]}" && {
  has "$tmp/out" '^requests +2000000 requests +0\.40$' "example 1 table: requests"
  has "$tmp/out" '^compute +140000 GB-s on-demand, x86_64 +2\.33$' "example 1 table: compute"
  has "$tmp/out" '^total +2\.73$' "example 1 table: total"
  has "$tmp/out" 'aws-us-east-1 \(us-east-1, prices of [0-9-]+\), monthly free tier applied' "table header"
}
# AWS example 2 (provisioned concurrency, "mobile application launch"):
# $18.00 + $0.40 + $0.73 + $0.83 = $19.96
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 0.83}, {"name": "provisioned", "usd": 18.00}, {"name": "provisioned_duration", "usd": 0.73}], "total_usd": 19.96}' \
  "${example2[@]}"
expect_exit 0 "${example2[@]}" && {
  has "$tmp/out" '^provisioned +4320000 GB-s configured +18\.00$' "example 2 table: provisioned"
  has "$tmp/out" '^provisioned_duration +75000 GB-s on provisioned +0\.73$' "example 2 table: provisioned_duration"
  has "$tmp/out" '^total +19\.96$' "example 2 table: total"
}
expect_exit 0 "${example2[@]}" --format csv && {
  if [ "$(cat "$tmp/out")" = "$(printf 'item,usd\nrequests,0.40\ncompute,0.83\nprovisioned,18.00\nprovisioned_duration,0.73\ntotal,19.96')" ]; then ok
  else bad "example 2 CSV: $(cat "$tmp/out")"; fi
}
# Example 1 without the free tier, and on arm64 (rates of the table)
expect_json '{"items": [{"name": "requests", "usd": 0.60}, {"name": "compute", "usd": 9.00}], "total_usd": 9.60}' \
  --requests 3000000 --duration 120ms --memory 1536MB
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 1.87}], "total_usd": 2.27}' \
  "${example1[@]}" --arch arm64
# 10 GB of /tmp: 9.5 GB above 512 MB x 360,000 s x $0.0000000309 = $0.11
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 2.33}, {"name": "ephemeral", "usd": 0.11}], "total_usd": 2.84}' \
  "${example1[@]}" --ephemeral 10240MB
# 1 ms rounding: 1M x 120.3 ms at 1024 MB is billed 121,000 GB-s = $2.02 (not 120,300 = $2.01)
expect_json '{"items": [{"name": "requests", "usd": 0.20}, {"name": "compute", "usd": 2.02}], "total_usd": 2.22}' \
  --requests 1000000 --duration 120300us --memory 1024MB

# Glue: AWS's 15 minutes on 6 DPU = $0.66; a 30 s job on 10 DPU billed 60 s on 4.0 ($0.07),
# 600 s on 1.0 ($0.73), 30 times a month
expect_json '{"items": [{"name": "glue", "usd": 0.66}], "total_usd": 0.66}' --glue-dpu 6 --glue-hours 0.25
expect_json '{"items": [{"name": "glue", "usd": 0.07}], "total_usd": 0.07}' --glue-dpu 10 --glue-hours 0.0083333
expect_json '{"items": [{"name": "glue", "usd": 0.73}], "total_usd": 0.73}' --glue-dpu 10 --glue-hours 0.0083333 --glue-version 1.0
expect_json '{"items": [{"name": "glue", "usd": 22.00}], "total_usd": 22.00}' --glue-dpu 10 --glue-hours 0.0083333 --glue-version 1.0 --glue-runs 30
expect_json '{"items": [{"name": "glue", "usd": 0.44}], "total_usd": 0.44}' --glue-dpu 6 --glue-hours 0.25 --glue-flex
# EMR on EC2: 3 m5.xlarge for 10 h = 30 h x ($0.192 + $0.048) = $7.20; 10 s billed a minute
expect_json '{"items": [{"name": "emr", "usd": 7.20}], "total_usd": 7.20}' --emr-instance m5.xlarge --emr-count 3 --emr-hours 10
expect_json '{"items": [{"name": "emr", "usd": 0.02}], "total_usd": 0.02}' --emr-instance r5.4xlarge --emr-hours 0.0027778
# All together: each item rounded, then added
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 2.33}, {"name": "glue", "usd": 0.66}, {"name": "emr", "usd": 7.20}], "total_usd": 10.59}' \
  "${example1[@]}" --glue-dpu 6 --glue-hours 0.25 --emr-instance m5.xlarge --emr-count 3 --emr-hours 10

# The services around the compute, each line rounded to the cent.
# A 4-shard stream for a day: 96 shard-hours x $0.015 = $1.44 (the issue's example).
expect_json '{"items": [{"name": "kinesis_shards", "usd": 1.44}], "total_usd": 1.44}' \
  --kinesis-shards 4 --kinesis-hours 24
# AWS's Kinesis example: 100 records/s of 35 KB (2 PUT units each) on 4 shards for a 30-day month:
# 2,880 shard-hours = $43.20; 100 x 2 x 86,400 x 30 = 518.4M units x $0.014/M = $7.26; $50.46.
expect_json '{"items": [{"name": "kinesis_shards", "usd": 43.20}, {"name": "kinesis_put_units", "usd": 7.26}], "total_usd": 50.46}' \
  --kinesis-shards 4 --kinesis-hours 720 --kinesis-put-units 518400000
# SQS 1,234,567 requests x $0.40/M = $0.4938 -> $0.49; S3 1M PUT x $0.005/1000 = $5.00, 10M GET x
# $0.0004/1000 = $4.00; Step Functions 1M transitions x $0.025/1000 = $25.00; 10 GB of logs x $0.50
expect_json '{"items": [{"name": "sqs", "usd": 0.49}, {"name": "s3_put", "usd": 5.00}, {"name": "s3_get", "usd": 4.00}, {"name": "step_functions", "usd": 25.00}, {"name": "logs", "usd": 5.00}], "total_usd": 39.49}' \
  --sqs-requests 1234567 --s3-put 1000000 --s3-get 10000000 --sfn-transitions 1000000 --logs-gb 10
# With Lambda: the function and its stream on one bill
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 2.33}, {"name": "kinesis_shards", "usd": 43.20}], "total_usd": 45.93}' \
  "${example1[@]}" --kinesis-shards 4 --kinesis-hours 720
expect_exit 0 --kinesis-shards 4 --kinesis-hours 24 && has "$tmp/out" '^kinesis_shards +96 shard-hours +1\.44$' "kinesis table line"
expect_exit 2 --kinesis-shards 4 && has "$tmp/err" '--kinesis-shards needs --kinesis-hours' "shards without hours"
expect_exit 2 --kinesis-shards 0 --kinesis-hours 1
expect_exit 2 --sqs-requests 1.5

# --pricing by path, and $CAPSIM_PRICING_DIR with an edited price (no rebuild)
expect_json '{"items": [{"name": "requests", "usd": 0.40}, {"name": "compute", "usd": 2.33}], "total_usd": 2.73}' \
  "${example1[@]}" --pricing "$src/models/pricing/aws-us-east-1.yaml"
mkdir -p "$tmp/tables"
sed 's/usd_per_million_requests: 0.20/usd_per_million_requests: 0.25/' \
  "$src/models/pricing/aws-us-east-1.yaml" >"$tmp/tables/test-region.yaml"
CAPSIM_PRICING_DIR="$tmp/tables" expect_json \
  '{"items": [{"name": "requests", "usd": 0.75}, {"name": "compute", "usd": 9.00}], "total_usd": 9.75}' \
  --requests 3000000 --duration 120ms --memory 1536MB --pricing test-region

# zero requests bill no duration and no memory: --requests 0 needs neither
expect_json '{"items": [{"name": "requests", "usd": 0.00}, {"name": "compute", "usd": 0.00}], "total_usd": 0.00}' \
  --requests 0
expect_json '{"items": [{"name": "requests", "usd": 0.00}, {"name": "compute", "usd": 0.00}, {"name": "provisioned", "usd": 18.00}], "total_usd": 18.00}' \
  --requests 0 --provisioned 100 --provisioned-hours 8 --memory 1536MB
expect_exit 0 --provisioned 100 --provisioned-hours 8 --memory 1536MB --provisioned-requests 0
expect_exit 2 --requests 0 --provisioned 100 --provisioned-hours 8 && has "$tmp/err" '--provisioned needs --memory' "provisioned still needs memory"
expect_exit 2 --requests 1 --memory 1536MB && has "$tmp/err" '--requests needs --duration' "one request needs a duration"

# help
expect_exit 0 --help && has "$tmp/out" '--provisioned-duration D' "help lists --provisioned-duration"

# usage errors: exit 2, nothing on stdout, the reason on stderr
expect_exit 2 && has "$tmp/err" 'nothing to price' "no usage"
expect_exit 2 --requests 3000000 --memory 1536MB && has "$tmp/err" '--requests needs --duration' "requests without duration"
expect_exit 2 --requests 3M --duration 120ms --memory 1536MB && has "$tmp/err" "--requests: '3M'" "count with a unit"
expect_exit 2 --requests -1 --duration 120ms --memory 1536MB
expect_exit 2 --requests 1e6 --duration 120ms --memory 1536MB
expect_exit 2 --requests 3000000 --duration 120 --memory 1536MB && has "$tmp/err" '--duration' "bare duration"
expect_exit 2 --requests 3000000 --duration 16min --memory 1536MB && has "$tmp/err" '900s' "duration above the limit"
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536 && has "$tmp/err" '--memory' "bare memory"
expect_exit 2 --requests 3000000 --duration 120ms --memory 20000MB && has "$tmp/err" '128MB..10240MB' "memory range"
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536MB --ephemeral 256MB
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536MB --arch arm
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536MB --requests 5 && has "$tmp/err" 'given twice' "repeated option"
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536MB extra && has "$tmp/err" "unexpected argument 'extra'" "positional argument"
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536MB --format xml
expect_exit 2 --requests 3000000 --duration 120ms --memory 1536MB --seed 1 && has "$tmp/err" "unknown option '--seed'" "run's option"
expect_exit 2 --provisioned 100 --memory 1536MB && has "$tmp/err" '--provisioned needs --provisioned-hours' "provisioned without hours"
expect_exit 2 --provisioned 100 --provisioned-hours 8 --memory 1536MB --provisioned-requests 5 && has "$tmp/err" '--provisioned-duration' "provisioned requests without duration"
expect_exit 2 --memory 1536MB
expect_exit 2 --glue-dpu 6 && has "$tmp/err" '--glue-dpu needs --glue-hours' "glue without hours"
expect_exit 2 --glue-dpu 0 --glue-hours 1
expect_exit 2 --glue-dpu 6 --glue-hours 1 --glue-version 6.0
expect_exit 2 --emr-instance m5.large --emr-hours 1 && has "$tmp/err" 'known types: m5.xlarge' "unknown instance type"
expect_exit 2 --emr-instance m5.xlarge --emr-hours 1 --emr-count 0

# unusable pricing tables: exit 3, the file's errors compiler-style
expect_exit 3 "${example1[@]}" --pricing nope && has "$tmp/err" "nope.yaml: error: cannot read pricing table 'nope'" "missing table"
# a table file given by path that cannot be read is an I/O error (4); an unknown name is 3
expect_exit 4 "${example1[@]}" --pricing "$tmp/none.yaml"
for table in "$src"/tests/data/pricing/bad-*.yaml; do
  expect_exit 3 "${example1[@]}" --pricing "$table" || continue
  while IFS= read -r want; do
    if grep -qF -- "$table$want" "$tmp/err"; then ok; else bad "$(basename "$table"): expected '$want'"; fi
  done < <(sed -n 's/^# expect-error: //p' "$table")
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
