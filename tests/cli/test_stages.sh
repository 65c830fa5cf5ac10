#!/usr/bin/env bash
# tests/cli/test_stages.sh — a Glue or EMR job as one stage of a pipeline (issue 13: "Lambda for
# ingest, Glue for the nightly join"), as a user runs it:
#   a. a deterministic Lambda -> Glue pipeline: the stage's items, jobs, DPU-hours and bill worked
#      out by hand; end-to-end latency = Lambda's latency + the stage's (mean and max); items
#      that reach the stage after the horizon are processed by a run that is not billed;
#   b. the same with an EMR transient cluster: instance-hours and bill by hand;
#   c. random arrivals and work: the end-to-end mean is still the sum of the stages' means (each
#      item passes both), the account's bill adds up, -j 1 and -j 2 give the same bytes;
#   d. the comparison judges a pipeline by its end-to-end latency (all Glue, every 5 minutes, is
#      faster than Lambda then Glue every 30 minutes, though Lambda's own latency is lower), and
#      a sweep's table shows it;
#   e. the rules: exit 3 with FILE:LINE:COL: error: key.path: ...;
#   f. validate's output reads back to the same results; --set functions.NAME.glue.* changes that
#      stage only; the table shows the stage's job runs.
# Usage: test_stages.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
require python3
run() { "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc_is() { [ "$(cat "$tmp/rc")" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$tmp/err"; }

# ---- a. Lambda -> Glue, deterministic
# 3600 files, one a second from t = 0; ingest runs each for 0.5 s (no cold-start cost) and makes
# 2 records of 1 vCPU-second each for the join. The Glue job runs every 30 minutes on 2 G.1X
# workers (8 vCPU) at efficiency 0.5 (4 vCPU-seconds a second) after a 60 s start-up.
cat >"$tmp/glue.yaml" <<'EOF'
name: lambda-then-glue
horizon: 1h
warmup: 0s
seed: 3
replications: 2
workload:
  arrivals: {process: constant, rate: 1/s}
  work: {io: 500ms}
functions:
  - name: ingest
    lambda: {trigger: sync, cold_start: {init: 0s}}
  - name: join
    from: {function: ingest, per_item: 2}
    workload:
      work: {cpu: 1s}
    glue:
      workers: 2
      efficiency: 0.5
      trigger: {every: 30min}
      startup: 60s
EOF
run run "$tmp/glue.yaml" --format json
check "glue stage: exit 0" rc_is 0
cp "$tmp/out" "$tmp/glue.json"
pycheck "glue stage: jobs, DPU-hours, bill and latencies by hand" "$tmp/glue.json" '
a, g = fn["ingest"], fn["join"]
assert a["items"] == 3600 and g["items"] == g["completed"] == 7200, (a["items"], g["items"])
# The run at 30 min takes the 3600 records of files 0..1799 (ingest done by t + 0.5 s < 1800 s):
# 3600 vCPU-s / 4 = 900 s after the start-up; the run at 60 min the other 3600 the same.
assert g["jobs"] == 2 and g["startup_s"]["mean"] == 60, (g["jobs"], g["startup_s"])
run_s = 60 + 900
assert abs(g["dpu_hours"] - 2 * run_s * 2 / 3600) < 1e-9, g["dpu_hours"]
want_usd = 2 * run_s * 2 / 3600 * 0.44
assert abs(g["cost_usd"]["compute"] - want_usd) < 1e-9, (g["cost_usd"], want_usd)
# Between the stages, S3: ingest writes each record (a PUT), the job reads it (a GET).
s3_usd = 7200 * (0.005 + 0.0004) / 1000
assert abs(g["cost_usd"]["s3"] - s3_usd) < 1e-9 and abs(g["cost_usd"]["total"] - want_usd - s3_usd) < 1e-9, g["cost_usd"]
# The oldest record (file 0, at the stage from 0.5 s) is done at 1800 + 960 s.
assert g["latency_s"]["max"] == 2760 - 0.5, g["latency_s"]
assert l["end_to_end_latency_s"]["max"] == 2760, l["end_to_end_latency_s"]
# Files 0..1799 (mean 899.5 s) end at 2760 s, files 1800..3599 at 4560 s: 1860.5 s each.
assert abs(l["end_to_end_latency_s"]["mean"] - 1860.5) < 1e-6, l["end_to_end_latency_s"]
for k in ("mean", "max"):
    assert abs(l["end_to_end_latency_s"][k] - (a["latency_s"][k] + g["latency_s"][k])) < 1e-6, k
