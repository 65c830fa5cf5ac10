#!/usr/bin/env bash
# tests/cli/test_lessons.sh — `capsim lesson`: the list (every topic of LESSONS.md has a lesson),
# an unknown topic (exit 2 with the list), and every lesson: it runs, prints its numbers and its
# answer, and each number it quotes is the one its runs produced — lesson_check.py re-runs each
# run and sweep with `capsim run` / `capsim sweep` and evaluates each placeholder itself. A
# lesson whose data is not here (an environment variable of its paths is unset) is skipped with
# a line.
# Usage: test_lessons.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
export CAPSIM_SCENARIOS_DIR="$src/scenarios"
cd "$src" || exit 1 # as a reader would: the lessons then name scenarios/X.yaml

# The list: topic, then question, one a line; LESSONS.md's 14 topics at least.
"$capsim" lesson >"$tmp/list" 2>"$tmp/err"
check "lesson: exit 0" test $? -eq 0
for t in timeout lambda-vs-glue choose-service spike cold-starts provisioned memory-cpu \
         kinesis-batching parallel-fanout error-fallback idempotency eventbridge-schedule \
         orchestration vpc; do
  check "lesson list has $t" grep -qE "^$t +[A-Z].*\?\$" "$tmp/list"
done
check "lesson list: 14 topics or more" test "$(wc -l <"$tmp/list")" -ge 14
check "lesson list: each topic once" test "$(cut -d' ' -f1 "$tmp/list" | sort | uniq -d | wc -l)" -eq 0
check "cold-starts is about cold starts" grep -qE "^cold-starts +What is a cold start" "$tmp/list"
check "throttling has its own topic" grep -qE "^concurrency-limit +How often .* 429" "$tmp/list"
# Issue 13's lessons on several functions in one account.
check "reserved concurrency has its lesson" grep -qE "^reserved-concurrency +How does reserved concurrency .*neighbour" "$tmp/list"
check "the S3-SQS pipeline has its lesson" grep -qE "^pipeline +What does each stage .* cost" "$tmp/list"
check "Lambda then Glue has its lesson" grep -qE "^nightly-join +Lambda for ingest and Glue for the nightly join" "$tmp/list"

# Unknown topic: exit 2, and the list on stderr.
"$capsim" lesson no-such-topic >"$tmp/out" 2>"$tmp/err"
check "unknown topic: exit 2" test $? -eq 2
check "unknown topic: says so" grep -q "no lesson 'no-such-topic'" "$tmp/err"
check "unknown topic: lists the lessons" grep -q "^timeout " "$tmp/err"
check "unknown topic: nothing on stdout" test ! -s "$tmp/out"
"$capsim" lesson timeout extra >/dev/null 2>&1
check "two topics: exit 2" test $? -eq 2
"$capsim" lesson timeout --format csv >/dev/null 2>&1
check "lesson --format csv: exit 2" test $? -eq 2
"$capsim" lesson --help >"$tmp/help" 2>&1
check "lesson --help" grep -q "^usage: capsim lesson" "$tmp/help"

# A function of an account, by its JSON path: its metrics (lambda.functions.NAME.METRIC) and its
# ci95 (lambda.functions.NAME.ci95.METRIC, where the JSON has it); lesson_check.py reads the same
# paths in `capsim run`'s JSON. lambda.ci95.functions.NAME.METRIC is no JSON path: exit 3, with
# the path to write.
mkdir -p "$tmp/fn-lessons"
cat >"$tmp/fn-lessons/fn.yaml" <<'YAML'
name: fn
horizon: 2min
seed: 3
replications: 3
account: {concurrency_limit: 110}
workload:
  arrivals: {process: poisson, rate: 40/s}
  work: {io: 250ms}
functions:
  - name: api
    lambda: {trigger: sync, concurrency: {reserved: 10}}
  - name: other
    lambda: {trigger: sync}
lesson:
  topic: fn
  question: Can a lesson quote one function?
  show: [lambda.functions.api.throttle_ratio, lambda.functions.other.throttle_ratio]
  answer: |
    The api function was throttled {fn.lambda.functions.api.throttle_ratio:%} of the time
    (plus or minus {fn.lambda.functions.api.ci95.throttle_ratio:%}), other
    {fn.lambda.functions.other.throttles:n} times, in {fn.lambda.function_count:n} functions.
YAML
CAPSIM_SCENARIOS_DIR="$tmp/fn-lessons" "$capsim" lesson fn -q -o "$tmp/fn" >"$tmp/out" 2>"$tmp/err"
check "a function's metrics: exit 0" test $? -eq 0
check "a function's metrics: in the table" grep -qE "^  lambda.functions.api.throttle_ratio +[0-9.]+ %" "$tmp/fn/lesson.txt"
check "a function's ci95: a number" python3 -c 'import json,math,sys; v=json.load(open(sys.argv[1]))["parts"][0]["values"]; sys.exit(not (v[1]["expr"].endswith(".api.ci95.throttle_ratio") and v[1]["value"] is not None and v[1]["value"] > 0))' "$tmp/fn/lesson.json"
if CAPSIM_SCENARIOS_DIR="$tmp/fn-lessons" python3 "$src/tests/cli/lesson_check.py" "$capsim" "$src" \
     "$tmp/fn/lesson.json" "$tmp/fn/lesson.txt" >"$tmp/check" 2>&1; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: a function's metrics: quoted numbers" >&2; sed 's/^/  /' "$tmp/check" >&2
