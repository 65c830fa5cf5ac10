#!/usr/bin/env bash
# tests/cli/test_report.sh — `capsim report FILE -o DIR`: one self-contained HTML page with the
# comparison, the verdict, overload notes and warnings, the plots, every metric, the effective
# scenario and the lesson; text from the scenario HTML-escaped; every image inline (a valid
# PNG as a data: URI) and every link a file the command wrote beside it (nothing from the
# network); without gnuplot the page is still written and says why it has no picture. The
# page's rendering in Chromium is test_report_chromium.sh.
# Usage: test_report.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
src=$(cd "$src" && pwd)
require gnuplot
require python3
expect_exit() {
  local want=$1; shift
  "$capsim" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: capsim $* exited $got, expected $want; stderr:" >&2; sed 's/^/  /' "$tmp/err" >&2
    fail=$((fail + 1)); return 1
  fi
  pass=$((pass + 1))
}
contains() { grep -q -- "$2" "$1"; }

s="$tmp/report.yaml"
cat >"$s" <<'YAML'
name: report-three
description: 'Tags <b>bold</b> & "quoted" <script>alert(1)</script> stay text'
horizon: 1h
seed: 5
replications: 2
workload:
  arrivals: {process: poisson, rate: 3/s}
  work: {cpu: {dist: exponential, mean: 1s}}
lambda:
  memory: 1769MB
  trigger: sqs
  sqs: {max_concurrency: 2, batch_size: 1}
glue:
  workers: 2
  trigger: {every: 2h}
emr:
  deployment: ec2
  mode: persistent
  core_nodes: 2
  trigger: {every: 10min}
lesson:
  topic: report-test
  question: 'Which platform keeps up when <Lambda> is capped?'
  explain: |
    First paragraph & more.

    Second paragraph <i>not italic</i>.
YAML

expect_exit 0 report --help && check "report help says self-contained" contains "$tmp/out" "self-contained"
expect_exit 2 report "$s" && check "report needs -o" contains "$tmp/err" "needs -o DIR"
expect_exit 3 report "$src/tests/data/bad/lambda-memory-too-large.yaml" -o "$tmp/bad"
check "bad scenario: nothing written" test ! -e "$tmp/bad"

expect_exit 0 report "$s" -o "$tmp/r1"
html="$tmp/r1/report.html"
check "report.html written" test -s "$html"
check "stderr names the page" contains "$tmp/err" "wrote $tmp/r1/report.html"
check "a warning is shown (schedule longer than the horizon)" grep -q 'class="warning"' "$html"
check "the comparison" grep -q '<h2>Comparison</h2>' "$html"
check "the verdict" grep -q 'class="verdict">Cheapest: <strong>glue</strong> · fastest: <strong>emr</strong>' "$html"
check "the overloaded platform (SQS capped at 2)" grep -q 'lambda is overloaded:</strong> latency_s grows' "$html"
check "the plots" grep -q '<h2>Plots</h2>' "$html"
check "every metric" grep -q '<h2>Every metric</h2>' "$html"
check "the effective scenario" grep -q '<h2>Effective scenario</h2>' "$html"
check "the scenario's keys in it" grep -q 'max_concurrency: 2' "$html"
check "the lesson's question, escaped" grep -q 'Which platform keeps up when &lt;Lambda&gt; is capped?' "$html"
check "the lesson's paragraphs" grep -q '<p>Second paragraph &lt;i&gt;not italic&lt;/i&gt;.' "$html"
check "the description, escaped" grep -q 'Tags &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &lt;script&gt;alert(1)&lt;/script&gt; stay text' "$html"
check "no script, no tag from the scenario" sh -c "! grep -qiE '<script|<b>|<i>' '$html'"
check "styles inline, nothing external" sh -c "grep -q '<style>' '$html' && ! grep -qiE '<link|@import|url\\(' '$html'"

# Every src and href: a PNG as a data: URI, or a file written beside the page.
grep -oE '(src|href)="[^"]*"' "$html" | sed -E 's/^(src|href)="//; s/"$//' >"$tmp/refs"
check "the page references something" test -s "$tmp/refs"
check "nothing from the network" sh -c "! grep -qiE '^(https?|ftp|//)' '$tmp/refs'"
bad_ref=0
while IFS= read -r ref; do
  case $ref in
    data:image/png\;base64,*) printf '%s' "${ref#data:image/png;base64,}" | base64 -d >"$tmp/img.png" 2>/dev/null &&
                               python3 "$src/tests/cli/png_check.py" "$tmp/img.png" --size 800x500 --min-colours 8 >/dev/null || bad_ref=1 ;;
    data:*) bad_ref=1 ;;
    */*|"") bad_ref=1 ;;
    *) [ -s "$tmp/r1/$ref" ] || bad_ref=1 ;;
  esac
done <"$tmp/refs"
check "every image a valid inline PNG, every link a file the command wrote" test "$bad_ref" -eq 0
check "one image per PNG written" test "$(grep -o '<img ' "$html" | wc -l)" -eq "$(ls "$tmp/r1" | grep -c '\.png$')"
check "six plots (async-style queue for SQS, backlog, ...)" test "$(ls "$tmp/r1" | grep -c '\.png$')" -eq 6
check "no temporary file left" sh -c "! ls -A '$tmp/r1' | grep -q '^\\.'"

# without gnuplot: the page, the data, no picture, and why
CAPSIM_GNUPLOT=/nonexistent "$capsim" report "$s" -o "$tmp/r2" -q >"$tmp/cmds" 2>"$tmp/err"
check "no gnuplot: exit 0" test $? -eq 0
check "no gnuplot: the page" test -s "$tmp/r2/report.html"
check "no gnuplot: no image" sh -c "! grep -q '<img' '$tmp/r2/report.html'"
check "no gnuplot: the page says why" grep -q 'gnuplot was not found' "$tmp/r2/report.html"
check "no gnuplot: the commands printed" test "$(grep -c '^gnuplot -c ' "$tmp/cmds")" -eq 12
grep -oE 'href="[^"]*"' "$tmp/r2/report.html" | sed -E 's/^href="//; s/"$//' >"$tmp/refs2"
missing=0
while IFS= read -r ref; do [ -s "$tmp/r2/$ref" ] || missing=1; done <"$tmp/refs2"
check "no gnuplot: links only to the CSVs written" sh -c "test $missing -eq 0 && ! grep -qv '\\.csv\$' '$tmp/refs2'"
finish
