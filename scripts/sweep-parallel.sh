#!/usr/bin/env bash
# scripts/sweep-parallel.sh — a capsim sweep split into shards that GNU parallel runs, on this
# machine or on several over ssh, then merged: the output is exactly what the unsharded sweep
# prints (seeds depend on the point, never on the shard or the machine).
#
# usage: scripts/sweep-parallel.sh [-n SHARDS] [-S LOGINS] [-d DIR] [-f FORMAT] -- FILE SWEEP-ARGS...
#   -n SHARDS  how many shards (default 8); more shards than job slots evens out slow points
#   -S LOGINS  GNU parallel's --sshlogin list: ':' is this machine, '8/me@node1' runs 8 jobs at
#              once on node1 over ssh; e.g. ':,8/me@node1,8/me@node2' (default ':', this machine,
#              one job per CPU)
#   -d DIR     keep the shard files in DIR (default: a temporary folder, removed at the end)
#   -f FORMAT  the merged output: table, json or csv (default table), on stdout
# SWEEP-ARGS are those of `capsim sweep` (--vary, --zip, --set, -s, -r, -j). Each shard runs on
# one thread (-j 1) unless SWEEP-ARGS say otherwise, since parallel already runs one shard per
# job slot. Each shard's output comes back to this machine through parallel (--results), so
# remote machines need no shared folder for results; they need capsim and the scenario at the
# same paths as here (the same clone at the same place, or a shared filesystem): $CAPSIM
# (default: build/capsim beside this script) and FILE. Extra options for parallel (--bar,
# --retries 2, ...) can go in $PARALLEL, which GNU parallel reads itself.
#
# Example: scripts/sweep-parallel.sh -n 32 -S ':,16/me@node1' -f csv -- \
#            scenarios/emr-wins.yaml --vary workload.arrivals.rate=1/s..64/s:x2 -r 10 > rate.csv
set -euo pipefail

usage() {
  sed -n '5,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
capsim=${CAPSIM:-$here/../build/capsim}
shards=8 logins=":" dir="" format=table
while getopts n:S:d:f:h opt; do
  case $opt in
    n) shards=$OPTARG ;;
    S) logins=$OPTARG ;;
    d) dir=$OPTARG ;;
    f) format=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "sweep-parallel: -n needs a positive integer" >&2; exit 2; }
command -v parallel >/dev/null || { echo "sweep-parallel: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
[ -x "$capsim" ] || { echo "sweep-parallel: no capsim at $capsim (build it, or set CAPSIM)" >&2; exit 2; }

# Absolute paths, so that they mean the same on every machine.
capsim=$(cd "$(dirname "$capsim")" && pwd)/$(basename "$capsim")
file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
threads=(-j 1)
for a in "$@"; do
  case $a in -j|--threads|--threads=*) threads=() ;; esac
done

if [ -n "$dir" ]; then
  mkdir -p "$dir"
  work=$dir
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# One job per shard: its stdout (the shard file) lands in $work/shard-I-of-N, its stderr in
# $work/shard-I-of-N.err. -q quotes every argument for the shell, here and on remote machines.
# With --halt, parallel exits with the failed shard's status: capsim's exit code.
rc=0
parallel --will-cite -q --halt now,fail=1 -S "$logins" \
  --results "$work/shard-{}-of-$shards" \
  "$capsim" sweep "$file" "$@" "${threads[@]}" --shard "{}/$shards" \
  ::: $(seq 1 "$shards") || rc=$?
if [ "$rc" -ne 0 ]; then
  for e in "$work"/shard-*-of-"$shards".err; do
    [ -s "$e" ] && { echo "== $(basename "$e" .err)" >&2; cat "$e" >&2; }
  done
  echo "sweep-parallel: a shard failed; nothing merged" >&2
  exit "$rc"
fi

files=()
for i in $(seq 1 "$shards"); do files+=("$work/shard-$i-of-$shards"); done
"$capsim" merge "${files[@]}" --format "$format"
