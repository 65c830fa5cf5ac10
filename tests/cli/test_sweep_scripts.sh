#!/usr/bin/env bash
# tests/cli/test_sweep_scripts.sh — the example scripts that run a sweep on many machines:
# scripts/sweep-parallel.sh through GNU parallel on this machine (plain, and as an ssh login
# list naming only ':'), and scripts/sweep-slurm.sh with a stand-in sbatch that records what is
# submitted, its job scripts then run here as Slurm would run them. Both must give exactly the
# unsharded sweep's output. GNU parallel comes from scripts/deps.sh (the Debian package).
# Usage: test_sweep_scripts.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
contains() { grep -q -- "$2" "$1"; }
export CAPSIM=$capsim

s="$tmp/s.yaml"
cat >"$s" <<'YAML'
name: sweep-scripts
horizon: 5min
seed: 8
replications: 2
workload:
  arrivals: {process: poisson, rate: 3/s}
  work: {cpu: {dist: exponential, mean: 500ms}}
lambda:
  memory: 1024MB
emr:
  deployment: ec2
  mode: persistent
  instance_type: m5.xlarge
  core_nodes: 2
  trigger: {every: 1min}
YAML
vary=(--vary lambda.memory=256MB..2GB:x2 --vary 'lambda.cold_start.init={dist: constant, value: 1s},500ms')
for fmt in csv json table; do
  "$capsim" sweep "$s" "${vary[@]}" --format "$fmt" >"$tmp/unsharded.$fmt" \
    || { echo "FAIL: the unsharded sweep" >&2; fail=$((fail + 1)); }
done

if ! command -v parallel >/dev/null; then
  echo "FAIL: GNU parallel is not installed (scripts/deps.sh installs it: run ./test.sh)" >&2
  fail=$((fail + 1))
else
  par="$src/scripts/sweep-parallel.sh"
  "$par" -n 3 -f csv -- "$s" "${vary[@]}" >"$tmp/par.csv" 2>"$tmp/par.err"
  check "parallel: exit 0" [ $? -eq 0 ]
  check "parallel: merged csv == unsharded" cmp -s "$tmp/par.csv" "$tmp/unsharded.csv"
  "$par" -n 5 -S : -d "$tmp/kept" -f json -- "$s" "${vary[@]}" >"$tmp/par.json" 2>"$tmp/par.err"
  check "parallel over the ':' login: merged json == unsharded" cmp -s "$tmp/par.json" "$tmp/unsharded.json"
  check "parallel: -d keeps the shards" [ -s "$tmp/kept/shard-5-of-5" ]
  "$par" -n 2 -- "$s" "${vary[@]}" -j 2 >"$tmp/par.txt" 2>"$tmp/par.err"
  check "parallel: table with -j 2 per shard" cmp -s "$tmp/par.txt" "$tmp/unsharded.table"
  "$par" -n 2 -- "$s" --vary lambda.memory=1MB >"$tmp/par.bad" 2>"$tmp/par.err"
  check "parallel: a failing shard's exit code" [ $? -eq 3 ]
  check "parallel: its error shown" contains "$tmp/par.err" "^--vary:1:15: error: lambda.memory"
  check "parallel: nothing merged" [ ! -s "$tmp/par.bad" ]
fi

# Slurm: a stand-in sbatch records its arguments and answers with a job id
mkdir "$tmp/bin"
cat >"$tmp/bin/sbatch" <<'SH'
#!/bin/bash
echo "$*" >>"$SBATCH_LOG"
echo "$((4100 + $(wc -l <"$SBATCH_LOG")));cluster"
SH
chmod +x "$tmp/bin/sbatch"
export SBATCH_LOG="$tmp/sbatch.log"
PATH="$tmp/bin:$PATH" "$src/scripts/sweep-slurm.sh" -n 3 -c 2 -p short -t 20:00 -d "$tmp/slurm" -f csv \
  -- "$s" "${vary[@]}" >"$tmp/slurm.out" 2>&1
check "slurm: submitted" contains "$tmp/slurm.out" "submitted job array 4101 (3 tasks) and merge job 4102"
check "slurm: array job first" bash -c "sed -n 1p '$SBATCH_LOG' | grep -q -- '--parsable .*/sweep-task.sh$'"
check "slurm: merge after the array" bash -c "sed -n 2p '$SBATCH_LOG' | grep -q -- '--dependency=afterok:4101 .*/sweep-merge.sh$'"
check "slurm: array of 3" contains "$tmp/slurm/sweep-task.sh" "^#SBATCH --array=1-3$"
check "slurm: cpus" contains "$tmp/slurm/sweep-task.sh" "^#SBATCH --cpus-per-task=2$"
check "slurm: partition" contains "$tmp/slurm/sweep-task.sh" "^#SBATCH --partition=short$"
check "slurm: time" contains "$tmp/slurm/sweep-merge.sh" "^#SBATCH --time=20:00$"
for i in 1 2 3; do # what each array task runs
  SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=2 bash "$tmp/slurm/sweep-task.sh" 2>>"$tmp/slurm.err"
  check "slurm: task $i" [ -s "$tmp/slurm/sweep.shard-$i-of-3.json" ]
done
bash "$tmp/slurm/sweep-merge.sh" 2>>"$tmp/slurm.err"
check "slurm: merged csv == unsharded" cmp -s "$tmp/slurm/sweep.csv" "$tmp/unsharded.csv"
PATH="$tmp/bin:$PATH" "$src/scripts/sweep-slurm.sh" -n 2 -d "$tmp/slurm-bad" -- "$s" --vary lambda.memory=1MB \
  >"$tmp/slurm-bad.out" 2>&1
check "slurm: a bad sweep is refused before submitting" [ $? -eq 3 ]
check "slurm: nothing more submitted" [ "$(wc -l <"$SBATCH_LOG")" -eq 2 ]
"$src/scripts/sweep-slurm.sh" -w -n 2 -d "$tmp/slurm-w" -- "$s" "${vary[@]}" >"$tmp/slurm-w.out" 2>&1
check "slurm -w: scripts written, commands printed" \
  bash -c "[ -x '$tmp/slurm-w/sweep-task.sh' ] && grep -q '^sbatch --parsable' '$tmp/slurm-w.out'"

finish
