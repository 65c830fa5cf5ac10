#!/usr/bin/env bash
# tests/cli/test_threads.sh — the multi-threaded paths: `capsim run -j 2 -r 8` on small scenarios
# of every platform and trigger (tests/data/failalloc/), each byte-identical to `-j 1`. In the
# tsan build (`./test.sh --tsan`) ThreadSanitizer watches these runs: a data race fails them.
# Usage: test_threads.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
for f in "$src"/tests/data/failalloc/*.yaml; do
  name=$(basename "$f" .yaml)
  "$capsim" run "$f" -r 8 -j 1 --format json -q >"$tmp/j1.json" 2>"$tmp/err1"
  rc1=$?
  "$capsim" run "$f" -r 8 -j 2 --format json -q >"$tmp/j2.json" 2>"$tmp/err2"
  rc2=$?
  check "$name: -j 1 and -j 2 exit 0 ($rc1, $rc2)" [ "$rc1$rc2" = 00 ]
  [ $rc2 = 0 ] || sed 's/^/  /' "$tmp/err2" | head -40 >&2
  check "$name: -j 2 gives the bytes of -j 1" cmp -s "$tmp/j1.json" "$tmp/j2.json"
done
finish