# The account: its Lambda functions and the stage: the charges of the job itself as the cost_usd.glue
# line, its S3 requests in the s3 line (ingest, invoked synchronously, has none).
c = l["cost_usd"]
# (JSON numbers carry 10 significant digits: sums agree to about 1e-9 of the total)
assert abs(c["glue"] - want_usd) < 1e-9 * want_usd and abs(c["s3"] - s3_usd) < 1e-9 * s3_usd, c
assert abs(c["total"] - (a["cost_usd"]["total"] + g["cost_usd"]["total"])) < 1e-9 * c["total"], c
lines = ["requests", "compute", "init", "provisioned", "ephemeral", "s3", "glue"]
assert abs(sum(c[k] for k in lines) - c["total"]) < 1e-9 * c["total"], c
assert l["items"] == 3600 + 7200 and l["completed"] == l["items"], l["items"]
# ... but its cost per 1,000 items is per file (per item of the workload), as for all Glue.
assert abs(c["per_1k_items"] - c["total"] / 3600 * 1000) < 1e-9 * c["per_1k_items"], c
assert "emr" not in c and "glue" not in d["platforms"], sorted(d["platforms"])
'

# Items the stage gets after the horizon (ingest now runs 2 s: files from 3598 s on are done after
# 3600 s) are processed by a run of the next period, which is not billed to this one: still 2
# runs, on the records of files 0..1797 and 1798..3597 (3596 and 3600 records).
sed 's/  work: {io: 500ms}/  work: {io: 2s}/' "$tmp/glue.yaml" >"$tmp/late.yaml"
run run "$tmp/late.yaml" --format json
check "items after the horizon: exit 0" rc_is 0
cp "$tmp/out" "$tmp/late.json"
pycheck "items after the horizon: processed, their run not billed" "$tmp/late.json" '
g = fn["join"]
assert g["items"] == g["completed"] == 7200 and g["jobs"] == 2, (g["items"], g["jobs"])
dpu_s = 2 * (60 + 3596 / 4) + 2 * (60 + 3600 / 4)
assert abs(g["dpu_hours"] - dpu_s / 3600) < 1e-9, (g["dpu_hours"], dpu_s / 3600)
# file 1798 (at the stage at 1800 s) waits for the run at 3600 s, done at 4560 s
assert l["end_to_end_latency_s"]["max"] == 4560 - 1798, l["end_to_end_latency_s"]
'

# A schedule longer than the horizon: no run inside it, and the one after is not billed here.
sed 's/trigger: {every: 30min}/trigger: {every: 2h}/' "$tmp/glue.yaml" >"$tmp/long.yaml"
run run "$tmp/long.yaml" --format json
check "stage schedule longer than the horizon: exit 0" rc_is 0
check "stage schedule longer than the horizon: a warning at its key" \
  err_has "long.yaml:[0-9]*:[0-9]*: warning: functions\[1\].glue.trigger.every: the trigger period (2h) is longer than the horizon (1h).*not billed to this one"

# ---- b. Lambda -> EMR, deterministic: a transient cluster per run, 2 core m5.xlarge (8 vCPU)
# at efficiency 0.5 after 5 minutes of provisioning; 3 instances billed from the request.
sed 's/^    glue:$/    emr:/; s/workers: 2/mode: transient/; s/startup: 60s/provisioning: 5min/' \
  "$tmp/glue.yaml" | sed 's/      mode: transient/      mode: transient\n      core_nodes: 2\n      instance_type: m5.xlarge/' >"$tmp/emr.yaml"