fi
sed -i 's/fn.lambda.functions.api.ci95.throttle_ratio/fn.lambda.ci95.functions.api.throttle_ratio/' "$tmp/fn-lessons/fn.yaml"
CAPSIM_SCENARIOS_DIR="$tmp/fn-lessons" "$capsim" lesson fn -q >"$tmp/out" 2>"$tmp/err"
check "ci95.functions: exit 3" test $? -eq 3
check "ci95.functions: names the JSON path" grep -q "is not a JSON path: a function's ci95 is lambda.functions.api.ci95.throttle_ratio" "$tmp/err"

# Every lesson, with -r 1 to keep the test short (the same code as the scenarios' own
# replications, which test_scenarios_run.sh runs): -o writes the lesson as text and as JSON.
for t in $(cut -d' ' -f1 "$tmp/list"); do
  missing=""
  for f in $(grep -l "^  topic: $t\$" "$src"/scenarios/*.yaml); do missing="$missing$(unset_vars "$f")"; done
  if [ -n "$missing" ]; then echo "skipped: lesson $t: $missing not set"; continue; fi
  if ! "$capsim" lesson "$t" -q -j 2 -r 1 -o "$tmp/$t" >"$tmp/out" 2>"$tmp/err"; then
    fail=$((fail + 1)); echo "FAIL: capsim lesson $t" >&2; sed 's/^/  /' "$tmp/err" >&2; continue
  fi
  pass=$((pass + 1))
  txt="$tmp/$t/lesson.txt"
  check "$t: nothing on stdout with -o" test ! -s "$tmp/out"
  check "$t: the answer" grep -q "^answer" "$txt"
  check "$t: numbers in the answer" bash -c "sed -n '/^answer/,\$p' '$txt' | grep -qE '[0-9]'"
  check "$t: the command of each run" grep -qE "^  [a-z0-9-]+: capsim run( |\$)|^  sweep: capsim sweep( |\$)" "$txt"
  check "$t: fits 80 columns" python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$txt"
  check "$t: at least three quoted numbers" \
    test "$(python3 -c 'import json,sys; print(sum(len(p["values"]) for p in json.load(open(sys.argv[1]))["parts"]))' "$tmp/$t/lesson.json")" -ge 3
  # The quoted numbers, against independent runs.
  if python3 "$src/tests/cli/lesson_check.py" "$capsim" "$src" "$tmp/$t/lesson.json" "$txt" \
       -r 1 >"$tmp/check" 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $t: quoted numbers" >&2; sed 's/^/  /' "$tmp/check" >&2
  fi
done

# To stdout: the table, or JSON with --format json (the same lesson as in the folder).
"$capsim" lesson parallel-fanout -q -r 1 >"$tmp/stdout.txt" 2>&1
check "stdout: the table" cmp -s "$tmp/stdout.txt" "$tmp/parallel-fanout/lesson.txt"
"$capsim" lesson parallel-fanout -q -r 1 --format json >"$tmp/stdout.json" 2>&1
check "stdout: --format json" cmp -s "$tmp/stdout.json" "$tmp/parallel-fanout/lesson.json"

# -o DIR: the lesson, each run's and sweep's CSV, and the plots: each run's in DIR/RUN/, the
# sweep's in DIR/SCENARIO.sweep/ (valid PNG files, with the CSV each is drawn from).
check "-o: a run's CSV" grep -q "^platform,metric,value,ci95" "$tmp/parallel-fanout/log-split.one-file.csv"
check "-o: the scenario's own run" test -s "$tmp/timeout/timeout-20min.csv"
check "-o: the sweep's CSV" test -s "$tmp/memory-cpu/memory-cpu.sweep.csv"
is_png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
check "-o: a run's plots" is_png "$tmp/parallel-fanout/one-file/environments.png"
check "-o: a run's plot data" test -s "$tmp/parallel-fanout/one-file/environments.csv"
check "-o: the memory curve of the sweep" is_png "$tmp/memory-cpu/memory-cpu.sweep/memory-curve.png"
"$capsim" lesson timeout -r 1 -o "$tmp/said" >/dev/null 2>"$tmp/err"
check "-o: says what it wrote" grep -q "wrote $tmp/said/lesson.json" "$tmp/err"

# Same answer for any -j.
"$capsim" lesson choose-service -q -r 1 -j 1 >"$tmp/j1" 2>&1
"$capsim" lesson choose-service -q -r 1 -j 2 >"$tmp/j2" 2>&1
check "-j 1 and -j 2 give the same lesson" cmp -s "$tmp/j1" "$tmp/j2"

finish
