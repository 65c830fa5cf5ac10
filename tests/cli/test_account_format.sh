#!/usr/bin/env bash
# tests/cli/test_account_format.sh — the account's rules and its written form (format 1.1):
# reservations and provisioned concurrency checked against account.concurrency_limit wherever
# `account:` is written (or left out: 1000); `capsim validate` output that runs to the same
# results when read back (services defaults that each function's trigger decides are left out,
# not written as 0); the account's cost lines add up to its total (every function's services);
# the table heading of an account.
# Usage: test_account_format.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
require python3
run() { "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc_is() { [ "$(cat "$tmp/rc")" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$tmp/err"; }

base() { # base FILE [ACCOUNT-AT: first | last | none] [RESERVED]
  local at=${2:-first} reserved=${3:-50}
  {
    echo "name: acct"
    echo "horizon: 5min"
    echo "replications: 2"
    [ "$at" = first ] && printf 'account:\n  concurrency_limit: 1000\n'
    cat <<EOF
workload:
  arrivals: {process: poisson, rate: 20/s}
  work: {io: 200ms}
functions:
  - name: ingest
    lambda: {trigger: s3, memory: 1024MB}
  - name: enrich
    from: {function: ingest, per_item: 3}
    workload:
      item: {size: 4KB}
      work: {cpu: 50ms}
    lambda: {trigger: sqs, sqs: {batch_size: 10}, concurrency: {reserved: $reserved}}
EOF
    [ "$at" = last ] && printf 'account:\n  concurrency_limit: 1000\n'
  } >"$1"
}

# A reservation is checked against the account's limit wherever account: is (it was compared
# with 0 when account: came after functions: or was left out).
for at in first last none; do
  base "$tmp/r-$at.yaml" "$at" 50
  run validate "$tmp/r-$at.yaml"
  check "reserved 50 with account: $at is valid" rc_is 0
  base "$tmp/r9-$at.yaml" "$at" 950
  run validate "$tmp/r9-$at.yaml"
  check "reserved 950 with account: $at: exit 3" rc_is 3
  check "reserved 950 with account: $at: says the limit" \
    err_has "r9-$at.yaml:[0-9]*:[0-9]*: error: functions\[1\].lambda.concurrency.reserved: 950 leaves fewer than 100 of the account's 1000"
done
# Provisioned environments of unreserved functions come out of the unreserved pool.
cat >"$tmp/prov.yaml" <<'EOF'
name: prov
horizon: 5min
workload:
  arrivals: {process: poisson, rate: 1/s}
  work: {io: 100ms}
functions:
  - name: a
    lambda: {concurrency: {reserved: 600}}
  - name: b
    lambda: {concurrency: {provisioned: 350}}
account: {concurrency_limit: 1000}
EOF
run validate "$tmp/prov.yaml"
check "provisioned past the unreserved pool: exit 3" rc_is 3
check "provisioned past the unreserved pool: says what is left" \
  err_has "error: functions: the functions without a reservation provision 350 environments.*at most 300 can be provisioned"
sed -i 's/provisioned: 350/provisioned: 300/' "$tmp/prov.yaml"
run validate "$tmp/prov.yaml"
check "provisioned within the unreserved pool is valid" rc_is 0
sed -i 's/reserved: 600/reserved: 200/; s/provisioned: 300/provisioned: 901/' "$tmp/prov.yaml"
run validate "$tmp/prov.yaml"
check "one function's provisioned past limit - 100: exit 3" rc_is 3
check "one function's provisioned past limit - 100: names it" \
  err_has "error: functions\[1\].lambda.concurrency.provisioned: 901 is more than the account's limit - 100 (900)"

# validate's output runs to the same results (S3 and Kinesis defaults are each function's).
base "$tmp/two.yaml"
cat >"$tmp/kin.yaml" <<'EOF'
name: kin
horizon: 5min
workload:
  arrivals: {process: poisson, rate: 100/s}
  item: {size: 2KB}
  work: {cpu: 5ms}
functions:
  - name: reader
    lambda: {trigger: kinesis, kinesis: {shards: 4, batch_size: 100}}
  - name: store
    from: {function: reader}
    lambda: {trigger: s3}
EOF
for f in two kin; do
  "$capsim" validate "$tmp/$f.yaml" >"$tmp/$f.rt.yaml"
  "$capsim" run "$tmp/$f.yaml" --format json >"$tmp/$f.a.json"
  "$capsim" run "$tmp/$f.rt.yaml" --format json >"$tmp/$f.b.json"
  check "$f: validate's output reads back to the same results" cmp -s "$tmp/$f.a.json" "$tmp/$f.b.json"
  check "$f: no empty services.s3 key written" sh -c "! grep -qx '  s3:' '$tmp/$f.rt.yaml'"
