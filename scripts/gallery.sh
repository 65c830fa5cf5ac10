#!/usr/bin/env bash
# scripts/gallery.sh — regenerate the README's gallery, docs/gallery/*.png: the plots `capsim
# plot` draws, from shipped scenarios and from sweeps of them. Each PNG is 800x500, as capsim
# draws it; the CSV behind each is not kept (rerun the command below to get it).
# Usage: scripts/gallery.sh [CAPSIM]   (default build/capsim: build it first, e.g. ./setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
capsim=${1:-build/capsim}
[ -x "$capsim" ] || { echo "gallery: no $capsim (build it first: ./setup.sh)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "gallery: gnuplot is needed (scripts/deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=docs/gallery
mkdir -p "$out"

# keep NAME DIR PLOT: docs/gallery/NAME.png from DIR/PLOT.png
keep() { cp "$2/$3.png" "$out/$1.png"; echo "gallery: $out/$1.png"; }

# A spike: 10,000 files at once through S3 (async): environments, cold starts, the queue.
"$capsim" plot scenarios/spike-10000.yaml -o "$tmp/spike" -q
keep environments "$tmp/spike" environments
keep lambda-queue "$tmp/spike" lambda-queue
# The PII-masking example on the three platforms: batching, latency, cost.
"$capsim" plot scenarios/s3-pii-masking.yaml -o "$tmp/pii" -q
keep backlog "$tmp/pii" backlog
keep latency-cdf "$tmp/pii" latency-cdf
keep cost-breakdown "$tmp/pii" cost-breakdown
keep cost-over-time "$tmp/pii" cost-over-time
# Sweeps (the CSV's folder names the scenario in the plot's title).
"$capsim" sweep scenarios/s3-pii-masking.yaml --vary lambda.memory=128MB..3008MB:x2 \
  --format csv -q -o "$tmp/s3-pii-masking"
"$capsim" plot "$tmp/s3-pii-masking/sweep.csv" -o "$tmp/memory" -q
keep memory-curve "$tmp/memory" memory-curve
"$capsim" sweep scenarios/emr-wins.yaml --vary workload.arrivals.rate=0.5/s..64/s:x2 -r 2 \
  --format csv -q -o "$tmp/emr-wins"
"$capsim" plot "$tmp/emr-wins/sweep.csv" -o "$tmp/rate" -q
keep crossover "$tmp/rate" crossover
"$capsim" sweep scenarios/lambda-vs-glue-2min.yaml \
  --vary lambda.keep_alive=1min,2min,5min,10min,15min,30min,60min --format csv -q \
  -o "$tmp/lambda-vs-glue-2min"
"$capsim" plot "$tmp/lambda-vs-glue-2min/sweep.csv" -o "$tmp/keep" -q
keep cold-starts "$tmp/keep" cold-starts
