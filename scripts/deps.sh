#!/usr/bin/env bash
# scripts/deps.sh — install the Debian packages capsim needs, if any is missing.
# Sourced by setup.sh and test.sh; safe to run again (installs nothing when all are present).
# `capsim_install_deps --tests` (test.sh) adds what only the tests use: python3 (checks PNG files)
# and chromium (renders the HTML report headless; large, so setup.sh does not install it).
set -euo pipefail
CAPSIM_PACKAGES=(gcc make cmake pkg-config libgsl-dev libyaml-dev libjansson-dev libcmocka-dev gnuplot-nox
                 parallel)
CAPSIM_TEST_PACKAGES=(python3 chromium)
# Only for `./test.sh --fuzz` and `./test.sh --tsan` (and CI): clang with its sanitizer and
# libFuzzer runtimes, and LLVM's OpenMP runtime with Archer, its ThreadSanitizer annotations.
CAPSIM_CLANG_PACKAGES=(clang libclang-rt-14-dev libomp-14-dev)

# capsim_install_packages PACKAGE...: installs those that are missing.
capsim_install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "capsim: installing missing packages: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "capsim: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# capsim_install_deps [--tests]: what capsim needs to build and run (and, with --tests, to test).
capsim_install_deps() {
  if [ "${1:-}" = "--tests" ]; then
    capsim_install_packages "${CAPSIM_PACKAGES[@]}" "${CAPSIM_TEST_PACKAGES[@]}"
  else
    capsim_install_packages "${CAPSIM_PACKAGES[@]}"
  fi
}
capsim_install_clang_deps() { capsim_install_packages "${CAPSIM_CLANG_PACKAGES[@]}"; }
