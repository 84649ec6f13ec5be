#!/usr/bin/env bash
# Installs the build tree into a scratch prefix, then builds and runs an
# outside project against it twice: with find_package(sgmm) and with pkg-config.
# Usage: run.sh <sgmm build dir> <scratch dir>
set -euo pipefail
build=$1
scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null

cmake -S "$here/consumer" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  -DCMAKE_CXX_FLAGS="${SGMM_CONSUMER_CXX_FLAGS:-}" >/dev/null
cmake --build "$scratch/consumer" >/dev/null
"$scratch/consumer/consumer"

libdir=$(ls -d "$scratch"/prefix/lib*/pkgconfig)
flags=$(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs sgmm)
# shellcheck disable=SC2086
c++ ${SGMM_CONSUMER_CXX_FLAGS:-} "$here/consumer/main.cpp" $flags -o "$scratch/consumer_pkgconfig"
"$scratch/consumer_pkgconfig"
