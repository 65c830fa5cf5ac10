# tests/cli/lib.sh — what the CLI shell tests share: their arguments, a scratch folder, counting
# checks, the closing "N passed, M failed" line CTest and CI read, and data that lives outside
# the repository (found, or reported as skipped: exit 77, which CTest counts as a skip).
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

# pycheck NAME JSON PYTHON: runs PYTHON with `d` the JSON document, `l` its platforms.lambda and
# `fn` that section's functions (an account's; else {}); the check passes when every assert holds.
pycheck() {
  local name=$1 json=$2 code=$3
  if python3 - "$json" >"$tmp/py" 2>&1 <<EOF
import json, sys
d = json.load(open(sys.argv[1]))
l = d["platforms"]["lambda"]
fn = l.get("functions", {})
$code
EOF
  then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name" >&2; sed 's/^/  /' "$tmp/py" >&2; fi
}

require() { # require PROGRAM: one the tests need and ./test.sh installs; missing, the test fails
  command -v "$1" >/dev/null && return 0
  echo "FAIL: $1 is not installed (./test.sh installs it: scripts/deps.sh)"
  echo "0 passed, 1 failed"
  exit 1
}

skip() { # skip REASON: the whole test cannot run here; CTest reports it as skipped, not passed
  echo "skipped: $1"
  exit 77
}

# The Azure Functions 2019 trace is third-party data and never committed: it is the folder (with
# invocations.csv) named by $CAPSIM_AZURE_TRACE, else, when CTest passes one, the project's
# optional shared folder beside the checkout ($CAPSIM_SHARED_FALLBACK). Exported, so that
# scenarios/azure-trace-replay.yaml (`file: ${CAPSIM_AZURE_TRACE}/invocations.csv`) and
# scenarios/azure-per-function.yaml (also durations.csv and memory.csv) find it.
if [ -z "${CAPSIM_AZURE_TRACE:-}" ] && [ -n "${CAPSIM_SHARED_FALLBACK:-}" ] &&
   [ -r "$CAPSIM_SHARED_FALLBACK/data/azure2019_invitro_sample500/invocations.csv" ]; then
  export CAPSIM_AZURE_TRACE="$CAPSIM_SHARED_FALLBACK/data/azure2019_invitro_sample500"
fi

# unset_vars SCENARIO: the environment variables its data paths (file:, table:, and the
# durations: and memory: files of functions_from_trace) name that are not set or are empty,
# space-separated; nothing when it can be loaded here. A scenario that needs them is skipped by
# the loops over scenarios/ (with a "skipped:" line) and run by its own test, which CTest reports
# as skipped when the data is missing.
unset_vars() {
  local name missing=""
  for name in $(grep -E '(file|table|durations|memory): ' "$1" | grep -v '^ *#' |
                grep -oE '\$\{?[A-Za-z_][A-Za-z0-9_]*' | tr -d '${' | sort -u); do
    [ -n "${!name:-}" ] || missing+="${missing:+ }$name"
  done
  echo "$missing"
}
