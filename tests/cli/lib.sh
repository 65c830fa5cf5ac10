# tests/cli/lib.sh — what the CLI shell tests share: their arguments, a scratch folder, counting
# checks, and the closing "N passed, M failed" line CTest and CI read.
# Source it first: `source "$(dirname "$0")/lib.sh" "$@"` with arguments BUILD/capsim SRCDIR.
set -u
capsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() { # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name" >&2; fi
}

finish() { # prints the summary; the script's exit status says whether every check passed
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
