#!/usr/bin/env bash
# test.sh — install what is missing, build, and run the whole test suite through CTest.
# Usage: ./test.sh          the dev build (build/)
#        ./test.sh --asan   the same suite under AddressSanitizer + UBSan (build-asan/), with the
#                           allocation-failure sweep (every allocation of a run fails in turn)
#        ./test.sh --tsan   the multi-threaded tests under ThreadSanitizer (clang; build-tsan/)
#        ./test.sh --fuzz [SECONDS]   each libFuzzer harness of tests/fuzz for SECONDS (default
#                           60; clang; build-fuzz/)
# --tsan and --fuzz also install clang, its sanitizer runtimes and LLVM's OpenMP (libomp).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh
capsim_install_deps --tests
preset=dev
case "${1:-}" in
  --asan) preset=asan ;;
  --tsan) preset=tsan; capsim_install_clang_deps ;;
  --fuzz)
    capsim_install_clang_deps
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$(nproc)"
    exec bash tests/fuzz/run.sh build-fuzz "${2:-60}" ;;
  "") ;;
  *) echo "usage: ./test.sh [--asan | --tsan | --fuzz [SECONDS]]" >&2; exit 2 ;;
esac
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" -j "$(nproc)"
