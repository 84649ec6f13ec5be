#!/usr/bin/env bash
# Installs the libraries the benchmark compares sgmm with, from Debian, and
# gnuplot for the chart. Packages already present are not touched, so on a
# prepared machine this does nothing and needs no network.
set -euo pipefail

packages=(libopenblas-dev libdnnl-dev libxsmm-dev libeigen3-dev gnuplot-nox)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: all present (${packages[*]})"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo > /dev/null; then
  as_root=(sudo)
else
  echo "install-peers: missing ${missing[*]}, and not root and no sudo: the benchmark will skip them" >&2
  exit 0
fi

echo "install-peers: installing ${missing[*]}"
# A peer that cannot be installed is skipped by the benchmark, not fatal.
if ! "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${as_root[@]}" apt-get update && "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" ||
    echo "install-peers: could not install ${missing[*]}; the benchmark will skip what is missing" >&2
fi
