#!/usr/bin/env bash
# tests/cli/test_optimize.sh — `capsim optimize` as a user runs it: usage and goal errors (exit
# codes, positions, nothing written); on small cases the answer is the brute force's (every
# point of the grid run with `capsim sweep`, the best picked here by python3) for Lambda's
# memory x provisioned concurrency and across Lambda, Glue and EMR; the answer re-run with
# `capsim run --set ...` meets its goals; -j 1 and -j 2 give the same bytes; fewer points are
# simulated than the grid has; the table fits 80 columns; -o writes optimize.json.
# Usage: test_optimize.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
command -v python3 >/dev/null || skip "python3 is needed to compute the brute force"
expect_exit() { # expect_exit CODE ARGS...: runs capsim, keeps stdout/stderr in $tmp/out, $tmp/err
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
flat() { tr '\n' ' ' <"$1" | tr -s ' ' | grep -q -- "$2"; } # contains, across wrapped lines
fits80() { ! sed 's/·/./g; s/±/+/g' "$1" | awk 'length($0) > 80' | grep -q .; }

# Lambda alone: memory x provisioned concurrency; short keep-alive, so cold starts need
# provisioned environments, and the cost is not monotone in them
lam="$tmp/lam.yaml"
cat >"$lam" <<'YAML'
name: opt-lambda
horizon: 20min
seed: 3
replications: 2
workload:
  arrivals: {process: poisson, rate: 5/s}
  work: {cpu: {dist: exponential, mean: 400ms}, io: 50ms}
lambda:
  memory: 1024MB
  keep_alive: 3s
YAML
mem="lambda.memory=512MB..2048MB:+256MB"
prov="lambda.concurrency.provisioned=0..12:+2"
goals=(--goal 'latency_s.p99<=2.7s' --goal 'cold_start_ratio<=2%')

# help and usage errors (exit 2)
expect_exit 0 optimize --help && check "help lists --goal" contains "$tmp/out" "--goal 'METRIC OP VALUE'" \
  && check "help lists --objective" contains "$tmp/out" "--objective METRIC" \
  && check "help lists --confirm-runs" contains "$tmp/out" "--confirm-runs K"
expect_exit 2 optimize "$lam" "${goals[@]}" && check "--vary required" contains "$tmp/err" "needs at least one --vary"
expect_exit 2 optimize "$lam" --vary "$mem" --goal 'latency_s.p99' && check "--goal needs an operator" contains "$tmp/err" "OP one of <= < >= >"
expect_exit 2 optimize "$lam" --vary "$mem" "${goals[@]}" --format csv && check "no csv" contains "$tmp/err" "use table or json"
for bad in -1 x 101 01; do
  expect_exit 2 optimize "$lam" --vary "$mem" "${goals[@]}" --confirm-runs "$bad" || echo "  (--confirm-runs $bad)" >&2
done

# bad goals, keys and values: exit 3 at their position, nothing on stdout or in -o DIR
mkdir "$tmp/o"
expect_exit 3 optimize "$lam" --vary "$mem" --goal 'latency_s.p99<=2s' --goal 'throttle_ratio<=2' -o "$tmp/o" \
  && check "bad ratio at its column" contains "$tmp/err" "^--goal:2:17: error: throttle_ratio is a ratio: '2' is outside" \
  && check "bad goal: nothing on stdout" empty "$tmp/out" \
  && check "bad goal: nothing written" bash -c "[ -z \"\$(ls -A '$tmp/o')\" ]"
expect_exit 3 optimize "$lam" --vary "$mem" --goal 'latency_s.p99<=2MB' \
  && check "a size for seconds" contains "$tmp/err" "^--goal:1:16: error: latency_s.p99 is in seconds"
expect_exit 3 optimize "$lam" --vary "$mem" --vary workload.arrivals.rate=1/s,2/s "${goals[@]}" \
  && check "workload key refused" contains "$tmp/err" "^--vary:2:1: error: workload.arrivals.rate: not a decision"
expect_exit 3 optimize "$lam" --vary lambda.memory=512MB,20000MB "${goals[@]}" \
  && check "bad value at its column" contains "$tmp/err" "^--vary:1:21: error: lambda.memory: 20000MB is outside" \
  && check "bad point named" contains "$tmp/err" "1 of the 2 candidate points are invalid, the first being lambda.memory=20000MB; nothing was run"
expect_exit 3 optimize "$lam" --vary "$mem" --goal 'latncy_s.p99<=2s' \
  && check "unknown metric, suggestion" contains "$tmp/err" "^--goal:1:1: error: latncy_s.p99: not in the results of lambda; did you mean 'latency_s.p99'?"
expect_exit 3 optimize "$lam" --vary "$mem" --goal 'glue.jobs>=1' \
  && check "a platform not searched" contains "$tmp/err" "^--goal:1:1: error: glue is not among the platforms searched"
expect_exit 3 optimize "$lam" --vary "$mem" --goal 'latency_s.p99<=2s' --objective cost_usd.per_year \
  && check "unknown objective" contains "$tmp/err" "^--objective:1:1: error: cost_usd.per_year: not in the results"

# the answer equals the brute force's best over the grid (same seed: same numbers)
expect_exit 0 sweep "$lam" --vary "$mem" --vary "$prov" --format json -j 2 && cp "$tmp/out" "$tmp/grid.json"
expect_exit 0 optimize "$lam" --vary "$mem" --vary "$prov" "${goals[@]}" --format json -j 1 \
  && cp "$tmp/out" "$tmp/opt1.json"
expect_exit 0 optimize "$lam" --vary "$mem" --vary "$prov" "${goals[@]}" --format json -j 2 \
  && check "-j 1 and -j 2: the same bytes" cmp -s "$tmp/out" "$tmp/opt1.json"
python3 - "$tmp/grid.json" "$tmp/opt1.json" >"$tmp/check.txt" 2>&1 <<'PY'
import json, sys
grid, opt = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
def ok(p):
    return (p["latency_s"]["p99"] is not None and p["latency_s"]["p99"] <= 2.7
            and p["cold_start_ratio"] <= 0.02 and p["completed"] >= p["items"] and not p["overloaded"])
feasible = [(pt["platforms"]["lambda"]["cost_usd"]["per_month"], pt["values"]) for pt in grid["points"]
            if ok(pt["platforms"]["lambda"])]
cost, values = min(feasible, key=lambda x: x[0])
best = opt["best"]
print("brute force", cost, values, "optimize", best["objective"], best["values"])
assert best["values"] == values, "a different configuration"
assert best["objective"] <= cost, "costlier than the brute force's best"
assert opt["search"]["simulated"] < len(grid["points"]), "simulated the whole grid"
assert opt["search"]["grid"] == len(grid["points"])
assert len(opt["search"]["points"]) == opt["search"]["simulated"]
assert opt["best"]["confirmation"]["runs"] == 4 and opt["best"]["confirmation"]["meets_goals"]
assert opt["runner_up"] is not None and opt["runner_up"]["objective"] >= best["objective"]
open(sys.argv[2] + ".set", "w").write(best["set"])
PY
check "lambda: the brute force's best" bash -c "[ $? -eq 0 ]" || sed 's/^/  /' "$tmp/check.txt" >&2

# the answer, re-run with capsim run --set ..., meets the goals
eval "sets=($(cat "$tmp/opt1.json.set"))"
expect_exit 0 run "$lam" "${sets[@]}" --format json && cp "$tmp/out" "$tmp/rerun.json"
check "re-run meets the goals" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["platforms"]["lambda"]
assert p["latency_s"]["p99"] <= 2.7 and p["cold_start_ratio"] <= 0.02
assert p["completed"] >= p["items"] and not p["overloaded"]' "$tmp/rerun.json"

# the table: --set arguments, the YAML, the runner-up and the count; 80 columns; -o DIR
expect_exit 0 optimize "$lam" --vary "$mem" --vary "$prov" "${goals[@]}" -o "$tmp/o" -q \
  && check "-o: optimize.txt" test -s "$tmp/o/optimize.txt" && check "-o: nothing on stdout" empty "$tmp/out"
t="$tmp/o/optimize.txt"
check "table: best line" contains "$t" "^best: lambda, cost_usd.per_month \\$"
check "table: --set line" contains "$t" "^  --set lambda.memory=[0-9]*MB --set lambda.concurrency.provisioned=[0-9]*$"
check "table: YAML" contains "$t" "^  lambda:$"
check "table: YAML nested" contains "$t" "^      provisioned: [0-9]*$"
check "table: confirmed" contains "$t" "confirmed over 4 runs (seeds 3 to 6, 2 replications"
check "table: runner-up with a CI" contains "$t" "^runner-up: lambda with .*"
check "table: paired CI" flat "$t" '(95 % CI \$[0-9.]* to \$[0-9.]*, paired run by run' 
check "table: points simulated" contains "$t" "points simulated of the 49 in the platforms' grids"
check "table fits 80 columns" fits80 "$t"

# across platforms: items longer than Lambda's 15 minutes fail on Lambda at any memory, so Glue
# or EMR wins; the brute force runs each platform's grid and picks the cheapest meeting the goal
cross="$tmp/cross.yaml"
cat >"$cross" <<'YAML'
name: opt-cross
horizon: 2h
seed: 5
replications: 2
workload:
  arrivals: {process: poisson, rate: 20/h}
  work: {cpu: {dist: uniform, min: 10min, max: 20min}}
lambda:
  memory: 2048MB
  timeout: 15min
glue:
  worker_type: G.1X
  workers: 4
  trigger: {every: 15min}
emr:
  instance_type: m5.xlarge
  core_nodes: 2
  trigger: {every: 15min}
YAML
lv="lambda.memory=1024MB..3072MB:+1024MB"; gv="glue.workers=2..12:+2"; ev="emr.core_nodes=1..6:+1"
for v in "$lv" "$gv" "$ev"; do
  expect_exit 0 sweep "$cross" --vary "$v" --format json && cp "$tmp/out" "$tmp/cross-${v%%.*}.json"
done
expect_exit 0 optimize "$cross" --vary "$lv" --vary "$gv" --vary "$ev" --goal 'latency_s.p99<=1h' \
  --format json && cp "$tmp/out" "$tmp/cross-opt.json"
python3 - "$tmp" >"$tmp/check.txt" 2>&1 <<'PY'
import json, sys
tmp = sys.argv[1]
opt = json.load(open(f"{tmp}/cross-opt.json"))
best = None
for name in ("lambda", "glue", "emr"):
    grid = json.load(open(f"{tmp}/cross-{name}.json"))
    for pt in grid["points"]:
        p = pt["platforms"][name]
        if p["latency_s"]["p99"] is None or p["latency_s"]["p99"] > 3600: continue
        if p["completed"] < p["items"] or p["overloaded"]: continue
        c = p["cost_usd"]["per_month"]
        if best is None or c < best[0]: best = (c, name, pt["values"])
print("brute force", best, "optimize", opt["best"]["platform"], opt["best"]["values"])
assert opt["best"]["platform"] == best[1], "another platform"
assert opt["best"]["values"] == best[2] and opt["best"]["objective"] <= best[0]
assert opt["platforms"]["lambda"]["best"] is None
assert opt["platforms"]["lambda"]["closest"]["verdict"] == "items not completed"
PY
check "across platforms: the brute force's platform" bash -c "[ $? -eq 0 ]" || sed 's/^/  /' "$tmp/check.txt" >&2

# nothing meets the goals: said, exit 0
expect_exit 0 optimize "$lam" --vary "$mem" --goal 'latency_s.p99<=100ms' \
  && check "none meets" contains "$tmp/out" "^best: no configuration simulated meets the goals" \
  && check "the closest said" contains "$tmp/out" "none meets the goals; the closest"
finish
