#!/usr/bin/env bash
# tests/cli/test_progress.sh — the progress bar: drawn on a terminal for a run longer than
# about 2 s, never on a pipe or a file, never with -q; the results are the same either way.
# A terminal is a pseudo-terminal made by util-linux `script` (package bsdutils, which Debian
# always installs). No timing is asserted: the run is made long enough (about 3-4 s on a busy
# 2-core machine) that the bar's 2-second delay passes; were it ever faster, the bar's
# presence is reported as not checked rather than failed.
# Usage: test_progress.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
contains() { grep -aq -- "$2" "$1"; }
lacks() { ! grep -aq -- "$2" "$1"; }

if ! command -v script >/dev/null; then
  echo "SKIP: util-linux 'script' is not installed (Debian package bsdutils)"
  exit 0
fi

# 1,000 Poisson arrivals/s for 5 simulated hours: 18 million invocations.
run=(run "$src/bench/steady-1000.yaml" --set horizon=5h -j 2)
on_terminal() { # on_terminal TRANSCRIPT ARGS...: capsim ARGS with stdout and stderr on a pty
  local out=$1; shift
  local cmd
  cmd=$(printf '%q ' "$capsim" "$@")
  script -qec "$cmd" /dev/null </dev/null >"$out" 2>&1
}
now_ms() { date +%s%3N; }

# On a terminal: the bar appears (percent, rate, ETA), then the results.
t0=$(now_ms)
on_terminal "$tmp/tty.txt" "${run[@]}"
check "run on a terminal exits 0" [ $? -eq 0 ]
elapsed_ms=$(($(now_ms) - t0))
check "results follow on a terminal" contains "$tmp/tty.txt" "cold_start_ratio"
if [ "$elapsed_ms" -ge 2600 ]; then
  check "bar drawn on a terminal" contains "$tmp/tty.txt" "ETA"
  check "bar shows percent and bar" grep -aqE '[0-9]+% \[[#.]+\]' "$tmp/tty.txt"
  check "bar shows simulated time and rate" grep -aqE 'sim [0-9.]+ (s|min|h|d) of 5 h .* items/s' "$tmp/tty.txt"
  # the bar is erased: the results' first line starts on a clean line (after '\r')
  check "bar erased before the results" grep -aqE $'\r *\rcapsim [0-9.]+ ' "$tmp/tty.txt"
else
  echo "NOTE: the run took ${elapsed_ms} ms, too short for the bar: its presence was not checked"
fi

# stderr on a file (not a terminal): no bar, nothing at all on stderr; the same results.
"$capsim" "${run[@]}" >"$tmp/pipe.out" 2>"$tmp/pipe.err"
check "run on a pipe exits 0" [ $? -eq 0 ]
check "nothing on stderr off a terminal" [ ! -s "$tmp/pipe.err" ]
check "results on a pipe" contains "$tmp/pipe.out" "cold_start_ratio"
check "no bar in the results" lacks "$tmp/pipe.out" "ETA"
# -q on a terminal: no bar
on_terminal "$tmp/tty-quiet.txt" "${run[@]}" -q
check "-q on a terminal exits 0" [ $? -eq 0 ]
check "no bar with -q" lacks "$tmp/tty-quiet.txt" "ETA"
check "results with -q" contains "$tmp/tty-quiet.txt" "cold_start_ratio"
# the terminal's results are the pipe's (the pty turns \n into \r\n), with the bar or without
tr -d '\r' <"$tmp/tty-quiet.txt" >"$tmp/quiet.txt"
check "same results on a terminal with -q as on a pipe" cmp -s "$tmp/quiet.txt" "$tmp/pipe.out"
sed $'1s/^.*\r *\r//' "$tmp/tty.txt" | tr -d '\r' >"$tmp/tty-results.txt"
check "same results under the bar as on a pipe" cmp -s "$tmp/tty-results.txt" "$tmp/pipe.out"

finish
