#!/usr/bin/env bash
# scripts/deps.sh — install the Debian packages capsim needs, if any is missing.
# Sourced by setup.sh and test.sh; safe to run again (installs nothing when all are present).
# `capsim_install_deps --tests` (test.sh) adds what only the tests use: python3 (checks PNG files)
# and chromium (renders the HTML report headless; large, so setup.sh does not install it).
set -euo pipefail
CAPSIM_PACKAGES=(gcc make cmake pkg-config libgsl-dev libyaml-dev libjansson-dev libcmocka-dev gnuplot-nox
                 parallel)
CAPSIM_TEST_PACKAGES=(python3 chromium)

capsim_install_deps() {
  local missing=() wanted=("${CAPSIM_PACKAGES[@]}")
  [ "${1:-}" = "--tests" ] && wanted+=("${CAPSIM_TEST_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
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
