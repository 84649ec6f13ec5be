#!/usr/bin/env bash
# Installs what building and testing sgmm needs on Debian 12, from Debian's
# packages only. Anything already present is left alone, so a machine that has
# everything runs this offline. The benchmark's peers are bench/install-peers.sh's.
set -euo pipefail

packages=()
need_package() {  # need_package <package> <test command...>
  local package=$1
  shift
  if ! "$@" >/dev/null 2>&1; then packages+=("$package"); fi
}

need_package g++ command -v g++
need_package make command -v make
need_package cmake command -v cmake
need_package pkg-config command -v pkg-config
need_package libgtest-dev test -f /usr/include/gtest/gtest.h
need_package libgmock-dev test -f /usr/include/gmock/gmock.h
need_package libbenchmark-dev test -f /usr/include/benchmark/benchmark.h
need_package nodejs command -v node
need_package npm command -v npm
need_package libnode-dev test -f /usr/include/node/node_api.h

if ((${#packages[@]} == 0)); then
  exit 0
fi
echo "install-deps: installing ${packages[*]}"
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
