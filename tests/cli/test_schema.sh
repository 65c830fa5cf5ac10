#!/usr/bin/env bash
# tests/cli/test_schema.sh — `capsim schema`, the generated reference of the scenario format:
# scenarios/SCHEMA.md must be its output byte for byte (so the file cannot drift from the
# loader's tables), and it must list every key `capsim validate` prints for the shipped
# scenarios. With `contract`, it checks instead that the schema lists every key of the contract
# (SCENARIO-FORMAT.md's examples), which lives in the project's shared folder, outside the
# repository: CTest runs that part as its own test (cli/test_schema_contract), reported as
# skipped when the folder is not beside the checkout.
# Usage: bash test_schema.sh BUILD/capsim SRCDIR [contract]   (prints "N passed, M failed")
source "$(dirname "$0")/lib.sh" "$@"
mode=${3:-schema}
contract="${CAPSIM_SHARED_FALLBACK:-}/SCENARIO-FORMAT.md"
if [ "$mode" = contract ] && { [ -z "${CAPSIM_SHARED_FALLBACK:-}" ] || [ ! -r "$contract" ]; }; then
  skip "no SCENARIO-FORMAT.md to check against (the shared folder is not beside the checkout)"
fi

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1" >&2; }

# yaml_keys FILE [fenced]: the dotted path of every key in block YAML, one per line; with
# `fenced`, only inside ```yaml blocks (Markdown). Rough on purpose: block maps, list items
# (`- {k: v}`, `- k: v`, as NAME[].k), flow maps after a key (`trigger: {every: 1h}`), flow lists
# of maps (`[{from: ...}]`); distributions ({dist: ...}, not keys), quoted texts, comments and
# block scalars (`explain: |`) are skipped.
yaml_keys() {
  awk -v fenced="${2:+1}" '
    function path(   p, i) {
      p = ""
      for (i = 1; i <= n; i++)
        p = (name[i] == "[]" || p == "") ? p name[i] : p "." name[i]
      return p
    }
    function flow_keys(prefix, text,   k) {
      if (text ~ /^[{] *dist:/) return
      gsub(/"([^"\\]|\\.)*"/, "\"\"", text) # quoted texts hold no keys (lesson.runs[].set)
      while (match(text, /[{,] *[a-z_0-9]+:/)) {
        k = substr(text, RSTART, RLENGTH)
        gsub(/[{, :]/, "", k)
        print prefix "." k
        text = substr(text, RSTART + RLENGTH)
      }
    }
    BEGIN { inside = !fenced; n = 0; scalar = -1 }
    fenced && /^```/ { inside = !inside && /^```yaml/; n = 0; scalar = -1; next }
    !inside { next }
    {
      line = $0
      match(line, /^ */); ind = RLENGTH
      if (scalar >= 0) { if (ind > scalar || line ~ /^ *$/) next; scalar = -1 }
      sub(/ +#.*$/, "", line)
      if (line ~ /^ *(#.*)?$/) next
      rest = substr(line, ind + 1)
      if (rest ~ /^- /) {
        while (n > 0 && indent[n] >= ind) n--
        n++; indent[n] = ind; name[n] = "[]"
        rest = substr(rest, 3); ind += 2
        if (rest ~ /^[{]/) { flow_keys(path(), rest); next }
      }
      if (!match(rest, /^[a-z_0-9]+:( |$)/)) next
      value = substr(rest, RLENGTH + 1); sub(/^ +/, "", value)
      key = rest; sub(/:.*/, "", key)
      while (n > 0 && indent[n] >= ind) n--
      n++; indent[n] = ind; name[n] = key
      p = path(); print p
      if (value ~ /^[|>]/) scalar = ind
      else if (value ~ /^[{]/) flow_keys(p, value)
      else if (value ~ /^\[[{]/) flow_keys(p "[]", substr(value, 2))
    }' "$1"
}

# in_schema WHERE: every path on stdin is a key row of the schema ($tmp/schema)
in_schema() {
  local where=$1 key missing=0 seen=0
  while IFS= read -r key; do
    seen=$((seen + 1))
    if ! grep -qF -- "| \`$key\` |" "$tmp/schema"; then
      bad "$key ($where) is not in \`capsim schema\`"; missing=1
    fi
  done
  if [ "$seen" -eq 0 ]; then bad "no keys found in $where: is the key extraction broken?"; return; fi
  [ "$missing" -eq 0 ] && ok
}

# ---- the command
"$capsim" schema >"$tmp/schema" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$tmp/schema" ] && [ ! -s "$tmp/err" ]; then ok; else
  bad "capsim schema exited $rc (stderr: $(cat "$tmp/err"))"; fi

# ---- contract mode: every key of the contract is in the schema (and nothing else is checked)
if [ "$mode" = contract ]; then
  yaml_keys "$contract" fenced >"$tmp/contract-keys"
  # The contract's code blocks give these keys only in comments (`# mmpp: {states: [...]}`).
  cat >>"$tmp/contract-keys" <<'KEYS'
workload.arrivals.mmpp
workload.arrivals.mmpp.states
workload.arrivals.mmpp.states[].rate
workload.arrivals.mmpp.states[].dwell
workload.arrivals.diurnal
workload.arrivals.diurnal.mean_rate
workload.arrivals.diurnal.amplitude
workload.arrivals.diurnal.period
workload.arrivals.diurnal.peak_at
workload.arrivals.trace
workload.arrivals.trace.file
workload.arrivals.trace.format
workload.arrivals.trace.scale
workload.arrivals.trace.loop
workload.arrivals.trace.function
workload.arrivals.trace.row
workload.arrivals.trace.all
workload.bursts[].every
lambda.concurrency.provisioned[].from
lambda.concurrency.provisioned[].to
lambda.concurrency.provisioned[].count
glue.trigger.batch_items
emr.serverless
emr.serverless.vcpu
emr.serverless.memory
emr.serverless.workers
emr.serverless.startup
emr.serverless.pre_initialized
KEYS
  # A sanity check of the extraction itself: keys from a nested map, a list item and a flow map.
  for k in lambda.kinesis.parallelization_factor workload.bursts[].count glue.trigger.every; do
    if grep -qxF -- "$k" "$tmp/contract-keys"; then ok; else
      bad "key extraction did not find $k in $contract"; fi
  done
  in_schema "SCENARIO-FORMAT.md" < <(sort -u "$tmp/contract-keys")

  finish
  exit
fi

if "$capsim" schema --help >"$tmp/help" 2>&1 && grep -q "usage: capsim schema" "$tmp/help"; then ok
else bad "capsim schema --help: $(cat "$tmp/help")"; fi
if "$capsim" --help | grep -Eq '^  schema +'; then ok; else bad "capsim --help does not list schema"; fi
"$capsim" schema extra >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok; else bad "capsim schema extra exited $rc, expected 2 (usage)"; fi

# ---- scenarios/SCHEMA.md is the output, byte for byte
if cmp -s "$tmp/schema" "$src/scenarios/SCHEMA.md"; then ok; else
  bad "scenarios/SCHEMA.md differs from \`capsim schema\` (diff below); regenerate it with:
    $capsim schema > $src/scenarios/SCHEMA.md"
  diff -u "$src/scenarios/SCHEMA.md" "$tmp/schema" | head -40 >&2
fi

# ---- every key `capsim validate` prints for the shipped scenarios is in the schema
for f in "$src"/scenarios/*.yaml; do
  missing=$(unset_vars "$f")
  if [ -n "$missing" ]; then echo "skipped: validate $(basename "$f"): $missing not set"; continue; fi
  if "$capsim" validate "$f" >"$tmp/valid.yaml" 2>"$tmp/err"; then
    # A function's lambda, glue, emr and workload are the top-level sections (the schema
    # documents them there, and says so in functions[]); so is functions_from_trace's lambda
    # ("a lambda section").
    in_schema "capsim validate $(basename "$f")" < <(yaml_keys "$tmp/valid.yaml" |
      sed -E 's/^functions\[\]\.(lambda|glue|emr|workload)\./\1./; s/^functions_from_trace\.lambda\./lambda./' |
      sort -u)
  else
    bad "capsim validate $f failed: $(cat "$tmp/err")"
  fi
done

finish