run run "$tmp/emr.yaml" --format json
check "emr stage: exit 0" rc_is 0
cp "$tmp/out" "$tmp/emr.json"
pycheck "emr stage: jobs, instance-hours, bill and latencies by hand" "$tmp/emr.json" '
a, e = fn["ingest"], fn["join"]
assert e["items"] == e["completed"] == 7200 and e["jobs"] == 2, (e["items"], e["jobs"])
run_s = 300 + 900
assert abs(e["instance_hours"] - 2 * 3 * run_s / 3600) < 1e-9, e["instance_hours"]
want_usd = 2 * 3 * run_s / 3600 * (0.192 + 0.048)   # m5.xlarge: EC2 + the EMR fee
assert abs(e["cost_usd"]["compute"] - want_usd) < 1e-9, (e["cost_usd"], want_usd)
assert l["end_to_end_latency_s"]["max"] == 1800 + run_s, l["end_to_end_latency_s"]
assert abs(l["cost_usd"]["emr"] - want_usd) < 1e-9 * want_usd and "glue" not in l["cost_usd"], l["cost_usd"]
'

# ---- c. random arrivals and work: the means still add up; the bill adds up
# (No warm-up: every stage counts every item, so the counts and means can be compared exactly.)
cat >"$tmp/random.yaml" <<'EOF'
name: random-stages
horizon: 2h
warmup: 0s
seed: 11
replications: 4
workload:
  arrivals: {process: poisson, rate: 3/s}
  item: {size: {dist: lognormal, median: 200KB, sigma: 0.5}}
  work: {cpu: {dist: exponential, mean: 150ms}, io: 100ms}
functions:
  - name: ingest
    lambda: {trigger: s3, memory: 1024MB}
  - name: clean
    from: {function: ingest}
    lambda: {trigger: sqs, sqs: {batch_size: 10, batch_window: 2s}}
  - name: join
    from: {function: clean, per_item: 3}
    workload: {work: {cpu: {dist: exponential, mean: 400ms}}}
    glue: {workers: 4, trigger: {every: 20min}}
  - name: audit
    from: {function: ingest}
    emr: {deployment: serverless, trigger: {batch_items: 5000}}
services: {cloudwatch_logs: {kb_per_invocation: 2, kb_per_job: 50}}
EOF
run run "$tmp/random.yaml" --format json -j 1
check "random stages -j 1: exit 0" rc_is 0
cp "$tmp/out" "$tmp/random.json"
run run "$tmp/random.yaml" --format json -j 2
check "random stages: -j 1 and -j 2 give the same bytes" cmp -s "$tmp/out" "$tmp/random.json"
pycheck "random stages: counts flow, the bill adds up" "$tmp/random.json" '
i, c, j, a = fn["ingest"], fn["clean"], fn["join"], fn["audit"]
assert j["items"] == 3 * c["completed"] and a["items"] == i["completed"], (j["items"], a["items"])
assert j["completed"] == j["items"] and a["completed"] == a["items"]
cost = l["cost_usd"]
total = sum(f["cost_usd"]["total"] for f in fn.values())
assert abs(cost["total"] - total) <= 1e-9 * total, (cost["total"], total)
services = ["kinesis", "sqs", "s3", "step_functions", "logs"]
for line, stage in (("glue", j), ("emr", a)):
    own = stage["cost_usd"]["total"] - sum(stage["cost_usd"].get(k, 0) for k in services)
    assert abs(cost[line] - own) <= 1e-9 * cost[line], (line, cost, stage["cost_usd"])
for k in services:  # the services lines: of the functions and of the stages
    assert abs(cost.get(k, 0) - sum(f["cost_usd"].get(k, 0) for f in fn.values())) <= 1e-9 * cost["total"], k
