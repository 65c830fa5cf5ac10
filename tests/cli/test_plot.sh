#!/usr/bin/env bash
# tests/cli/test_plot.sh — `capsim plot` as a user runs it: usage errors (nothing written), the
# plots that fit each scenario, every plot a valid non-blank PNG (800x500) and SVG with its CSV
# beside it, CSV titles naming the scenario, the same data for -j 1 and -j 2, no temporary
# file left; sweep CSVs (memory curve with the table's cheapest and fastest, crossover, cold
# starts, any other key); without gnuplot: the CSVs, the exact commands (which then draw the
# plots), exit 0; every template used on its own with a title argument.
# Usage: test_plot.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
src=$(cd "$src" && pwd)
require gnuplot
require python3
png_check() { python3 "$src/tests/cli/png_check.py" "$@" >/dev/null; }
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
svg_ok() { [ -s "$1" ] && head -c 300 "$1" | grep -q '<svg' && tail -c 100 "$1" | grep -q '</svg>'; }
# plot_ok DIR NAME TITLE-PART: NAME.csv (titled), a valid 800x500 PNG and an SVG
plot_ok() {
  check "$2.csv written" test -s "$1/$2.csv"
  check "$2.csv title names $3" grep -q "^# title: .*$3" "$1/$2.csv"
  check "$2.png is a valid non-blank 800x500 PNG" png_check "$1/$2.png" --size 800x500 --min-colours 8 --min-ink 0.02
  check "$2.svg is an SVG" svg_ok "$1/$2.svg"
}
no_temporaries() { ! ls -A "$1" | grep -q '^\.'; }

s="$tmp/three.yaml"
cat >"$s" <<'YAML'
name: plot-three
horizon: 30min
warmup: 5min
seed: 3
replications: 2
workload:
  arrivals: {process: poisson, rate: 3/s}
  work: {cpu: {dist: exponential, mean: 1s}, io: 50ms}
lambda:
  memory: 1769MB
  trigger: async
  concurrency: {reserved: 4}
glue:
  workers: 2
  trigger: {every: 5min}
emr:
  deployment: ec2
  mode: persistent
  core_nodes: 2
  trigger: {every: 10min}
YAML

# help and usage errors (exit 2), nothing written
expect_exit 0 plot --help && check "plot help lists --bucket" contains "$tmp/out" "--bucket DURATION" \
  && check "plot help says what happens without gnuplot" contains "$tmp/out" "CAPSIM_GNUPLOT"
expect_exit 2 plot "$s" && check "plot needs -o" contains "$tmp/err" "needs -o DIR"
expect_exit 2 plot "$s" -o "$tmp/u1" --bucket 10 && check "--bucket needs a unit" contains "$tmp/err" "--bucket"
expect_exit 2 plot "$s" -o "$tmp/u2" --bucket 0s && check "--bucket 0s refused" contains "$tmp/err" "longer than 0s"
expect_exit 2 plot "$s" -o "$tmp/u3" --bucket 1ms && check "too many buckets refused" contains "$tmp/err" "more than 100000 buckets"
expect_exit 2 plot "$s" -o "$tmp/u4" --format json && check "plot has no --format" contains "$tmp/err" "unknown option"
expect_exit 3 plot "$src/tests/data/bad/lambda-memory-too-large.yaml" -o "$tmp/u5" \
  && check "bad scenario: compiler-style error" contains "$tmp/err" "error: lambda.memory"
for d in u1 u2 u3 u4 u5; do check "nothing written for $d" test ! -e "$tmp/$d"; done

# a scenario with the three platforms (async Lambda): every plot that fits it
expect_exit 0 plot "$s" -o "$tmp/p1" -j 1
for p in environments lambda-queue backlog latency-cdf cost-breakdown cost-over-time; do
  plot_ok "$tmp/p1" "$p" plot-three
done
check "stderr says what was written" contains "$tmp/err" "wrote $tmp/p1/environments.{csv,png,svg}"
check "no temporary file left" no_temporaries "$tmp/p1"
check "environments.csv header" grep -qx 'start_s,end_s,busy,idle,provisioned,invocations_per_s,cold_starts_per_s,throttles_per_s' "$tmp/p1/environments.csv"
check "200 buckets by default" test "$(grep -vc '^#' "$tmp/p1/environments.csv")" -eq 201
check "busy never above the reserved 4" awk -F, '$1 ~ /^[0-9.]+$/ && $3 > 4.000001 {bad=1} END {exit bad}' "$tmp/p1/environments.csv"
check "backlog has glue and emr" grep -qx 'start_s,end_s,glue,emr' "$tmp/p1/backlog.csv"
check "latency CDF has the three platforms" grep -qx 'latency_s,lambda,glue,emr' "$tmp/p1/latency-cdf.csv"
check "latency CDF ends at 1" sh -c "tail -n 1 '$tmp/p1/latency-cdf.csv' | grep -qE ',1,1,1\$'"
# (a CDF: every share in [0, 1] and never falling; reading buckets outside a histogram's span
# once gave shares of 8e7 that differed from run to run)
check "latency CDF: shares in [0, 1], non-decreasing" awk -F, '
  /^[0-9]/ { for (i = 2; i <= NF; i++) if ($i != "") {
               if ($i < 0 || $i > 1 || (i in last && $i < last[i])) bad = 1; last[i] = $i } }
  END { exit bad }' "$tmp/p1/latency-cdf.csv"
