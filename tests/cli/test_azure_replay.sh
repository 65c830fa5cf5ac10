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
  # About a third of the functions are cold on every invocation (67 are invoked once in 8 h).
  check "per function: a third or so always cold" python3 -c '
import re, sys
v = float(re.search(r"every invocation cold: ([0-9.]+) %", open(sys.argv[1]).read()).group(1))
assert 25 <= v <= 40, v
' "$tmp/cdf"
else
  fail=$((fail + 1)); echo "FAIL: capsim run azure-per-function.yaml" >&2; sed 's/^/  /' "$tmp/err" >&2
fi

finish