lines = ["requests", "compute", "init", "provisioned", "ephemeral", "kinesis", "sqs", "s3",
         "step_functions", "logs", "glue", "emr"]
assert abs(sum(cost.get(k, 0) for k in lines) - cost["total"]) <= 1e-9 * cost["total"], cost
assert abs(cost["capacity"] + cost["usage"] - cost["total"]) <= 1e-9 * cost["total"], cost
# A stage bills its own services lines (logs per job run here) inside its total.
assert j["cost_usd"]["logs"] > 0 and a["cost_usd"]["logs"] > 0, (j["cost_usd"], a["cost_usd"])
assert l["end_to_end_latency_s"]["max"] >= j["latency_s"]["max"]
assert l["items"] == sum(f["items"] for f in fn.values()), l["items"]
'
# Two stages end the pipeline here (join and audit), so the end-to-end mean mixes them; with one
# last stage it is, item by item, the sum of the stages it went through.
sed '/^  - name: audit/,/^    emr:/d' "$tmp/random.yaml" >"$tmp/chain.yaml"
run run "$tmp/chain.yaml" --format json
check "chain ending in glue: exit 0" rc_is 0
cp "$tmp/out" "$tmp/chain.json"
pycheck "chain: end-to-end mean = ingest + clean + join means (every item, every stage)" "$tmp/chain.json" '
# Each replication: mean(e2e) = mean(ingest) + mean(clean) + mean(join) over the same items
# (per_item 3 repeats a clean item three times, which leaves its mean as it is).
s = sum(fn[n]["latency_s"]["mean"] for n in ("ingest", "clean", "join"))
e = l["end_to_end_latency_s"]["mean"]
assert abs(e - s) <= 1e-9 * s, (e, s)
assert "audit" not in fn and "emr" not in l["cost_usd"]
'

# ---- d. the comparison: a pipeline is judged on its end-to-end latency
cat "$tmp/glue.yaml" - >"$tmp/compare.yaml" <<'EOF'
glue:
  workers: 2
  efficiency: 0.5
  trigger: {every: 5min}
  startup: 60s
EOF
run run "$tmp/compare.yaml" --format json
check "pipeline vs all Glue: exit 0" rc_is 0
cp "$tmp/out" "$tmp/compare.json"
pycheck "pipeline vs all Glue: fastest by end-to-end p99, not Lambda's own latency" "$tmp/compare.json" '
g = d["platforms"]["glue"]
assert l["latency_s"]["p99"] < g["latency_s"]["p99"] < l["end_to_end_latency_s"]["p99"], (l["latency_s"], g["latency_s"])
assert d["comparison"]["fastest"] == "glue", d["comparison"]
'
run run "$tmp/compare.yaml"
check "pipeline vs all Glue, table: exit 0" rc_is 0
check "table: the stage shows its job runs" grep -Eq '^  join +2 jobs +- +- ' "$tmp/out"
check "table: the account's cost has the glue line" grep -Eq '^    glue +0\.4693' "$tmp/out"
check "table: says latency runs through a pipeline" grep -q "end_to_end_latency_s" "$tmp/out"

# A sweep's table reads a pipeline's p99 the same way: two Lambda stages of 0.2 s and 0.3 s (no
# cold-start cost, no batching) take every item 0.5 s from end to end, while the pooled p99 of
# their invocations is 0.3 s.
cat >"$tmp/two-lambdas.yaml" <<'EOF'
name: two-lambdas
horizon: 10min
warmup: 0s
replications: 1
workload:
  arrivals: {process: constant, rate: 1/s}
  work: {io: 200ms}
functions:
  - name: first
    lambda: {trigger: sync, cold_start: {init: 0s}}
  - name: second
    from: {function: first}
    workload: {work: {io: 300ms}}
    lambda: {trigger: sync, cold_start: {init: 0s}}