check "cost breakdown: one row per platform" test "$(grep -cE '^(lambda|glue|emr),' "$tmp/p1/cost-breakdown.csv")" -eq 3
# (the data only, from here on where the pictures are not the point: gnuplot is slow)
CAPSIM_GNUPLOT= expect_exit 0 plot "$s" -o "$tmp/p2" -j 2
for p in environments lambda-queue backlog latency-cdf cost-breakdown cost-over-time; do
  check "$p.csv the same for -j 1 and -j 2" cmp -s "$tmp/p1/$p.csv" "$tmp/p2/$p.csv"
done
CAPSIM_GNUPLOT= expect_exit 0 plot "$s" -o "$tmp/p3" -q --bucket 1min --set lambda.trigger=sync -r 1
check "--bucket 1min: 35 rows" test "$(grep -vc '^#' "$tmp/p3/environments.csv")" -eq 36
check "sync Lambda: no queue plot" test ! -e "$tmp/p3/lambda-queue.csv"
# Lambda alone: no batch backlog
expect_exit 0 plot "$src/scenarios/spike-10000.yaml" -o "$tmp/p4" -q -r 1
check "Lambda only: no backlog plot" test ! -e "$tmp/p4/backlog.csv"
plot_ok "$tmp/p4" environments spike-10000
plot_ok "$tmp/p4" lambda-queue spike-10000

# without gnuplot: the data, the commands (which work), exit 0
CAPSIM_GNUPLOT=/nonexistent/gnuplot "$capsim" plot "$s" -o "$tmp/n1" >"$tmp/cmds" 2>"$tmp/err"
check "no gnuplot: exit 0" test $? -eq 0
check "no gnuplot: the CSVs" test -s "$tmp/n1/environments.csv" -a -s "$tmp/n1/cost-over-time.csv"
check "no gnuplot: no picture" sh -c "! ls '$tmp/n1' | grep -qE '\.(png|svg)\$'"
check "no gnuplot: stderr says why" contains "$tmp/err" "gnuplot not found (CAPSIM_GNUPLOT=/nonexistent/gnuplot"
check "no gnuplot: two commands per plot" test "$(grep -c '^gnuplot -c ' "$tmp/cmds")" -eq 12
check "no gnuplot: the commands name the template and the files" \
  grep -qx "gnuplot -c [^ ]*/plots/environments.gp $tmp/n1/environments.csv $tmp/n1/environments.png" "$tmp/cmds"
(cd "$tmp" && sh "$tmp/cmds") >/dev/null 2>&1
check "the printed commands draw the plots" png_check "$tmp/n1/environments.png" --size 800x500 --min-colours 8
check "the printed commands draw the SVGs" svg_ok "$tmp/n1/cost-over-time.svg"
mkdir -p "$tmp/nopath"
PATH="$tmp/nopath" "$capsim" plot "$s" -o "$tmp/n2" -q >"$tmp/cmds2" 2>"$tmp/err"
check "gnuplot not on the PATH: exit 0" test $? -eq 0
check "gnuplot not on the PATH: said" contains "$tmp/err" "no gnuplot on the PATH"
check "gnuplot not on the PATH: commands printed" test "$(grep -c '^gnuplot -c ' "$tmp/cmds2")" -eq 12
CAPSIM_GNUPLOT= "$capsim" plot "$s" -o "$tmp/n3" -q >/dev/null 2>"$tmp/err"
check "CAPSIM_GNUPLOT empty: no plot drawn, exit 0" sh -c "test $? -eq 0 && ! ls '$tmp/n3' | grep -q png"
# a gnuplot that fails: exit 1, its messages shown
printf '#!/bin/sh\necho "broken gnuplot says no" >&2\nexit 3\n' >"$tmp/badgnuplot"; chmod +x "$tmp/badgnuplot"
CAPSIM_GNUPLOT="$tmp/badgnuplot" "$capsim" plot "$s" -o "$tmp/n4" -q >/dev/null 2>"$tmp/err"
check "failing gnuplot: exit 1" test $? -eq 1
check "failing gnuplot: its message shown" contains "$tmp/err" "broken gnuplot says no"
check "failing gnuplot: no temporary left" no_temporaries "$tmp/n4"

# sweeps
sw="$src/scenarios/s3-pii-masking.yaml"
"$capsim" sweep "$sw" --vary lambda.memory=128MB..2GB:x2 -r 2 --format csv -q >"$tmp/memory.csv" &&
  "$capsim" sweep "$sw" --vary lambda.memory=128MB..2GB:x2 -r 2 -q >"$tmp/memory.txt"