done
# The account's lines add up to its total, and name every function's services.
python3 - "$tmp/two.a.json" "$tmp/kin.a.json" >"$tmp/lines" 2>&1 <<'EOF'
import json, sys
for path in sys.argv[1:]:
    lam = json.load(open(path))["platforms"]["lambda"]
    cost = {k[len("cost_usd."):]: v for k, v in lam.items() if k.startswith("cost_usd.")} \
        if "cost_usd.total" in lam else lam["cost_usd"]
    parts = ["requests", "compute", "init", "provisioned", "ephemeral",
             "kinesis", "sqs", "s3", "step_functions", "logs"]
    total = sum(cost.get(p, 0.0) for p in parts)
    assert abs(total - cost["total"]) <= 1e-9 * max(1.0, cost["total"]), (path, total, cost)
    print(path.split("/")[-1], sorted(p for p in parts[5:] if p in cost))
EOF
check "account cost lines add up to the total" test $? -eq 0
check "pipeline bill lists s3 and sqs" grep -q "two.a.json \['s3', 'sqs'\]" "$tmp/lines"
check "stream pipeline bill lists kinesis and s3" grep -q "kin.a.json \['kinesis', 's3'\]" "$tmp/lines"
# One function in an account is the lone function: every account-level result, its bill with
# the free tier included (the first function draws the scenario's own random streams).
cat >"$tmp/lone.yaml" <<'EOF'
name: lone
horizon: 1h
replications: 3
workload:
  arrivals: {process: poisson, rate: 5/s}
  work: {cpu: {dist: exponential, mean: 300ms}, io: 50ms}
lambda:
  memory: 512MB
  architecture: arm64
  trigger: async
  concurrency: {provisioned: 2}
pricing: {free_tier: true}
EOF
cat >"$tmp/lone-acct.yaml" <<'EOF'
name: lone
horizon: 1h
replications: 3
workload:
  arrivals: {process: poisson, rate: 5/s}
  work: {cpu: {dist: exponential, mean: 300ms}, io: 50ms}
functions:
  - name: only
    lambda:
      memory: 512MB
      architecture: arm64
      trigger: async
      concurrency: {provisioned: 2}
pricing: {free_tier: true}
EOF
"$capsim" run "$tmp/lone.yaml" --format json >"$tmp/lone.json"
"$capsim" run "$tmp/lone-acct.yaml" --format json >"$tmp/lone-acct.json"
python3 - "$tmp/lone.json" "$tmp/lone-acct.json" <<'EOF'
import json, sys
def flat(d, p=""):
    out = {}
    for k, v in d.items():
        if k in ("functions", "function_count"): continue
        if isinstance(v, dict): out.update(flat(v, p + k + "."))
        else: out[p + k] = v
    return out
a = flat(json.load(open(sys.argv[1]))["platforms"]["lambda"])
b = flat(json.load(open(sys.argv[2]))["platforms"]["lambda"])
bad = [(k, a[k], b.get(k)) for k in a if a[k] != b.get(k)]
assert a["cost_usd.total"] > 0 and not bad, bad
EOF
check "one function in an account: the lone function's results and bill" test $? -eq 0
# The free tier is the account's: two functions' requests count against one million a month.
cat >"$tmp/free.yaml" <<'EOF'
name: free
horizon: 1h
seed: 5
account: {concurrency_limit: 1000}
workload:
  arrivals: {process: constant, rate: 1000/h}
  work: {io: 100ms}
functions:
  - name: a
  - name: b
    lambda: {memory: 256MB}
pricing: {free_tier: true}
EOF
"$capsim" run "$tmp/free.yaml" --format json >"$tmp/free.json"
python3 - "$tmp/free.json" <<'EOF'
import json, sys
lam = json.load(open(sys.argv[1]))["platforms"]["lambda"]
month = 30 * 24  # horizons of 1 h in the pricing month of 30 days
inv = lam["invocations"]
want = max(0.0, inv * month - 1e6) * 0.20 / 1e6 / month  # $0.20 per million requests
got = lam["cost_usd"]["requests"]
assert inv >= 1990 and abs(got - want) <= 1e-9 * want, (inv, got, want)
fns = lam["functions"]
parts = fns["a"]["cost_usd"]["requests"] + fns["b"]["cost_usd"]["requests"]
assert abs(parts - got) <= 1e-12, (parts, got)
EOF
check "free tier: 1M requests a month for the account, not each function" test $? -eq 0
# A from: naming no function above says which it can be (a typo is the likely cause), the list
# cut short when long.
{
  printf 'name: typo\nhorizon: 5min\nworkload: {arrivals: {process: poisson, rate: 1/s}}\nfunctions:\n'
  for i in 1 2 3 4 5 6 7 8; do printf '  - name: function-with-a-rather-long-name-%s\n' "$i"; done
  printf '  - name: last\n    from: {function: function-with-a-rather-long-name-9}\n'
} >"$tmp/typo.yaml"
run validate "$tmp/typo.yaml"
check "from: an unknown function: exit 3" rc_is 3
check "from: an unknown function: lists the names above it, cut short" \
  err_has "typo.yaml:14:22: error: functions\[8\].from.function: 'function-with-a-rather-long-name-9' is not a function listed before this one .*: one of function-with-a-rather-long-name-1, .*, \.\.\.$"
# The heading of an account.
"$capsim" run "$tmp/two.yaml" >"$tmp/table"
check "table heading names the account" \
  grep -qx 'lambda: an account of 2 functions, concurrency limit 1000 (50 reserved)' "$tmp/table"
finish
