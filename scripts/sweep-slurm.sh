#!/usr/bin/env bash
# scripts/sweep-slurm.sh — a capsim sweep as a Slurm job array: one array task per shard, then a
# merge job that starts when every task has succeeded. The merged output is exactly what the
# unsharded sweep prints (seeds depend on the point, never on the shard or the node).
#
# usage: scripts/sweep-slurm.sh [-n SHARDS] [-d DIR] [-f FORMAT] [-c CPUS] [-p PARTITION]
#                               [-t TIME] [-w] -- FILE SWEEP-ARGS...
#   -n SHARDS     array tasks, one shard each (default 16; Slurm's MaxArraySize caps it, 1000
#                 by default)
#   -d DIR        a folder every node sees: shard files, logs and the merged output
#                 (default ./capsim-sweep-YYYYmmdd-HHMMSS)
#   -f FORMAT     the merged output: table, json or csv -> DIR/sweep.{txt,json,csv} (default table)
#   -c CPUS       CPUs per task (--cpus-per-task, and capsim -j) (default 1)
#   -p PARTITION  -t TIME   passed to sbatch as --partition and --time
#   -w            write the two job scripts into DIR and print the sbatch commands, submit nothing
# SWEEP-ARGS are those of `capsim sweep` (--vary, --zip, --set, -s, -r). capsim ($CAPSIM, default
# build/capsim beside this script, with its checkout for the pricing tables) and FILE must be at
# the same paths on every node (a shared filesystem). It writes:
#   DIR/sweep-task.sh   #SBATCH --array=1-SHARDS: capsim sweep FILE ARGS --shard $SLURM_ARRAY_TASK_ID/SHARDS -o DIR
#   DIR/sweep-merge.sh  capsim merge DIR/sweep.shard-{1..SHARDS}-of-SHARDS.json --format FORMAT -o DIR
# and submits the first, then the second with --dependency=afterok:<array job id>. Logs go to
# DIR/slurm-<job>_<task>.out and DIR/slurm-merge-<job>.out. A failed task keeps the merge from
# running; resubmit that task alone with `sbatch --array=I DIR/sweep-task.sh`, then the merge.
#
# Example: scripts/sweep-slurm.sh -n 64 -c 4 -p short -t 30:00 -f csv -- \
#            scenarios/emr-wins.yaml --vary workload.arrivals.rate=1/s..64/s:x2 -r 100
set -euo pipefail

usage() {
  sed -n '6,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
capsim=${CAPSIM:-$here/../build/capsim}
shards=16 dir="" format=table cpus=1 partition="" time_limit="" write_only=0
while getopts n:d:f:c:p:t:wh opt; do
  case $opt in
    n) shards=$OPTARG ;;
    d) dir=$OPTARG ;;
    f) format=$OPTARG ;;
    c) cpus=$OPTARG ;;
    p) partition=$OPTARG ;;
    t) time_limit=$OPTARG ;;
    w) write_only=1 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "sweep-slurm: -n needs a positive integer" >&2; exit 2; }
[[ $cpus =~ ^[1-9][0-9]*$ ]] || { echo "sweep-slurm: -c needs a positive integer" >&2; exit 2; }
case $format in
  table) ext=txt ;; json) ext=json ;; csv) ext=csv ;;
  *) echo "sweep-slurm: -f must be table, json or csv" >&2; exit 2 ;;
esac
[ -x "$capsim" ] || { echo "sweep-slurm: no capsim at $capsim (build it, or set CAPSIM)" >&2; exit 2; }

dir=${dir:-capsim-sweep-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$dir"
# Absolute paths: the jobs run on other nodes, from other folders.
dir=$(cd "$dir" && pwd)
[[ $dir =~ [[:space:]] ]] && { echo "sweep-slurm: DIR must not contain blanks (#SBATCH lines cannot quote them)" >&2; exit 2; }
capsim=$(cd "$(dirname "$capsim")" && pwd)/$(basename "$capsim")
file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift

# Catch a bad --vary here, not in every task: capsim checks every point of the sweep before it
# runs any, so running the last shard of the finest split (100000 shards, an empty one unless
# the sweep has 100,000 points) checks the whole sweep and runs nothing.
"$capsim" sweep "$file" "$@" --shard 100000/100000 -q >/dev/null

sbatch_opts=""
[ -n "$partition" ] && sbatch_opts+="#SBATCH --partition=$partition"$'\n'
[ -n "$time_limit" ] && sbatch_opts+="#SBATCH --time=$time_limit"$'\n'

q() { printf '%q ' "$@"; } # shell-quoted words, each followed by a blank
d=$(printf '%q' "$dir")
cat >"$dir/sweep-task.sh" <<EOF
#!/bin/bash
#SBATCH --job-name=capsim-sweep
#SBATCH --array=1-$shards
#SBATCH --cpus-per-task=$cpus
#SBATCH --output=$dir/slurm-%A_%a.out
$sbatch_opts# One shard of the sweep per array task (written by scripts/sweep-slurm.sh).
set -euo pipefail
exec $(q "$capsim" sweep "$file" "$@")--shard "\$SLURM_ARRAY_TASK_ID/$shards" -j "\${SLURM_CPUS_PER_TASK:-$cpus}" -o $d -q
EOF
cat >"$dir/sweep-merge.sh" <<EOF
#!/bin/bash
#SBATCH --job-name=capsim-merge
#SBATCH --output=$dir/slurm-merge-%j.out
$sbatch_opts# The shards, merged into what the unsharded sweep prints (written by scripts/sweep-slurm.sh).
set -euo pipefail
exec $(q "$capsim" merge)$d/sweep.shard-{1..$shards}-of-$shards.json --format $format -o $d -q
EOF
chmod +x "$dir/sweep-task.sh" "$dir/sweep-merge.sh"

if [ "$write_only" -eq 1 ]; then
  echo "sbatch --parsable $(q "$dir/sweep-task.sh")"
  echo "sbatch --dependency=afterok:<the job id printed above> $(q "$dir/sweep-merge.sh")"
  exit 0
fi
command -v sbatch >/dev/null || { echo "sweep-slurm: no sbatch here (run on a Slurm login node, or use -w)" >&2; exit 2; }
array=$(sbatch --parsable "$dir/sweep-task.sh")
array=${array%%;*} # --parsable prints "jobid[;cluster]"
merge=$(sbatch --parsable --dependency="afterok:$array" "$dir/sweep-merge.sh")
merge=${merge%%;*}
echo "submitted job array $array ($shards tasks) and merge job $merge"
echo "results: $dir/sweep.$ext   (squeue -j $array,$merge to follow them)"
