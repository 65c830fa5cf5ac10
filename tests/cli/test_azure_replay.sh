#!/usr/bin/env bash
# tests/cli/test_azure_replay.sh — scenarios/azure-trace-replay.yaml on the real Azure Functions
# 2019 sample: it replays exactly the sample's 3,037,902 invocations (VALIDATION.md §7) and ends
# with the comparison table. The trace is not in the repository: $CAPSIM_AZURE_TRACE, else the
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

finish
