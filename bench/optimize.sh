#!/usr/bin/env bash
# bench/optimize.sh — how many points `capsim optimize` simulates against the grid it searches,
# on bench/optimize/case.yaml: Lambda's memory (8 values) x provisioned concurrency (11) and
# Glue's workers (16), goals p99 latency <= 10 min and cold starts <= 0.5 % of invocations (a
# goal Glue's results do not have). Prints the points the search simulated, the size of the
# platforms' grids (88 + 16) and of the grid `capsim sweep` would run with the same --vary
# (88 x 16), the confirmation runs, and checks that the answer is the brute force's: every point
# of each platform's grid run with `capsim sweep`, the best meeting the goals picked here. Wall
# times are shown for scale. Builds the release preset first. Not a test: the target (at most a
# third of the grid) is a property of this case, not a guarantee.
# Usage: bench/optimize.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
cmake --preset release >/dev/null
cmake --build --preset release -j 2 --target capsim >/dev/null
capsim=build-release/capsim
case=bench/optimize/case.yaml
mem="lambda.memory=256MB..2048MB:+256MB"
prov="lambda.concurrency.provisioned=0..40:+4"
workers="glue.workers=2..32:+2"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v python3 >/dev/null || { echo "bench/optimize.sh needs python3" >&2; exit 1; }

seconds() { # seconds CMD...: runs CMD, prints its wall time
  local t0 t1
  t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}
t_opt=$(seconds sh -c "'$capsim' optimize $case --vary $mem --vary $prov --vary $workers \
  --goal 'latency_s.p99<=10min' --goal 'cold_start_ratio<=0.5%' -j $threads --format json \
  >'$out/opt.json'")
t_lam=$(seconds sh -c "'$capsim' sweep $case --vary $mem --vary $prov -j $threads --format json >'$out/lambda.json'")
t_glue=$(seconds sh -c "'$capsim' sweep $case --vary $workers -j $threads --format json >'$out/glue.json'")

python3 - "$out" "$t_opt" "$t_lam" "$t_glue" <<'PY'
import json, sys
out, t_opt, t_lam, t_glue = sys.argv[1], *map(float, sys.argv[2:])
opt = json.load(open(f"{out}/opt.json"))
def meets(p):
    lat = p["latency_s"]["p99"]
    return (lat is not None and lat <= 600 and p.get("cold_start_ratio", 0) <= 0.005
            and p["completed"] >= p["items"] and not p["overloaded"])
best = None
for name in ("lambda", "glue"):
    for pt in json.load(open(f"{out}/{name}.json"))["points"]:
        p = pt["platforms"][name]
        if meets(p) and (best is None or p["cost_usd"]["per_month"] < best[0]):
            best = (p["cost_usd"]["per_month"], name, pt["values"])
s = opt["search"]
b = opt["best"]
print(f"capsim optimize {'bench/optimize/case.yaml'}: Lambda memory x provisioned (88) + Glue workers (16)")
for name, p in opt["platforms"].items():
    print(f"  {name:7s} {p['simulated']:3d} of {p['grid']:3d} points simulated")
print(f"  search: {s['simulated']} of the {s['grid']} points of the platforms' grids "
      f"({100 * s['simulated'] / s['grid']:.0f} %, target <= 33 %); a sweep of the same --vary: "
      f"{s['sweep_grid']:.0f} points ({100 * s['simulated'] / s['sweep_grid']:.1f} %)")
print(f"  confirmation: {s['confirmation_runs']} runs (best and runner-up, 3 more seeds each)")
print(f"  answer: {b['platform']} {b['values']} ${b['objective']:.2f}/month; brute force: "
      f"{best[1]} {best[2]} ${best[0]:.2f}/month")
print(f"  wall: optimize {t_opt:.1f} s (search and confirmation); brute force {t_lam + t_glue:.1f} s "
      f"(the two sweeps)")
ok = b["platform"] == best[1] and b["values"] == best[2]
print("  the optimizer's answer is the brute force's" if ok else "  DIFFERENT ANSWERS")
sys.exit(0 if ok and 3 * s["simulated"] <= s["grid"] else 1)
PY
