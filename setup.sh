#!/usr/bin/env bash
# setup.sh — quick start: install what is missing, build capsim (build/capsim), and run the
# default scenario. Usage: ./setup.sh [SCENARIO]   (default scenarios/s3-pii-masking.yaml)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh
capsim_install_deps
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"
./build/capsim run "${1:-scenarios/s3-pii-masking.yaml}"