EOF
run sweep "$tmp/two-lambdas.yaml" --vary functions.first.lambda.memory=512MB,1024MB
check "sweep of a pipeline: exit 0" rc_is 0
check "sweep of a pipeline: p99 is end to end (0.500 s), not the invocations' (0.300 s)" \
  sh -c "[ \$(grep -cE '^  (512MB|1024MB) .* 0\.500 s ' '$tmp/out') -eq 2 ]"

# ---- e. the rules
bad() { # bad NAME EXPECTED-ERROR-REGEX: writes $tmp/NAME.yaml from stdin, validates it
  local name=$1 want=$2
  {
    printf 'name: bad\nhorizon: 5min\nworkload:\n'
    printf '  arrivals: {process: poisson, rate: 1/s}\n  work: {io: 100ms}\nfunctions:\n'
    printf '  - name: ingest\n    lambda: {trigger: s3}\n'
    cat
  } >"$tmp/$name.yaml"
  run validate "$tmp/$name.yaml"
  check "$name: exit 3" rc_is 3
  check "$name: says what is wrong" err_has "$name.yaml:[0-9]*:[0-9]*: error: $want"
}
bad no-from 'functions\[1\].from: required key is missing: a glue stage runs on the items a function above it completes' <<'EOF'
  - name: join
    glue: {workers: 2}
EOF
bad two-platforms 'functions\[1\].glue: a function runs on one platform: lambda, glue or emr, not two' <<'EOF'
  - name: join
    from: {function: ingest}
    lambda: {memory: 512MB}
    glue: {workers: 2}
EOF
bad fed-by-stage "functions\[2\].from.function: 'join' is a glue stage: a Glue or EMR job is the last stage" <<'EOF'
  - name: join
    from: {function: ingest}
    glue: {workers: 2}
  - name: after
    from: {function: join}
EOF
bad glue-key 'functions\[1\].glue.workers: ' <<'EOF'
  - name: join
    from: {function: ingest}
    glue: {workers: 1}
EOF
bad emr-instance "functions\[1\].emr.instance_type: 'm5.huge' is not in pricing table" <<'EOF'
  - name: report
    from: {function: ingest}
    emr: {instance_type: m5.huge}
EOF
bad unknown-key "functions\[1\]: unknown key 'glu'" <<'EOF'
  - name: join
    from: {function: ingest}
    glu: {workers: 2}
EOF

bad duplicate-key "functions\[1\].glue: duplicate key 'glue'" <<'EOF'
  - name: join
    from: {function: ingest}
    glue: {workers: 2}
    glue: {workers: 4}
EOF

# ---- f. validate's output, --set, the table
"$capsim" validate "$tmp/random.yaml" >"$tmp/random.rt.yaml"
check "validate writes the stages' sections" sh -c "grep -q '^    glue:\$' '$tmp/random.rt.yaml' && grep -q '^    emr:\$' '$tmp/random.rt.yaml'"
run run "$tmp/random.rt.yaml" --format json -j 1
check "validate's output reads back to the same results" cmp -s "$tmp/out" "$tmp/random.json"
run run "$tmp/random.yaml" --format json -j 1 --set functions.join.glue.workers=8
check "--set functions.join.glue.workers: exit 0" rc_is 0
cp "$tmp/out" "$tmp/random-w8.json"
python3 - "$tmp/random.json" "$tmp/random-w8.json" >"$tmp/py" 2>&1 <<'EOF'
import json, sys
a, b = (json.load(open(p))["platforms"]["lambda"]["functions"] for p in sys.argv[1:])
# twice the workers: the join's runs are shorter, its latency lower
assert b["join"]["latency_s"]["mean"] < a["join"]["latency_s"]["mean"], (a["join"]["latency_s"], b["join"]["latency_s"])
for name in ("ingest", "clean", "audit"):
    assert a[name] == b[name], (name, "changed")
EOF
check "--set functions.join.glue.workers changes join only" test $? -eq 0 || sed 's/^/  /' "$tmp/py" >&2
finish
