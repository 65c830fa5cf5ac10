#!/usr/bin/env bash
# tests/cli/test_azure_replay.sh — scenarios/azure-trace-replay.yaml on the real Azure Functions
# 2019 sample: it replays exactly the sample's 3,037,902 invocations (VALIDATION.md §7) and ends
# with the comparison table; scenarios/azure-per-function.yaml replays each of its 500 rows as a
# function of its own, each with its row's invocations, and scripts/coldstart_cdf.py reads the
# result (docs/azure-trace.md). The trace is not in the repository: $CAPSIM_AZURE_TRACE, else the
# optional shared folder beside the checkout (lib.sh); without it the test is skipped (exit 77).
# Usage: test_azure_replay.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"

[ -n "${CAPSIM_AZURE_TRACE:-}" ] ||
  skip "the Azure Functions 2019 trace is not here: set CAPSIM_AZURE_TRACE to the folder holding its invocations.csv (scenarios/azure-trace-replay.yaml says where to download it)"

if "$capsim" run "$src/scenarios/azure-trace-replay.yaml" >"$tmp/out" 2>"$tmp/err"; then
  pass=$((pass + 1))
  check "every invocation of the sample is an item" grep -qE '^  items +3037902$' "$tmp/out"
  check "lambda ran them all" grep -qE '^  invocations +3037902$' "$tmp/out"
  check "comparison table" grep -q '^comparison' "$tmp/out"
else
  fail=$((fail + 1)); echo "FAIL: capsim run azure-trace-replay.yaml" >&2; sed 's/^/  /' "$tmp/err" >&2
fi

# One function per row: 500 functions, each replaying exactly its row (the script's one-minute
# model counts the rows itself), and the distribution docs/azure-trace.md describes.
if "$capsim" run "$src/scenarios/azure-per-function.yaml" --format json >"$tmp/pf.json" 2>"$tmp/err"; then
  pass=$((pass + 1))
  check "per function: 500 functions, every invocation" python3 -c '
import json, sys
L = json.load(open(sys.argv[1]))["platforms"]["lambda"]
assert L["function_count"] == 500 and len(L["functions"]) == 500, L["function_count"]
assert L["items"] == 3037902 and L["invocations"] == 3037902, L["items"]
assert sum(f["invocations"] for f in L["functions"].values()) == 3037902
assert L["throttles"] == 0 and L["timeouts"] == 0, (L["throttles"], L["timeouts"])
' "$tmp/pf.json"
  python3 "$src/scripts/coldstart_cdf.py" "$tmp/pf.json" --trace "$CAPSIM_AZURE_TRACE/invocations.csv" \
    --keep-alive 10 >"$tmp/cdf" 2>&1
  check "per function: each function has its row's invocations" \
    grep -q 'same invocation count for 500 of 500$' "$tmp/cdf"
  # Keep-alive per function, against the trace itself: a function whose invocations (one per
  # minute at most) are all 22 minutes or more apart finds its environment gone every time (10
  # minutes of keep-alive after a run of at most 10 in this sample, and up to a minute of spread
  # within each minute), so it is cold on every invocation; one invoked in every minute of the
  # 8 hours never waits that long, so it is not. (About a third are always cold: docs/azure-trace.md.)
  check "per function: cold on every invocation exactly where the trace says so" python3 -c '
import csv, json, sys
fns = json.load(open(sys.argv[1]))["platforms"]["lambda"]["functions"]
always, never = [], []
with open(sys.argv[2]) as f:
    rows = csv.reader(f)
    next(rows)
    for r in rows:
        counts = [int(x) for x in r[4:]]
        minutes = [m for m, c in enumerate(counts) if c > 0]
        if not minutes:
            continue
        name = "f" + r[2][:12]
        if max(counts) == 1 and all(b - a >= 22 for a, b in zip(minutes, minutes[1:])):
            always.append(name)
        elif len(minutes) == len(counts):
            never.append(name)
assert len(always) >= 67 and len(never) >= 10, (len(always), len(never))
bad = [n for n in always if fns[n]["cold_start_ratio"] != 1.0]
bad += [n for n in never if not fns[n]["cold_start_ratio"] < 1.0]
assert not bad, bad[:5]
print(len(always), "always cold,", len(never), "never only cold")
' "$tmp/pf.json" "$CAPSIM_AZURE_TRACE/invocations.csv"
else
  fail=$((fail + 1)); echo "FAIL: capsim run azure-per-function.yaml" >&2; sed 's/^/  /' "$tmp/err" >&2
fi

finish
