#!/usr/bin/env bash
# tests/standalone/test_install.sh — an installed capsim works anywhere: `cmake --install` into a
# temporary prefix lays out bin/capsim, share/capsim/pricing, share/capsim/scenarios,
# share/capsim/plots and share/doc/capsim; the installed binary, run from another folder without
# CAPSIM_PRICING_DIR, finds the installed tables, plot templates and scenarios (not the source
# tree's), runs and plots a copied scenario, runs an installed lesson, and still does after the
# whole prefix is moved elsewhere.
# Usage: test_install.sh BUILD/capsim SRCDIR BUILDDIR   (prints "N passed, M failed")
source "$(dirname "$0")/../cli/lib.sh" "$@"
build=${3:?usage: test_install.sh CAPSIM SRCDIR BUILDDIR}
unset CAPSIM_PRICING_DIR CAPSIM_PLOTS_DIR CAPSIM_SCENARIOS_DIR

prefix="$(cd "$tmp" && pwd -P)/prefix" # canonical: capsim names the folder it found
if cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL: cmake --install:" >&2; cat "$tmp/install.log" >&2; finish; exit; fi
for f in bin/capsim share/capsim/pricing/aws-us-east-1.yaml share/capsim/scenarios/emr-wins.yaml \
         share/capsim/plots/environments.gp share/doc/capsim/README.md; do
  check "installed $f" test -f "$prefix/$f"
done
check "installed capsim is executable" test -x "$prefix/bin/capsim"

# run_installed PREFIX: --version and a copied scenario, from a folder that is neither the
# prefix nor the source tree; checks the tables came from PREFIX.
run_installed() {
  local p=$1 work
  work=$(mktemp -d "$tmp/work.XXXXXX")
  cp "$src/scenarios/emr-wins.yaml" "$work/"
  (cd "$work" && "$p/bin/capsim" --version) >"$tmp/version" 2>&1
  check "$p: --version exits 0" test $? -eq 0
  check "$p: --version names the table and its date" \
    grep -qE '^capsim [0-9.]+ \(pricing aws-us-east-1, [0-9]{4}-[0-9]{2}-[0-9]{2}\)$' "$tmp/version"
  check "$p: the tables are the installed ones" grep -qxF "pricing tables: $p/share/capsim/pricing" "$tmp/version"
  check "$p: the plot templates are the installed ones" grep -qxF "plot templates: $p/share/capsim/plots" "$tmp/version"
  (cd "$work" && "$p/bin/capsim" run emr-wins.yaml -r 2) >"$tmp/run" 2>&1
  check "$p: capsim run exits 0" test $? -eq 0
  check "$p: capsim run prints the comparison" grep -q '^comparison' "$tmp/run"
  (cd "$work" && "$p/bin/capsim" plot emr-wins.yaml -r 1 -q -o plots) >"$tmp/plot" 2>&1
  check "$p: capsim plot exits 0" test $? -eq 0
  check "$p: capsim plot draws with the installed templates" test -s "$work/plots/cost-breakdown.png"
  # The lessons are the installed scenarios, found from the binary too.
  (cd "$work" && "$p/bin/capsim" lesson) >"$tmp/lessons" 2>&1
  check "$p: capsim lesson lists the lessons" test "$(grep -c '?$' "$tmp/lessons")" -ge 14
  (cd "$work" && "$p/bin/capsim" lesson memory-cpu -r 1 -q) >"$tmp/lesson" 2>&1
  check "$p: capsim lesson runs an installed lesson" grep -qF "$p/share/capsim/scenarios/memory-cpu.yaml" "$tmp/lesson"
  [ "$fail" -eq 0 ] || sed 's/^/  | /' "$tmp/version" "$tmp/run" "$tmp/plot" "$tmp/lessons" "$tmp/lesson" >&2
}
run_installed "$prefix"
mv "$prefix" "$tmp/moved"
run_installed "$tmp/moved"

finish
