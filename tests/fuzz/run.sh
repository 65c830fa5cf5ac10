#!/usr/bin/env bash
# tests/fuzz/run.sh — the fuzz smoke run (CI, `./test.sh --fuzz`): each libFuzzer harness of
# tests/fuzz for SECONDS, from its seeds, with ASan + UBSan + LeakSanitizer.
#   bash tests/fuzz/run.sh BUILD-FUZZ [SECONDS]      (default 60 per harness)
# Fails on any crash, sanitizer report, leak, timeout (an input taking 10 s) or memory blow-up
# (2 GB). The reproducer is kept in BUILD-FUZZ/fuzz-out/HARNESS/artifacts/; copy it into
# tests/fuzz/regress/HARNESS/ with a name that says what it was, fix the bug, and the replay
# test of every build (fuzz/replay_HARNESS) keeps it fixed.
set -u
build=${1:?usage: run.sh BUILD-FUZZ [SECONDS]}
secs=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build" && pwd)
out="$build/fuzz-out"
rm -rf "$out"
status=0
for h in scenario override datafile; do
  work="$out/$h"
  mkdir -p "$work/corpus" "$work/artifacts"
  case $h in
    scenario) seeds=("$src/scenarios" "$src/tests/data/good" "$src/tests/data/bad" "$src/tests/data/warn") ;;
    *) seeds=("$src/tests/fuzz/corpus/$h") ;;
  esac
  seeds+=("$src/tests/fuzz/regress/$h")
  # In tests/data/bad, so the seed scenarios' relative data files are found.
  ( cd "$src/tests/data/bad" &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$build/tests/fuzz/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -dict="$src/tests/fuzz/scenario.dict" -close_fd_mask=3 -print_final_stats=1 \
      -artifact_prefix="$work/artifacts/" "$work/corpus" "${seeds[@]}" ) >"$work/log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  if [ $rc -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
    status=1
    echo "FAIL: fuzz_$h (exit $rc) after ${execs:-?} inputs; reproducer(s):" >&2
    ls "$work/artifacts" | sed "s|^|  $work/artifacts/|" >&2
    echo "  add each to tests/fuzz/regress/$h/ and fix; the log's end:" >&2
    tail -n 40 "$work/log" | sed 's/^/    /' >&2
  else
    echo "fuzz_$h: ${execs:-?} inputs in ${secs}s, no crash, leak or timeout"
  fi
done
exit $status