expect_exit 0 plot "$tmp/memory.csv" -o "$tmp/s1"
plot_ok "$tmp/s1" memory-curve memory
cheapest=$(awk -F, '$8 ~ /cheapest/ {print $1}' "$tmp/s1/memory-curve.csv")
fastest=$(awk -F, '$8 ~ /fastest/ {print $1}' "$tmp/s1/memory-curve.csv")
check "memory curve: cheapest as in the table (${cheapest}MB)" grep -qE "^  ${cheapest}MB .*cheapest" "$tmp/memory.txt"
check "memory curve: fastest as in the table (${fastest}MB)" grep -qE "^  ${fastest}MB .*fastest" "$tmp/memory.txt"
check "memory curve: sizes in increasing order" sh -c "grep -v '^#' '$tmp/s1/memory-curve.csv' | tail -n +2 | cut -d, -f1 | sort -n -c"
"$capsim" sweep "$sw" --vary workload.arrivals.rate=8/s,0.5/s,2/s,1/s --format csv -q -o "$tmp/pii"
expect_exit 0 plot "$tmp/pii/sweep.csv" -o "$tmp/s2" -q
check "-q: nothing on stderr" test ! -s "$tmp/err"
plot_ok "$tmp/s2" crossover "pii: cost and p99"
check "crossover: three platforms" grep -qx '# platforms: lambda glue emr' "$tmp/s2/crossover.csv"
check "crossover: rates ascending" sh -c "grep -v '^#' '$tmp/s2/crossover.csv' | tail -n +2 | cut -d, -f1 | sort -g -c"
"$capsim" sweep "$sw" --vary lambda.keep_alive=1min,5min,20min --format csv -q >"$tmp/keep.csv"
expect_exit 0 plot "$tmp/keep.csv" -o "$tmp/s3" -q
plot_ok "$tmp/s3" cold-starts "cold starts against keep-alive"
check "cold starts: keep-alive in minutes" grep -qx '# xlabel: keep-alive (min)' "$tmp/s3/cold-starts.csv"
"$capsim" sweep "$sw" --vary lambda.concurrency.provisioned=0,2,4 --format csv -q >"$tmp/prov.csv"
expect_exit 0 plot "$tmp/prov.csv" -o "$tmp/s4" -q
plot_ok "$tmp/s4" cold-starts "provisioned concurrency"
"$capsim" sweep "$sw" --vary glue.workers=2,4,8 --format csv -q >"$tmp/workers.csv"
expect_exit 0 plot "$tmp/workers.csv" -o "$tmp/s5" -q
plot_ok "$tmp/s5" sweep-glue-workers "against glue.workers"
# sweeps plot cannot read
"$capsim" sweep "$sw" --vary lambda.memory=512MB,1GB --vary glue.workers=2,4 --format csv -q >"$tmp/grid.csv"
expect_exit 2 plot "$tmp/grid.csv" -o "$tmp/s6" && check "two keys refused" contains "$tmp/err" "varies 2 keys"
"$capsim" sweep "$sw" --vary lambda.architecture=x86_64,arm64 --format csv -q >"$tmp/arch.csv"
expect_exit 2 plot "$tmp/arch.csv" -o "$tmp/s7" && check "non-numeric key refused" contains "$tmp/err" "not numbers"
printf 'a,b\n1,2\n' >"$tmp/other.csv"
expect_exit 3 plot "$tmp/other.csv" -o "$tmp/s8" && check "not a sweep CSV" contains "$tmp/err" "not a sweep CSV"
head -c 300 "$tmp/memory.csv" >"$tmp/cut.csv"
expect_exit 3 plot "$tmp/cut.csv" -o "$tmp/s9"
expect_exit 4 plot "$tmp/missing.csv" -o "$tmp/s10" && check "unreadable CSV: exit 4" contains "$tmp/err" "cannot read"
expect_exit 2 plot "$tmp/memory.csv" -o "$tmp/s11" --set lambda.memory=1GB

# every template on its own: gnuplot -c TEMPLATE DATA OUT [TITLE], PNG and SVG by extension
for pair in environments:p1/environments queue:p1/lambda-queue backlog:p1/backlog \
            latency-cdf:p1/latency-cdf cost-breakdown:p1/cost-breakdown \
            cost-over-time:p1/cost-over-time memory-curve:s1/memory-curve \
            crossover:s2/crossover cold-starts:s3/cold-starts; do
  t=${pair%%:*}; d=${pair#*:}
  (cd "$tmp" && gnuplot -c "$src/plots/$t.gp" "$tmp/$d.csv" "$tmp/alone-$t.svg" "Alone: $t") 2>"$tmp/gperr"
  check "plots/$t.gp alone draws an SVG" svg_ok "$tmp/alone-$t.svg"
  check "plots/$t.gp alone takes the title argument" grep -q "Alone: $t" "$tmp/alone-$t.svg"
  (cd "$tmp" && gnuplot -c "$src/plots/$t.gp" "$tmp/$d.csv" "$tmp/alone-$t.png") 2>>"$tmp/gperr"
  check "plots/$t.gp alone draws a PNG" png_check "$tmp/alone-$t.png" --size 800x500 --structure
done
gnuplot -c "$src/plots/environments.gp" >"$tmp/usage" 2>&1
check "a template without arguments prints its usage" grep -q "usage: gnuplot -c environments.gp" "$tmp/usage"
finish
