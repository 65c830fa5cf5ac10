#!/usr/bin/env bash
# tests/cli/test_bad_corpus.sh — `capsim validate` on the scenario corpus.
#
#   bash tests/cli/test_bad_corpus.sh BUILD/capsim SRCDIR
#
# tests/data/bad/*.yaml: each is broken in one way and says how it must fail in its first lines:
#   # expect-exit: 3
#   # expect-error: :11:11: error: lambda.memory: 20000MB is outside 128MB..10240MB
# (several expect-error lines may be given; each must be a substring of stderr). Nothing may be
# written to stdout on failure.
# tests/data/good/*.yaml: each validates (exit 0, nothing on stderr), and what validate prints
# (the effective scenario) validates again to the identical text. The copy is written next to
# the original, so data files named relative to the scenario are still found.
# Plus a few checks of --set and of a missing file. Prints "N passed, M failed".
set -u
capsim=${1:?usage: test_bad_corpus.sh CAPSIM SRCDIR}
src=${2:?usage: test_bad_corpus.sh CAPSIM SRCDIR}
passed=0
failed=0
unset CAPSIM_TEST_UNSET # bad/trace-env-unset.yaml needs it unset
tmp=$(mktemp -d)
roundtrip="$src/tests/data/good/.roundtrip-$$.yaml"
trap 'rm -rf "$tmp" "$roundtrip"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $1" >&2
    [ -s "$tmp/err" ] && sed 's/^/    stderr: /' "$tmp/err" >&2
}

# expect NAME EXIT [SUBSTRING...] -- CAPSIM-ARGS...: runs capsim and checks exit code, stderr
# substrings and (for failures) an empty stdout.
expect() {
    local name=$1 want=$2
    shift 2
    local subs=()
    while [ "$1" != "--" ]; do subs+=("$1"); shift; done
    shift
    "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$? problems=""
    [ "$rc" = "$want" ] || problems+=" exit $rc, expected $want;"
    if [ "$want" != 0 ] && [ -s "$tmp/out" ]; then problems+=" stdout is not empty;"; fi
    for s in "${subs[@]}"; do
        grep -qF -- "$s" "$tmp/err" || problems+=" stderr lacks '$s';"
    done
    if [ -z "$problems" ]; then pass; else fail "$name:$problems"; fi
}

n_bad=0
for f in "$src"/tests/data/bad/*.yaml; do
    n_bad=$((n_bad + 1))
    want=$(sed -n 's/^# expect-exit: *//p' "$f" | head -n 1)
    mapfile -t subs < <(sed -n 's/^# expect-error: //p' "$f")
    if [ -z "$want" ] || [ "${#subs[@]}" -eq 0 ]; then
        : >"$tmp/err"
        fail "$(basename "$f"): no '# expect-exit:' / '# expect-error:' header"
        continue
    fi
    expect "$(basename "$f")" "$want" "${subs[@]}" -- validate "$f"
done
if [ "$n_bad" -lt 25 ]; then
    : >"$tmp/err"
    fail "only $n_bad bad scenarios (at least 25 expected)"
fi

for f in "$src"/tests/data/good/*.yaml; do
    name=$(basename "$f")
    expect "$name" 0 -- validate "$f"
    # Warnings (a valid scenario that may not mean what it says) are allowed; nothing else.
    if grep -qv ': warning: ' "$tmp/err"; then fail "$name: stderr has more than warnings"; continue; fi
    if [ ! -s "$tmp/out" ]; then fail "$name: validate printed nothing"; continue; fi
    cp "$tmp/out" "$roundtrip"
    cp "$tmp/out" "$tmp/first.yaml"
    expect "$name (validate's output)" 0 -- validate "$roundtrip"
    if cmp -s "$tmp/first.yaml" "$tmp/out"; then
        pass
    else
        : >"$tmp/err"
        fail "$name: validating validate's output printed different text"
        diff "$tmp/first.yaml" "$tmp/out" | sed 's/^/    /' >&2
    fi
done

good="$src/tests/data/good/minimal-lambda.yaml"
expect "--set value checked like the file" 3 \
    "--set:1:15: error: lambda.memory: 20000MB is outside 128MB..10240MB" \
    -- validate "$good" --set lambda.memory=20000MB
expect "--set unknown key" 3 "--set:1:8: error: lambda.memroy: unknown key 'memroy'; did you mean 'memory'?" \
    -- validate "$good" --set lambda.memroy=2GB
expect "--set creates missing maps" 0 -- validate "$good" \
    --set 'lambda.cold_start.init={dist: exponential, mean: 1s}' --set glue.trigger.every=1h
grep -qF "init: {dist: exponential, mean: 1s}" "$tmp/out" && grep -qF "every: 1h" "$tmp/out" &&
    pass || fail "--set creates missing maps: values not in the output"
expect "missing file" 4 "no-such-file.yaml: error: cannot read: No such file or directory" \
    -- validate "$tmp/no-such-file.yaml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
