#!/usr/bin/env bash
# test.sh — install what is missing, build, and run the whole test suite through CTest.
# Usage: ./test.sh          the dev build (build/)
#        ./test.sh --asan   the same suite under AddressSanitizer + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh
capsim_install_deps --tests
preset=dev
[ "${1:-}" = "--asan" ] && preset=asan
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)"
