#!/usr/bin/env bash
# tests/standalone/test_clone.sh — the repository stands alone: its files, copied where nothing
# sits beside them (no ../shared), configure, build and pass their scenario, trace, schema and
# CLI tests, with the tests that need data from outside the repository reported by CTest as
# skipped (not passed, not failed).
#
# The copy is what a clone would hold: the files git tracks, as they are in the working tree
# (so uncommitted edits are tested; untracked files are left out, as a clone would lack them);
# outside a git checkout, the source tree without its build folders. It is built in its own
# build folder (-j2) and run without CAPSIM_AZURE_TRACE or CAPSIM_PRICING_DIR.
# Usage: test_clone.sh BUILD/capsim SRCDIR   (prints "N passed, M failed")
source "$(dirname "$0")/../cli/lib.sh" "$@"

copy="$tmp/capsim"   # $tmp/shared does not exist: mktemp made $tmp empty
mkdir -p "$copy"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$src" ls-files -z --cached |
    while IFS= read -r -d '' f; do [ -e "$src/$f" ] && printf '%s\0' "$f"; done |
    tar -C "$src" --null -T - -cf - | tar -C "$copy" -xf -
else
  tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$copy" -xf -
fi
check "the copy has the sources" test -f "$copy/CMakeLists.txt" -a -f "$copy/tests/cli/lib.sh"
check "nothing beside the copy" test ! -e "$copy/../shared"

# Only what the selected tests need is built: capsim and these test programs.
tests='^(cli/.*|unit/test_(workload|scenario|pricing|azure_trace))$'
targets="capsim test_workload test_scenario test_pricing test_azure_trace"
clean_env=(env -u CAPSIM_AZURE_TRACE -u CAPSIM_PRICING_DIR -u CAPSIM_SHARED_FALLBACK)
if "${clean_env[@]}" cmake -S "$copy" -B "$copy/build" -DCAPSIM_TESTS=ON \
     -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$tmp/configure.log" 2>&1 &&
   "${clean_env[@]}" cmake --build "$copy/build" -j2 --target $targets >"$tmp/build.log" 2>&1; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: the copy does not configure or build:" >&2
  tail -n 30 "$tmp/configure.log" "$tmp/build.log" >&2
  finish; exit
fi

(cd "$copy/build" && "${clean_env[@]}" ctest -R "$tests" -j2 --output-on-failure) >"$tmp/ctest.log" 2>&1
rc=$?
sed 's/^/  | /' "$tmp/ctest.log" | grep -E 'Test +#|tests passed|Skipped|Failed|skipped:' || true
check "ctest passes in the copy (exit $rc)" test "$rc" -eq 0
check "ctest ran the selected tests" grep -qE '^100% tests passed, 0 tests failed out of [1-9]' "$tmp/ctest.log"
# Data from outside the repository is absent: its tests are counted as skipped.
for t in unit/test_azure_trace cli/test_azure_replay cli/test_schema_contract; do
  check "$t is reported skipped" grep -qE "Test +#[0-9]+: $t \.+\*+Skipped" "$tmp/ctest.log"
done
# ...and the others ran and passed, the CLI's check of the replay scenario without its data too.
for t in unit/test_workload unit/test_scenario cli/test_cli cli/test_scenarios_run cli/test_schema; do
  check "$t passed" grep -qE "Test +#[0-9]+: $t \.+ +Passed" "$tmp/ctest.log"
done

finish
